"""Deadlines as a pure function of a case's events and the working-day calendar (DESIGN §3.3).

`compute_clocks` folds the events in order, applying each action's declared clock effects
(`workflows.actions`), and returns every clock the case has had — each with its due date,
pause and provisional flags, whether it was met, and a derivation in Chinese.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from typing import Any

from casework.workdays import Deadline, WorkingCalendar, format_day
from workflows.actions import action_spec, stands_for
from workflows.clocks import (
    CORRECTION_NOTICE_DAYS_WD,
    OPINION_DAYS_WD,
    PAYMENT_DAYS_WD,
    REPLY_DAYS_WD,
    Clock,
    Effect,
)
from workflows.snapshot import Dues, EventRecord, PartyWindow, Policy
from workflows.states import State


@dataclass(frozen=True)
class ClockView:
    clock: Clock
    party: str | None
    due: date | None
    paused: bool
    provisional: bool
    met: bool | None
    current: bool
    derivation: tuple[str, ...]
    expires_on: date | None = None  # applicant's periods: the day the system may apply expiry

    def as_json(self) -> dict[str, Any]:
        return {
            "clock": self.clock.value,
            "label": self.clock.label,
            "party": self.party,
            "due": self.due.isoformat() if self.due else None,
            "paused": self.paused,
            "provisional": self.provisional,
            "met": self.met,
            "current": self.current,
            "expires_on": self.expires_on.isoformat() if self.expires_on else None,
            "derivation": list(self.derivation),
        }


@dataclass
class _Period:
    """A clock counted in working days from a start (day 0)."""

    clock: Clock
    party: str | None
    start: date
    days: int
    fixed_due: date | None = None
    extra_days: int = 0
    current: bool = True
    met: bool | None = None
    notes: list[str] = field(default_factory=list)
    order: int = 0

    def deadline_due(self, cal: WorkingCalendar) -> date:
        if self.fixed_due is not None:
            return self.fixed_due
        return cal.add(self.start, self.days + self.extra_days)


@dataclass
class _Reply:
    start: date | None = None  # day 0 of the running segment
    budget: int = REPLY_DAYS_WD  # working days left at `start`
    paused: bool = False
    overdue_due: date | None = None  # paused after the due day: the due day stays
    fixed_due: date | None = None  # a date set by an approver (Art. 35), kept as given
    fixed_extra: int = 0  # working days added to the fixed date by an extension
    current: bool = True
    met: bool | None = None
    stop_on: date | None = None
    final_due: date | None = None  # the due date when the clock stopped
    notes: list[str] = field(default_factory=list)

    def due(self, cal: WorkingCalendar) -> date | None:
        if self.start is None or self.paused:
            return None
        if self.overdue_due is not None:
            return self.overdue_due
        if self.fixed_due is not None:
            return cal.add(self.fixed_due, self.fixed_extra)
        if self.budget == 0 and not cal.is_workday(self.start):
            # every day was used before a pause that ended on a day off: the reply is due on
            # the next working day, never on a rest day
            return cal.add(self.start, 1)
        return cal.add(self.start, self.budget)

    def counting_lines(self, cal: WorkingCalendar) -> tuple[list[str], bool]:
        """The calendar's explanation of the running segment, and whether it is provisional."""
        if self.start is None or self.paused or self.overdue_due is not None:
            return [], False
        if self.fixed_due is not None:
            # a date decided by an approver is not a count; only an extension of it is
            if not self.fixed_extra:
                return [], cal.is_provisional(self.fixed_due)
            extended = cal.deadline(self.fixed_due, self.fixed_extra)
            return list(extended.derivation[1:]), extended.provisional
        if self.budget == 0:
            due = self.due(cal)
            assert due is not None
            return [f"剩余0个工作日：应于 {format_day(due)} 答复"], cal.is_provisional(due)
        counted = cal.deadline(self.start, self.budget)
        return list(counted.derivation[1:]), counted.provisional


