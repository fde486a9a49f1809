"""Possible repeat requests (Art. 36(6)) on both backends: the same applicant however typed,
only answered requests, this agency and the ones merged into it, most alike first."""

from __future__ import annotations

from datetime import date

from sqlalchemy import Engine
from sqlmodel import Session

from casework.db import unit_of_work
from casework.identity import ApplicantKey
from casework.models import Case
from casework.services.directory import agency_by_code, merge_agency
from casework.services.repeats import find_repeats, repeats_of_case
from tests.casework.services.applicants import ID_ZHANG, register_for
from tests.casework.services.helpers import act, agency
from workflows.outcomes import ANSWERED_OUTCOMES

ASKED = "申请公开2023年某路段改造工程的环境影响评价报告"


def _answered(
    s: Session, ref: str, outcome: str, request: str = ASKED, on: str = "2026-10-20", **kw: str
) -> Case:
    case = register_for(s, ref, "2026-10-09", request=request, **kw)  # type: ignore[arg-type]
    act(s, case, "reply", on, outcome=outcome)
    return case


def _repeats(engine: Engine, case: Case, reveal: bool = True) -> list[tuple[str, str]]:
    with Session(engine) as s:
        found = repeats_of_case(s, s.get_one(Case, case.id), reveal=reveal)
    return [(r.ref, r.outcome) for r in found]


def test_only_requests_whose_information_was_answered_are_listed(engine: Engine) -> None:
    with unit_of_work(engine) as s:
        agency(s)
        for n, outcome in enumerate(
            ["disclosed", "partially_disclosed", "withheld.deliberative", "unavailable.not_held",
             "unavailable.needs_creation", "unavailable.still_unclear",
             "not_processed.duplicate", "not_processed.petition_complaint"]
        ):  # fmt: skip
            _answered(s, f"R{n}", outcome)
        withdrawn = register_for(s, "W", "2026-10-09", request=ASKED)
        act(s, withdrawn, "withdraw", "2026-10-12")
        register_for(s, "OPEN", "2026-10-09", request=ASKED)  # not answered yet
        new = register_for(s, "NEW", "2026-11-20", request=ASKED)
    listed = _repeats(engine, new)
    assert sorted(outcome for _, outcome in listed) == sorted(
        ["disclosed", "partially_disclosed", "withheld.deliberative", "unavailable.not_held",
         "unavailable.needs_creation"]
    )  # fmt: skip
    assert {o for _, o in listed} <= ANSWERED_OUTCOMES


def test_the_same_applicant_is_found_however_the_name_and_id_were_typed(engine: Engine) -> None:
    with unit_of_work(engine) as s:
        agency(s)
        _answered(
            s, "FW", "disclosed", name="张 三", id_number="１１０１０１１９９００３０７００１ｘ"
        )
        _answered(s, "NOID", "disclosed", name="张　三", id_number=None)
        _answered(s, "ORG", "disclosed", name="张三", id_number=None, kind="other_org")
        _answered(s, "OTHERID", "disclosed", name="张三", id_number="110101199003070028")
        _answered(s, "LI", "disclosed", name="李四", id_number=None)
        new = register_for(s, "NEW", "2026-11-20", name="张三", id_number=ID_ZHANG, request=ASKED)
    with Session(engine) as s:
        found = repeats_of_case(s, s.get_one(Case, new.id), reveal=True)
    assert {r.ref: r.matched_on for r in found} == {"FW": "id_number", "NOID": "name"}
    assert {r.applicant_name for r in found} == {"张 三", "张　三"}


def test_ranked_by_how_alike_the_requests_read(engine: Engine) -> None:
    with unit_of_work(engine) as s:
        agency(s)
        _answered(s, "UNRELATED", "disclosed", request="申请公开本街道2023年低保发放名单")
        _answered(s, "SAME", "disclosed", request="请公开某路段改造工程环境影响评价报告（2023年）")
        _answered(s, "RELATED", "disclosed", request="申请公开某路段改造工程的施工合同")
        new = register_for(s, "NEW", "2026-11-20", request=ASKED)
    with Session(engine) as s:
        found = repeats_of_case(s, s.get_one(Case, new.id), reveal=True)
    assert [r.ref for r in found] == ["SAME", "RELATED", "UNRELATED"]
    scores = [r.similarity for r in found]
    assert scores == sorted(scores, reverse=True) and scores[0] > 0.8
    assert found[0].outcome_label == "（一）予以公开" and found[0].concluded_on == date(
        2026, 10, 20
    )


def test_only_this_agency_and_the_agencies_merged_into_it(engine: Engine) -> None:
    with unit_of_work(engine) as s:
        agency(s)
        agency(s, "old")
        agency(s, "other")
        _answered(s, "OLD", "disclosed", code="old")
        _answered(s, "ELSEWHERE", "disclosed", code="other")
        _answered(s, "HERE", "withheld.third_party_rights")
        merge_agency(s, agency_by_code(s, "old"), agency_by_code(s, "zhz"), date(2026, 10, 25))
        new = register_for(s, "NEW", "2026-11-20", request=ASKED)
    assert sorted(ref for ref, _ in _repeats(engine, new)) == ["HERE", "OLD"]


def test_a_reply_given_after_the_new_request_arrived_is_not_a_repeat(engine: Engine) -> None:
    with unit_of_work(engine) as s:
        agency(s)
        _answered(s, "BEFORE", "disclosed", on="2026-11-05")
        _answered(s, "SAMEDAY", "disclosed", on="2026-11-10")
        _answered(s, "AFTER", "disclosed", on="2026-11-12")
        new = register_for(s, "NEW", "2026-11-10", request=ASKED)
    assert sorted(ref for ref, _ in _repeats(engine, new)) == ["BEFORE", "SAMEDAY"]


def test_names_are_masked_for_a_viewer_who_may_not_see_them(engine: Engine) -> None:
    with unit_of_work(engine) as s:
        agency(s)
        _answered(s, "A", "disclosed", name="张三丰")
        new = register_for(s, "NEW", "2026-11-20", name="张三丰", request=ASKED)
    with Session(engine) as s:
        masked = repeats_of_case(s, s.get_one(Case, new.id), reveal=False)
    assert [r.applicant_name for r in masked] == ["张**"]


def test_the_pre_check_finds_the_same_without_a_case(engine: Engine) -> None:
    with unit_of_work(engine) as s:
        agency(s)
        _answered(s, "A", "disclosed")
    with Session(engine) as s:
        key = ApplicantKey.of("natural_person", "张　三", "11010119900307001x")
        found = find_repeats(
            s, agency_by_code(s, "zhz"), key, ASKED, date(2026, 11, 26), reveal=True
        )
        assert [r.ref for r in found] == ["A"] and found[0].similarity == 1.0
        assert not s.new and not s.dirty and not s.deleted  # a read: nothing to write
