"""The case file (案卷): one ZIP with the request, every notice, the attachments (withdrawn
ones marked) and the event history, a manifest of SHA-256s that match the bytes, and a PDF
cover list that names every document — what goes to a reconsideration body or a court."""

from __future__ import annotations

import hashlib
import io
import json
import zipfile
from datetime import datetime
from pathlib import Path

import pytest
from pypdf import PdfReader
from sqlalchemy import Engine
from sqlmodel import Session

from casework.attachments.intake import IntakePolicy, receive
from casework.attachments.scan import ScanPolicy
from casework.attachments.store import Store
from casework.attachments.types import TYPE_BY_NAME
from casework.casefile.archive import COVER, MANIFEST, cover_only, may_export, write_case_file
from casework.db import unit_of_work
from casework.errors import Forbidden
from casework.models import Case
from casework.notices.service import issue_notice
from casework.services import attachments
from casework.timeutil import CHINA
from tests.casework.attachments import samples
from tests.casework.services.helpers import act, agency, register
from workflows.roles import Actor, ActorKind, Role

CLERK = Actor(ActorKind.USER, "wang", frozenset({Role.CLERK}), user_id=None)
POLICY = IntakePolicy(1024 * 1024, frozenset(TYPE_BY_NAME), ScanPolicy())
MADE_AT = datetime(2026, 11, 26, 10, 0, tzinfo=CHINA)


@pytest.fixture
def store(tmp_path: Path) -> Store:
    return Store(tmp_path / "attachments")


def _attach(engine: Engine, store: Store, case_id: int, data: bytes, name: str, kind: str) -> int:
    details = attachments.Details(kind, name)
    with Session(engine) as s:
        vetted = attachments.vet(s, case_id, details, CLERK)
    with unit_of_work(engine) as s:
        staged = receive(store, [data], POLICY.max_bytes)
        return attachments.attach(s, store, POLICY, vetted, staged, CLERK).id or 0


@pytest.fixture
def case_id(engine: Engine, store: Store) -> int:
    """Received, a correction asked and returned, then partly disclosed and delivered; three
    notices issued, a request scan and a service receipt attached, one withdrawn."""
    with unit_of_work(engine) as s:
        agency(s)
        case = register(s, "2026-007", "2026-10-12")
        act(s, case, "request_correction", "2026-10-14", items=["请说明所需文件的名称"])
        issue_notice(s, case.id or 0, "correction", CLERK)
        act(s, case, "receive_correction", "2026-10-20")
        act(s, case, "reply", "2026-11-02", outcome="partially_disclosed",
            basis="《中华人民共和国政府信息公开条例》第三十七条")  # fmt: skip
        issue_notice(s, case.id or 0, "reply", CLERK)
        act(s, case, "deliver", "2026-11-03", method="post")
        assert case.id is not None
        case_id = case.id
    _attach(engine, store, case_id, samples.pdf("scan"), "申请书扫描件.pdf", "request_scan")
    wrong = _attach(engine, store, case_id, samples.png(), "错传.png", "other")
    _attach(engine, store, case_id, samples.pdf("receipt"), "挂号信回执.pdf", "service_evidence")
    with unit_of_work(engine) as s:
        attachments.withdraw(s, case_id, wrong, "上传错了案件", CLERK)
    return case_id


def _export(engine: Engine, store: Store, case_id: int) -> zipfile.ZipFile:
    out = io.BytesIO()
    with Session(engine) as s:
        write_case_file(s, store, s.get_one(Case, case_id), out, MADE_AT)
    return zipfile.ZipFile(io.BytesIO(out.getvalue()))


