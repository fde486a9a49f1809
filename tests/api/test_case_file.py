"""The case file (案卷) over HTTP: a clerk downloads the ZIP (its manifest matching its files)
and the cover list; roles that read the case masked get 403, another agency 404."""

from __future__ import annotations

import hashlib
import io
import json
import zipfile
from urllib.parse import unquote

from pypdf import PdfReader

from tests.api.conftest import World, problem
from tests.api.test_attachments import created, unique_pdf, upload
from tests.api.test_cases import act, ok


def test_a_clerk_downloads_the_case_file_and_its_cover_list(world: World) -> None:
    clerk = world.login("clerk")
    case = world.register(clerk)
    case = ok(act(clerk, case, "request_correction", {"items": ["请说明所需信息的名称"]}))
    notice = clerk.post(f"/api/v1/cases/{case['id']}/notices", json={"kind": "correction"})
    assert notice.status_code == 201, notice.text
    scan = unique_pdf()
    created(upload(clerk, case, scan, "申请书.pdf", kind="request_scan"))
    answer = clerk.get(f"/api/v1/cases/{case['id']}/case-file")
    assert answer.status_code == 200, answer.text
    assert answer.headers["content-type"] == "application/zip"
    assert int(answer.headers["content-length"]) == len(answer.content)
    disposition = unquote(answer.headers["content-disposition"])
    assert f"案卷-{case['ref']}.zip" in disposition, disposition
    archive = zipfile.ZipFile(io.BytesIO(answer.content))
    root = f"案卷-{case['ref']}/"
    manifest = json.loads(archive.read(root + "manifest.json"))
    paths = {f["path"] for f in manifest["files"]}
    assert any(p.startswith("02-告知书/") and notice.json()["number"] in p for p in paths), paths
    for entry in manifest["files"]:
        data = archive.read(root + entry["path"])
        assert hashlib.sha256(data).hexdigest() == entry["sha256"], entry["path"]
    (scan_path,) = [p for p in paths if p.startswith("03-附件/")]
    assert archive.read(root + scan_path) == scan
    cover = clerk.get(f"/api/v1/cases/{case['id']}/case-file/cover.pdf")
    assert cover.status_code == 200 and cover.headers["content-type"] == "application/pdf"
    text = "".join(
        "".join(p.extract_text().split()) for p in PdfReader(io.BytesIO(cover.content)).pages
    )
    assert case["ref"] in text and "补正告知书" in text and "申请书.pdf" in text


def test_who_reads_the_case_masked_gets_no_case_file(world: World) -> None:
    clerk = world.login("clerk")
    case = world.register(clerk)
    for path in ("case-file", "case-file/cover.pdf"):
        url = f"/api/v1/cases/{case['id']}/{path}"
        for reader in ("auditor", "district"):
            refused = problem(world.login(reader).get(url), 403, "forbidden")
            assert "个人信息" in refused["detail"]
        problem(world.login("stranger").get(url), 404, "not-found")
        problem(world.client().get(url), 401)
    assert world.login("approver").get(f"/api/v1/cases/{case['id']}/case-file").status_code == 200
