"""Sections 一, 五, 六: the starter drafted from the figures (its numbers are the table's, in
sentences a check can match), the placeholders left to fill, and the revisions a save makes."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime

import pytest
from sqlalchemy import Engine
from sqlmodel import Session, col, func, select

from casework.db import unit_of_work
from casework.errors import Conflict, Invalid
from casework.models import ReportInput
from casework.reports.narratives import (
    SYSTEM_ACTOR,
    Narratives,
    narratives_for,
    placeholders,
    saved_narratives,
    set_narratives,
    starter,
)
from casework.services.directory import agency_by_code, ensure_agency
from casework.statistics.figures import (
    APPEAL_KINDS,
    APPEAL_RESULTS,
    PROACTIVE_DEFAULT,
    Report,
    Standing,
    compute_period,
)

YEAR = 2026
FIRST, LAST = date(YEAR, 1, 1), date(YEAR, 12, 31)
PERSON, FIRM = "natural_person", "commercial_enterprise"


def _standings() -> list[Standing]:
    """Two carried in from 2025, nine received in 2026: three disclosed, one partly, two
    withheld, one not held, one not processed, one closed for an unpaid fee, two still open."""

    def case(kind: str, received: str, outcome: str | None, concluded: str | None) -> Standing:
        done = date.fromisoformat(concluded) if concluded else None
        return (kind, date.fromisoformat(received), outcome, done, False)

    return [
        case(PERSON, "2025-12-20", "disclosed", "2026-01-10"),
        case(FIRM, "2025-12-28", "withheld.third_party_rights", "2026-01-20"),
        case(PERSON, "2026-02-01", "disclosed", "2026-02-20"),
        case(PERSON, "2026-03-01", "disclosed", "2026-03-20"),
        case(FIRM, "2026-04-01", "partially_disclosed", "2026-04-20"),
        case(PERSON, "2026-05-01", "withheld.deliberative", "2026-05-20"),
        case(PERSON, "2026-06-01", "unavailable.not_held", "2026-06-20"),
        case(PERSON, "2026-07-01", "not_processed.duplicate", "2026-07-20"),
        case(PERSON, "2026-08-01", "other.fee_not_paid", "2026-09-20"),
        case(PERSON, "2026-12-10", None, None),
        case(FIRM, "2026-12-15", None, None),
        case(PERSON, "2025-11-01", "disclosed", "2025-11-20"),  # an earlier year: nowhere
    ]


def _appeals(**totals: dict[str, int]) -> dict[str, dict[str, int]]:
    out = {kind: dict.fromkeys(APPEAL_RESULTS, 0) for kind in APPEAL_KINDS}
    for kind, numbers in totals.items():
        out[kind].update(numbers)
        out[kind]["total"] = sum(v for k, v in out[kind].items() if k != "total")
    return out


def _figures(appeals: dict[str, dict[str, int]] | None = None) -> Report:
    proactive = PROACTIVE_DEFAULT | {
        "regulations": {"issued": 1, "repealed": 0, "in_force": 4},
        "normative_documents": {"issued": 3, "repealed": 2, "in_force": 17},
        "licensing": 120,
        "penalties": 35,
        "enforcement": 4,
        "admin_fees_wan_yuan": 12.5,
    }
    return Report(
        agency="zhz",
        agency_name="某街道办事处",
        year=YEAR,
        as_of=datetime(2027, 1, 1, 2, tzinfo=UTC),
        requests=compute_period(_standings(), FIRST, LAST),
        proactive=proactive,
        appeals=appeals if appeals is not None else _appeals(),
    )


def _number(text: str, pattern: str) -> int:
    (found,) = re.findall(pattern, text)
    return int(found)


def test_the_starters_request_sentences_carry_the_tables_numbers() -> None:
    figures = _figures()
    text, t = starter(figures).overview, figures.requests
    assert _number(text, r"新收政府信息公开申请(\d+)件") == t.new[-1] == 9
    assert _number(text, r"上年结转(\d+)件") == t.carried_in[-1] == 2
    assert _number(text, r"办结(\d+)件") == t.concluded_total[-1] == 9
    assert _number(text, r"结转下年度继续办理(\d+)件") == t.carried_out[-1] == 2
    assert _number(text, r"其中自然人(\d+)件") == 7
    assert _number(text, r"法人或其他组织(\d+)件") == 2


def test_the_starter_counts_the_concluded_requests_by_outcome_group() -> None:
    text = starter(_figures()).overview
    groups = {
        "予以公开": 3,
        "部分公开": 1,
        "不予公开": 2,
        "无法提供": 1,
        "不予处理": 1,
        "其他处理": 1,
    }
    for label, count in groups.items():
        assert _number(text, rf"{label}(\d+)件") == count, label


def test_the_starter_leaves_out_outcome_groups_with_nothing_in_them() -> None:
    rows = [s for s in _standings() if s[2] != "not_processed.duplicate"]
    figures = _figures()
    figures.requests = compute_period(rows, FIRST, LAST)
    assert "不予处理" not in starter(figures).overview


def test_section_one_follows_the_official_sub_structure() -> None:
    text = starter(_figures()).overview
    headings = ["（一）主动公开", "（二）依申请公开", "（三）政府信息管理",
                "（四）政府信息公开平台建设", "（五）监督保障"]  # fmt: skip
    places = [text.index(h) for h in headings]
    assert places == sorted(places)
    assert text.startswith("2026年，某街道办事处")


def test_the_proactive_paragraph_states_table_twos_figures() -> None:
    text = starter(_figures()).overview
    proactive = text[text.index("（一）主动公开") : text.index("（二）依申请公开")]
    for phrase in ("制发规章1件", "行政规范性文件3件", "废止规章0件", "现行有效规章4件",
                   "行政许可处理决定120件", "行政处罚处理决定35件", "行政强制处理决定4件",
                   "行政事业性收费12.5万元"):  # fmt: skip
        assert phrase in proactive, phrase


def test_the_starter_states_review_and_litigation_counts_from_table_four() -> None:
    appeals = _appeals(
        reconsideration={"upheld": 2, "corrected": 1, "pending": 1},
        litigation_direct={"upheld": 1},
        litigation_after_reconsideration={"corrected": 1},
    )
    text = starter(_figures(appeals)).overview
    assert "行政复议4件，其中结果纠正1件" in text
    assert "行政诉讼2件，其中结果纠正1件" in text


def test_a_year_without_review_or_litigation_says_so() -> None:
    assert "未发生政府信息公开行政复议、行政诉讼案件" in starter(_figures()).overview


def test_placeholders_are_listed_by_section_until_filled() -> None:
    draft = starter(_figures())
    left = placeholders(draft)
    sections = {item.split("：", 1)[0] for item in left}
    assert sections == {"一、总体情况", "五、存在的主要问题及改进情况", "六、其他需要报告的事项"}
    assert all("【请填写：" in item for item in left)
    filled = Narratives(
        overview=re.sub(r"【请填写：[^】]*】", "已做。", draft.overview),
        problems="无。",
        other="",
        revision=1,
    )
    assert placeholders(filled) == []


def test_the_starter_is_flagged_until_someone_saves_their_own_text() -> None:
    assert starter(_figures()).is_starter
    system = Narratives("a", "b", "c", revision=1, recorded_by=SYSTEM_ACTOR)
    clerk = Narratives("a", "b", "c", revision=2, recorded_by="li")
    assert system.is_starter and not clerk.is_starter


# -- storage (both backends) -------------------------------------------------------------

TEXTS = {"overview": "总体情况。", "problems": "问题。", "other": ""}


def _agency(engine: Engine) -> None:
    with unit_of_work(engine) as s:
        ensure_agency(s, "zhz", "某街道办事处")


def _save(engine: Engine, texts: dict[str, str], expected: int | None = None) -> int:
    with unit_of_work(engine) as s:
        row = set_narratives(
            s, agency_by_code(s, "zhz"), YEAR, texts, "li", expected_revision=expected
        )
        return row.revision


def test_each_changed_save_is_a_new_revision_and_an_unchanged_one_is_not(engine: Engine) -> None:
    _agency(engine)
    assert _save(engine, TEXTS, 0) == 1
    assert _save(engine, TEXTS | {"other": "其他。"}, 1) == 2
    assert _save(engine, TEXTS | {"other": "其他。"}, 2) == 2
    with Session(engine) as s:
        revisions = s.exec(select(ReportInput.revision).order_by(col(ReportInput.id))).all()
        agency_id = agency_by_code(s, "zhz").id
        assert agency_id is not None
        latest = saved_narratives(s, agency_id, YEAR)
    assert revisions == [1, 2]
    assert latest is not None and latest.other == "其他。" and latest.recorded_by == "li"


def test_a_save_based_on_an_older_revision_is_a_conflict(engine: Engine) -> None:
    _agency(engine)
    _save(engine, TEXTS, 0)
    with pytest.raises(Conflict, match=r"已被他人保存.*当前第1版"):
        _save(engine, TEXTS | {"problems": "另一人的文字。"}, 0)


def test_control_characters_are_refused_naming_the_section(engine: Engine) -> None:
    _agency(engine)
    with pytest.raises(Invalid, match="五、存在的主要问题及改进情况：不能包含控制字符") as caught:
        _save(engine, TEXTS | {"problems": "问题\x07。"})
    assert caught.value.field == "problems"


def test_a_section_over_the_length_limit_is_refused(engine: Engine) -> None:
    _agency(engine)
    with pytest.raises(Invalid, match="一、总体情况：长度不能超过 20000"):
        _save(engine, TEXTS | {"overview": "字" * 20_001})


def test_line_endings_are_kept_as_newlines(engine: Engine) -> None:
    _agency(engine)
    _save(engine, TEXTS | {"overview": "第一段。\r\n\r\n第二段。\r\n"})
    with Session(engine) as s:
        agency_id = agency_by_code(s, "zhz").id
        assert agency_id is not None
        latest = saved_narratives(s, agency_id, YEAR)
    assert latest is not None and latest.overview == "第一段。\n\n第二段。"


def test_the_texts_as_of_an_instant_before_the_first_save_are_the_starter(engine: Engine) -> None:
    _agency(engine)
    before = datetime.now(UTC)
    _save(engine, TEXTS)
    with Session(engine) as s:
        agency_id = agency_by_code(s, "zhz").id
        assert agency_id is not None
        then = narratives_for(s, agency_id, YEAR, before, _figures())
        now = narratives_for(s, agency_id, YEAR, datetime.now(UTC), _figures())
    assert then.revision == 0 and "新收政府信息公开申请9件" in then.overview
    assert now.revision == 1 and now.overview == "总体情况。"


def test_a_concurrent_save_of_the_same_revision_is_a_conflict(
    engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Two editors read revision 0 at once; the second insert of revision 1 meets the first
    (the unique key) and is a Conflict, its transaction still usable."""
    from casework.reports import narratives

    _agency(engine)
    _save(engine, TEXTS)
    monkeypatch.setattr(narratives, "_latest", lambda *args, **kwargs: None)  # read before
    with unit_of_work(engine) as s:
        with pytest.raises(Conflict, match="刚被他人同时保存"):
            set_narratives(s, agency_by_code(s, "zhz"), YEAR, TEXTS | {"other": "x"}, "wang")
        assert agency_by_code(s, "zhz").name == "某街道办事处"
    with Session(engine) as s:
        assert s.exec(select(func.count()).select_from(ReportInput)).one() == 1
