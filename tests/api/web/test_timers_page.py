"""A correction never returned is closed by the Celery timers and the browser shows the right
outcome (issue 8). The real machinery: `casework worker` (the embedded default — a Celery
worker with beat inside, kombu's filesystem broker in the data folder) sweeps and fires the
expiry on the server's database; the case page and the inbox then show it.

The server and the worker run on a database of this module's own (not the shared web server's:
the worker fires every due timer it finds), both with 'today' 2026-11-26."""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from playwright.sync_api import Browser, expect

from tests.api.conftest import ROOT, TODAY, Server, World, _database, make_world, running_server
from tests.api.web.conftest import VIEWPORT, login
from workflows.actions import ACTION_BY_NAME
from workflows.outcomes import CORRECTION_NOT_SUBMITTED, OUTCOME_BY_CODE
from workflows.states import State

EXPIRY = ACTION_BY_NAME["correction_deadline_passed"]
# received in person Tue 2026-10-20; the notice served Thu 10-22 with 15 working days to
# correct: the last day is Thu 11-12, the expiry takes effect the next day
SERVED, LAST_DAY, EXPIRES = "2026-10-22", "2026-11-12", "2026-11-13"


@pytest.fixture(scope="module")
def timed(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    tmp = tmp_path_factory.mktemp("timers")
    databases = _database("sqlite", tmp)
    with running_server(next(databases), tmp) as server:
        yield server


def _act(client: httpx.Client, case: dict[str, Any], action: str, body: dict[str, Any],
         on: str) -> dict[str, Any]:  # fmt: skip
    answer = client.post(f"/api/v1/cases/{case['id']}/actions/{action}", json=body,
                         params={"on": on}, headers={"If-Match": f'"{case["version"]}"'})  # fmt: skip
    assert answer.status_code == 200, answer.text
    return dict(answer.json())


@contextlib.contextmanager
def worker(server: Server, tmp: Path) -> Iterator[Callable[[Callable[[], bool]], None]]:
    """`casework worker` on the server's database; yields `wait_until(condition)`. Killed when
    the block ends (its process group: the beat inside too) — a warm stop waits ~5 s for beat,
    and a kill loses nothing (the timer rows are the truth). Its log must hold no error."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("CASEWORK_")}
    env.update(PYTHONUNBUFFERED="1", CASEWORK_DATABASE_URL=server.db_url, CASEWORK_TODAY=TODAY,
               CASEWORK_DATA_DIR=str(tmp / "worker-data"), CASEWORK_SWEEP_SECONDS="1")  # fmt: skip
    log = tmp / "worker.log"
    with log.open("wb") as out:
        process = subprocess.Popen(
            [sys.executable, "-m", "casework.cli.main", "worker"], cwd=ROOT, env=env,
            stdout=out, stderr=subprocess.STDOUT, start_new_session=True,
        )  # fmt: skip

    def wait_until(done: Callable[[], bool], seconds: float = 90) -> None:
        deadline = time.monotonic() + seconds
        while not done():
            if process.poll() is not None or time.monotonic() > deadline:
                raise AssertionError(
                    "the worker did not close the case:\n" + log.read_text()[-3000:]
                )
            time.sleep(0.2)

    try:
        yield wait_until
    finally:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()
    text = log.read_text()
    assert "Traceback" not in text and "ERROR" not in text, text[-3000:]


def test_a_correction_never_returned_is_closed_by_the_timers(
    timed: Server, browser: Browser, tmp_path: Path
) -> None:
    world: World = make_world(timed)
    clerk = world.login("clerk")
    case = world.register(clerk, submitted_on="2026-10-20")
    case = _act(clerk, case, "request_correction",
                {"items": ["请写明所需政府信息的名称或文号"], "period_wd": 15, "served_on": SERVED},
                on=SERVED)  # fmt: skip
    assert case["state"] == State.CORRECTION_REQUESTED.value
    url = f"/api/v1/cases/{case['id']}"
    assert clerk.get(url).json()["state"] == State.CORRECTION_REQUESTED.value  # until the timers

    with worker(timed, tmp_path) as wait_until:  # stays up while the pages are looked at
        wait_until(lambda: clerk.get(url).json()["state"] == State.CLOSED)
        _shows_the_outcome(timed, browser, world, case)


def _shows_the_outcome(timed: Server, browser: Browser, world: World, case: dict[str, Any]) -> None:
    clerk = world.login("clerk")
    url = f"/api/v1/cases/{case['id']}"
    detail = clerk.get(url).json()
    assert detail["outcome"] == CORRECTION_NOT_SUBMITTED
    last = detail["events"][-1]
    assert (last["action"], last["on"], last["actor_kind"]) == (EXPIRY.name, EXPIRES, "system")

    context = browser.new_context(base_url=timed.url, viewport=VIEWPORT, locale="zh-CN",
                                  timezone_id="Asia/Shanghai")  # fmt: skip
    try:
        page = context.new_page()
        login(page, world, "clerk")
        page.goto(f"/cases/{case['id']}")
        expect(page.locator("#summary-state")).to_have_text(State.CLOSED.label)
        outcome = OUTCOME_BY_CODE[CORRECTION_NOT_SUBMITTED].full_label
        expect(page.locator("#case-outcome")).to_contain_text(outcome)
        expect(page.locator("#case-outcome")).to_contain_text(EXPIRES)
        expiry = page.locator("ol.timeline > li").last
        expect(expiry.locator(".label")).to_have_text(EXPIRY.label)
        expect(expiry.locator(".actor")).to_have_text("系统")

        expect(page.locator("header nav a[href='/notifications'] .count")).to_have_text("1")
        page.get_by_role("link", name="通知").click()
        told = page.locator("ul.inbox > li")
        expect(told).to_have_count(1)
        expect(told.locator(".badge.kind")).to_have_text("期限届满")
        expect(told.get_by_role("heading")).to_contain_text(f"{case['ref']} ")
        told.locator("summary").click()
        expect(told.locator(".body")).to_contain_text(f"办理结果：{outcome}")
        expect(told.locator(".body")).to_contain_text(LAST_DAY)
        told.get_by_role("link").click()
        expect(page).to_have_url(f"{timed.url}/cases/{case['id']}")
    finally:
        context.close()
