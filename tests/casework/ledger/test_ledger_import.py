"""Importing a ledger: through replay, all or nothing, one line per broken row (issue 6)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import Engine
from sqlmodel import Session, col, select

from casework.errors import Invalid
from casework.ledger.mapping import load_mapping
from casework.ledger.sample import build_sample
from casework.models import Case, CaseEvent
from tests.casework.ledger.sheets import HEADERS, good_row, write_sheet
from tests.casework.ledger.support import (
    SAMPLE_HISTORY,
    SAMPLE_LEDGER,
    figures,
    import_file,
    replay_file,
    total_new,
)
from tests.casework.services.helpers import TODAY

PERIOD = "补正期限（工作日）"
assert PERIOD in HEADERS


def _cases(engine: Engine) -> list[Case]:
    with Session(engine) as session:
        return list(session.exec(select(Case).order_by(col(Case.ref))).all())


def test_the_sample_ledger_imports_and_reports_like_the_demo(engine: Engine) -> None:
    demo = replay_file(engine, SAMPLE_HISTORY)
    result = import_file(engine, SAMPLE_LEDGER, "ledger")
    assert result.ok, result.problems
    expected = figures(engine, demo, 2023)
    assert total_new(expected) > 0
    assert figures(engine, "ledger", 2023) == expected


def test_the_committed_sample_is_what_the_generator_builds(tmp_path: Path) -> None:
    rebuilt = tmp_path / "ledger-sample-2023.xlsx"
    build_sample(SAMPLE_HISTORY, rebuilt, TODAY, tmp_path)
    assert rebuilt.read_bytes() == SAMPLE_LEDGER.read_bytes(), (
        "examples/ledger-sample-2023.xlsx is stale: rebuild it with `casework ledger sample`"
    )


BROKEN: dict[int, tuple[dict[str, object], str]] = {
    # row number → (the row, what its line must say)
    3: (good_row("2023-002", 答复日期="2023-13-01"), "答复日期“2023-13-01”不是有效日期"),
    4: (good_row("2023-003", 答复结果="同意"), "答复结果“同意”无法对应到答复类型"),
    5: (good_row("2023-004", 申请人类型="外星人"), "申请人类型“外星人”无法对应到申请人类型"),
    6: (good_row("2023-005", 申请内容=None), "申请内容为空"),
    7: (
        good_row("2023-006", 补正告知日期=date(2023, 3, 3), **{PERIOD: "十五天"}),
        "补正期限（工作日）“十五天”不是整数",
    ),
    8: (
        good_row("2023-007", received=date(2023, 3, 10)),
        "答复日期“2023-03-08”：答复未执行：日期 2023-03-08 早于本案上一操作的日期（2023-03-10）",
    ),
    9: (good_row("2023-001"), "编号“2023-001”与第2行重复"),
    10: (good_row("2023-008", 答复结果="视为放弃"), "无法判断视为放弃的原因"),
    11: (
        good_row(
            "2023-009",
            received=date(2023, 6, 1),
            补正告知日期=date(2023, 6, 5),
            **{PERIOD: 15},
            收到补正日期=date(2023, 8, 1),
            答复日期=None,
            答复结果=None,
            送达日期=None,
            送达方式=None,
        ),
        "收到补正日期“2023-08-01”：收到补正未执行",
    ),
    12: (
        good_row(
            "2023-010",
            补正告知日期=date(2023, 3, 3),
            **{PERIOD: 15},
            答复日期=date(2023, 3, 27),
            答复结果="视为放弃—逾期不补正",
            送达日期=None,
            送达方式=None,
        ),
        "答复日期“2023-03-27”与依法推算的视为放弃之日 2023-03-25 不一致",
    ),
    13: (good_row("2023-011", 答复日期=date(2027, 1, 4)), "日期晚于今日（2026-11-26）"),
    14: (good_row("2023-012", 送达方式=None), "送达日期“2023-03-09”已填写，但送达方式为空"),
}


def _broken_ledger(path: Path) -> Path:
    rows: list[dict[str, object]] = [good_row("2023-001")]
    rows += [BROKEN[n][0] for n in sorted(BROKEN)]
    rows += [{}, good_row("2023-013")]  # a blank row is skipped; the last row is fine
    return write_sheet(path, rows)


def test_a_broken_ledger_is_refused_with_one_line_per_broken_row(
    engine: Engine, tmp_path: Path
) -> None:
    result = import_file(engine, _broken_ledger(tmp_path / "broken.xlsx"))
    assert not result.ok
    assert len(result.problems) == len(BROKEN)
    for line, (number, (_, expected)) in zip(result.problems, sorted(BROKEN.items()), strict=True):
        assert line.startswith(f"第{number}行 "), line
        assert expected in line, (expected, line)
        assert "\n" not in line
    assert result.rows == 2 + len(BROKEN)  # the blank row is not a row
    assert _cases(engine) == []


def test_a_dry_run_of_a_good_ledger_writes_nothing(engine: Engine, tmp_path: Path) -> None:
    path = write_sheet(tmp_path / "good.xlsx", [good_row("2023-001"), good_row("2023-002")])
    result = import_file(engine, path, dry_run=True)
    assert result.ok and result.applied.cases == 2
    assert _cases(engine) == []
    assert import_file(engine, path).ok
    assert [c.ref for c in _cases(engine)] == ["2023-001", "2023-002"]


def test_a_case_number_already_taken_is_the_rules_refusal(engine: Engine, tmp_path: Path) -> None:
    path = write_sheet(tmp_path / "good.xlsx", [good_row("2023-001")])
    assert import_file(engine, path).ok
    again = import_file(engine, path)
    assert again.problems == ["第2行 编号“2023-001”：登记未执行：本机关已有案号为“2023-001”的案件"]


def test_an_import_goes_through_the_replay_door(engine: Engine, tmp_path: Path) -> None:
    row = good_row(
        "2023-001",
        补正告知日期=date(2023, 3, 2),
        **{PERIOD: 10},
        收到补正日期=date(2023, 3, 6),
        答复日期=date(2023, 3, 20),
        送达日期=date(2023, 3, 21),
    )
    assert import_file(engine, write_sheet(tmp_path / "one.xlsx", [row])).ok
    with Session(engine) as session:
        events = session.exec(select(CaseEvent).order_by(col(CaseEvent.seq))).all()
    assert [(e.action, e.effective_on.isoformat(), e.actor_kind) for e in events] == [
        ("register", "2023-03-01", "replay"),
        ("request_correction", "2023-03-02", "replay"),
        ("receive_correction", "2023-03-06", "replay"),
        ("reply", "2023-03-20", "replay"),
        ("deliver", "2023-03-21", "replay"),
    ]
    assert events[1].payload["period_wd"] == 10


def test_a_correction_notice_after_seven_working_days_is_flagged(
    engine: Engine, tmp_path: Path
) -> None:
    # received Wed 2023-03-01: the notice is due by Fri 2023-03-10 (Art. 30)
    late = good_row("2023-001", 补正告知日期=date(2023, 3, 20), 答复日期=None, 答复结果=None)
    late.pop("送达日期"), late.pop("送达方式")
    result = import_file(engine, write_sheet(tmp_path / "late.xlsx", [late]))
    assert result.ok
    assert result.warnings == [
        "第2行 补正告知晚于收到申请后7个工作日的期限（2023-03-10，条例第三十条）"
    ]
    # the rules applied the expiry of the correction period: the case is concluded
    assert _cases(engine)[0].outcome == "other.correction_not_submitted"


@pytest.mark.parametrize("suffix", [".toml", ".json"])
def test_a_mapping_file_reads_a_ledger_the_defaults_cannot(
    engine: Engine, tmp_path: Path, suffix: str
) -> None:
    headers = ("案号", "受理时间", "提交人", "事项", "办结时间", "结论", "经办人")
    rows = [
        {"案号": "A-1", "受理时间": "2023/3/1", "提交人": "某公司", "事项": "申请公开某文件",
         "办结时间": "2023/3/15", "结论": "同意", "经办人": "王"},
        {"案号": "A-2", "受理时间": "2023/3/2", "提交人": "李四", "事项": "申请公开另一文件",
         "办结时间": "2023/3/16", "结论": "没有", "经办人": "王"},
    ]  # fmt: skip
    path = write_sheet(tmp_path / "odd.xlsx", rows, headers)
    with pytest.raises(Invalid, match="找不到表头"):  # the defaults know only 案号 and 事项
        import_file(engine, path)
    spec = tmp_path / f"mapping{suffix}"
    if suffix == ".toml":
        spec.write_text(
            '[columns]\n"受理时间" = "received_on"\n"提交人" = "申请人"\n"事项" = "request"\n'
            '"结论" = "reply.outcome"\n"经办人" = ""\n'
            '[values."reply.outcome"]\n"同意" = "disclosed"\n"没有" = "unavailable.not_held"\n'
            '[defaults]\nchannel = "当面提交"\n"applicant.kind" = "自然人"\n',
            encoding="utf-8",
        )
    else:
        spec.write_text(
            '{"columns": {"受理时间": "received_on", "提交人": "申请人", "事项": "request",'
            ' "结论": "答复结果", "经办人": null},'
            ' "values": {"reply.outcome": {"同意": "disclosed", "没有": "unavailable.not_held"}},'
            ' "defaults": {"channel": "当面提交", "申请人类型": "自然人"}}',
            encoding="utf-8",
        )
    result = import_file(engine, path, spec=load_mapping(spec))
    assert result.ok, result.problems
    cases = _cases(engine)
    assert [(c.ref, c.outcome, c.channel, c.applicant_kind) for c in cases] == [
        ("A-1", "disclosed", "in_person", "natural_person"),
        ("A-2", "unavailable.not_held", "in_person", "natural_person"),
    ]
    assert [c.concluded_on for c in cases] == [date(2023, 3, 15), date(2023, 3, 16)]


def test_progress_is_told_once_per_row(engine: Engine, tmp_path: Path) -> None:
    rows = [good_row(f"2023-{n:03d}") for n in range(1, 6)]
    path = write_sheet(tmp_path / "five.xlsx", rows)
    told: list[int] = []
    assert import_file(engine, path, progress=told.append).ok
    assert told == [1] * 5
