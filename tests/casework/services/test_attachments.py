"""Attachments through the core service, on both databases: recorded with who and when,
kept once per content, withdrawn without losing anything, listed with the case (masked for a
district office), and streamed out for the case file."""

from __future__ import annotations

import hashlib
import io
import zipfile
from pathlib import Path

import pytest
from sqlalchemy import Engine, text
from sqlalchemy.exc import DBAPIError
from sqlmodel import Session, select

from casework.attachments.intake import IntakePolicy, receive
from casework.attachments.scan import ScanPolicy
from casework.attachments.store import Store
from casework.attachments.types import TYPE_BY_NAME
from casework.db import unit_of_work
from casework.errors import Conflict, Forbidden, Infected, Invalid, NotFound, UnsupportedType
from casework.models import Attachment, AttachmentWithdrawal, Case, CaseEvent
from casework.services import attachments as service
from casework.services.queries import case_detail
from tests.casework.attachments import samples
from tests.casework.services.helpers import TODAY, act, agency, register
from workflows.roles import Actor, ActorKind, Role

CLERK = Actor(ActorKind.USER, "wang", frozenset({Role.CLERK}))
AUDITOR = Actor(ActorKind.USER, "chen", frozenset({Role.AUDITOR}))
POLICY = IntakePolicy(1024 * 1024, frozenset(TYPE_BY_NAME), ScanPolicy())


@pytest.fixture
def store(tmp_path: Path) -> Store:
    return Store(tmp_path / "attachments")


@pytest.fixture
def case_id(engine: Engine) -> int:
    with unit_of_work(engine) as s:
        agency(s)
        case = register(s, "2026-001", "2026-11-20")
        act(s, case, "reply", "2026-11-24", outcome="disclosed")
        act(s, case, "deliver", "2026-11-25", method="post")
        assert case.id is not None
        return case.id


def _attach(
    engine: Engine,
    store: Store,
    case_id: int,
    data: bytes,
    name: str,
    kind: str = "service_evidence",
    actor: Actor = CLERK,
    policy: IntakePolicy = POLICY,
    **extra: object,
) -> Attachment:
    details = service.Details(kind, name, **extra)  # type: ignore[arg-type]
    with Session(engine) as s:
        vetted = service.vet(s, case_id, details, actor)
    with unit_of_work(engine) as s:
        staged = receive(store, [data], policy.max_bytes)
        return service.attach(s, store, policy, vetted, staged, actor)


def _stored(store: Store) -> list[Path]:
    return sorted(p for p in store.root.rglob("*") if p.is_file())


def test_an_attachment_is_recorded_with_who_when_and_its_event(
    engine: Engine, store: Store, case_id: int
) -> None:
    row = _attach(engine, store, case_id, samples.pdf(), "送达回证.pdf", note="挂号信", event_seq=3)
    with Session(engine) as s:
        item = service.one(s, case_id, row.id or 0)
        event = s.exec(
            select(CaseEvent).where(CaseEvent.case_id == case_id, CaseEvent.seq == 3)
        ).one()
        version = s.get_one(Case, case_id).version
    a = item.attachment
    assert (a.kind, a.filename, a.media_type, a.size) == (
        "service_evidence", "送达回证.pdf", "application/pdf", len(samples.pdf()))  # fmt: skip
    assert a.sha256 == hashlib.sha256(samples.pdf()).hexdigest()
    assert (a.uploaded_by, a.note, a.scan) == ("wang", "挂号信", "not_scanned")
    assert a.uploaded_at.tzinfo is not None and item.withdrawal is None
    assert event.action == "deliver"  # the link names the delivery the receipt proves
    assert version == 3  # attaching is not an event: the case is not changed


def test_the_same_bytes_twice_are_two_attachments_and_one_file(
    engine: Engine, store: Store, case_id: int
) -> None:
    first = _attach(engine, store, case_id, samples.png(), "回执正面.png")
    second = _attach(engine, store, case_id, samples.png(), "回执副本.png", kind="other")
    assert first.id != second.id and first.sha256 == second.sha256
    assert len(_stored(store)) == 1


@pytest.mark.parametrize(
    ("data", "name", "error"),
    [
        (samples.png(), "回证.pdf", UnsupportedType),
        (samples.exe(), "回证.pdf", UnsupportedType),
        (samples.EICAR, "eicar.txt", Infected),
    ],
)
def test_a_refused_file_leaves_no_row_and_no_bytes(
    engine: Engine, store: Store, case_id: int, tmp_path: Path, data: bytes, name: str,
    error: type[Exception],
) -> None:  # fmt: skip
    scanning = IntakePolicy(
        1024 * 1024, frozenset(TYPE_BY_NAME), ScanPolicy(samples.scanner(tmp_path))
    )
    with pytest.raises(error):
        _attach(engine, store, case_id, data, name, policy=scanning)
    with Session(engine) as s:
        assert s.exec(select(Attachment)).all() == []
    assert _stored(store) == []


def test_bad_fields_are_refused_before_anything_is_kept(
    engine: Engine, store: Store, case_id: int
) -> None:
    with pytest.raises(Invalid, match="未知的附件类别“photo”") as refused:
        _attach(engine, store, case_id, samples.pdf(), "a.pdf", kind="photo")
    assert refused.value.field == "kind"
    with pytest.raises(Invalid, match="本案没有第 9 项办理记录"):
        _attach(engine, store, case_id, samples.pdf(), "a.pdf", event_seq=9)
    with pytest.raises(Invalid, match="备注不能超过 2000 字"):
        _attach(engine, store, case_id, samples.pdf(), "a.pdf", note="长" * 2001)
    with Session(engine) as s:
        assert s.exec(select(Attachment)).all() == []
    assert _stored(store) == []


