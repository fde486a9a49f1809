"""Reading a ledger without a database: the words clerks write, headers, dates, mapping files."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

import pytest

from casework.errors import Invalid
from casework.ledger.mapping import MappingFile, load_mapping
from casework.ledger.reader import open_ledger
from casework.ledger.rows import CellError, RowReader, to_amount, to_date, to_int
from casework.ledger.vocabulary import ABANDONED, OUTCOME_LABELS, UnknownWord, Vocabulary
from tests.casework.ledger.sheets import good_row, write_sheet
from workflows.outcomes import OUTCOMES, ApplicantKind

WORDS = Vocabulary()


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("予以公开", "disclosed"),
        ("部分公开", "partially_disclosed"),
        ("部分公开（区分处理）", "partially_disclosed"),
        ("不予公开—国家秘密", "withheld.state_secret"),
        ("不予公开（属于国家秘密）", "withheld.state_secret"),
        ("（三）不予公开 1.属于国家秘密", "withheld.state_secret"),
        ("不予公开-涉及商业秘密", "withheld.third_party_rights"),
        ("过程性信息", "withheld.deliberative"),
        ("信息不存在", "unavailable.not_held"),
        ("不属于本机关负责公开", "unavailable.not_held"),
        ("无法提供—需要另行制作", "unavailable.needs_creation"),
        ("重复申请", "not_processed.duplicate"),
        ("不予处理（信访举报投诉类申请）", "not_processed.petition_complaint"),
        ("视为放弃", ABANDONED),
        ("逾期未补正", "other.correction_not_submitted"),
        ("逾期未缴费", "other.fee_not_paid"),
        ("申请人撤回", "other.other"),
        ("withheld.enforcement_file", "withheld.enforcement_file"),
    ],
)
def test_outcome_wording_maps_to_its_code(text: str, code: str) -> None:
    assert WORDS.code("reply.outcome", text) == code


@pytest.mark.parametrize("outcome", OUTCOMES, ids=lambda o: o.code)
def test_every_outcome_reads_back_from_its_official_and_exported_labels(outcome: object) -> None:
    code = outcome.code  # type: ignore[attr-defined]
    assert WORDS.code("reply.outcome", outcome.full_label) == code  # type: ignore[attr-defined]
    assert WORDS.code("reply.outcome", OUTCOME_LABELS[code]) == code


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("同意", "无法对应到答复类型"),
        ("不予公开", "未写明具体情形"),
        ("无法提供", "未写明具体情形"),
    ],
)
def test_words_without_one_meaning_are_refused_with_the_reason(text: str, reason: str) -> None:
    with pytest.raises(UnknownWord, match=reason):
        WORDS.code("reply.outcome", text)


@pytest.mark.parametrize("kind", list(ApplicantKind))
def test_applicant_kinds_read_from_the_report_columns(kind: ApplicantKind) -> None:
    assert WORDS.code("applicant.kind", kind.label) == kind.value
    assert WORDS.code("applicant.kind", f"法人或其他组织—{kind.label}") == kind.value


def test_a_legal_person_without_its_kind_is_refused() -> None:
    with pytest.raises(UnknownWord, match="未写明法人或其他组织的类别"):
        WORDS.code("applicant.kind", "法人或其他组织")


def test_a_mapping_file_word_wins_over_the_defaults() -> None:
    own = Vocabulary({"reply.outcome": {"同意": "disclosed", "不存在": "withheld.state_secret"}})
    assert own.code("reply.outcome", "同意") == "disclosed"
    assert own.code("reply.outcome", "不存在") == "withheld.state_secret"


@pytest.mark.parametrize(
    ("value", "day"),
    [
        (datetime(2023, 3, 2, 0, 0), date(2023, 3, 2)),
        ("2023-03-02", date(2023, 3, 2)),
        ("2023/3/2", date(2023, 3, 2)),
        ("2023.3.2", date(2023, 3, 2)),
        ("2023年3月2日", date(2023, 3, 2)),
        ("20230302", date(2023, 3, 2)),
        (20230302, date(2023, 3, 2)),
        (44987, date(2023, 3, 2)),  # an Excel serial in a cell without a date format
    ],
)
def test_dates_in_the_forms_ledgers_use(value: object, day: date) -> None:
    assert to_date(value) == day


@pytest.mark.parametrize("value", ["2023-13-01", "2023-02-30", "三月二日", "2023", True])
def test_a_date_that_is_not_one_is_refused(value: object) -> None:
    with pytest.raises(CellError, match="不是有效日期"):
        to_date(value)


def test_working_days_and_amounts() -> None:
    assert to_int("15个工作日") == 15 and to_int(15.0) == 15
    with pytest.raises(CellError):
        to_int("十五天")
    assert str(to_amount(500.0)) == "500" and str(to_amount("¥1,200.50元")) == "1200.5"
    with pytest.raises(CellError, match="两位小数"):
        to_amount("1.234")


def test_the_header_row_is_found_below_a_title_and_read_with_its_group(tmp_path: Path) -> None:
    headers = ("序号", "编号", "申请日期", "申请人姓名", "申请人类型", "申请方式", "申请公开内容",
               "告知日期", "期限", "日期", "结果")  # fmt: skip
    path = write_sheet(
        tmp_path / "two-rows.xlsx",
        [],
        headers,
        above=[
            ["某街道办事处2023年政府信息公开申请办理台账"],
            [None] * 7 + ["补正", None, "答复", None],
        ],
    )
    with open_ledger(path, MappingFile()) as ledger:
        plan = ledger.plan
    assert plan.header_row == 3
    fields = {a.header: (a.column.key if a.column else None) for a in plan.assigned}
    assert fields["编号"] == "ref" and fields["序号"] is None  # 编号 names a case more surely
    assert fields["告知日期"] == "correction.on" and fields["期限"] == "correction.period_wd"
    assert fields["日期"] == "reply.on" and fields["结果"] == "reply.outcome"
    assert fields["申请日期"] == "received_on" and fields["申请公开内容"] == "request"
    assert plan.missing_required == []


def test_a_mapping_file_names_columns_the_defaults_do_not_know(tmp_path: Path) -> None:
    path = write_sheet(tmp_path / "odd.xlsx", [], ("案号", "受理时间", "提交人", "事项", "经办人"))
    spec_path = tmp_path / "mapping.toml"
    spec_path.write_text(
        '[columns]\n"受理时间" = "received_on"\n"提交人" = "申请人"\n"事项" = "request"\n'
        '"经办人" = ""\n[defaults]\nchannel = "当面提交"\n"申请人类型" = "自然人"\n',
        encoding="utf-8",
    )
    spec = load_mapping(spec_path)
    with open_ledger(path, spec) as ledger:
        plan = ledger.plan
        lines = "\n".join(plan.describe())
    assert plan.missing_required == []
    assert "B列 受理时间 → received_on（收到申请日期）  [映射文件]" in lines
    assert "E列 经办人 → 不导入  [映射文件：不导入]" in lines
    assert "默认值（单元格为空时）：申请方式 = 当面提交" in lines


@pytest.mark.parametrize(
    ("text", "suffix", "message"),
    [
        ('{"columns": {"甲": "no_such_field"}}', ".json", "不是台账字段"),
        ('{"values": {"reply.outcome": {"同意": "approved"}}}', ".json", "不是可用代码"),
        ('{"values": {"request": {"a": "b"}}}', ".json", "不是可设值对应的字段"),
        ('{"colums": {}}', ".json", "colums"),
        ("[columns\n", ".toml", "不是有效的 TOML"),
    ],
)
def test_a_bad_mapping_file_is_refused_with_one_line(
    tmp_path: Path, text: str, suffix: str, message: str
) -> None:
    path = tmp_path / f"mapping{suffix}"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(Invalid, match=message) as info:
        load_mapping(path)
    assert "\n" not in str(info.value)


def test_a_file_that_is_not_a_workbook_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "ledger.xlsx"
    path.write_text("编号,收到申请日期\n", encoding="utf-8")
    with pytest.raises(Invalid, match="不是有效的 XLSX 文件"), open_ledger(path, MappingFile()):
        pass


def test_a_row_lists_every_problem_it_has(tmp_path: Path) -> None:
    path = write_sheet(
        tmp_path / "row.xlsx",
        [good_row("1", received="2023-13-01", 申请人类型="外星人", 申请内容=None, 答复结果="同意")],
    )
    with open_ledger(path, MappingFile()) as ledger:
        reader = RowReader(ledger.plan)
        rows = [reader.read(number, cells) for number, cells in ledger.rows()]
    assert len(rows) == 1 and rows[0].case is None
    line = rows[0].line()
    assert line.startswith("第2行 收到申请日期“2023-13-01”不是有效日期；")
    assert "申请人类型“外星人”无法对应到申请人类型" in line
    assert "申请内容为空" in line and "答复结果“同意”无法对应到答复类型" in line
