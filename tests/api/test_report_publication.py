"""Publishing a year's report over HTTP: 201 with Location, the snapshot, its files byte for
byte, and the drift after a back-dated action (a clerk's refused, an approver's shown).

One set of agencies, users and cases for the module (they are slow to make); each test that
publishes takes a year of its own, so none sees another's publication."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

import httpx
import pytest

from casework.reports.render import FORMATS
from tests.api.conftest import Server, World, make_world, problem

YEARS = (2021, 2022, 2023, 2024)  # one per test that publishes


@dataclass
class Desk:
    world: World
    cases: dict[int, dict[str, Any]]  # a case received in each year, still open


@pytest.fixture(scope="module")
def desk(server: Server) -> Desk:
    """Cases registered before anything is published (a clerk may not register back-dated
    into a published year, nor into one a published year carries over from)."""
    world = make_world(server)
    clerk = world.login("clerk")
    return Desk(world, {y: world.register(clerk, submitted_on=f"{y}-06-02") for y in YEARS})


def _base(year: int) -> str:
    return f"/api/v1/reports/{year}"


def _published(desk: Desk, year: int) -> tuple[httpx.Client, httpx.Response]:
    approver = desk.world.login("approver")
    answer = approver.post(
        f"{_base(year)}/publication",
        params={"agency": desk.world.code("zhz")},
        json={"allow_starter_text": True},
    )
    assert answer.status_code == 201, answer.text
    return approver, answer


def test_publishing_answers_201_with_the_location_of_the_snapshot(desk: Desk) -> None:
    approver, answer = _published(desk, 2021)
    body = answer.json()
    assert body["revision"] == 1 and body["verified"] is True
    assert any("系统草稿" in w for w in body["warnings"])
    assert sorted(f["format"] for f in body["files"]) == sorted(FORMATS)
    again = approver.get(answer.headers["Location"])
    assert again.status_code == 200, again.text
    assert again.json()["content_hash"] == body["content_hash"]
    assert again.json()["figures"] == body["figures"] and body["figures"]["year"] == 2021


def test_a_published_file_downloads_byte_for_byte(desk: Desk) -> None:
    approver, answer = _published(desk, 2022)
    listed = {f["format"]: f for f in answer.json()["files"]}
    download = approver.get(listed["json"]["url"])
    assert download.status_code == 200, download.text
    assert download.headers["content-type"].startswith("application/json")
    assert "filename*=UTF-8''" in download.headers["content-disposition"]
    assert len(download.content) == listed["json"]["size"]
    assert json.loads(download.content) == answer.json()["figures"]


def test_a_format_not_published_is_404(desk: Desk) -> None:
    approver, _answer = _published(desk, 2023)
    missing = approver.get(
        f"{_base(2023)}/publication/files/pdf", params={"agency": desk.world.code("zhz")}
    )
    problem(missing, 404, "not-found")


def test_a_clerk_may_not_publish(desk: Desk) -> None:
    clerk = desk.world.login("clerk")
    zhz = desk.world.code("zhz")
    answer = clerk.post(f"{_base(2019)}/publication", params={"agency": zhz}, json={})
    problem(answer, 403, "forbidden")


def test_a_year_not_ended_is_refused(desk: Desk) -> None:
    approver = desk.world.login("approver")
    answer = approver.post(
        f"{_base(2026)}/publication",
        params={"agency": desk.world.code("zhz")},
        json={"allow_starter_text": True},
    )
    assert "尚未结束" in problem(answer, 422)["detail"]


def test_a_year_not_published_has_no_publication_and_no_drift(desk: Desk) -> None:
    clerk = desk.world.login("clerk")
    for path in ("/publication", "/drift"):
        answer = clerk.get(f"{_base(2020)}{path}", params={"agency": desk.world.code("zhz")})
        assert "尚未公布" in problem(answer, 404, "not-found")["detail"]


def test_a_clerks_backdated_reply_is_refused_and_an_approvers_is_drift(desk: Desk) -> None:
    approver, _answer = _published(desk, 2024)
    case = desk.cases[2024]
    clerk = desk.world.login("clerk")
    url = f"/api/v1/cases/{case['id']}/actions/reply"
    headers = {"If-Match": f'"{case["version"]}"'}
    params = {"on": "2024-12-30"}
    refused = clerk.post(url, params=params, headers=headers, json={"outcome": "disclosed"})
    assert "须由负责人办理" in problem(refused, 422)["detail"]
    done = approver.post(url, params=params, headers=headers, json={"outcome": "disclosed"})
    assert done.status_code == 200, done.text
    found = clerk.get(f"{_base(2024)}/drift", params={"agency": desk.world.code("zhz")})
    assert found.status_code == 200, found.text
    body = found.json()
    assert [(c["ref"], c["action"], c["to"]) for c in body["causes"]] == [
        (case["ref"], "reply", ["new", "disclosed"])
    ]
    changed = {(c["row"], c["column"], c["delta"]) for c in body["cells"]}
    assert {("carried_out", "total", -1), ("disclosed", "total", 1)} <= changed
