"""The API docs work offline (Swagger UI served from the vendored npm package, byte for byte
what the manifest pins), HEAD answers every GET route, and a 405 lists every allowed method."""

from __future__ import annotations

import hashlib
import json
import re
import subprocess
import sys
from pathlib import Path

from tests.api.conftest import World, problem

ROOT = Path(__file__).resolve().parents[2]
MANIFEST = ROOT / "api" / "static" / "vendor" / "assets.json"


def test_the_vendored_assets_match_their_manifest() -> None:
    checked = subprocess.run(
        [sys.executable, str(ROOT / "tools" / "vendor_assets.py"), "--check"],
        capture_output=True,
        text=True,
    )
    assert checked.returncode == 0, checked.stderr
    for name, spec in json.loads(MANIFEST.read_text())["packages"].items():
        folder = MANIFEST.parent / name
        assert (folder / "LICENSE").is_file(), name  # licenses kept beside the files
        assert set(spec["sha256"]) == set(spec["files"]), name


def test_the_docs_page_loads_everything_from_this_server(world: World) -> None:
    anonymous = world.client()
    page = anonymous.get("/docs")
    assert page.status_code == 200 and "text/html" in page.headers["content-type"]
    links = re.findall(r'(?:src|href)="([^"]+)"', page.text)
    assert links, page.text
    assert all(link.startswith("/") and not link.startswith("//") for link in links), links
    assert "cdn" not in page.text.lower()
    spec = json.loads(MANIFEST.read_text())["packages"]["swagger-ui-dist"]
    for link in links:
        asset = anonymous.get(link)
        assert asset.status_code == 200, link
        name = link.rsplit("/", 1)[-1]
        assert hashlib.sha256(asset.content).hexdigest() == spec["sha256"][name], link
    script = anonymous.get("/static/vendor/swagger-ui-dist/swagger-ui-bundle.js")
    assert "javascript" in script.headers["content-type"]
    problem(anonymous.get("/static/vendor/nothing.js"), 404, "not-found")


def test_head_answers_every_get_route_without_a_body(world: World) -> None:
    anonymous, clerk = world.client(), world.login("clerk")
    for path in ("/healthz", "/readyz", "/openapi.json", "/docs"):
        got, head = anonymous.get(path), anonymous.head(path)
        assert head.status_code == 200 and head.content == b"", path
        assert head.headers["content-type"] == got.headers["content-type"], path
        assert head.headers["content-length"] == str(len(got.content)), path
    case = world.register(clerk)
    head = clerk.head(f"/api/v1/cases/{case['id']}")
    assert head.status_code == 200 and head.content == b""
    assert head.headers["etag"] == f'"{case["version"]}"'
    assert anonymous.head(f"/api/v1/cases/{case['id']}").status_code == 401
    assert world.login("stranger").head(f"/api/v1/cases/{case['id']}").status_code == 404


def test_a_405_lists_every_method_of_the_path(world: World) -> None:
    clerk = world.login("clerk")
    refused = clerk.delete("/api/v1/cases")
    problem(refused, 405, "method-not-allowed")
    assert refused.headers["allow"] == "GET, HEAD, POST"
    refused = clerk.put("/healthz")
    problem(refused, 405, "method-not-allowed")
    assert refused.headers["allow"] == "GET, HEAD"
    refused = clerk.post("/static/vendor/swagger-ui-dist/swagger-ui.css")
    assert refused.status_code == 405 and refused.headers["allow"] == "GET, HEAD"
    refused = clerk.get("/api/v1/auth/login")
    assert refused.status_code == 405 and refused.headers["allow"] == "POST"
