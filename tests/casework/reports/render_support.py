"""Documents to render: the demo history replayed (examples/sample-2023.json, the published
sample's figures), and a document built directly with a different number in nearly every
cell of tables 二–四 (rendering is a pure function of the document, so no database). Also
what a rendered table 三 must say, row by row, read from the figures by key."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path

from sqlalchemy import Engine

from casework.db import unit_of_work
from casework.reports.document import AnnualReport, build, fee_statement
from casework.reports.narratives import Narratives
from casework.services.directory import agency_by_code
from casework.services.replay import load_file, replay
from casework.statistics.figures import COLUMNS, ROW_CODES, Report, RequestTable
from casework.timeutil import utcnow
from workflows.outcomes import OUTCOME_BY_CODE

ROOT = Path(__file__).resolve().parents[3]
SAMPLE = ROOT / "examples" / "sample-2023.json"
FIXTURE = ROOT.parent / "shared" / "fixtures" / "sample-annual-report-2023.txt"
TODAY = date(2026, 11, 26)

SECTION_HEADINGS = [
    "一、总体情况",
    "二、主动公开政府信息情况",
    "三、收到和处理政府信息公开申请情况",
    "四、政府信息公开行政复议、行政诉讼情况",
    "五、存在的主要问题及改进情况",
    "六、其他需要报告的事项",
]
APPEAL_KINDS = ("reconsideration", "litigation_direct", "litigation_after_reconsideration")
APPEAL_RESULTS = ("upheld", "corrected", "other", "pending", "total")


def sample_document(engine: Engine) -> AnnualReport:
    """The demo: the sample history replayed, its 2023 report as recorded now."""
    data = load_file(SAMPLE)
    with unit_of_work(engine) as session:
        replay(session, data, TODAY, TODAY)
    with unit_of_work(engine) as session:
        return build(session, agency_by_code(session, data.agency.code), 2023, utcnow())


def _row(seed: int) -> list[int]:
    values = [(seed * 7 + j * 3) % 11 + 1 for j in range(len(COLUMNS) - 1)]
    return [*values, sum(values)]


def rich_document(as_of: datetime = datetime(2024, 1, 15, 2, 0, tzinfo=UTC)) -> AnnualReport:
    """Numbers in every cell, varying by row and column; the table balances (一+二 = 三+四)."""
    outcomes = {code: _row(i + 3) for i, code in enumerate(ROW_CODES)}
    concluded = [sum(row[j] for row in outcomes.values()) for j in range(len(COLUMNS))]
    carried_in, carried_out = _row(1), _row(2)
    new = [c + o - i for c, o, i in zip(concluded, carried_out, carried_in, strict=True)]
    appeals = {}
    for g, kind in enumerate(APPEAL_KINDS):
        counts = [4 * g + r + 1 for r in range(4)]
        appeals[kind] = dict(zip(APPEAL_RESULTS, [*counts, sum(counts)], strict=True))
    figures = Report(
        agency="rich",
        agency_name="某市某区人民政府办公室",
        year=2023,
        as_of=as_of,
        requests=RequestTable(
            new=new,
            carried_in=carried_in,
            outcomes=outcomes,
            concluded_total=concluded,
            carried_out=carried_out,
        ),
        proactive={
            "regulations": {"issued": 1, "repealed": 2, "in_force": 3},
            "normative_documents": {"issued": 4, "repealed": 5, "in_force": 6},
            "licensing": 7,
            "penalties": 8,
            "enforcement": 9,
            "admin_fees_wan_yuan": 12.5,
        },
        appeals=appeals,
        fees={
            "notices": 2,
            "amount_notified_yuan": "300",
            "payments": 1,
            "amount_collected_yuan": "100",
        },
    )
    narratives = Narratives(
        overview="（一）主动公开\n本年度主动公开政府信息。\n\n（二）依申请公开\n本年度办理申请。",
        problems="存在的问题。\n改进的措施。",
        other="其他事项。",
        revision=3,
    )
    return AnnualReport(figures, narratives, fee_statement(figures))


def request_rows(report: Report) -> dict[str, list[int]]:
    """Table 三's body, by the row's own label (a leaf's label, or the group's where the group
    is the row), read from the figures by key: the seven numbers each row must show."""
    t = report.requests
    rows = {
        "一、本年新收政府信息公开申请数量": t.new,
        "二、上年结转政府信息公开申请数量": t.carried_in,
    }
    for code in ROW_CODES:
        outcome = OUTCOME_BY_CODE[code]
        rows[outcome.group_label if outcome.item is None else outcome.label] = t.outcomes[code]
    rows["（七）总计"] = t.concluded_total
    rows["四、结转下年度继续办理"] = t.carried_out
    return rows


def proactive_rows(report: Report) -> dict[str, list[float]]:
    p = report.proactive
    counts = ("issued", "repealed", "in_force")
    return {
        "规章": [p["regulations"][k] for k in counts],
        "行政规范性文件": [p["normative_documents"][k] for k in counts],
        "行政许可": [p["licensing"]],
        "行政处罚": [p["penalties"]],
        "行政强制": [p["enforcement"]],
        "行政事业性收费": [p["admin_fees_wan_yuan"]],
    }


def appeal_numbers(report: Report) -> list[int]:
    """Table 四's fifteen numbers, left to right."""
    return [report.appeals[kind][result] for kind in APPEAL_KINDS for result in APPEAL_RESULTS]


def published_stub_labels() -> list[str]:
    """Table 三's row labels in the published sample, top to bottom (half-width as printed)."""
    lines = [line for line in FIXTURE.read_text(encoding="utf-8").split("\n") if line]
    body = lines[
        lines.index("一、本年新收政府信息公开申请数量") : lines.index("四、结转下年度继续办理") + 1
    ]
    return [line for line in body if not line.isdigit()]


HALF_WIDTH = str.maketrans({"（": "(", "）": ")", "，": ",", "：": ":"})
