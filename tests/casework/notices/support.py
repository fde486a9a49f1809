"""Shared by the notice tests: replayed histories, issuing every offered notice, reading a
DOCX back with python-docx."""

from __future__ import annotations

import io
import shutil
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from docx import Document
from sqlalchemy import Engine, text
from sqlalchemy.engine import make_url
from sqlmodel import Session, col, select

from casework.db import make_engine, unit_of_work
from casework.models import Case, Notice
from casework.notices import service
from casework.notices.kinds import NoticeKind
from casework.services.replay import load_file, replay
from casework.services.snapshots import context_for
from tests.conftest import POSTGRES_URL, _admin_engine
from workflows.roles import Actor

EXAMPLES = Path(__file__).resolve().parents[3] / "examples"
TODAY = date(2026, 11, 26)
ISSUER = Actor.replay("notice-test")
DECISION = {"content": "某养老服务中心的收费标准和床位数", "reasons": "涉及老年人切身利益，不公开可能对公共利益造成重大影响"}  # fmt: skip


@contextmanager
def database(request: pytest.FixtureRequest, backend: str, folder: Path) -> Iterator[Engine]:
    """A migrated, empty database of `backend` for a longer-lived fixture than `engine`
    (copied from the session's template database, as tests/conftest.py does)."""
    if backend == "sqlite":
        template: Path = request.getfixturevalue("_sqlite_template")
        path = folder / f"{uuid.uuid4().hex[:8]}.sqlite"
        shutil.copyfile(template, path)
        engine = make_engine(f"sqlite:///{path}")
        yield engine
        engine.dispose()
        return
    template_name: str = request.getfixturevalue("_postgres_template")
    name = f"casework_n_{uuid.uuid4().hex[:12]}"
    admin = _admin_engine()
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}" TEMPLATE "{template_name}"'))
    assert POSTGRES_URL
    engine = make_engine(make_url(POSTGRES_URL).set(database=name).render_as_string(False))
    try:
        yield engine
    finally:
        engine.dispose()
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def replayed(engine: Engine, name: str) -> None:
    with unit_of_work(engine) as session:
        replay(session, load_file(EXAMPLES / name), TODAY, TODAY)


def cn(day: date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


def docx_text(data: bytes) -> str:
    """The document's text, read back with python-docx (paragraphs, then table cells)."""
    document = Document(io.BytesIO(data))
    lines = [p.text for p in document.paragraphs]
    for table in document.tables:
        lines += [cell.text for row in table.rows for cell in row.cells]
    return "\n".join(lines)


@dataclass(frozen=True)
class IssuedNotice:
    case: Case
    notice: Notice
    docx: bytes


def issue_everything(engine: Engine) -> list[IssuedNotice]:
    """Issue every notice that the cases' steps offer (a decision notice with its texts)."""
    with unit_of_work(engine) as session:
        cases = session.exec(select(Case).order_by(col(Case.id))).all()
        for case in cases:
            assert case.id is not None
            for offer in service.offers(session, context_for(session, case)):
                fields: dict[str, Any] = DECISION if offer.needs_fields else {}
                service.issue_notice(session, case.id, offer.kind, ISSUER, event_seq=offer.event.seq,
                                     recipient=offer.recipient or None, fields=fields)  # fmt: skip
    out = []
    with Session(engine) as session:
        for notice in session.exec(select(Notice).order_by(col(Notice.id))).all():
            case = session.get(Case, notice.case_id)
            assert case is not None
            out.append(IssuedNotice(case, notice, service.render_notice_docx(session, notice)))
    return out


def of_kind(issued: list[IssuedNotice], kind: NoticeKind) -> list[IssuedNotice]:
    return [i for i in issued if i.notice.kind == kind.value]
