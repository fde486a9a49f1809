"""Issuing a notice: which step it belongs to, who may issue it, what it refuses, and that it
records a step without being one (no event, no new case version)."""

from __future__ import annotations

import threading
from datetime import date

import pytest
from sqlalchemy import Engine
from sqlmodel import Session, select

from casework.db import unit_of_work
from casework.errors import Conflict, Forbidden, Invalid
from casework.models import Case, CaseEvent, Notice
from casework.notices import service
from casework.notices.kinds import NoticeKind
from tests.casework.notices.support import cn, docx_text
from tests.casework.services.helpers import REPLAY, act, agency, register
from workflows.outcomes import OUTCOME_BY_CODE, REPLY_OUTCOMES
from workflows.roles import Actor, ActorKind, Role

CLERK = Actor(ActorKind.USER, "wang", frozenset({Role.CLERK}))
AUDITOR = Actor(ActorKind.USER, "chen", frozenset({Role.AUDITOR}))


def _case(engine: Engine) -> Case:
    with unit_of_work(engine) as s:
        agency(s)
        return register(s, "A", "2025-09-22")


def test_an_issue_records_who_when_which_step_and_template(engine: Engine) -> None:
    case = _case(engine)
    with unit_of_work(engine) as s:
        act(s, case, "request_correction", "2025-09-24", period_wd=10, items=["请写明文件名称"])
        notice = service.issue_notice(s, case.id or 0, "correction", CLERK)
        number = notice.number
    with Session(engine) as s:
        stored = s.exec(select(Notice)).one()
        event = s.get_one(CaseEvent, stored.event_id)
        assert (event.action, event.seq) == ("request_correction", 2)
        assert stored.number == number == "测试机关zhz公开补〔2025〕1号"
        assert (stored.kind, stored.template_kind, stored.template_version) == (
            "correction",
            "correction",
            1,
        )
        assert stored.template_override_id is None and stored.issued_by_name == "wang"
        assert stored.context["items"] == ["请写明文件名称"] and stored.context["step"] == 2
        assert s.get_one(Case, case.id).version == 2  # the notice is no event of the case
        assert len(s.exec(select(CaseEvent)).all()) == 2
        text = docx_text(service.render_notice_docx(s, stored))
    assert "1. 请写明文件名称" in text and cn(event.effective_on) in text


def test_a_notice_is_issued_once_per_step(engine: Engine) -> None:
    case = _case(engine)
    with unit_of_work(engine) as s:
        first = service.issue_notice(s, case.id or 0, NoticeKind.RECEIPT, CLERK).number
    with pytest.raises(Conflict) as again, unit_of_work(engine) as s:
        service.issue_notice(s, case.id or 0, NoticeKind.RECEIPT, CLERK)
    assert "已出具" in str(again.value) and first in str(again.value)


def test_only_a_clerk_or_approver_issues(engine: Engine) -> None:
    case = _case(engine)
    for actor in (AUDITOR, Actor.system()):
        with pytest.raises(Forbidden) as refused, unit_of_work(engine) as s:
            service.issue_notice(s, case.id or 0, NoticeKind.RECEIPT, actor)
        assert "经办人或负责人" in str(refused.value)
    with Session(engine) as s:
        assert s.exec(select(Notice)).all() == []


def test_a_notice_no_step_calls_for_is_refused(engine: Engine) -> None:
    case = _case(engine)
    with pytest.raises(Invalid) as refused, unit_of_work(engine) as s:
        service.issue_notice(s, case.id or 0, NoticeKind.REPLY, CLERK)
    assert "尚无应出具政府信息公开申请答复告知书的办理步骤" in str(refused.value)
    with pytest.raises(Invalid) as unknown, unit_of_work(engine) as s:
        service.issue_notice(s, case.id or 0, "letter", CLERK)
    assert "未知的告知书类型" in str(unknown.value)


