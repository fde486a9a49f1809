"""One ledger row → one case of the replay model (`FileCase` with its `FileAction`s), or the
reasons it cannot be read, each naming the column and the value."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from openpyxl.utils.datetime import from_excel

from casework.errors import ActionError, CaseworkError
from casework.ledger.columns import COLUMNS, Kind
from casework.ledger.mapping import Plan
from casework.ledger.vocabulary import ABANDONED, NO_ANSWER, UnknownWord
from casework.services.replay import FileAction, FileCase
from workflows.actions import ACTION_BY_NAME
from workflows.outcomes import CORRECTION_NOT_SUBMITTED, FEE_NOT_PAID, WITHDRAWN

DEFAULT_EXTENSION_WD = 20
NO_REASON = "（台账未载明延期理由）"
APPROVER = re.compile(r"^(?P<reason>.*)（批准人：(?P<approver>[^）]*)）$", re.S)
# Steps on the same day keep the workflow's order.
_ORDER = {
    "request_correction": 0,
    "receive_correction": 1,
    "start_consultation": 2,
    "receive_opinion": 3,
    "extend": 4,
    "issue_fee_notice": 5,
    "receive_payment": 6,
    "reply": 7,
    "withdraw": 7,
    "deliver": 8,
}
_DATE = re.compile(
    r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?(?:\s+\d{1,2}:\d{2}(?::\d{2})?)?$"
)
_COMPACT_DATE = re.compile(r"^(\d{4})(\d{2})(\d{2})$")
_LIST_SPLIT = re.compile(r"[；;\n\r]+")
_PARTY_SPLIT = re.compile(r"[；;、，,\n\r]+")
_NAMED = re.compile(r"^(?P<name>.+?)\s*[：:]\s*(?P<word>[^：:]+)$")


class CellError(ValueError):
    """Why a cell cannot be read (Chinese, without the value)."""


def show(value: Any) -> str:
    """A cell's value as the user sees it in the sheet."""
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == datetime.min.time() else str(value)
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    text = str(value).strip()
    return text if len(text) <= 40 else text[:40] + "…"


def to_text(value: Any) -> str:
    if isinstance(value, datetime | date):
        return show(value)
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def to_date(value: Any) -> date:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, bool):
        raise CellError("不是有效日期")
    if isinstance(value, int | float):
        if float(value).is_integer() and 19000101 <= value <= 21001231:
            return to_date(str(int(value)))
        if 1 <= value < 2958466:  # an Excel date serial in a cell without a date format
            converted = from_excel(value)
            if isinstance(converted, datetime):
                return converted.date()
        raise CellError("不是有效日期")
    text = str(value).strip()
    match = _DATE.match(text) or _COMPACT_DATE.match(text)
    if match is None:
        raise CellError("不是有效日期（如 2023-03-02）")
    try:
        return date(int(match[1]), int(match[2]), int(match[3]))
    except ValueError:
        raise CellError("不是有效日期") from None


def to_int(value: Any) -> int:
    if isinstance(value, bool):
        raise CellError("不是整数")
    if isinstance(value, int):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    match = re.match(r"^\s*(\d+)\s*(?:个?工作日|日|天)?\s*$", str(value))
    if match is None:
        raise CellError("不是整数（工作日数）")
    return int(match[1])


def to_amount(value: Any) -> Decimal:
    if isinstance(value, bool):
        raise CellError("不是有效金额")
    text = re.sub(r"^[¥￥]|元$", "", str(value).strip()).replace(",", "").strip()
    try:
        amount = Decimal(text)
    except InvalidOperation:
        raise CellError("不是有效金额（元）") from None
    if not amount.is_finite() or amount <= 0:
        raise CellError("须为大于0的金额（元）")
    if amount != amount.quantize(Decimal("0.01")):
        raise CellError("最多两位小数（元）")
    # one form for one amount (a spreadsheet's 500.0 is the history's 500)
    plain = format(amount.quantize(Decimal("0.01")), "f").rstrip("0").rstrip(".")
    return Decimal(plain)