class _Fold:
    def __init__(self, received_on: date, cal: WorkingCalendar, policy: Policy) -> None:
        self.cal = cal
        self.policy = policy
        self.received_on = received_on
        self.reply = _Reply()
        self.periods: list[_Period] = []
        self._order = 0

    # -- helpers -------------------------------------------------------------------------
    def _new(self, clock: Clock, party: str | None, start: date, days: int, note: str) -> _Period:
        self._order += 1
        period = _Period(clock, party, start, days, notes=[note], order=self._order)
        self.periods.append(period)
        return period

    def _latest(self, clock: Clock, party: str | None = None) -> _Period | None:
        for period in reversed(self.periods):
            if period.clock is clock and (party is None or period.party == party):
                return period
        return None

    def _open(self, clock: Clock) -> list[_Period]:
        return [p for p in self.periods if p.clock is clock and p.current]

    # -- reply clock ---------------------------------------------------------------------
    def _reply_pause(self, on: date, why: str, restarts: bool = False) -> None:
        r = self.reply
        if r.start is None or r.paused:
            return
        due = r.due(self.cal)
        assert due is not None
        if restarts:
            # Art. 30: the period starts afresh on the corrected application; nothing carries over
            r.notes.append(f"{format_day(on)} {why}，答复期限中止，收到补正申请后重新计算")
        elif on > due:
            r.overdue_due = due
            r.notes.append(f"{format_day(on)} {why}，答复期限暂停（此前已于 {due} 届满）")
        else:
            used = self.cal.count_between(r.start, on)
            r.budget = max(self.cal.count_between(r.start, due) - used, 0)
            r.fixed_due, r.fixed_extra = None, 0  # the rest is counted in working days
            r.notes.append(
                f"{format_day(on)} {why}，答复期限暂停：本段已用{used}个工作日，剩余{r.budget}个工作日"
            )
        r.paused = True

    def _reply_resume(self, on: date, why: str) -> None:
        r = self.reply
        if not r.paused or any(p.current for p in self._open(Clock.OPINION)):
            return
        r.paused = False
        r.start = on
        if r.overdue_due is None:
            r.notes.append(f"{format_day(on)} {why}，恢复计算：剩余{r.budget}个工作日自次日起算")
        else:
            r.notes.append(f"{format_day(on)} {why}，恢复计算（答复期限已届满）")

    def reply_effect(self, effect: Effect, e: EventRecord, label: str) -> None:
        r = self.reply
        if effect is Effect.START:
            # Art. 33 counts from receipt (Art. 31), which may precede the registration
            r.start, r.budget = self.received_on, REPLY_DAYS_WD
            r.notes.append(
                f"收到申请之日 {format_day(self.received_on)}为第0日，答复期限{REPLY_DAYS_WD}个工作日（条例第三十三条）"
            )
        elif effect is Effect.PAUSE:
            self._reply_pause(e.on, label, restarts=e.action == "request_correction")
        elif effect is Effect.RESUME:
            self._reply_resume(e.on, label)
        elif effect is Effect.RESTART:
            r.start, r.budget, r.paused, r.overdue_due = e.on, REPLY_DAYS_WD, False, None
            r.fixed_due, r.fixed_extra = None, 0
            r.notes.append(
                f"收到补正申请之日 {format_day(e.on)}起重新计算{REPLY_DAYS_WD}个工作日（条例第三十条）"
            )
        elif effect is Effect.EXTEND:
            days = int(e.payload["days_wd"])
            if r.overdue_due is None and r.fixed_due is not None:
                r.fixed_extra += days
            elif r.overdue_due is None:
                r.budget += days
            r.notes.append(f"{format_day(e.on)} 经负责人同意延长答复期限{days}个工作日")
        elif effect is Effect.SET:
            due_on = date.fromisoformat(str(e.payload["due_on"]))
            r.start, r.budget, r.overdue_due = e.on, self.cal.count_between(e.on, due_on), None
            r.fixed_due, r.fixed_extra = due_on, 0
            r.notes.append(
                f"{format_day(e.on)} 负责人确定合理答复期限至 {due_on}（条例第三十五条）"
            )
        elif effect is Effect.STOP and r.current:
            due = r.due(self.cal)
            r.notes += r.counting_lines(self.cal)[0]  # kept: a closed case must be defensible
            r.current, r.stop_on = False, e.on
            if e.action in ("reply", "approve_reply"):
                r.met = due is not None and e.on <= due
                r.notes.append(
                    f"{format_day(e.on)} 答复" + ("（在期限内）" if r.met else "（逾期）")
                )
            else:
                r.notes.append(f"{format_day(e.on)} {label}，答复期限终止")
            r.final_due = due
        elif effect is Effect.RESTORE and not r.current:
            # void_expiry: the case carries on as if the expiry had not happened; the reply
            # clock was paused by the correction notice or the fee notice and stays paused
            r.current, r.met, r.stop_on, r.final_due = True, None, None, None
            r.notes.append(f"{format_day(e.on)} {label}，答复期限恢复（暂停中）")

    # -- other clocks --------------------------------------------------------------------
    def period_effect(self, clock: Clock, effect: Effect, e: EventRecord, label: str) -> None:
        pl = e.payload
        if clock is Clock.CORRECTION_NOTICE:
            self._correction_notice(effect, e)
        elif clock is Clock.CORRECTION:
            self._applicant_period(
                clock,
                effect,
                e,
                label,
                "correction",
                pl.get("period_wd") or self.policy.correction_period_wd,
            )
        elif clock is Clock.PAYMENT:
            self._applicant_period(clock, effect, e, label, "fee", PAYMENT_DAYS_WD)
        elif clock is Clock.OPINION:
            self._opinion(effect, e, label)
        elif clock is Clock.REASONS:
            if effect is Effect.START and pl.get("period_wd"):
                self._new(
                    clock,
                    None,
                    e.on,
                    int(pl["period_wd"]),
                    f"{format_day(e.on)} 要求申请人说明理由",
                )
            elif effect is Effect.STOP:
                for p in self._open(clock):
                    p.current = False

    def _correction_notice(self, effect: Effect, e: EventRecord) -> None:
        if effect is Effect.START:
            self._new(
                Clock.CORRECTION_NOTICE,
                None,
                self.received_on,
                CORRECTION_NOTICE_DAYS_WD,
                f"收到申请之日 {format_day(self.received_on)}起{CORRECTION_NOTICE_DAYS_WD}个工作日内一次性告知补正（条例第三十条）",
            )
        elif effect is Effect.STOP:
            for p in self._open(Clock.CORRECTION_NOTICE):
                p.current = False
                if e.action == "request_correction":
                    p.met = e.on <= p.deadline_due(self.cal)
                    if not p.met:
                        p.notes.append(f"{format_day(e.on)} 告知补正，超过法定期限")

    def _applicant_period(
        self, clock: Clock, effect: Effect, e: EventRecord, label: str, notice: str, days: Any
    ) -> None:
        pl = e.payload
        if effect is Effect.START:
            served_key = "served_on" if clock is Clock.CORRECTION else "applicant_received_on"
            served = date.fromisoformat(pl[served_key]) if pl.get(served_key) else e.on
            what = "补正告知书" if clock is Clock.CORRECTION else "收费通知"
            self._new(
                clock,
                None,
                served,
                int(days),
                f"{what}送达之日 {format_day(served)}为第0日，期限{int(days)}个工作日",
            )
            return
        period = self._latest(clock)
        if period is None:
            return
        if effect is Effect.EXTEND:
            if pl.get("due_on"):
                period.fixed_due = date.fromisoformat(pl["due_on"])
                period.notes.append(f"{format_day(e.on)} 补正期限延长至 {period.fixed_due}")
            elif period.fixed_due is not None:
                period.fixed_due = self.cal.add(period.fixed_due, int(pl["days_wd"]))
                period.notes.append(
                    f"{format_day(e.on)} 补正期限延长{int(pl['days_wd'])}个工作日，至 {period.fixed_due}"
                )
            else:
                period.extra_days += int(pl["days_wd"])
                period.notes.append(f"{format_day(e.on)} 补正期限延长{int(pl['days_wd'])}个工作日")
        elif effect is Effect.SERVE and pl.get("notice") == notice:
            period.start = date.fromisoformat(pl["served_on"])
            period.notes.append(f"{format_day(e.on)} 记录实际送达日期 {period.start}，重新计算")
        elif effect is Effect.STOP and period.current:
            period.current = False
            if e.action in ("receive_correction", "receive_payment"):
                sent = date.fromisoformat(pl["posted_on"]) if pl.get("posted_on") else e.on
                # a period restored by void_expiry was already proved met
                period.met = period.met is True or sent <= period.deadline_due(self.cal)
                period.notes.append(f"{format_day(e.on)} {label}")
            elif e.action in ("correction_deadline_passed", "payment_deadline_passed"):
                period.met = False
                period.notes.append(f"{format_day(e.on)} {label}")
        elif effect is Effect.RESTORE and e.to_state == _restored_state_for(clock):
            period.current, period.met = True, True
            period.notes.append(
                f"{format_day(e.on)} 撤销逾期处理：经证明已于 {pl.get('posted_on')} 交寄，视为按时提交"
            )

    def _opinion(self, effect: Effect, e: EventRecord, label: str) -> None:
        pl = e.payload
        if effect is Effect.START:
            for party in pl.get("parties") or [
                {"name": pl["party"], "received_on": pl.get("party_received_on")}
            ]:
                got = date.fromisoformat(party["received_on"]) if party.get("received_on") else e.on
                self._new(
                    Clock.OPINION,
                    party["name"],
                    got,
                    OPINION_DAYS_WD,
                    f"{party['name']}收到征求意见书之日 {format_day(got)}为第0日，{OPINION_DAYS_WD}个工作日内答复（条例第三十二条）",
                )
        elif effect is Effect.SERVE and pl.get("notice") == "opinion":
            period = self._latest(Clock.OPINION, pl.get("party"))
            if period is not None:
                period.start = date.fromisoformat(pl["served_on"])
                period.notes.append(f"{format_day(e.on)} 记录实际收到日期 {period.start}，重新计算")
        elif effect is Effect.STOP:
            pending = self._open(Clock.OPINION)
            if e.action == "receive_opinion":
                name = pl.get("party") or (pending[0].party if pending else None)
                for p in pending:
                    if p.party == name:
                        p.current, p.met = False, e.on <= p.deadline_due(self.cal)
                        p.notes.append(
                            f"{format_day(e.on)} 收到意见（{_OPINIONS.get(str(pl.get('opinion')), '')}）"
                        )
                # Every other party has answered or run out: the consultation is over now
                # (Art. 32, 33), whatever windows ran out unanswered before this answer.
                rest = [p for p in pending if p.current]
                if rest and all(p.deadline_due(self.cal) < e.on for p in rest):
                    for p in rest:
                        p.current, p.met = False, False
                        p.notes.append(f"{p.deadline_due(self.cal)} 期满未答复，由本机关依法决定")
            elif e.action == "opinion_deadline_passed":
                for p in pending:
                    p.current, p.met = False, False
                    p.notes.append(f"{p.deadline_due(self.cal)} 期满未答复，由本机关依法决定")
            else:
                for p in pending:
                    p.current = False