def test_fields_are_checked_per_kind(engine: Engine) -> None:
    case = _case(engine)
    with pytest.raises(Invalid) as wrong, unit_of_work(engine) as s:
        service.issue_notice(s, case.id or 0, NoticeKind.RECEIPT, CLERK, fields={"details": "x"})
    assert "不接受字段 details" in str(wrong.value)
    with unit_of_work(engine) as s:
        act(s, case, "request_correction", "2025-09-24", period_wd=10)
    with pytest.raises(Invalid) as empty, unit_of_work(engine) as s:
        service.issue_notice(s, case.id or 0, NoticeKind.CORRECTION, CLERK, fields={"items": []})
    assert "补正事项不能为空" in str(empty.value)


def test_each_consulted_party_gets_its_own_letter(engine: Engine) -> None:
    case = _case(engine)
    with unit_of_work(engine) as s:
        act(s, case, "start_consultation", "2025-09-24", parties=["甲公司", "乙公司"])
    with pytest.raises(Invalid) as which, unit_of_work(engine) as s:
        service.issue_notice(s, case.id or 0, NoticeKind.CONSULTATION, CLERK)
    assert "甲公司、乙公司" in str(which.value)
    with unit_of_work(engine) as s:
        first = service.issue_notice(s, case.id or 0, "consultation", CLERK, recipient="乙公司")
        second = service.issue_notice(s, case.id or 0, "consultation", CLERK)  # the one left
        assert (first.recipient, second.recipient) == ("乙公司", "甲公司")
        assert first.number != second.number
        assert "乙公司：" in docx_text(service.render_notice_docx(s, first)).splitlines()


def test_a_disclosure_over_an_objection_needs_its_content_and_reasons(engine: Engine) -> None:
    case = _case(engine)
    with unit_of_work(engine) as s:
        act(s, case, "start_consultation", "2025-09-24", parties=["甲公司", "乙公司"])
        act(s, case, "receive_opinion", "2025-09-26", party="甲公司", opinion="consent")
        act(s, case, "receive_opinion", "2025-09-29", party="乙公司", opinion="objection")
        act(s, case, "reply", "2025-10-09", outcome="disclosed")
    with Session(engine) as s:
        from casework.services.snapshots import context_for

        offers = service.offers(s, context_for(s, s.get_one(Case, case.id)))
        decisions = [o for o in offers if o.kind is NoticeKind.DISCLOSURE_DECISION]
    assert [o.recipient for o in decisions] == ["乙公司"]  # the one that agreed is not told
    with pytest.raises(Invalid) as missing, unit_of_work(engine) as s:
        service.issue_notice(s, case.id or 0, NoticeKind.DISCLOSURE_DECISION, CLERK)
    assert "content" in str(missing.value) and "reasons" in str(missing.value)
    with unit_of_work(engine) as s:
        notice = service.issue_notice(s, case.id or 0, NoticeKind.DISCLOSURE_DECISION, CLERK,
                                      fields={"content": "某协议全文", "reasons": "涉及重大公共利益"})  # fmt: skip
        text = docx_text(service.render_notice_docx(s, notice))
    assert "你方不同意公开" in text and "某协议全文" in text and "涉及重大公共利益" in text


@pytest.mark.parametrize("code", REPLY_OUTCOMES)
def test_every_reply_outcome_has_its_finding_basis_and_remedy(engine: Engine, code: str) -> None:
    case = _case(engine)
    with unit_of_work(engine) as s:
        act(s, case, "reply", "2025-10-09", outcome=code, form="纸质")
        notice = service.issue_notice(s, case.id or 0, NoticeKind.REPLY, CLERK,
                                      fields={"details": "具体说明", "competent_agency": "某局（电话 12345）"})  # fmt: skip
        text = docx_text(service.render_notice_docx(s, notice))
    outcome = OUTCOME_BY_CODE[code]
    assert f"法律依据：{outcome.basis}。" in text
    assert "具体说明" in text and "提供形式：纸质。" in text and "某局（电话 12345）" in text
    review_first = code.startswith("withheld.") or code == "partially_disclosed"
    assert ("应当先向行政复议机关申请行政复议" in text) is review_first
    assert (
        "或者自收到本告知书之日起六个月内依法向人民法院提起行政诉讼" in text
    ) is not review_first
    assert "六十日内" in text


