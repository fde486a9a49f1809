"""`casework report cell|period|rollup`: what lies behind a number, any period's statistics
(internal monitoring, not the statutory report) and a district's roll-up with the agencies
that have not published by their due day."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

import typer
from rich.table import Table

from casework.cli.common import console, fail, reading, settings, today
from casework.errors import CaseworkError
from casework.reports import cell_names, drilldown, period, rollup
from casework.services.appeals import KINDS, RESULT_COLUMNS
from casework.services.directory import agency_by_code
from casework.statistics.figures import COLUMNS, parse_as_of
from casework.timeutil import china_today
from workflows.outcomes import OutcomeGroup

YEAR = typer.Argument(..., min=2008, max=2099, help="年度")
AS_OF = typer.Option(None, "--as-of", help="以此时刻已记录的数据为准（默认现在）")


def register(app: typer.Typer) -> None:
    """Adds the commands to `casework report`."""
    app.command("cell", help="列出统计表某一格背后的案件（表三）或复议/诉讼（表四）")(cell)
    app.command("period", help="任意期间的统计（内部监测用，不是法定年度报告）")(period_cmd)
    app.command("rollup", help="汇总本机关及下级机关的年度统计，列出未按期发布年度报告的机关")(
        rollup_cmd
    )


def _as_of(value: str | None) -> datetime:
    try:
        return parse_as_of(value)
    except CaseworkError as error:
        fail(str(error).replace("as_of", "--as-of", 1), 2)


def _echo_json(data: dict[str, Any]) -> None:
    typer.echo(json.dumps(data, ensure_ascii=False, indent=2))


def _format(value: str, allowed: tuple[str, ...]) -> str:
    if value not in allowed:
        fail(f"--format 须为 {' 或 '.join(allowed)}", 2)
    return value


def _named(resolve: Any, value: str) -> str:
    """A row/column name checked before the database is opened: a usage error (exit 2)."""
    try:
        return str(resolve(value))
    except CaseworkError as error:
        fail(str(error), 2)


def _kind_label(kind: str) -> str:
    return cell_names.COLUMN_LABELS.get(kind, kind)


def _outcome_label(code: str | None) -> str:
    if code is None:
        return "—"
    return cell_names.SHORT_ROW_LABELS.get(code, code)


def cell(
    year: int = YEAR,
    agency: str = typer.Option(..., "--agency"),
    row: str | None = typer.Option(
        None,
        "--row",
        help="表三的行：办理结果代码或 new、carried_in、concluded_total、"
        "carried_out，也可用表中名称，如“（二）部分公开”",
    ),
    column: str | None = typer.Option(
        None,
        "--column",
        help="表三的列：申请人类型代码或 total，也可用“自然人”“总计”等（默认总计）",
    ),
    appeal_kind: str | None = typer.Option(
        None,
        "--appeal-kind",
        help="表四的类别：reconsideration、litigation_direct、"
        "litigation_after_reconsideration，或“行政复议”等",
    ),
    result: str | None = typer.Option(
        None,
        "--result",
        help="表四的列：upheld、corrected、other、pending、total，或“尚未审结”等（默认总计）",
    ),
    as_of: str | None = AS_OF,
    subtree: bool = typer.Option(False, "--subtree", help="包括下级机关"),
    output_format: str = typer.Option("table", "--format", help="table | json"),
) -> None:
    _format(output_format, ("table", "json"))
    for_requests = row is not None or column is not None
    for_appeals = appeal_kind is not None or result is not None
    if for_requests == for_appeals:
        fail(
            "请指定表三的 --row（及 --column），或表四的 --appeal-kind（及 --result），二者选一", 2
        )
    instant = _as_of(as_of)
    if for_requests:
        if row is None:
            fail("缺少 --row（表三的行）", 2)
        row, column = (
            _named(cell_names.request_row, row),
            _named(cell_names.request_column, column or "total"),
        )
        with reading() as session:
            found = drilldown.request_cell(
                session, agency_by_code(session, agency), year, instant, row, column, subtree
            )
        _show_request_cell(found, output_format)
        return
    if appeal_kind is None:
        fail("缺少 --appeal-kind（表四的类别）", 2)
    kind = _named(cell_names.appeal_kind, appeal_kind)
    column_ = _named(cell_names.appeal_result, result or "total")
    with reading() as session:
        behind = drilldown.appeal_cell(
            session, agency_by_code(session, agency), year, instant, kind, column_, subtree
        )
    _show_appeal_cell(behind, output_format)


def _show_request_cell(found: drilldown.RequestCell, output_format: str) -> None:
    data = found.as_json()
    if output_format == "json":
        _echo_json(data)
        return
    console.print(
        f"{found.agency} {found.year}年 表三 {data['row_label']} × {data['column_label']}："
        f"{len(found.cases)} 件"
    )
    if not found.cases:
        return
    table = Table("案件编号", "机关", "收到日期", "办结日期", "办理结果", "申请人类型")
    for c in found.cases:
        table.add_row(
            c.ref,
            c.agency,
            str(c.received_on),
            str(c.concluded_on or "—"),
            _outcome_label(c.outcome),
            _kind_label(c.applicant_kind),
        )
    console.print(table)


def _show_appeal_cell(found: drilldown.AppealCell, output_format: str) -> None:
    data = found.as_json()
    if output_format == "json":
        _echo_json(data)
        return
    console.print(
        f"{found.agency} {found.year}年 表四 {data['kind_label']} × {data['result_label']}："
        f"{len(found.appeals)} 件"
    )
    if not found.appeals:
        return
    table = Table("编号", "机关", "涉及案件", "提起日期", "审结日期", "结果")
    for line in data["appeals"]:
        table.add_row(
            str(line["id"]),
            line["agency"],
            line["case_ref"] or "—",
            line["filed_on"],
            line["decided_on"] or "—",
            line["result_label"] or "—",
        )
    console.print(table)


def period_cmd(
    agency: str = typer.Option(..., "--agency"),
    month: str | None = typer.Option(None, "--month", help="月份，如 2024-03"),
    quarter: str | None = typer.Option(None, "--quarter", help="季度，如 2024Q1"),
    first: str | None = typer.Option(None, "--from", help="开始日期（含），如 2024-03-05"),
    last: str | None = typer.Option(None, "--to", help="结束日期（含），如 2024-04-04"),
    as_of: str | None = AS_OF,
    subtree: bool = typer.Option(False, "--subtree", help="包括下级机关"),
    output_format: str = typer.Option("table", "--format", help="table | text | json"),
) -> None:
    _format(output_format, ("table", "text", "json"))
    try:
        span = period.parse_period(first=first, last=last, month=month, quarter=quarter)
    except CaseworkError as error:
        fail(str(error), 2)
    instant = _as_of(as_of)
    with reading() as session:
        result = period.period_report(
            session, agency_by_code(session, agency), span, instant, subtree
        )
    if output_format == "json":
        _echo_json(result.as_json())
    elif output_format == "text":
        typer.echo(period.render_text(result), nl=False)
    else:
        _show_period(result)


def _show_period(result: period.PeriodReport) -> None:
    console.print(f"【{period.NOTICE}】")
    console.print(result.heading)
    console.print(result.basis)
    requests = Table("申请办理情况", *(cell_names.COLUMN_LABELS[c] for c in COLUMNS))
    requests.columns[0].no_wrap, requests.columns[0].max_width = True, 24
    for row, numbers in result.rows().items():
        requests.add_row(period.PERIOD_SHORT_LABELS[row], *map(str, numbers))
    console.print(requests)
    results = RESULT_COLUMNS
    appeals = Table("行政复议、行政诉讼", *(cell_names.APPEAL_RESULT_LABELS[r] for r in results))
    for kind, label in KINDS.items():
        appeals.add_row(label, *(str(result.appeals[kind][r]) for r in results))
    console.print(appeals)


def rollup_cmd(
    year: int = YEAR,
    agency: str = typer.Option(..., "--agency", help="区、县政府或政务公开办等上级机关的代码"),
    as_of: str | None = AS_OF,
    output_format: str = typer.Option("table", "--format", help="table | json"),
) -> None:
    _format(output_format, ("table", "json"))
    instant = _as_of(as_of)
    with reading() as session:
        result = rollup.rollup(
            session,
            agency_by_code(session, agency),
            year,
            instant,
            today(),
            settings().report_due_default,
        )
    if output_format == "json":
        _echo_json(result.as_json())
        return
    _show_rollup(result)


def _figures(f: rollup.Figures) -> list[str]:
    numbers = [f.new, f.carried_in, f.concluded_total, f.carried_out]
    return [str(n) for n in numbers] + [str(f.groups[g.value]) for g in OutcomeGroup]


def _show_rollup(result: rollup.Rollup) -> None:
    console.print(f"{result.agency_name}（{result.agency}）及下级机关 {result.year}年 统计汇总")
    groups = [cell_names.GROUP_SHORT_LABELS[g].split("）", 1)[1] for g in OutcomeGroup]
    table = Table("机关", "新收", "上年结转", "办结", "结转下年", *groups, "年度报告")
    for r in result.rows:
        published = ""
        if r.publication is not None:
            published = f"第{r.publication.revision}版 {china_today(r.publication.published_at)} "
        table.add_row(
            "  " * r.depth + f"{r.name}（{r.code}）",
            *_figures(r.figures),
            published + r.status.label,
        )
    table.add_row("合计", *_figures(result.total), "")
    console.print(table)
    late = result.unpublished
    if not late:
        console.print(f"截至 {result.day}，没有未按期发布年度报告的机关")
        return
    console.print(f"未按期发布年度报告的机关（{len(late)} 个，截至 {result.day}）：")
    listing = Table("机关", "名称", "报告截止日", "情况", "逾期天数")
    for r in late:
        listing.add_row(r.code, r.name, str(r.due), r.status.label, str(r.days_late))
    console.print(listing)