def test_only_clerks_and_approvers_attach(engine: Engine, store: Store, case_id: int) -> None:
    with pytest.raises(Forbidden, match="经办人或负责人"):
        _attach(engine, store, case_id, samples.pdf(), "a.pdf", actor=AUDITOR)
    with pytest.raises(NotFound, match="没有编号为 99999 的案件"):
        _attach(engine, store, 99999, samples.pdf(), "a.pdf")


def test_withdrawing_keeps_the_record_and_the_bytes(
    engine: Engine, store: Store, case_id: int
) -> None:
    row = _attach(engine, store, case_id, samples.pdf(), "错传的文件.pdf")
    with unit_of_work(engine) as s:
        service.withdraw(s, case_id, row.id or 0, "上传错误，应为另一案件的材料", CLERK)
    with Session(engine) as s:
        item = service.one(s, case_id, row.id or 0)
    assert item.withdrawal is not None and item.withdrawal.reason == "上传错误，应为另一案件的材料"
    assert item.attachment.filename == "错传的文件.pdf"
    assert store.path_of(row.sha256).read_bytes() == samples.pdf()
    with (
        pytest.raises(Conflict, match=f"附件 {row.id} 已于 2026-.* 由 wang 撤回"),
        unit_of_work(engine) as s,
    ):
        service.withdraw(s, case_id, row.id or 0, "再撤一次", CLERK)
    with pytest.raises(Invalid, match="请说明撤回附件的理由"), unit_of_work(engine) as s:
        service.withdraw(s, case_id, row.id or 0, "  ", CLERK)
    with pytest.raises(Forbidden), unit_of_work(engine) as s:
        service.withdraw(s, case_id, row.id or 0, "x", AUDITOR)


def test_an_attachment_of_another_case_is_not_found_through_this_one(
    engine: Engine, store: Store, case_id: int
) -> None:
    row = _attach(engine, store, case_id, samples.pdf(), "a.pdf")
    with unit_of_work(engine) as s:
        other = register(s, "2026-002", "2026-11-20")
    with pytest.raises(NotFound, match=f"本案没有编号为 {row.id} 的附件"), Session(engine) as s:
        service.one(s, other.id or 0, row.id or 0)


def test_attachment_records_are_append_only_in_the_database(
    engine: Engine, store: Store, case_id: int
) -> None:
    row = _attach(engine, store, case_id, samples.pdf(), "a.pdf")
    with unit_of_work(engine) as s:
        service.withdraw(s, case_id, row.id or 0, "理由", CLERK)
    for statement in (
        "UPDATE attachment SET filename = 'x.pdf'",
        "DELETE FROM attachment",
        "UPDATE attachment_withdrawal SET reason = 'x'",
        "DELETE FROM attachment_withdrawal",
    ):
        with pytest.raises(DBAPIError, match="append-only"), engine.begin() as conn:
            conn.execute(text(statement))
    with Session(engine) as s:
        assert s.exec(select(Attachment.filename)).one() == "a.pdf"
        assert s.exec(select(AttachmentWithdrawal.reason)).one() == "理由"


def test_the_case_detail_lists_attachments_masked_for_a_district_office(
    engine: Engine, store: Store, case_id: int
) -> None:
    _attach(
        engine,
        store,
        case_id,
        samples.pdf(),
        "张三身份证.pdf",
        kind="request_scan",
        note="张三本人提交",
    )
    with Session(engine) as s:
        case = s.get_one(Case, case_id)
        clerk_view = case_detail(s, case, CLERK, TODAY)["attachments"]
        district = Actor(ActorKind.USER, "zhao", frozenset(), 7)
        office_view = case_detail(s, case, district, TODAY, supervising=True)["attachments"]
    assert [(a["filename"], a["kind_label"], a["note"]) for a in clerk_view] == [
        ("张三身份证.pdf", "申请材料扫描件", "张三本人提交")]  # fmt: skip
    (masked,) = office_view
    assert masked["filename"] == f"申请材料扫描件-{masked['id']}.pdf" and masked["note"] is None
    assert "张三" not in str(office_view)
    assert masked["sha256"] == clerk_view[0]["sha256"]


def test_files_stream_out_for_the_case_file_archive(
    engine: Engine, store: Store, case_id: int
) -> None:
    big = ("信息" * 100_000).encode()  # 600 KB: several chunks
    kept = _attach(engine, store, case_id, big, "公开的信息.txt", kind="provided_information")
    withdrawn = _attach(engine, store, case_id, samples.png(), "错的.png", kind="other")
    with unit_of_work(engine) as s:
        service.withdraw(s, case_id, withdrawn.id or 0, "错传", CLERK)
    out = io.BytesIO()
    with Session(engine) as s, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for item, chunks in service.files_of(s, store, case_id):
            with archive.open(service.archive_name(item), "w") as entry:
                for chunk in chunks:
                    assert len(chunk) <= 64 * 1024  # never the whole file at once
                    entry.write(chunk)
    with zipfile.ZipFile(out) as archive:
        assert archive.namelist() == [
            f"附件/{kept.id:03d}-提供的政府信息-公开的信息.txt",
            f"附件/{withdrawn.id:03d}-其他材料（已撤回）-错的.png",
        ]
        assert archive.read(archive.namelist()[0]) == big
    with Session(engine) as s:
        current = [
            item.id for item, _ in service.files_of(s, store, case_id, include_withdrawn=False)
        ]
    assert current == [kept.id]
