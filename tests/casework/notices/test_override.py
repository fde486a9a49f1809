"""An agency's own templates: a version of their own, used for new notices only; old notices
re-render with the template version they were issued with."""

from __future__ import annotations

import io

import pytest
from docx import Document
from sqlalchemy import Engine
from sqlmodel import Session, select

from casework.db import unit_of_work
from casework.errors import Invalid
from casework.models import NoticeTemplate
from casework.notices import library, service
from casework.notices.kinds import NoticeKind
from casework.notices.render import sha256
from casework.services.directory import agency_by_code
from tests.casework.notices.support import docx_text
from tests.casework.services.helpers import act, agency, register
from workflows.roles import Actor, ActorKind, Role

CLERK = Actor(ActorKind.USER, "wang", frozenset({Role.CLERK}))


def edited(line: str) -> bytes:
    """The built-in reply template as a clerk edits it in Word: one more paragraph."""
    document = Document(io.BytesIO(library.builtin(NoticeKind.REPLY).docx))
    document.add_paragraph(line)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def _replied(engine: Engine, ref: str, code: str = "zhz") -> int:
    with unit_of_work(engine) as s:
        case = register(s, ref, "2025-09-22", code=code)
        act(s, case, "reply", "2025-10-09", outcome="disclosed")
        return case.id or 0


def test_an_agency_template_is_used_versioned_and_old_notices_keep_theirs(engine: Engine) -> None:
    with unit_of_work(engine) as s:
        agency(s)
        agency(s, "other")
    before = _replied(engine, "A")
    with unit_of_work(engine) as s:
        old = service.issue_notice(s, before, NoticeKind.REPLY, CLERK)
        old_docx = service.render_notice_docx(s, old)
        v1 = library.set_override(s, agency_by_code(s, "zhz"), NoticeKind.REPLY,
                                  edited("（第一版：加盖本机关印章）"), "admin", "印章位置")  # fmt: skip
    first = _replied(engine, "B")
    with unit_of_work(engine) as s:
        under_v1 = service.issue_notice(s, first, NoticeKind.REPLY, CLERK)
        library.set_override(s, agency_by_code(s, "zhz"), NoticeKind.REPLY,
                             edited("（第二版：附送达回证）"), "admin", None)  # fmt: skip
    second = _replied(engine, "C")
    elsewhere = _replied(engine, "D", code="other")
    with unit_of_work(engine) as s:
        under_v2 = service.issue_notice(s, second, NoticeKind.REPLY, CLERK)
        builtin = service.issue_notice(s, elsewhere, NoticeKind.REPLY, CLERK)
    with Session(engine) as s:
        assert (old.template_version, old.template_override_id) == (1, None)
        assert (under_v1.template_version, under_v1.template_override_id) == (1, v1.id)
        assert under_v2.template_version == 2 and under_v2.template_override_id not in (None, v1.id)
        assert builtin.template_override_id is None  # another agency is not affected
        assert service.render_notice_docx(s, old) == old_docx
        texts = {n.number: docx_text(service.render_notice_docx(s, n))
                 for n in (old, under_v1, under_v2, builtin)}  # fmt: skip
        for n in (old, under_v1, under_v2, builtin):
            assert sha256(service.render_notice_docx(s, n)) == n.content_hash
    assert "第一版" not in texts[old.number] and "第二版" not in texts[old.number]
    assert "第一版" in texts[under_v1.number] and "第二版" not in texts[under_v1.number]
    assert "第二版" in texts[under_v2.number]
    assert "第一版" not in texts[builtin.number] and "第二版" not in texts[builtin.number]


def test_going_back_to_the_built_in_template_keeps_the_versions(engine: Engine) -> None:
    with unit_of_work(engine) as s:
        agency(s)
        library.set_override(
            s, agency_by_code(s, "zhz"), NoticeKind.REPLY, edited("本机关版"), "admin", None
        )
    first = _replied(engine, "A")
    with unit_of_work(engine) as s:
        mine = service.issue_notice(s, first, NoticeKind.REPLY, CLERK)
        assert library.reset_override(s, agency_by_code(s, "zhz"), NoticeKind.REPLY)
        assert not library.reset_override(s, agency_by_code(s, "zhz"), NoticeKind.REPLY)
    second = _replied(engine, "B")
    with unit_of_work(engine) as s:
        back = service.issue_notice(s, second, NoticeKind.REPLY, CLERK)
        assert back.template_override_id is None
        assert "本机关版" in docx_text(service.render_notice_docx(s, mine))
        assert "本机关版" not in docx_text(service.render_notice_docx(s, back))
        assert len(s.exec(select(NoticeTemplate)).all()) == 1


def test_a_template_that_cannot_render_is_refused_and_not_stored(engine: Engine) -> None:
    with unit_of_work(engine) as s:
        agency(s)
    for bad, complaint in ((edited("{{ applicant_phone }}"), "applicant_phone"),
                           (edited("{% if %}"), "模板有误"),
                           (b"not a docx", "不是有效的 DOCX")):  # fmt: skip
        with pytest.raises(Invalid) as refused, unit_of_work(engine) as s:
            library.set_override(s, agency_by_code(s, "zhz"), NoticeKind.REPLY, bad, "admin", None)
        assert complaint in str(refused.value)
    with Session(engine) as s:
        assert s.exec(select(NoticeTemplate)).all() == []
