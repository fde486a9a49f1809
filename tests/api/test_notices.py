"""Notices through HTTP (a real uvicorn per backend): offered by the actions, issued with a
文号, downloaded as DOCX, previewed as HTML (masked for roles that may not see names), PDF."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import httpx
import pytest
from docx import Document

from casework.notices import pdf
from tests.api.conftest import World, problem, running_server
from tests.conftest import REQUIRE_SERVICES

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def _text(data: bytes) -> str:
    return "\n".join(p.text for p in Document(io.BytesIO(data)).paragraphs)


def _corrected(world: World, clerk: httpx.Client) -> dict[str, Any]:
    case = world.register(clerk)
    answer = clerk.post(f"/api/v1/cases/{case['id']}/actions/request_correction",
                        json={"period_wd": 10, "items": ["请写明文件名称", "请提供身份证明"]},
                        headers={"If-Match": f'"{case["version"]}"'}, params={"on": "2026-11-24"})  # fmt: skip
    assert answer.status_code == 200, answer.text
    return dict(answer.json())


def test_each_allowed_action_says_which_notice_it_offers(world: World) -> None:
    clerk = world.login("clerk")
    case = world.register(clerk)
    offered = {a["action"]: a["notice"] for a in case["actions_allowed"]}
    assert offered["request_correction"] == {
        "kind": "correction",
        "title": "政府信息公开申请补正告知书",
    }
    assert offered["reply"]["kind"] == "reply" and offered["assign"] is None
    listed = clerk.get(f"/api/v1/cases/{case['id']}/actions").json()
    assert {a["action"]: a["notice"] for a in listed} == offered


def test_issue_list_and_download_a_correction_notice(world: World) -> None:
    clerk = world.login("clerk")
    case = _corrected(world, clerk)
    listed = clerk.get(f"/api/v1/cases/{case['id']}/notices").json()
    assert listed["issued"] == []
    assert [(o["step"], o["kind"], o["notice_id"]) for o in listed["offered"]] == [
        (1, "receipt", None), (2, "correction", None)]  # fmt: skip
    answer = clerk.post(f"/api/v1/cases/{case['id']}/notices", json={"kind": "correction"})
    assert answer.status_code == 201, answer.text
    notice = answer.json()
    assert answer.headers["location"] == f"/api/v1/cases/{case['id']}/notices/{notice['id']}"
    assert notice["number"] == "某街道办事处公开补〔2026〕1号" and notice["step"] == 2
    assert notice["dated"] == "2026-11-24" and notice["template"]["version"] == 1
    assert "1. 请写明文件名称" in notice["text"] and "2. 请提供身份证明" in notice["text"]
    after = clerk.get(f"/api/v1/cases/{case['id']}/notices").json()
    assert [n["number"] for n in after["issued"]] == [notice["number"]]
    assert after["offered"][1]["notice_id"] == notice["id"]
    assert clerk.get(f"/api/v1/cases/{case['id']}").json()["version"] == case["version"]

    docx = clerk.get(f"/api/v1/cases/{case['id']}/notices/{notice['id']}.docx")
    assert docx.status_code == 200 and docx.headers["content-type"] == DOCX
    assert docx.headers["etag"] == f'"{notice["content_hash"]}"'
    assert "filename*=UTF-8''" in docx.headers["content-disposition"]
    text = _text(docx.content)
    assert "第三十条" in text and notice["number"] in text and "2026年11月20日" in text
    assert "即于2026年12月8日前" in text  # 10 working days from 2026-11-24
    html = clerk.get(f"/api/v1/cases/{case['id']}/notices/{notice['id']}.html")
    assert html.status_code == 200 and html.headers["content-type"].startswith("text/html")
    assert "张三：" in html.text and notice["number"] in html.text


def test_a_notice_is_issued_once(world: World) -> None:
    clerk = world.login("clerk")
    case = world.register(clerk)
    assert (
        clerk.post(f"/api/v1/cases/{case['id']}/notices", json={"kind": "receipt"}).status_code
        == 201
    )
    again = clerk.post(f"/api/v1/cases/{case['id']}/notices", json={"kind": "receipt"})
    assert "已出具" in problem(again, 409, "conflict")["detail"]


def test_bad_requests_are_422_in_chinese(world: World) -> None:
    clerk = world.login("clerk")
    case = world.register(clerk)
    url = f"/api/v1/cases/{case['id']}/notices"
    assert "未知的告知书类型" in problem(clerk.post(url, json={"kind": "letter"}), 422)["detail"]
    assert "尚无应出具" in problem(clerk.post(url, json={"kind": "reply"}), 422)["detail"]
    wrong = problem(clerk.post(url, json={"kind": "receipt", "fields": {"details": "x"}}), 422)
    assert wrong["errors"][0]["field"] == "details"
    problem(clerk.post(url, json={"kind": "receipt", "step": 0}), 422, "validation")
    for loose in ("1", 1.0, True):  # a step is a JSON integer, as every other count is
        body = problem(clerk.post(url, json={"kind": "receipt", "step": loose}), 422, "validation")
        assert body["errors"][0]["field"] == "step"
    problem(clerk.get(f"{url}/999999.docx"), 404, "not-found")


def test_a_draft_is_previewed_before_issuing_and_takes_no_number(world: World) -> None:
    clerk = world.login("clerk")
    case = _corrected(world, clerk)
    url = f"/api/v1/cases/{case['id']}/notices"
    body = {"kind": "correction", "fields": {"items": ["请写明文号"]}}
    draft = clerk.post(f"{url}/preview", json=body)
    assert draft.status_code == 200 and draft.headers["content-type"].startswith("text/html")
    assert "草稿预览" in draft.text and "请写明文号" in draft.text and "张三" in draft.text
    assert "〔2026〕" not in draft.text
    assert clerk.get(url).json()["issued"] == []  # nothing stored
    notice = clerk.post(url, json=body).json()
    assert notice["number"] == "某街道办事处公开补〔2026〕1号"  # the draft took no number
    again = clerk.post(f"{url}/preview", json=body)  # issued: shown as issued
    assert notice["number"] in again.text and "草稿预览" not in again.text
    assert (
        "尚无应出具" in problem(clerk.post(f"{url}/preview", json={"kind": "reply"}), 422)["detail"]
    )
    for reader in (world.login("auditor"), world.login("district")):
        problem(reader.post(f"{url}/preview", json=body), 403, "forbidden")


def test_roles_that_may_not_see_names_get_a_masked_preview_only(world: World) -> None:
    clerk = world.login("clerk")
    case = world.register(clerk)
    notice = clerk.post(f"/api/v1/cases/{case['id']}/notices", json={"kind": "receipt"}).json()
    base = f"/api/v1/cases/{case['id']}/notices/{notice['id']}"
    for reader in (world.login("auditor"), world.login("district")):
        listed = reader.get(f"/api/v1/cases/{case['id']}/notices")
        assert (
            listed.status_code == 200 and listed.json()["issued"][0]["number"] == notice["number"]
        )
        preview = reader.get(f"{base}.html")
        assert preview.status_code == 200 and "张*：" in preview.text and "张三" not in preview.text
        shown = reader.get(base).json()
        assert "张三" not in "".join(shown["text"])
        for original in (".docx", ".pdf"):
            problem(reader.get(base + original), 403, "forbidden")
        problem(reader.post(f"/api/v1/cases/{case['id']}/notices", json={"kind": "receipt"}), 403)


def test_pdf_download(world: World) -> None:
    if not pdf.available():
        if REQUIRE_SERVICES:
            pytest.fail("CASEWORK_REQUIRE_SERVICES=1 but LibreOffice (soffice) is not installed")
        pytest.skip("LibreOffice (soffice) not installed")
    clerk = world.login("clerk")
    case = world.register(clerk)
    notice = clerk.post(f"/api/v1/cases/{case['id']}/notices", json={"kind": "receipt"}).json()
    answer = clerk.get(f"/api/v1/cases/{case['id']}/notices/{notice['id']}.pdf", timeout=120)
    assert answer.status_code == 200, answer.text
    assert answer.headers["content-type"] == "application/pdf" and answer.content.startswith(
        b"%PDF-"
    )


def test_without_libreoffice_pdf_is_a_422_problem(
    world: World, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    clerk = world.login("clerk")
    case = world.register(clerk)
    notice = clerk.post(f"/api/v1/cases/{case['id']}/notices", json={"kind": "receipt"}).json()
    empty = tmp_path / "bin"
    empty.mkdir()
    monkeypatch.setenv("PATH", str(empty))  # the second server finds no soffice
    with running_server(world.server.db_url, tmp_path) as bare:
        client = httpx.Client(base_url=bare.url, headers=dict(clerk.headers), timeout=30)
        answer = client.get(f"/api/v1/cases/{case['id']}/notices/{notice['id']}.pdf")
        body = problem(answer, 422, "pdf-unavailable")
        assert "LibreOffice" in body["detail"] and body["title"] == "无法生成 PDF"
        assert (
            client.get(f"/api/v1/cases/{case['id']}/notices/{notice['id']}.docx").status_code == 200
        )


def test_a_notice_issued_long_after_its_step_is_flagged_as_back_dated(world: World) -> None:
    clerk = world.login("clerk")
    old = world.register(clerk, submitted_on="2026-09-01")
    late = clerk.post(f"/api/v1/cases/{old['id']}/notices", json={"kind": "receipt"})
    assert late.status_code == 201, late.text
    notice = late.json()
    assert notice["dated"] == "2026-09-01" and "〔2026〕" in notice["number"]
    assert len(notice["warnings"]) == 1 and "倒签" in notice["warnings"][0]
    timely = world.register(clerk)
    answer = clerk.post(f"/api/v1/cases/{timely['id']}/notices", json={"kind": "receipt"}).json()
    assert answer["warnings"] == []
    assert clerk.get(f"/api/v1/cases/{old['id']}/notices/{notice['id']}").json()["warnings"] == []
