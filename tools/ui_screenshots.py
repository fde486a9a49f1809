"""Screenshots of the web UI's main pages for the README (docs/screenshots/*.png): the demo
history (`casework demo`, the open example cases, `casework demo-users`) in a fresh SQLite
database, served by uvicorn with today fixed at 2026-11-26, photographed in headless Chromium
at 1366×768 (the laptop screen the pages must fit). Not run in CI.

    python tools/ui_screenshots.py
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx
from playwright.sync_api import Page, sync_playwright

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "docs" / "screenshots"
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
TODAY = "2026-11-26"
PASSWORD = "demo-password-1"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync"]  # fmt: skip
sys.path.insert(0, str(ROOT))

# (file name, user, path, what to wait for) — the pages the README shows
SHOTS = [
    ("queue", "jingban", "/", "main table"),
    ("register", "jingban", "/cases/new", "main form"),
    ("case", "jingban", "/cases/{open_case}", "main h1"),
    ("notifications", "jingban", "/notifications", "main h1"),
    ("district", "gongkaiban", "/district", "main h1"),
    ("calendar", "admin", "/admin/calendar?year=2026", "main h1"),
    ("report", "fuzeren", "/reports?year=2023&agency=zhz", "main h1"),
]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def prepare(tmp: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("CASEWORK_")}
    env.update(CASEWORK_DATA_DIR=str(tmp), CASEWORK_TODAY=TODAY,
               CASEWORK_DATABASE_URL=f"sqlite:///{tmp / 'demo.sqlite'}")  # fmt: skip
    casework = str(Path(sys.executable).with_name("casework"))
    for argv in (["demo"], ["replay", str(ROOT / "examples" / "open-cases-2026.json")]):
        subprocess.run([casework, *argv], env=env, check=True, stdout=subprocess.DEVNULL)

    from casework.db import make_engine, unit_of_work
    from casework.services import auth, directory
    from casework.services.demo_people import DISTRICT_CODE, make_demo_people
    from casework.timeutil import utcnow
    from workflows.roles import Role

    engine = make_engine(env["CASEWORK_DATABASE_URL"])
    with unit_of_work(engine) as session:
        make_demo_people(session, ["zhz", "demo-zjj"], utcnow(), PASSWORD)
        admin = directory.add_user(session, "admin", "示例管理员")
        auth.set_password(session, admin, PASSWORD, utcnow())
        district = directory.agency_by_code(session, DISTRICT_CODE)
        directory.grant(session, admin, district, Role.ADMIN)
        directory.grant(session, admin, district, Role.CALENDAR_ADMIN)
    engine.dispose()
    return env


def login(page: Page, username: str) -> None:
    page.goto("/login")
    page.get_by_label("用户名").fill(username)
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()
    page.wait_for_url(lambda url: "/login" not in url)


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as folder:
        tmp = Path(folder)
        env = prepare(tmp)
        port = free_port()
        url = f"http://127.0.0.1:{port}"
        server = subprocess.Popen(
            [sys.executable, "-m", "uvicorn", "api.app:create_app", "--factory", "--port",
             str(port), "--no-access-log"], cwd=ROOT, env=env,
        )  # fmt: skip
        try:
            for _ in range(100):
                try:
                    if httpx.get(f"{url}/healthz").status_code == 200:
                        break
                except httpx.TransportError:
                    time.sleep(0.1)
            shoot(url)
        finally:
            server.terminate()
            server.wait(10)


def shoot(url: str) -> None:
    with sync_playwright() as driver:
        browser = driver.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        for name, user, path, ready in SHOTS:
            context = browser.new_context(base_url=url, viewport={"width": 1366, "height": 768},
                                          locale="zh-CN", timezone_id="Asia/Shanghai")  # fmt: skip
            page = context.new_page()
            login(page, user)
            if "{open_case}" in path:
                page.goto("/")
                href = page.locator("main table a[href^='/cases/']").first.get_attribute("href")
                path = href or "/"
            page.goto(path)
            page.locator(ready).first.wait_for()
            page.screenshot(path=OUT / f"{name}.png")
            print(f"docs/screenshots/{name}.png")
            context.close()
        browser.close()


if __name__ == "__main__":
    main()