_OPINIONS = {"consent": "同意公开", "objection": "不同意公开", "none": "未提出意见"}


def _restored_state_for(clock: Clock) -> str:
    return State.CORRECTION_REQUESTED if clock is Clock.CORRECTION else State.FEE_PENDING


@dataclass(frozen=True)
class Clocks:
    views: tuple[ClockView, ...]
    dues: Dues

    def current(self) -> list[ClockView]:
        return [v for v in self.views if v.current]


def compute_clocks(
    received_on: date, events: Sequence[EventRecord], cal: WorkingCalendar, policy: Policy
) -> Clocks:
    fold = _Fold(received_on, cal, policy)
    for recorded in events:
        acting_as = stands_for(recorded.action, recorded.from_state)
        event = recorded if acting_as == recorded.action else replace(recorded, action=acting_as)
        spec = action_spec(acting_as)
        for clock, effect in spec.clocks:
            if clock is Clock.REPLY:
                fold.reply_effect(effect, event, spec.label)
            else:
                fold.period_effect(clock, effect, event, spec.label)
    return _views(fold, cal, policy)


def _expires(due: date, policy: Policy) -> date:
    return due + timedelta(days=1 + policy.post_grace_days)


def _views(fold: _Fold, cal: WorkingCalendar, policy: Policy) -> Clocks:
    views: list[tuple[int, ClockView]] = []
    r = fold.reply
    if r.start is not None:
        due = r.due(cal) if r.current else r.final_due
        lines = list(r.notes)
        provisional = False
        if r.current:
            counting, provisional = r.counting_lines(cal)
            lines += counting
        elif due is not None:
            provisional = cal.is_provisional(due)
        view = ClockView(
            Clock.REPLY,
            None,
            None if r.paused and r.current else due,
            r.paused and r.current,
            provisional,
            r.met,
            r.current,
            tuple(lines),
        )
        views.append((0, view))
    dues = Dues(reply=views[0][1].due if views else None, reply_paused=r.paused and r.current)
    parties: list[PartyWindow] = []
    opinion_expiries: list[date] = []
    opinion_provisional = False
    for period in fold.periods:
        deadline: Deadline | None = (
            cal.deadline(period.start, period.days + period.extra_days)
            if period.fixed_due is None
            else None
        )
        due = period.deadline_due(cal)
        provisional = deadline.provisional if deadline else cal.is_provisional(due)
        lines = period.notes[:1]
        if deadline is not None:
            lines += list(deadline.derivation[1:])
        lines += period.notes[1:]
        expires_on: date | None = None
        if period.clock in (Clock.CORRECTION, Clock.PAYMENT):
            expires_on = _expires(due, policy)
            if period.current and period.met is None:
                grace = (
                    f"（另加邮寄宽限{policy.post_grace_days}日）" if policy.post_grace_days else ""
                )
                lines.append(
                    f"期限届满未{'补正' if period.clock is Clock.CORRECTION else '缴费'}的，{expires_on}{grace}起视为放弃申请"
                )
            if period.clock is Clock.CORRECTION:
                dues = replace(
                    dues,
                    correction=due,
                    correction_expires_on=expires_on
                    if period.current and period.met is None
                    else None,
                    correction_provisional=provisional,
                )
            else:
                dues = replace(
                    dues,
                    payment=due,
                    payment_expires_on=expires_on
                    if period.current and period.met is None
                    else None,
                    payment_provisional=provisional,
                )
        if period.clock is Clock.OPINION:
            parties.append(PartyWindow(period.party or "", due, not period.current))
            if period.current:
                opinion_expiries.append(due + timedelta(days=1))
                opinion_provisional = opinion_provisional or provisional
        view = ClockView(
            period.clock,
            period.party,
            due,
            False,
            provisional,
            period.met,
            period.current,
            tuple(lines),
            expires_on,
        )
        views.append((period.order, view))
    dues = replace(
        dues,
        parties=tuple(parties),
        opinion_expires_on=max(opinion_expiries) if opinion_expiries else None,
        opinion_provisional=opinion_provisional,
    )
    ordered = sorted(views, key=lambda item: (not item[1].current, item[0]))
    return Clocks(tuple(v for _, v in ordered), dues)
