"""A second, independent example history (2022–2025, agency demo-wsj) replayed through the CLI.

Every expected number below was worked out by hand from the rules (DESIGN §3.3–3.6) and the
holiday notices, never computed by the code under test. Columns: natural_person,
commercial_enterprise, research_institution, public_interest_org, legal_service_org, other_org,
total. Abbreviations in the comments: NP CE RI PI LS OO.

Dates the hand-work depends on (day 0 = the start; WD = working days):
- 2022-003: correction served 2022-06-15 + 10 WD = Wed 2022-06-29 → deemed abandoned 2022-06-30.
- 2022-005: correction served Thu 2022-12-08 + 20 WD = Fri 2023-01-06 (元旦 2022-12-31–2023-01-02
  off), so still waiting at 31 Dec 2022; corrected 2023-01-04, replied 2023-02-01.
- 2022-006: consultation 2022-12-16, window + 15 WD = Mon 2023-01-09; opinion 2023-01-05;
  replied 2023-01-17.
- 2023-004: fee notice Mon 2023-12-11 + 20 WD = Tue 2024-01-09 (元旦 2024-01-01 off)
  → deemed abandoned 2024-01-10.
- 2023-005: fee notice Thu 2023-12-14 (window ends 2024-01-12); paid 2024-01-08; replied 2024-01-19.
- 2023-006: correction served Wed 2023-12-13 + 15 WD = Thu 2024-01-04 → abandoned 2024-01-05.
- 2024-006: correction served 2024-12-10 + 15 WD = Tue 2024-12-31 → abandoned on Wed
  2025-01-01, so it is carried out of 2024 and concluded in 2025.
- 2024-007: one party (received 2024-12-13) never answers, its window + 15 WD = Mon 2025-01-06
  → consultation over 2025-01-07; replied 2025-01-22.
- 2024-008: received Mon 2024-12-16, due + 20 WD = Tue 2025-01-14, extended that day by 10 WD
  to Mon 2025-01-27 (2025-01-26 is a make-up Sunday); replied 2025-01-24.
- 2025-005: received 2025-12-15, replied 2026-01-08.
- 2024-002 is voided (duplicate registration of 2024-001): counted nowhere.
- 2023-002 was replied 2023-05-25 as withheld.internal_affairs and amended on 2024-03-05 to
  withheld.deliberative: it stays in 2023, in the amended row.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from tests.casework.cli.cli_support import CliRunner

ROOT = Path(__file__).resolve().parents[3]
HISTORY = ROOT / "examples" / "history-2022-2025.json"
AGENCY = "demo-wsj"

ZERO = [0, 0, 0, 0, 0, 0, 0]
OUTCOME_CODES = (
    "disclosed",
    "partially_disclosed",
    "withheld.state_secret",
    "withheld.prohibited_by_law",
    "withheld.security_stability",
    "withheld.third_party_rights",
    "withheld.internal_affairs",
    "withheld.deliberative",
    "withheld.enforcement_file",
    "withheld.administrative_inquiry",
    "unavailable.not_held",
    "unavailable.needs_creation",
    "unavailable.still_unclear",
    "not_processed.petition_complaint",
    "not_processed.duplicate",
    "not_processed.publication",
    "not_processed.excessive",
    "not_processed.confirm_or_reissue",
    "other.correction_not_submitted",
    "other.fee_not_paid",
    "other.other",
)


def _replayed(cli: CliRunner) -> None:
    assert cli("init").code == 0
    result = cli("replay", str(HISTORY))
    assert result.code == 0, result


def _report(cli: CliRunner, year: int) -> dict[str, Any]:
    result = cli("report", "show", str(year), "--agency", AGENCY, "--format", "json")
    assert result.code == 0, result
    data: dict[str, Any] = json.loads(result.out)
    return data


def _rows(cli: CliRunner, year: int) -> dict[str, list[int]]:
    rows: dict[str, list[int]] = _report(cli, year)["requests"]["rows"]
    return rows


def _expected(
    new: list[int],
    carried_in: list[int],
    outcomes: dict[str, list[int]],
    concluded_total: list[int],
    carried_out: list[int],
) -> dict[str, list[int]]:
    """The full row set: every outcome code not listed is all zeros."""
    assert set(outcomes) <= set(OUTCOME_CODES)
    return {
        "new": new,
        "carried_in": carried_in,
        **{code: outcomes.get(code, ZERO) for code in OUTCOME_CODES},
        "concluded_total": concluded_total,
        "carried_out": carried_out,
    }


def test_the_history_replays_cleanly(cli: CliRunner) -> None:
    assert cli("init").code == 0
    result = cli("replay", str(HISTORY))
    assert result.code == 0, result
    assert "29 件案件" in result.out
    # the four deemed abandonments fall on the day after the period's last day
    assert "2022-06-30 案件 2022-003" in result.out
    assert "2024-01-05 案件 2023-006" in result.out
    assert "2024-01-10 案件 2023-004" in result.out
    assert "2025-01-01 案件 2024-006" in result.out
    assert "2025-01-07 案件 2024-007" in result.out


def test_2022_requests(cli: CliRunner) -> None:
    _replayed(cli)
    # new: NP 2022-001, -003, -005, -007, -008; CE 2022-002; RI 2022-004; PI 2022-006.
    # disclosed: NP 2022-001. state_secret: NP 2022-007. third_party_rights: CE 2022-002.
    # needs_creation: RI 2022-004 (extended, replied 2022-08-18).
    # petition_complaint: NP 2022-008. correction_not_submitted: NP 2022-003 (2022-06-30).
    # carried_out: NP 2022-005 (waiting for correction), PI 2022-006 (consulting).
    assert _rows(cli, 2022) == _expected(
        new=[5, 1, 1, 1, 0, 0, 8],
        carried_in=ZERO,
        outcomes={
            "disclosed": [1, 0, 0, 0, 0, 0, 1],
            "withheld.state_secret": [1, 0, 0, 0, 0, 0, 1],
            "withheld.third_party_rights": [0, 1, 0, 0, 0, 0, 1],
            "unavailable.needs_creation": [0, 0, 1, 0, 0, 0, 1],
            "not_processed.petition_complaint": [1, 0, 0, 0, 0, 0, 1],
            "other.correction_not_submitted": [1, 0, 0, 0, 0, 0, 1],
        },
        concluded_total=[4, 1, 1, 0, 0, 0, 6],
        carried_out=[1, 0, 0, 1, 0, 0, 2],
    )


def test_2023_requests(cli: CliRunner) -> None:
    _replayed(cli)
    # new: NP 2023-002, -004, -006, -008; CE 2023-005; RI 2023-007; LS 2023-001; OO 2023-003.
    # carried_in: NP 2022-005, PI 2022-006.
    # disclosed: PI 2022-006. security_stability: RI 2023-007.
    # deliberative: NP 2023-002 (replied 2023 as internal_affairs, amended 2024).
    # enforcement_file: LS 2023-001. still_unclear: NP 2022-005.
    # duplicate: OO 2023-003. other.other: NP 2023-008 (withdrawn while consulting).
    # carried_out: NP 2023-004 (fee pending), NP 2023-006 (waiting for correction),
    # CE 2023-005 (fee pending).
    assert _rows(cli, 2023) == _expected(
        new=[4, 1, 1, 0, 1, 1, 8],
        carried_in=[1, 0, 0, 1, 0, 0, 2],
        outcomes={
            "disclosed": [0, 0, 0, 1, 0, 0, 1],
            "withheld.security_stability": [0, 0, 1, 0, 0, 0, 1],
            "withheld.deliberative": [1, 0, 0, 0, 0, 0, 1],
            "withheld.enforcement_file": [0, 0, 0, 0, 1, 0, 1],
            "unavailable.still_unclear": [1, 0, 0, 0, 0, 0, 1],
            "not_processed.duplicate": [0, 0, 0, 0, 0, 1, 1],
            "other.other": [1, 0, 0, 0, 0, 0, 1],
        },
        concluded_total=[3, 0, 1, 1, 1, 1, 7],
        carried_out=[2, 1, 0, 0, 0, 0, 3],
    )


def test_2024_requests(cli: CliRunner) -> None:
    _replayed(cli)
    # new: NP 2024-001, -004, -006, -008; CE 2024-003; PI 2024-007; OO 2024-005
    # (2024-002 is void: not counted).
    # carried_in: NP 2023-004, NP 2023-006, CE 2023-005.
    # disclosed: CE 2023-005 (paid 2024-01-08). prohibited_by_law: OO 2024-005.
    # administrative_inquiry: CE 2024-003. not_held: NP 2024-001. excessive: NP 2024-004.
    # correction_not_submitted: NP 2023-006 (2024-01-05). fee_not_paid: NP 2023-004 (2024-01-10).
    # carried_out: NP 2024-006 (correction period ends 2024-12-31), NP 2024-008 (extended),
    # PI 2024-007 (consulting).
    assert _rows(cli, 2024) == _expected(
        new=[4, 1, 0, 1, 0, 1, 7],
        carried_in=[2, 1, 0, 0, 0, 0, 3],
        outcomes={
            "disclosed": [0, 1, 0, 0, 0, 0, 1],
            "withheld.prohibited_by_law": [0, 0, 0, 0, 0, 1, 1],
            "withheld.administrative_inquiry": [0, 1, 0, 0, 0, 0, 1],
            "unavailable.not_held": [1, 0, 0, 0, 0, 0, 1],
            "not_processed.excessive": [1, 0, 0, 0, 0, 0, 1],
            "other.correction_not_submitted": [1, 0, 0, 0, 0, 0, 1],
            "other.fee_not_paid": [1, 0, 0, 0, 0, 0, 1],
        },
        concluded_total=[4, 2, 0, 0, 0, 1, 7],
        carried_out=[2, 0, 0, 1, 0, 0, 3],
    )


def test_2025_requests(cli: CliRunner) -> None:
    _replayed(cli)
    # new: NP 2025-002, -005; CE 2025-003; LS 2025-001; OO 2025-004.
    # carried_in: NP 2024-006, NP 2024-008, PI 2024-007.
    # disclosed: CE 2025-003. partially_disclosed: PI 2024-007. internal_affairs: NP 2025-002.
    # not_held: OO 2025-004. publication: NP 2024-008. confirm_or_reissue: LS 2025-001.
    # correction_not_submitted: NP 2024-006 (deemed abandoned 2025-01-01).
    # carried_out: NP 2025-005 (received 2025-12-15, replied 2026-01-08).
    assert _rows(cli, 2025) == _expected(
        new=[2, 1, 0, 0, 1, 1, 5],
        carried_in=[2, 0, 0, 1, 0, 0, 3],
        outcomes={
            "disclosed": [0, 1, 0, 0, 0, 0, 1],
            "partially_disclosed": [0, 0, 0, 1, 0, 0, 1],
            "withheld.internal_affairs": [1, 0, 0, 0, 0, 0, 1],
            "unavailable.not_held": [0, 0, 0, 0, 0, 1, 1],
            "not_processed.publication": [1, 0, 0, 0, 0, 0, 1],
            "not_processed.confirm_or_reissue": [0, 0, 0, 0, 1, 0, 1],
            "other.correction_not_submitted": [1, 0, 0, 0, 0, 0, 1],
        },
        concluded_total=[3, 1, 0, 1, 1, 1, 7],
        carried_out=[1, 0, 0, 0, 0, 0, 1],
    )


def test_each_year_carries_out_what_the_next_carries_in(cli: CliRunner) -> None:
    _replayed(cli)
    rows = {year: _rows(cli, year) for year in (2022, 2023, 2024, 2025)}
    for year in (2022, 2023, 2024):
        assert rows[year]["carried_out"] == rows[year + 1]["carried_in"], year


def test_every_outcome_row_and_column_is_used(cli: CliRunner) -> None:
    _replayed(cli)
    used_rows: set[str] = set()
    used_columns = [0] * 7
    for year in (2022, 2023, 2024, 2025):
        rows = _rows(cli, year)
        used_rows |= {code for code in OUTCOME_CODES if rows[code][-1] > 0}
        used_columns = [a + b for a, b in zip(used_columns, rows["new"], strict=True)]
    assert used_rows == set(OUTCOME_CODES)
    assert all(count > 0 for count in used_columns)


def _group(upheld: int, corrected: int, other: int, pending: int, total: int) -> dict[str, int]:
    return {
        "upheld": upheld,
        "corrected": corrected,
        "other": other,
        "pending": pending,
        "total": total,
    }


@pytest.mark.parametrize(
    ("year", "expected"),
    [
        # no appeals
        (
            2022,
            {
                "reconsideration": _group(0, 0, 0, 0, 0),
                "litigation_direct": _group(0, 0, 0, 0, 0),
                "litigation_after_reconsideration": _group(0, 0, 0, 0, 0),
            },
        ),
        # reconsideration on 2023-001 filed 2023-04-10, upheld 2023-06-08;
        # litigation after it filed 2023-06-20, undecided at 31 Dec (decided 2024-04-18)
        (
            2023,
            {
                "reconsideration": _group(1, 0, 0, 0, 1),
                "litigation_direct": _group(0, 0, 0, 0, 0),
                "litigation_after_reconsideration": _group(0, 0, 0, 1, 1),
            },
        ),
        # reconsideration on 2024-005 filed 2024-12-05, undecided at 31 Dec (corrected 2025);
        # litigation after reconsideration on 2023-001 upheld 2024-04-18
        (
            2024,
            {
                "reconsideration": _group(0, 0, 0, 1, 1),
                "litigation_direct": _group(0, 0, 0, 0, 0),
                "litigation_after_reconsideration": _group(1, 0, 0, 0, 1),
            },
        ),
        # reconsideration on 2024-005 corrected 2025-01-24;
        # direct litigation on 2025-001 filed 2025-04-10, other result 2025-09-15;
        # direct litigation on 2025-004 filed 2025-10-20, still pending
        (
            2025,
            {
                "reconsideration": _group(0, 1, 0, 0, 1),
                "litigation_direct": _group(0, 0, 1, 1, 2),
                "litigation_after_reconsideration": _group(0, 0, 0, 0, 0),
            },
        ),
    ],
)
def test_appeals_table_four(cli: CliRunner, year: int, expected: dict[str, dict[str, int]]) -> None:
    _replayed(cli)
    assert _report(cli, year)["appeals"] == expected
