"""A 2023 history with figures in most cells of tables 二–四: every reply outcome, under
several applicant kinds; the closures without a reply (correction or fee not forthcoming,
withdrawal); a case carried in from 2022 and one carried out to 2024; appeals of each kind with
each result; table 二 inputs; a fee notice paid and one not. A replay file (DESIGN §5)."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from workflows.outcomes import REPLY_OUTCOMES, ApplicantKind

AGENCY = {"code": "busy", "name": "某区某局"}
YEAR = 2023
KINDS = [k.value for k in ApplicantKind]
PROACTIVE = {
    "regulations": {"issued": 1, "repealed": 2, "in_force": 3},
    "normative_documents": {"issued": 4, "repealed": 5, "in_force": 6},
    "licensing": 7,
    "penalties": 8,
    "enforcement": 9,
    "admin_fees_wan_yuan": 12.5,
}


def _case(ref: str, kind: str, received: date, *actions: dict[str, Any]) -> dict[str, Any]:
    return {
        "ref": ref,
        "applicant": {"kind": kind, "name": f"申请人{ref}"},
        "channel": "online",
        "received_on": received.isoformat(),
        "request": f"申请公开某事项（{ref}）",
        "actions": list(actions),
    }


def _on(day: date, action: str, **fields: Any) -> dict[str, Any]:
    return {"on": day.isoformat(), "action": action, **fields}


def _weekday(day: date) -> date:
    while day.weekday() >= 5:
        day += timedelta(days=1)
    return day


def history() -> dict[str, Any]:
    cases: list[dict[str, Any]] = []
    start = date(YEAR, 3, 1)
    for i, code in enumerate(REPLY_OUTCOMES):
        # outcome i: i % 3 + 1 cases, under kinds i, i+1, … (so columns and rows both vary)
        for j in range(i % 3 + 1):
            received = _weekday(start + timedelta(days=7 * i + j))
            replied = _weekday(received + timedelta(days=10))
            kind = KINDS[(i + j) % len(KINDS)]
            cases.append(_case(f"R{i:02d}{j}", kind, received, _on(replied, "reply", outcome=code)))
    cases += [
        _case("C1", KINDS[0], date(YEAR, 6, 5),
              _on(date(YEAR, 6, 7), "request_correction", period_wd=10, items=["请明确所需信息"])),
        _case("C2", KINDS[2], date(YEAR, 6, 12),
              _on(date(YEAR, 6, 14), "request_correction", period_wd=10, items=["请明确所需信息"])),
        _case("F1", KINDS[1], date(YEAR, 7, 3),
              _on(date(YEAR, 7, 5), "issue_fee_notice", amount=300, basis="per_item")),
        _case("F2", KINDS[0], date(YEAR, 7, 10),
              _on(date(YEAR, 7, 12), "issue_fee_notice", amount=150, basis="per_item"),
              _on(date(YEAR, 7, 20), "receive_payment"),
              _on(date(YEAR, 7, 31), "reply", outcome=REPLY_OUTCOMES[0])),
        _case("W1", KINDS[5], date(YEAR, 8, 1), _on(date(YEAR, 8, 3), "withdraw", reason="撤回")),
        _case("W2", KINDS[0], date(YEAR, 8, 7), _on(date(YEAR, 8, 9), "withdraw", reason="撤回")),
        _case("IN1", KINDS[2], date(YEAR - 1, 12, 20),
              _on(date(YEAR, 1, 10), "reply", outcome=REPLY_OUTCOMES[1])),
        _case("IN2", KINDS[0], date(YEAR - 1, 12, 21),
              _on(date(YEAR, 1, 11), "reply", outcome=REPLY_OUTCOMES[0])),
        _case("OUT1", KINDS[4], date(YEAR, 12, 20),
              _on(date(YEAR + 1, 1, 10), "reply", outcome=REPLY_OUTCOMES[0])),
        _case("OUT2", KINDS[0], date(YEAR, 12, 25),
              _on(date(YEAR + 1, 1, 12), "reply", outcome=REPLY_OUTCOMES[0])),
    ]  # fmt: skip
    appeals = [  # on the first replies: (kind, filed, result, decided)
        ("reconsideration", "2023-05-04", "upheld", "2023-06-30"),
        ("reconsideration", "2023-05-05", "corrected", "2023-07-03"),
        ("reconsideration", "2023-11-20", "pending", None),
        ("litigation_direct", "2023-05-08", "other", "2023-09-01"),
        ("litigation_direct", "2023-05-09", "upheld", "2023-10-09"),
        ("litigation_after_reconsideration", "2023-08-01", "corrected", "2023-12-01"),
        ("litigation_after_reconsideration", "2023-12-01", "pending", None),
    ]
    for case, (kind, filed, result, decided) in zip(cases, appeals, strict=False):
        appeal: dict[str, Any] = {"kind": kind, "filed_on": filed, "result": result}
        if decided:
            appeal["decided_on"] = decided
        case["appeals"] = [appeal]
    return {"agency": AGENCY, "cases": cases, "proactive": {str(YEAR): PROACTIVE}}