@dataclass(frozen=True)
class Source:
    """The cell a value or a step came from, to name it in a message."""

    header: str
    value: Any

    def __str__(self) -> str:
        return f"{self.header}“{show(self.value)}”"


@dataclass(frozen=True)
class Expectation:
    """An outcome the ledger records but the system applies by itself (deemed abandonment):
    after the import the case must have it, on the ledger's date if one is given."""

    outcome: str
    outcome_cell: Source
    on: date | None
    date_cell: Source | None


@dataclass
class LedgerRow:
    number: int
    ref: str | None = None
    case: FileCase | None = None  # None: the row has problems
    problems: list[str] = field(default_factory=list)
    step_sources: list[Source] = field(default_factory=list)  # aligned with case.actions
    cells: dict[str, Source] = field(default_factory=dict)
    expect: Expectation | None = None

    def line(self) -> str:
        return f"第{self.number}行 " + "；".join(self.problems)

    def refusal(self, error: CaseworkError) -> str:
        """A refusal by the workflow, told against the cell of the refused step."""
        if not isinstance(error, ActionError):
            return str(error)
        reasons = "；".join(error.reasons)
        step = re.match(r"第(\d+)项", error.action)
        if step is not None and self.case is not None:
            index = int(step[1]) - 1
            action = self.case.actions[index].action
            return f"{self.step_sources[index]}：{ACTION_BY_NAME[action].label}未执行：{reasons}"
        if error.action == "register":
            key = (error.field or "").split(".")
            cell = self.cells.get(".".join(key[:2])) or self.cells.get(key[0])
            cell = cell or self.cells.get("received_on")
            return f"{cell}：登记未执行：{reasons}" if cell else f"登记未执行：{reasons}"
        spec = ACTION_BY_NAME.get(error.action)
        return f"{spec.label if spec else error.action}未执行：{reasons}"


class RowReader:
    """Reads the rows of one ledger with its plan (mapping, defaults, vocabulary)."""

    def __init__(self, plan: Plan) -> None:
        self.plan = plan
        self.vocabulary = plan.spec.vocabulary

    def read(self, number: int, cells: dict[str, Any]) -> LedgerRow:
        row = LedgerRow(number)
        values: dict[str, Any] = {}
        for column in COLUMNS:
            raw = cells.get(column.key)
            if raw is None or (isinstance(raw, str) and not raw.strip()):
                raw = self.plan.spec.defaults.get(column.key)
                if raw is None:
                    if column.required:
                        row.problems.append(f"{self.plan.header_of(column.key)}为空")
                    continue
            source = Source(self.plan.header_of(column.key), raw)
            row.cells[column.key] = source
            try:
                values[column.key] = self._parse(column.key, column.kind, raw)
            except (CellError, UnknownWord) as error:
                row.problems.append(f"{source}{error}")
        row.ref = values.get("ref")
        if not row.problems:
            _Builder(row, values, self.plan).build()
        return row

    def _parse(self, key: str, kind: Kind, raw: Any) -> Any:
        if kind is Kind.DATE:
            return to_date(raw)
        if kind is Kind.INT:
            return to_int(raw)
        if kind is Kind.AMOUNT:
            return to_amount(raw)
        text = to_text(raw)
        if kind is Kind.CHOICE:
            return self.vocabulary.code(key, text)
        if kind is Kind.LIST:
            splitter = _PARTY_SPLIT if key == "consultation.parties" else _LIST_SPLIT
            items = tuple(i.strip() for i in splitter.split(text) if i.strip())
            if key == "opinion.opinion":
                return tuple(self._opinion(item) for item in items)
            return items
        return text

    def _opinion(self, item: str) -> tuple[str | None, str]:
        named = _NAMED.match(item)
        name, word = (named["name"], named["word"]) if named else (None, item)
        return name, self.vocabulary.code("opinion.opinion", word)