def test_a_voided_case_offers_nothing_more(engine: Engine) -> None:
    case = _case(engine)
    with unit_of_work(engine) as s:
        act(s, case, "void", "2025-09-23", reason="重复登记")
    with pytest.raises(Invalid), unit_of_work(engine) as s:
        service.issue_notice(s, case.id or 0, NoticeKind.RECEIPT, REPLAY)


def test_an_extension_names_its_approver(engine: Engine) -> None:
    from casework.services.directory import add_user, agency_by_code, grant

    case = _case(engine)
    with unit_of_work(engine) as s:
        user = add_user(s, "li", "李科长")
        grant(s, user, agency_by_code(s, "zhz"), Role.APPROVER)
        approver = Actor(ActorKind.USER, "li", frozenset({Role.APPROVER}), user.id)
        act(s, case, "extend", "2025-10-15", actor=approver, days_wd=10, reason="需调取档案")
        notice = service.issue_notice(s, case.id or 0, NoticeKind.EXTENSION, CLERK)
        text = docx_text(service.render_notice_docx(s, notice))
    assert "负责人李科长同意" in text and "因需调取档案" in text


def test_the_preview_for_a_masked_role_hides_the_applicants_name(engine: Engine) -> None:
    case = _case(engine)
    with unit_of_work(engine) as s:
        notice = service.issue_notice(s, case.id or 0, NoticeKind.RECEIPT, CLERK)
    with Session(engine) as s:
        masked = service.render_notice_html(s, notice, masked=True)
        plain = service.render_notice_html(s, notice)
    assert "张三：" in plain and "张三" not in masked and "张*：" in masked
    assert "已脱敏" in masked


def test_clerks_racing_to_issue_one_notice_get_one_number(engine: Engine) -> None:
    case = _case(engine)
    barrier = threading.Barrier(5)
    results: list[object] = []
    lock = threading.Lock()

    def one() -> None:
        barrier.wait()
        try:
            with unit_of_work(engine) as s:
                got: object = service.issue_notice(
                    s, case.id or 0, NoticeKind.RECEIPT, CLERK
                ).number
        except Conflict as error:
            got = error
        with lock:
            results.append(got)

    threads = [threading.Thread(target=one) for _ in range(5)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    numbers = [r for r in results if isinstance(r, str)]
    assert len(numbers) == 1 and sum(isinstance(r, Conflict) for r in results) == 4
    with Session(engine) as s:
        assert [n.number for n in s.exec(select(Notice)).all()] == numbers


def test_an_expiry_voided_as_proved_in_time_offers_no_termination(engine: Engine) -> None:
    from casework.services import timers
    from casework.services.snapshots import context_for

    case = _case(engine)
    with unit_of_work(engine) as s:
        act(s, case, "request_correction", "2025-09-24", period_wd=5)
        timers.run_due(
            s, date(2025, 10, 20), date(2025, 10, 20), case_ids=[case.id or 0], notify=False
        )
    with Session(engine) as s:
        kinds = [o.kind for o in service.offers(s, context_for(s, s.get_one(Case, case.id)))]
    assert kinds[-1] is NoticeKind.TERMINATION  # deemed abandoned: the termination is offered
    with unit_of_work(engine) as s:
        act(s, case, "void_expiry", "2025-10-21", posted_on="2025-09-30", reason="邮戳证明按期寄出")
    with Session(engine) as s:
        kinds = [o.kind for o in service.offers(s, context_for(s, s.get_one(Case, case.id)))]
    assert NoticeKind.TERMINATION not in kinds
