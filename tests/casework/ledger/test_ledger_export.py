"""Exporting a ledger, and export → import round trips (issue 6)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from openpyxl import load_workbook
from sqlalchemy import Engine
from sqlmodel import Session, col, select

from casework.ledger.columns import COLUMNS
from casework.models import Agency, Case
from tests.casework.ledger.sheets import sheet_values
from tests.casework.ledger.support import (
    EXAMPLES,
    export_file,
    figures,
    import_file,
    replay_file,
    replay_raw,
    total_new,
)

PERSON = {
    "kind": "natural_person",
    "name": "王小明",
    "id_number": "610113199001011234",
    "phone": "13800138000",
    "address": "西安市雁塔区某路1号",
    "email": "wang@example.com",
}


def _case(ref: str, received: str, actions: list[dict[str, Any]], **extra: Any) -> dict[str, Any]:
    return {
        "ref": ref,
        "applicant": extra.pop("applicant", {"kind": "natural_person", "name": f"申请人{ref}"}),
        "channel": extra.pop("channel", "online"),
        "received_on": received,
        "request": extra.pop("request", f"申请公开文件{ref}"),
        "actions": actions,
        **extra,
    }


# Every step a ledger row can hold, on the rules' real dates.
RICH = {
    "agency": {"code": "rt", "name": "往返测试局"},
    "cases": [
        _case("R-01", "2024-03-04", [
            {"on": "2024-03-06", "action": "start_consultation",
             "parties": [{"name": "甲公司", "received_on": "2024-03-07"},
                         {"name": "乙研究所", "received_on": "2024-03-07"}]},
            {"on": "2024-03-15", "action": "receive_opinion", "opinion": "consent", "party": "甲公司"},
            {"on": "2024-04-15", "action": "reply", "outcome": "disclosed"},
            {"on": "2024-04-16", "action": "deliver", "method": "electronic"}],
            applicant=PERSON, delivery="electronic"),
        _case("R-02", "2024-05-06", [
            {"on": "2024-05-08", "action": "issue_fee_notice", "amount": 300, "basis": "per_item",
             "applicant_received_on": "2024-05-09"},
            {"on": "2024-05-20", "action": "receive_payment"},
            {"on": "2024-06-03", "action": "reply", "outcome": "partially_disclosed",
             "basis": "《中华人民共和国政府信息公开条例》第三十七条"},
            {"on": "2024-06-04", "action": "deliver", "method": "in_person"}],
            applicant={"kind": "commercial_enterprise", "name": "某某科技有限公司"}),
        _case("R-03", "2024-07-01", [
            {"on": "2024-07-03", "action": "issue_fee_notice", "amount": "120.5",
             "basis": "per_volume"}],
            applicant={"kind": "legal_service_org", "name": "某律师事务所"}),
        _case("R-04", "2024-08-01", [
            {"on": "2024-08-28", "action": "extend", "days_wd": 15, "reason": "需调取档案（批准人：李科长）"},
            {"on": "2024-09-20", "action": "reply", "outcome": "withheld.deliberative"},
            {"on": "2024-09-23", "action": "deliver", "method": "post"}], channel="post"),
        _case("R-05", "2024-09-02", [{"on": "2024-09-05", "action": "withdraw"}]),
        _case("R-06", "2024-10-08", [
            {"on": "2024-10-09", "action": "request_correction", "period_wd": 10,
             "items": ["请说明所需信息的名称", "请提供身份证明"], "served_on": "2024-10-11"},
            {"on": "2024-10-18", "action": "receive_correction"},
            {"on": "2024-11-01", "action": "reply", "outcome": "not_processed.duplicate"}],
            channel="in_person"),
        _case("R-07", "2026-11-20", [], request="=HYPERLINK(\"http://x\")：仍在办理"),
        _case("R-08", "2025-12-22", [
            {"on": "2025-12-24", "action": "extend", "days_wd": 20, "reason": "情况复杂"}],
            applicant={"kind": "public_interest_org", "name": "某公益基金会"}, channel="fax"),
    ],
}  # fmt: skip


def _states(engine: Engine, code: str) -> list[tuple[Any, ...]]:
    with Session(engine) as session:
        agency = session.exec(select(Agency).where(Agency.code == code)).one()
        cases = session.exec(
            select(Case).where(Case.agency_id == agency.id).order_by(col(Case.ref))
        ).all()
        return [
            (c.ref, c.received_on, c.applicant_kind, c.channel, c.state, c.outcome,
             c.concluded_on, c.reply_due, c.reply_paused, c.next_due, c.next_clock)
            for c in cases
        ]  # fmt: skip


def test_export_then_import_gives_the_same_cases_and_the_same_ledger(
    engine: Engine, tmp_path: Path
) -> None:
    replay_raw(engine, RICH)
    first = export_file(engine, "rt", tmp_path / "first.xlsx")
    result = import_file(engine, first, "copy")
    assert result.ok, result.problems
    assert result.rows == len(RICH["cases"])
    assert _states(engine, "copy") == _states(engine, "rt")
    for year in (2024, 2025, 2026):
        assert figures(engine, "copy", year) == figures(engine, "rt", year)
    again = export_file(engine, "copy", tmp_path / "again.xlsx")
    assert sheet_values(again) == sheet_values(first)


def test_the_longer_history_round_trips_its_report(engine: Engine, tmp_path: Path) -> None:
    # amended outcomes, a voided case, appeals: what a ledger row cannot hold leaves table 三
    # and the fee statement unchanged (appeals are not ledger rows: table 四 is left out)
    code = replay_file(engine, EXAMPLES / "history-2022-2025.json")
    result = import_file(engine, export_file(engine, code, tmp_path / "h.xlsx"), "copy")
    assert result.ok, result.problems
    for year in range(2022, 2027):
        original, copied = figures(engine, code, year), figures(engine, "copy", year)
        assert total_new(original) + sum(original["requests"]["rows"]["carried_in"]) > 0
        assert copied["requests"] == original["requests"] and copied["fees"] == original["fees"]


def test_the_export_has_the_import_headers_dates_and_a_frozen_header(
    engine: Engine, tmp_path: Path
) -> None:
    replay_raw(engine, RICH)
    path = export_file(engine, "rt", tmp_path / "rt.xlsx", year=2024)
    book = load_workbook(path)
    assert len(book.worksheets) == 1
    sheet = book.worksheets[0]
    assert sheet.title == "2024年申请办理台账" and sheet.freeze_panes == "A2"
    headers = [c.value for c in sheet[1]]
    assert headers == [c.header for c in COLUMNS]
    refs = [row[0].value for row in sheet.iter_rows(min_row=2)]
    assert refs == ["R-01", "R-02", "R-03", "R-04", "R-05", "R-06"]  # received in 2024 only
    received = sheet.cell(row=2, column=headers.index("收到申请日期") + 1)
    assert received.is_date and received.number_format == "yyyy-mm-dd"
    assert sheet.column_dimensions["J"].width == next(
        c.width for c in COLUMNS if c.key == "request"
    )
    opinions = sheet.cell(row=2, column=headers.index("第三方意见") + 1).value
    assert opinions == "甲公司：同意；乙研究所：未答复"


def test_text_that_looks_like_a_formula_stays_text(engine: Engine, tmp_path: Path) -> None:
    replay_raw(engine, RICH)
    sheet = load_workbook(export_file(engine, "rt", tmp_path / "rt.xlsx", year=2026)).worksheets[0]
    cell = sheet.cell(row=2, column=[c.key for c in COLUMNS].index("request") + 1)
    assert cell.data_type == "s" and str(cell.value).startswith("=HYPERLINK")


def test_personal_data_is_masked_unless_asked(engine: Engine, tmp_path: Path) -> None:
    replay_raw(engine, RICH)
    keys = [c.key for c in COLUMNS]

    def applicant(mask: bool) -> dict[str, Any]:
        path = export_file(engine, "rt", tmp_path / f"m{mask}.xlsx", year=2024, mask=mask)
        first = sheet_values(path)[1]
        return {k: first[keys.index(k)] for k in keys if k.startswith("applicant.")}

    masked, plain = applicant(True), applicant(False)
    assert plain["applicant.name"] == PERSON["name"] and plain["applicant.phone"] == PERSON["phone"]
    assert plain["applicant.id_number"] == PERSON["id_number"]
    assert plain["applicant.address"] == PERSON["address"]
    assert masked["applicant.name"] == "王**"
    assert masked["applicant.id_number"] == "610***********1234"
    assert masked["applicant.phone"] == "138****8000"
    assert masked["applicant.address"] is None and masked["applicant.email"] is None
    assert masked["applicant.kind"] == plain["applicant.kind"] == "自然人"


def test_a_masked_export_is_not_imported_as_if_it_named_people(
    engine: Engine, tmp_path: Path
) -> None:
    """Masked, every 王** would be one applicant: fee counts and repeat requests of different
    people would merge. The import refuses such rows and names the cell."""
    replay_raw(engine, RICH)
    masked = export_file(engine, "rt", tmp_path / "masked.xlsx", mask=True)
    result = import_file(engine, masked, "copy")
    assert not result.ok
    assert result.problems and all("脱敏" in line for line in result.problems), result.problems
    with Session(engine) as s:
        assert s.exec(select(Agency).where(col(Agency.code) == "copy")).first() is None