class _Builder:
    """The steps of one well-formed row, in date order, each with its source cell."""

    def __init__(self, row: LedgerRow, values: dict[str, Any], plan: Plan) -> None:
        self.row, self.v, self.header = row, values, plan.header_of
        self.steps: list[tuple[date, int, str, dict[str, Any], Source]] = []

    def need(self, key: str, *given: str) -> bool:
        """A step's main date is missing while its other cells are filled: a problem."""
        filled = [self.row.cells[g] for g in given if g in self.v]
        if key in self.v or not filled:
            return key in self.v
        self.row.problems.append(f"{filled[0]}已填写，但{self.header(key)}为空")
        return False

    def step(self, key: str, action: str, fields: dict[str, Any]) -> None:
        clean = {k: v for k, v in fields.items() if v is not None}
        self.steps.append((self.v[key], _ORDER[action], action, clean, self.row.cells[key]))

    def build(self) -> None:
        self._correction()
        self._consultation()
        self._extension()
        self._fee()
        self._outcome()
        self._unmasked()
        if self.need("deliver.on", "deliver.method"):
            self._require("deliver.on", "deliver.method")
            self.step("deliver.on", "deliver", {"method": self.v.get("deliver.method")})
        if self.row.problems:
            return
        self.steps.sort(key=lambda s: (s[0], s[1]))
        self.row.step_sources = [s[4] for s in self.steps]
        v = self.v
        applicant = {
            "kind": v["applicant.kind"],
            "name": v["applicant.name"],
            **{
                k: v[f"applicant.{k}"]
                for k in ("id_number", "phone", "address", "email")
                if f"applicant.{k}" in v
            },
        }
        registration: dict[str, Any] = {
            "applicant": applicant,
            "channel": v["channel"],
            "received_on": v["received_on"].isoformat(),
            "request": v["request"],
        }
        if "delivery" in v:
            registration["delivery"] = v["delivery"]
        actions = [FileAction(on=on, action=a, **_json(f)) for on, _, a, f, _ in self.steps]
        self.row.case = FileCase(ref=v["ref"], actions=actions, **registration)

    def _require(self, key: str, *needed: str) -> None:
        for other in needed:
            if other not in self.v:
                self.row.problems.append(f"{self.row.cells[key]}已填写，但{self.header(other)}为空")

    def _correction(self) -> None:
        v = self.v
        if self.need(
            "correction.on", "correction.period_wd", "correction.items", "correction.served_on"
        ):
            self.step(
                "correction.on",
                "request_correction",
                {
                    "period_wd": v.get("correction.period_wd"),
                    "items": list(v.get("correction.items", ())) or None,
                    "served_on": v.get("correction.served_on"),
                },
            )
        if "correction.received_on" in v:
            self._require("correction.received_on", "correction.on")
            self.step("correction.received_on", "receive_correction", {})

    def _consultation(self) -> None:
        v = self.v
        if not self.need("consultation.on", "consultation.parties", "consultation.served_on"):
            if "opinion.opinion" in v or "opinion.on" in v:
                given = "opinion.on" if "opinion.on" in v else "opinion.opinion"
                self._require(given, "consultation.on")
            return
        self._require("consultation.on", "consultation.parties")
        parties: tuple[str, ...] = v.get("consultation.parties", ())
        served = v.get("consultation.served_on")
        if len(parties) == 1:
            fields: dict[str, Any] = {"party": parties[0], "party_received_on": served}
        else:
            fields = {"parties": [{"name": p, "received_on": served} for p in parties]}
        self.step("consultation.on", "start_consultation", fields)
        answers = self._answers(parties)
        if answers and self.need("opinion.on", "opinion.opinion"):
            for party, opinion in answers:
                self.step("opinion.on", "receive_opinion", {"opinion": opinion, "party": party})
        elif "opinion.on" in v and "opinion.opinion" not in v:
            self._require("opinion.on", "opinion.opinion")

    def _answers(self, parties: tuple[str, ...]) -> list[tuple[str, str]]:
        """Each answering party with its opinion: “甲：同意；乙：未答复”, or one word for all."""
        given: tuple[tuple[str | None, str], ...] = self.v.get("opinion.opinion", ())
        cell = self.row.cells.get("opinion.opinion")
        if not given or not parties:
            return []
        if all(name is None for name, _ in given):
            if len(given) == 1:
                given = tuple((p, given[0][1]) for p in parties)
            elif len(given) == len(parties):
                given = tuple((p, word) for p, (_, word) in zip(parties, given, strict=True))
            else:
                self.row.problems.append(f"{cell}的意见数与征求意见对象数不同：请写成“名称：意见”")
                return []
        answers: list[tuple[str, str]] = []
        for name, word in given:
            if name not in parties:
                self.row.problems.append(f"{cell}中的“{name}”不是征求意见对象")
            elif word != NO_ANSWER:
                answers.append((name, word))
        return answers

    def _extension(self) -> None:
        v = self.v
        if not self.need(
            "extension.on", "extension.days_wd", "extension.reason", "extension.approver"
        ):
            return
        reason = v.get("extension.reason") or NO_REASON
        if "extension.approver" in v:
            reason = f"{reason}（批准人：{v['extension.approver']}）"
        days = v.get("extension.days_wd", DEFAULT_EXTENSION_WD)
        self.step("extension.on", "extend", {"days_wd": days, "reason": reason})

    def _fee(self) -> None:
        v = self.v
        if self.need("fee.on", "fee.amount", "fee.basis", "fee.served_on"):
            self._require("fee.on", "fee.amount")
            self.step(
                "fee.on",
                "issue_fee_notice",
                {
                    "amount": v.get("fee.amount"),
                    "basis": v.get("fee.basis", "per_item"),
                    "applicant_received_on": v.get("fee.served_on"),
                },
            )
        if "fee.paid_on" in v:
            self._require("fee.paid_on", "fee.on")
            self.step("fee.paid_on", "receive_payment", {})

    def _unmasked(self) -> None:
        """A ledger exported masked (the default) names nobody: imported, every 张** would be
        one applicant, merging fee counts and repeat requests of different people."""
        for key in ("applicant.name", "applicant.id_number", "applicant.phone"):
            value = self.v.get(key)
            if isinstance(value, str) and "*" in value:
                self.row.problems.append(
                    f"{self.row.cells.get(key, self.header(key))}含“*”，是脱敏后的内容：请导入"
                    "未脱敏的台账（ledger export --no-mask）"
                )
                return

    def _outcome(self) -> None:
        v, cells = self.v, self.row.cells
        code = v.get("reply.outcome")
        if code is None:
            if "reply.on" in v:
                self._require("reply.on", "reply.outcome")
            return
        if code == ABANDONED:
            if "correction.on" in v and "correction.received_on" not in v:
                code = CORRECTION_NOT_SUBMITTED
            elif "fee.on" in v and "fee.paid_on" not in v:
                code = FEE_NOT_PAID
            else:
                self.row.problems.append(
                    f"{cells['reply.outcome']}：本行没有未补正的补正告知或未缴费的收费通知，无法判断视为放弃的原因"
                )
                return
        if code in (CORRECTION_NOT_SUBMITTED, FEE_NOT_PAID):
            notice = "correction.on" if code == CORRECTION_NOT_SUBMITTED else "fee.on"
            if notice not in v:
                self._require("reply.outcome", notice)
                return
            self.row.expect = Expectation(
                code, cells["reply.outcome"], v.get("reply.on"), cells.get("reply.on")
            )
            return  # the system applies it when the period runs out
        self._require("reply.outcome", "reply.on")
        if "reply.on" not in v:
            return
        if code == WITHDRAWN:
            self.step("reply.on", "withdraw", {})
        else:
            self.step("reply.on", "reply", {"outcome": code, "basis": v.get("reply.basis")})


def _json(fields: dict[str, Any]) -> dict[str, Any]:
    """Payload values as a history file holds them (ISO dates, amounts as text)."""
    out: dict[str, Any] = {}
    for key, value in fields.items():
        if isinstance(value, date):
            out[key] = value.isoformat()
        elif isinstance(value, Decimal):
            out[key] = str(value)
        elif isinstance(value, list):
            out[key] = [_json(v) if isinstance(v, dict) else v for v in value]
        else:
            out[key] = value
    return out
