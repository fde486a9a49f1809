"""Replay of case-history files (DESIGN §5): every action through `perform`, with a virtual
clock that fires expiries as they would have fired. All-or-nothing: the caller's unit of work
commits only if every case applied. Nothing is notified for past time."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError
from sqlmodel import Session

from casework.errors import ActionError, Invalid
from casework.models import Agency, Case
from casework.services import appeals, timers
from casework.services.directory import ensure_agency
from casework.services.perform import perform
from casework.services.report_inputs import set_proactive
from workflows.roles import Actor
from workflows.validation import describe


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid")


class FileAgency(_Model):
    code: str = Field(min_length=1, max_length=64)
    name: str = Field(min_length=1)
    parent: str | None = None


class FileAction(BaseModel):
    model_config = ConfigDict(extra="allow")
    on: date
    action: str = Field(min_length=1)

    @property
    def fields(self) -> dict[str, Any]:
        return dict(self.model_extra or {})


class FileAppeal(_Model):
    kind: str
    filed_on: date
    result: str
    decided_on: date | None = None
    role: str | None = None


class FileCase(BaseModel):
    model_config = ConfigDict(extra="allow")  # the registration fields are checked by `perform`
    ref: str = Field(min_length=1)
    actions: list[FileAction] = []
    appeals: list[FileAppeal] = []

    @property
    def registration(self) -> dict[str, Any]:
        return dict(self.model_extra or {}) | {"ref": self.ref}


class ReplayFile(_Model):
    agency: FileAgency
    cases: list[FileCase]
    proactive: dict[str, Any] | None = None


@dataclass
class ReplayResult:
    agency: str
    cases: int = 0
    actions: int = 0
    expiries: list[tuple[str, str, date]] = field(default_factory=list)
    held: list[tuple[str, str, date]] = field(default_factory=list)
    appeals: int = 0
    until: date | None = None


def load_file(path: Path) -> ReplayFile:
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise Invalid(f"找不到文件：{path}") from None
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise Invalid(f"{path} 不是有效的 UTF-8 JSON 文件：{exc}") from None
    return parse(raw, str(path))


def parse(raw: Any, source: str = "文件") -> ReplayFile:
    try:
        return ReplayFile.model_validate(raw)
    except ValidationError as exc:
        problems = describe(exc)
        path, message = problems[0]
        where = _case_ref(raw, path)
        more = f"（另有{len(problems) - 1}处问题）" if len(problems) > 1 else ""
        located = f"{path}：" if path else ""
        raise Invalid(f"{source}{where}：{located}{message}{more}", field=path or None) from None


def _case_ref(raw: Any, path: str) -> str:
    parts = path.split(".")
    if len(parts) > 1 and parts[0] == "cases" and parts[1].isdigit():
        try:
            return f" 案件 {raw['cases'][int(parts[1])]['ref']}"
        except (KeyError, IndexError, TypeError):
            return f" 第{int(parts[1]) + 1}个案件"
    return ""


def replay(session: Session, data: ReplayFile, until: date, today: date) -> ReplayResult:
    """Apply a parsed file. Raises on the first error; the caller rolls back."""
    if until > today:
        raise Invalid(f"--until {until} 晚于今日 {today}")
    _check_dates(data, until, today)
    agency = ensure_agency(session, data.agency.code, data.agency.name, data.agency.parent)
    actor = Actor.replay()
    result = ReplayResult(agency=agency.code, until=until)
    for year, figures in (data.proactive or {}).items():
        if not year.isdigit():
            raise Invalid(f"proactive：年份“{year}”无效", field="proactive")
        set_proactive(session, agency, int(year), figures, "replay")
    case_ids = [
        _replay_case(session, data.agency.code, entry, actor, result, until) for entry in data.cases
    ]
    # only this file's cases: an import never acts on other cases in the database
    run = timers.run_due(session, until, today, case_ids=case_ids, notify=False)
    _collect(run, result)
    return result


def _check_dates(data: ReplayFile, until: date, today: date) -> None:
    """Nothing in the file may lie after the virtual clock's end: name the first such step."""
    end = "今日" if until == today else "--until"
    for entry in data.cases:
        received = _received(entry)
        if received is not None and received > until:
            raise ActionError(
                entry.ref, "register", [f"收到申请之日 {received} 晚于{end}（{until}）"]
            )
        for number, step in enumerate(entry.actions, start=1):
            if step.on > until:
                raise ActionError(
                    entry.ref,
                    f"第{number}项 {step.action}（{step.on}）",
                    [f"日期晚于{end}（{until}）"],
                )


def _received(entry: FileCase) -> date | None:
    value = entry.registration.get("received_on")
    try:
        return date.fromisoformat(value) if isinstance(value, str) else None
    except ValueError:
        return None


def _replay_case(
    session: Session,
    agency: str,
    entry: FileCase,
    actor: Actor,
    result: ReplayResult,
    until: date,
) -> int:
    registration = entry.registration | {"agency": agency}
    registered = perform(session, action="register", payload=registration, actor=actor, today=until)
    case_id = registered.case.id
    assert case_id is not None
    result.cases += 1
    for number, step in enumerate(entry.actions, start=1):
        # The virtual clock: expiries due by this action's date fire first, as they would have.
        _collect(
            timers.run_due(session, step.on, step.on, case_ids=[case_id], notify=False), result
        )
        try:
            perform(
                session,
                case_id=case_id,
                action=step.action,
                payload=step.fields,
                actor=actor,
                on=step.on,
                today=until,  # the file records facts known by its end (e.g. later service dates)
            )
        except ActionError as error:
            raise ActionError(
                entry.ref, f"第{number}项 {step.action}（{step.on}）", error.reasons, error.field
            ) from None
        result.actions += 1
    for appeal in entry.appeals:
        _replay_appeal(session, registered.case, appeal, until, entry.ref)
        result.appeals += 1
    return case_id


def _replay_appeal(session: Session, case: Case, item: FileAppeal, until: date, ref: str) -> None:
    agency = session.get(Agency, case.agency_id)
    assert agency is not None
    where = f"案件 {ref}：复议/诉讼（{item.kind}，{item.filed_on}）："
    if item.result not in ("upheld", "corrected", "other", "pending"):
        raise Invalid(f"{where}result 须为 upheld、corrected、other 或 pending", field="result")
    if (item.result == "pending") != (item.decided_on is None):
        raise Invalid(
            f"{where}已审结的须给出 decided_on，尚未审结（pending）的不能给出", field="decided_on"
        )
    try:
        appeal = appeals.add_appeal(
            session, agency, item.kind, item.filed_on, "replay", until, role=item.role, case=case
        )
        if item.decided_on is not None:
            appeals.decide(session, appeal, item.result, item.decided_on, "replay", until)
    except Invalid as error:
        raise Invalid(f"{where}{error}", field=error.field) from None


def _collect(run: timers.TimerRun, result: ReplayResult) -> None:
    result.expiries += run.fired
    result.held += run.held
    if run.failed:
        ref, action, error = run.failed[0]
        raise ActionError(ref, action, [error])
