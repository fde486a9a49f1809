"""Words that must be true to the case's record: the remedy by the law in force on the
decision's date, the third party's objection only when one was recorded, the decision
notice only to a party that objected, fee amounts to the fen, and a warning when a notice
is issued long after its step (and so back-dated)."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest
from sqlalchemy import Engine
from sqlmodel import Session

from casework.db import unit_of_work
from casework.models import Case
from casework.notices import service
from casework.notices import wording as w
from casework.notices.kinds import NoticeKind
from casework.services.snapshots import context_for
from tests.casework.notices.support import docx_text
from tests.casework.services.helpers import act, agency, register
from workflows.roles import Actor, ActorKind, Role

CLERK = Actor(ActorKind.USER, "wang", frozenset({Role.CLERK}))
REVIEW_FIRST = "应当先向行政复议机关申请行政复议"
EITHER = "或者自收到本告知书之日起六个月内依法向人民法院提起行政诉讼"
OBJECTED = "第三方不同意公开"
NEUTRAL = "涉及商业秘密、个人隐私等，公开会对第三方合法权益造成损害"


def _case(engine: Engine, received_on: str = "2025-09-22") -> Case:
    with unit_of_work(engine) as s:
        agency(s)
        return register(s, "A", received_on)


def _reply_text(engine: Engine, case: Case) -> tuple[str, dict[str, object]]:
    with unit_of_work(engine) as s:
        notice = service.issue_notice(s, case.id or 0, NoticeKind.REPLY, CLERK)
        return docx_text(service.render_notice_docx(s, notice)), dict(notice.context)


@pytest.mark.parametrize(
    ("received", "replied", "review_first"),
    [("2023-11-20", "2023-12-29", False), ("2023-12-20", "2024-01-02", True)],
)
def test_the_remedy_follows_the_law_in_force_on_the_decision_date(
    engine: Engine, received: str, replied: str, review_first: bool
) -> None:
    """行政复议法 (2023) with its 复议前置 took effect on 2024-01-01: a refusal dated before
    it offers review or suit, as the old law did."""
    case = _case(engine, received)
    with unit_of_work(engine) as s:
        act(s, case, "reply", replied, outcome="withheld.internal_affairs")
    text, context = _reply_text(engine, case)
    assert context["review_first"] is review_first
    assert (REVIEW_FIRST in text) is review_first and (EITHER in text) is not review_first
    assert "六十日内" in text


def test_review_first_by_date() -> None:
    assert w.review_first("partially_disclosed", date(2024, 1, 1))
    assert not w.review_first("partially_disclosed", date(2023, 12, 31))
    assert not w.review_first("disclosed", date(2025, 1, 1))


def test_a_third_party_refusal_without_consultation_says_nothing_of_an_objection(
    engine: Engine,
) -> None:
    case = _case(engine)
    with unit_of_work(engine) as s:
        act(s, case, "reply", "2025-10-09", outcome="withheld.third_party_rights")
    text, _ = _reply_text(engine, case)
    assert OBJECTED not in text and NEUTRAL in text and "本机关不予公开" in text


@pytest.mark.parametrize(("opinion", "objected"), [("objection", True), ("none", False)])
def test_a_third_party_refusal_names_the_objection_only_when_one_was_recorded(
    engine: Engine, opinion: str, objected: bool
) -> None:
    case = _case(engine)
    with unit_of_work(engine) as s:
        act(s, case, "start_consultation", "2025-09-24", parties=["甲公司"])
        act(s, case, "receive_opinion", "2025-09-29", party="甲公司", opinion=opinion)
        act(s, case, "reply", "2025-10-09", outcome="withheld.third_party_rights")
    text, _ = _reply_text(engine, case)
    assert (OBJECTED in text) is objected and (NEUTRAL in text) is not objected


def test_the_decision_notice_goes_only_to_a_party_that_objected(engine: Engine) -> None:
    """Art. 32's public-interest override answers an objection; a silent party is not told
    its objection was overruled."""
    case = _case(engine)
    with unit_of_work(engine) as s:
        act(s, case, "start_consultation", "2025-09-24", parties=["甲公司", "乙公司", "丙公司"])
        act(s, case, "receive_opinion", "2025-09-26", party="甲公司", opinion="none")
        act(s, case, "receive_opinion", "2025-09-29", party="乙公司", opinion="objection")
        act(s, case, "reply", "2025-10-27", outcome="disclosed")  # 丙公司 never answered
    with Session(engine) as s:
        offers = service.offers(s, context_for(s, s.get_one(Case, case.id)))
    decisions = [o.recipient for o in offers if o.kind is NoticeKind.DISCLOSURE_DECISION]
    assert decisions == ["乙公司"]


@pytest.mark.parametrize(
    ("stored", "printed"),
    [("1000.00", "1000.00元"), ("12.5", "12.50元"), ("1E+3", "1000.00元"), (Decimal("300"), "300.00元"),
     ("（不明）", "（不明）元")],
)  # fmt: skip
def test_money_is_printed_to_the_fen_whatever_was_stored(stored: object, printed: str) -> None:
    assert w.cn_money(stored) == printed


def test_a_fee_notice_prints_the_amount_to_the_fen(engine: Engine) -> None:
    case = _case(engine)
    with unit_of_work(engine) as s:
        act(s, case, "issue_fee_notice", "2025-09-24", amount="12.5", basis="per_volume")
        notice = service.issue_notice(s, case.id or 0, NoticeKind.FEE, CLERK)
        text = docx_text(service.render_notice_docx(s, notice))
    assert "应缴金额：12.50元" in text


def test_a_notice_issued_long_after_its_step_warns_that_it_is_back_dated(engine: Engine) -> None:
    case = _case(engine)
    with unit_of_work(engine) as s:
        notice = service.issue_notice(s, case.id or 0, NoticeKind.RECEIPT, CLERK)
        assert notice.dated == date(2025, 9, 22) and "〔2025〕" in notice.number
        late = service.issue_warnings(notice, date(2026, 11, 26))
        timely = service.issue_warnings(notice, notice.dated + timedelta(days=30))
    assert timely == []
    assert len(late) == 1 and "2025年9月22日" in late[0] and "2025年" in late[0]
    assert "倒签" in late[0]