def test_the_case_file_holds_every_document_with_matching_hashes(
    engine: Engine, store: Store, case_id: int
) -> None:
    archive = _export(engine, store, case_id)
    names = archive.namelist()
    root = "案卷-2026-007/"
    assert all(n.startswith(root) for n in names), names
    inside = [n.removeprefix(root) for n in names]
    notices = [n for n in inside if n.startswith("02-告知书/")]
    assert len(notices) == 2 and all(n.endswith(".docx") for n in notices), inside
    assert any("补正告知书" in n for n in notices) and any("答复" in n for n in notices), notices
    files = [n for n in inside if n.startswith("03-附件/")]
    assert len(files) == 3 and sum("（已撤回）" in n for n in files) == 1, files
    assert "01-申请/登记信息.txt" in inside and "04-办理记录/办理记录.csv" in inside
    assert COVER in inside and MANIFEST in inside
    registration = archive.read(root + "01-申请/登记信息.txt").decode()
    assert "收到申请之日（条例第三十一条）：2026-10-12" in registration
    history = archive.read(root + "04-办理记录/办理记录.csv").decode("utf-8-sig")
    assert history.count("\n") == 1 + 5  # the header and five events
    assert "补正" in history and "送达" in history
    manifest = json.loads(archive.read(root + MANIFEST))
    assert manifest["case"] == "2026-007"
    listed = {f["path"]: f for f in manifest["files"]}
    assert set(listed) == set(inside) - {MANIFEST}
    for path, entry in listed.items():
        data = archive.read(root + path)
        assert hashlib.sha256(data).hexdigest() == entry["sha256"], path
        assert len(data) == entry["size"], path
    scan = next(n for n in files if "申请书扫描件" in n)
    assert archive.read(root + scan) == samples.pdf("scan")  # the bytes as attached


def test_the_cover_list_names_every_document(engine: Engine, store: Store, case_id: int) -> None:
    archive = _export(engine, store, case_id)
    cover = archive.read("案卷-2026-007/" + COVER)
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(cover)).pages)
    compact = "".join(text.split())
    assert "卷内目录" in compact and "2026-007" in compact and "部分公开" in compact
    assert "补正告知书" in compact and "挂号信回执.pdf" in compact and "已撤回" in compact
    assert "共8件" in compact  # registration, 2 notices, 3 attachments, history as CSV and JSON
    with Session(engine) as s:
        alone = cover_only(s, store, s.get_one(Case, case_id), MADE_AT.date())
    assert alone == cover  # the same document, byte for byte (no time stamp inside)


def test_only_the_agency_s_clerks_and_approvers_export_it() -> None:
    for roles in ({Role.CLERK}, {Role.APPROVER}):
        may_export(Actor(ActorKind.USER, "u", frozenset(roles), user_id=1), supervising=False)
    for roles, supervising in (
        ({Role.AUDITOR}, False),
        ({Role.ADMIN}, False),
        ({Role.APPROVER}, True),
    ):
        with pytest.raises(Forbidden, match="个人信息"):
            may_export(
                Actor(ActorKind.USER, "u", frozenset(roles), user_id=1), supervising=supervising
            )


def test_the_file_is_dated_by_china_s_calendar(engine: Engine, store: Store, case_id: int) -> None:
    """Made at 01:30 China time on 11-27 (17:30 UTC on 11-26): 立卷日期 is the 27th, and so is
    the date of a file attached at that moment."""
    from datetime import UTC

    late = datetime(2026, 11, 26, 17, 30, tzinfo=UTC)
    out = io.BytesIO()
    with Session(engine) as s:
        write_case_file(s, store, s.get_one(Case, case_id), out, late)
    archive = zipfile.ZipFile(io.BytesIO(out.getvalue()))
    manifest = json.loads(archive.read("案卷-2026-007/" + MANIFEST))
    assert [f["dated"] for f in manifest["files"] if f["path"] == COVER] == ["2026-11-27"]
    text = "".join(
        p.extract_text()
        for p in PdfReader(io.BytesIO(archive.read("案卷-2026-007/" + COVER))).pages
    )
    assert "立卷日期：2026-11-27" in "".join(text.split()).replace("　", "")
