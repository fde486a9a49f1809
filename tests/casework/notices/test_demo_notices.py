"""For the demo histories, every notice their cases' steps offer is issued and renders; each
DOCX, read back with python-docx, names the right articles, dates and 文号 (LEGAL.md §7)."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date

import pytest
from sqlalchemy import Engine
from sqlmodel import Session, col, select

from casework.clocks import compute_clocks
from casework.models import Case, CaseEvent, Notice
from casework.notices import service
from casework.notices.kinds import NoticeKind
from casework.notices.library import sample_context
from casework.notices.render import sha256
from casework.services.calendars import calendar_for
from casework.services.snapshots import context_for, event_record
from tests.casework.notices.support import (
    IssuedNotice,
    cn,
    database,
    docx_text,
    issue_everything,
    of_kind,
    replayed,
)
from tests.conftest import BACKENDS

HISTORIES = ["sample-2023.json", "history-2022-2025.json"]

# The article each reply outcome rests on (LEGAL.md §1, §2): an oracle written from the law
REPLY_ARTICLES = {
    "disclosed": "第三十六条", "partially_disclosed": "第三十七条",
    "withheld.state_secret": "第十四条", "withheld.prohibited_by_law": "第十四条",
    "withheld.security_stability": "第十四条", "withheld.third_party_rights": "第十五条",
    "withheld.internal_affairs": "第十六条", "withheld.deliberative": "第十六条",
    "withheld.enforcement_file": "第十六条", "withheld.administrative_inquiry": "第三十六条第（七）项",
    "unavailable.not_held": "第三十六条第（四）项", "unavailable.needs_creation": "第三十八条",
    "unavailable.still_unclear": "第三十条", "not_processed.petition_complaint": "第三十九条",
    "not_processed.duplicate": "第三十六条第（六）项", "not_processed.publication": "第三十九条第二款",
    "not_processed.excessive": "第三十五条", "not_processed.confirm_or_reissue": "第三十六条",
}  # fmt: skip


@dataclass(frozen=True)
class Demo:
    history: str
    engine: Engine
    issued: list[IssuedNotice]


@pytest.fixture(scope="module", params=[(b, h) for b in BACKENDS for h in HISTORIES],
                ids=lambda p: f"{p[0]}-{p[1]}")  # fmt: skip
def demo(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Demo]:
    """A history replayed and every notice it offers issued: once per backend and file."""
    backend, history = request.param
    with database(request, backend, tmp_path_factory.mktemp("notices")) as engine:
        replayed(engine, history)
        yield Demo(history, engine, issue_everything(engine))


@pytest.fixture
def engine(demo: Demo) -> Engine:
    return demo.engine


@pytest.fixture
def issued(demo: Demo) -> list[IssuedNotice]:
    return demo.issued


def _event(engine: Engine, notice: Notice) -> CaseEvent:
    with Session(engine) as session:
        event = session.get(CaseEvent, notice.event_id)
        assert event is not None
        return event


def test_every_offered_notice_is_issued_with_its_number_date_and_case(
    engine: Engine, issued: list[IssuedNotice]
) -> None:
    with Session(engine) as session:
        cases = session.exec(select(Case)).all()
        open_offers = [o for c in cases for o in service.offers(session, context_for(session, c))
                       if o.notice is None]  # fmt: skip
    assert open_offers == []
    assert len(issued) > len(cases)  # a receipt for every case, and more
    numbers = [i.notice.number for i in issued]
    assert len(set(numbers)) == len(numbers)
    for item in issued:
        text = docx_text(item.docx)
        event = _event(engine, item.notice)
        assert item.notice.number in text.splitlines()
        assert cn(event.effective_on) in text.splitlines()  # the step's date is the notice's
        assert item.notice.dated == event.effective_on
        assert f"〔{event.effective_on.year}〕" in item.notice.number
        if item.notice.kind not in ("consultation", "disclosure_decision"):
            assert cn(item.case.received_on) in text  # the Art. 31 receipt date
            assert item.case.ref in text
        assert set(item.notice.context) == set(sample_context(NoticeKind(item.notice.kind)))


def test_the_longer_history_offers_every_kind_of_notice(demo: Demo) -> None:
    kinds = {i.notice.kind for i in demo.issued}
    if demo.history.startswith("history-"):
        # no party objected to a disclosure there (2024-007's silent party is told nothing:
        # Art. 32's override answers an objection), so no decision notice
        assert kinds == {k.value for k in NoticeKind} - {"disclosure_decision"}
    else:
        assert {"receipt", "correction", "consultation", "reply", "termination"} <= kinds


def test_numbers_follow_each_other_per_kind_and_year(issued: list[IssuedNotice]) -> None:
    by_scope: dict[tuple[str, int], list[int]] = {}
    for item in issued:
        by_scope.setdefault((item.notice.kind, item.notice.year), []).append(item.notice.serial)
    for serials in by_scope.values():
        assert sorted(serials) == list(range(1, len(serials) + 1))


def test_rendering_again_gives_the_same_document(
    engine: Engine, issued: list[IssuedNotice]
) -> None:
    with Session(engine) as session:
        for item in issued:
            again = service.render_notice_docx(session, session.get_one(Notice, item.notice.id))
            assert again == item.docx
            assert sha256(again) == item.notice.content_hash


def test_receipts_give_the_reply_due_date(engine: Engine, issued: list[IssuedNotice]) -> None:
    with Session(engine) as session:
        cal = calendar_for(session, None)
    receipts = of_kind(issued, NoticeKind.RECEIPT)
    assert receipts
    for item in receipts:
        text = docx_text(item.docx)
        assert "第三十一条" in text and "第三十三条" in text
        assert f"即于{cn(cal.add(item.case.received_on, 20))}前作出答复" in text


def test_correction_notices_list_every_item_and_the_consequences(
    engine: Engine, issued: list[IssuedNotice]
) -> None:
    with Session(engine) as session:
        cal = calendar_for(session, None)
    corrections = of_kind(issued, NoticeKind.CORRECTION)
    assert corrections
    for item in corrections:
        text = docx_text(item.docx)
        event = _event(engine, item.notice)
        assert "第三十条" in text and "一次性告知" in text
        for number, wanted in enumerate(event.payload.get("items") or [], start=1):
            assert f"{number}. {wanted}" in text
        served = date.fromisoformat(
            event.payload.get("served_on") or event.effective_on.isoformat()
        )
        due = cal.add(served, int(event.payload["period_wd"]))
        assert f"{event.payload['period_wd']}个工作日内，即于{cn(due)}前" in text
        assert "答复期限自本机关收到补正后的申请之日起重新计算" in text
        assert "视为放弃申请" in text


def test_third_parties_are_asked_within_15_working_days(
    engine: Engine, issued: list[IssuedNotice]
) -> None:
    with Session(engine) as session:
        cal = calendar_for(session, None)
    letters = of_kind(issued, NoticeKind.CONSULTATION)
    assert letters
    for item in letters:
        text = docx_text(item.docx)
        event = _event(engine, item.notice)
        assert text.splitlines()[4] == f"{item.notice.recipient}："
        assert "第三十二条" in text and "15个工作日内" in text
        assert "逾期未提出意见的，由本机关依照" in text  # the consequence of silence
        parties = event.payload.get("parties") or [
            {"name": event.payload["party"], "received_on": event.payload.get("party_received_on")}
        ]
        party = next(p if isinstance(p, dict) else {"name": p} for p in parties
                     if (p["name"] if isinstance(p, dict) else p) == item.notice.recipient)  # fmt: skip
        got = date.fromisoformat(party.get("received_on") or event.effective_on.isoformat())
        assert f"即于{cn(cal.add(got, 15))}前" in text
        assert "申请人" not in text.splitlines()[4]  # the applicant is not named to a third party


# No demo history discloses over an objection (its only consulted party never answered), so
# the 决定公开告知书 is tested in test_issue.py and test_wording_by_record.py instead.


def test_extensions_name_the_new_due_date_and_the_approval(
    engine: Engine, issued: list[IssuedNotice]
) -> None:
    for item in of_kind(issued, NoticeKind.EXTENSION):
        text = docx_text(item.docx)
        event = _event(engine, item.notice)
        with Session(engine) as session:
            ctx = context_for(session, item.case)
            before = [event_record(r) for r in ctx.rows if r.seq < event.seq]
            old = compute_clocks(
                item.case.received_on, before, ctx.calendar, ctx.snapshot.policy
            ).dues.reply
        assert old is not None
        new = ctx.calendar.add(old, int(event.payload["days_wd"]))
        assert "第三十三条第二款" in text and "负责人" in text
        assert f"延长{event.payload['days_wd']}个工作日" in text
        assert f"于{cn(new)}前作出答复" in text and cn(old) in text


def test_fee_notices_state_basis_standard_amount_and_period(
    engine: Engine, issued: list[IssuedNotice]
) -> None:
    with Session(engine) as session:
        cal = calendar_for(session, None)
    for item in of_kind(issued, NoticeKind.FEE):
        text = docx_text(item.docx)
        event = _event(engine, item.notice)
        basis = {"per_item": "按件计收", "per_volume": "按量计收"}[event.payload["basis"]]
        received = date.fromisoformat(
            event.payload.get("applicant_received_on") or event.effective_on.isoformat()
        )
        assert f"计收方式：{basis}" in text and "收费标准：" in text
        assert f"应缴金额：{event.payload['amount']}元" in text
        assert "第四十二条" in text and "国办函〔2020〕109号" in text
        assert f"20个工作日内，即于{cn(cal.add(received, 20))}前缴纳" in text
        assert "视为放弃申请" in text


def test_replies_give_the_basis_and_the_right_remedy(
    engine: Engine, issued: list[IssuedNotice]
) -> None:
    replies = of_kind(issued, NoticeKind.REPLY)
    assert replies
    for item in replies:
        text = docx_text(item.docx)
        outcome = str(_event(engine, item.notice).payload["outcome"])
        assert REPLY_ARTICLES[outcome] in text, (outcome, text)
        refused = outcome.startswith("withheld.") or outcome == "partially_disclosed"
        if refused and item.notice.dated >= date(2024, 1, 1):  # 行政复议法 (2023) in force
            assert (
                "第二十三条" in text
                and "复议前置" in text
                and "应当先向行政复议机关申请行政复议" in text
            )
            assert "或者自收到本告知书之日起六个月内" not in text
        else:
            assert "六十日内" in text and "六个月内依法向人民法院提起行政诉讼" in text
            assert "复议前置" not in text


def test_terminations_say_why_the_request_ended(engine: Engine, issued: list[IssuedNotice]) -> None:
    terminations = of_kind(issued, NoticeKind.TERMINATION)
    assert terminations
    for item in terminations:
        text = docx_text(item.docx)
        event = _event(engine, item.notice)
        if event.action == "withdraw":
            assert "撤回" in text and "终止处理" in text
        elif "correction" in event.action or event.from_state == "correction_requested":
            assert "第三十条" in text and "视为放弃申请" in text and "补正告知书" in text
        else:
            assert "收费通知" in text and "视为放弃申请" in text


def test_a_termination_cites_the_number_of_the_notice_it_follows(
    issued: list[IssuedNotice],
) -> None:
    by_case: dict[int, dict[str, str]] = {}
    for item in issued:
        by_case.setdefault(item.case.id or 0, {})[item.notice.kind] = item.notice.number
    cited = 0
    for item in of_kind(issued, NoticeKind.TERMINATION):
        earlier = by_case[item.case.id or 0]
        for kind in ("correction", "fee"):
            if kind in earlier:
                assert f"（{earlier[kind]}）" in docx_text(item.docx)
                cited += 1
    assert cited >= 1


def test_notices_are_listed_with_their_documents_for_the_case_file(
    engine: Engine, issued: list[IssuedNotice]
) -> None:
    with Session(engine) as session:
        case = session.exec(select(Case).order_by(col(Case.id))).first()
        assert case is not None and case.id is not None
        files = service.case_notice_files(session, case.id)
    expected = [i for i in issued if i.case.id == case.id]
    assert [f.notice.number for f in files] == [i.notice.number for i in expected]
    assert [f.docx for f in files] == [i.docx for i in expected]
    assert all(
        f.filename.startswith(f.notice.number) and f.filename.endswith(".docx") for f in files
    )
