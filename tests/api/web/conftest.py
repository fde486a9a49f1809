"""The web UI in a real browser: Debian's Chromium (/usr/bin/chromium) driven by Playwright
against a real `uvicorn` serving the app on SQLite. The pages sit on the services the API tests
already run on both backends, so the browser tests use one (they are the slow ones).

`world` makes this test's agencies and users (tests/api/conftest.py); `login(page, world, who)`
signs in through the login form."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import (
    Browser,
    BrowserContext,
    Page,
    Playwright,
    ViewportSize,
    sync_playwright,
)

from tests.api.conftest import PASSWORD, Server, World, _database, make_world, running_server
from tests.conftest import REQUIRE_SERVICES

CHROMIUM = os.environ.get("CASEWORK_TEST_CHROMIUM", "/usr/bin/chromium")
# the machine's network is closed: no background connections, no sandbox as root
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--disable-dev-shm-usage"]  # fmt: skip
VIEWPORT: ViewportSize = {"width": 1366, "height": 768}  # the laptop screen the pages must fit


@pytest.fixture(scope="session")
def web_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    tmp = tmp_path_factory.mktemp("web")
    databases = _database("sqlite", tmp)
    db_url = next(databases)
    with running_server(db_url, tmp) as running:
        yield running


@pytest.fixture
def world(web_server: Server) -> World:
    return make_world(web_server)


@pytest.fixture(scope="session")
def playwright_driver() -> Iterator[Playwright]:
    with sync_playwright() as driver:
        yield driver


@pytest.fixture(scope="session")
def browser(playwright_driver: Playwright) -> Iterator[Browser]:
    if not Path(CHROMIUM).is_file() and shutil.which(CHROMIUM) is None:
        message = f"Chromium not found at {CHROMIUM} (apt-get install chromium)"
        if REQUIRE_SERVICES:
            pytest.fail(message)
        pytest.skip(message)
    launched = playwright_driver.chromium.launch(
        executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
    )
    yield launched
    launched.close()


@pytest.fixture
def context(browser: Browser, web_server: Server) -> Iterator[BrowserContext]:
    made = browser.new_context(
        base_url=web_server.url, viewport=VIEWPORT, locale="zh-CN", timezone_id="Asia/Shanghai"
    )
    made.set_default_timeout(15_000)
    yield made
    made.close()


@pytest.fixture
def page(context: BrowserContext) -> Page:
    return context.new_page()


def login(page: Page, world: World, who: str, password: str = PASSWORD) -> None:
    """Sign in through the login form; land on the work queue."""
    page.goto("/login")
    page.get_by_label("用户名").fill(world.user(who))
    page.get_by_label("密码").fill(password)
    page.get_by_role("button", name="登录").click()
    page.wait_for_url(lambda url: "/login" not in url)
