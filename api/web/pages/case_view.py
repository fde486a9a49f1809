"""What the case page shows, read through the API's own doors: the case detail
(`casework.services.queries.case_detail`: state, deadlines with their derivation, the actions
this user may take now, events, attachments — masked exactly as the API masks), the notices a
step calls for and those issued (`casework.notices.service`), and what this user may download."""

from __future__ import annotations

import zlib
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from sqlmodel import Session, col, select

from api.deps import visible_case
from api.web.countdown import Countdown, countdown
from api.web.pages.case_actions import ActionForm, FieldSpec, action_form, describe_payload
from api.web.session import Visitor
from casework.attachments.intake import IntakePolicy
from casework.attachments.kinds import AttachmentKind
from casework.attachments.store import size_text
from casework.casefile.archive import may_export
from casework.errors import Forbidden
from casework.ledger.vocabulary import LABELS
from casework.models import Case, User
from casework.notices import pdf
from casework.notices import service as notices
from casework.notices.facts import ALLOWED_FIELDS, FIELD_LABELS, REQUIRED_FIELDS
from casework.notices.kinds import NoticeKind
from casework.services.attachments import ATTACHING, may_read_files
from casework.services.queries import case_detail
from casework.services.snapshots import context_for
from casework.settings import get_settings
from workflows.actions import ACTION_BY_NAME
from workflows.clocks import Clock
from workflows.payloads import CHANNEL_LABELS
from workflows.roles import Actor, ActorKind
from workflows.states import State

STATES = frozenset(s.value for s in State)
LONG_NOTICE_FIELDS = frozenset({"items", "details", "content", "reasons", "information"})
NOTICE_HINTS = {
    "items": "每行一项；留空则沿用办理记录中的补正事项",
    "approver": "留空则为批准延期的负责人",
    "information": "留空则为申请内容",
}


@dataclass(frozen=True)
class DeadlineView:
    clock: str
    label: str
    party: str | None
    due: date | None
    paused: bool
    provisional: bool
    met: bool | None
    current: bool
    expires_on: date | None
    derivation: list[str]
    countdown: Countdown | None  # a running deadline: working days left (or overdue)
    window_closed: bool = False  # the Art. 30 window for a correction notice has passed


# The correction-notice clock is a window, not a duty: a case that needs no correction does
# not fall overdue when it closes; a notice sent later is flagged late (DESIGN §3.3).
WINDOWS = frozenset({Clock.CORRECTION_NOTICE.value})


@dataclass(frozen=True)
class EventView:
    seq: int
    label: str
    on: date
    recorded_at: datetime
    actor: str
    moved: str  # "<from-state label> → <to-state label>", or "" when the state stayed
    fields: list[tuple[str, str]]


@dataclass
class OfferView:
    """A notice a step calls for that is not issued yet: the form to preview and issue it."""

    step: int
    step_label: str
    kind: str
    title: str
    recipient: str
    fields: list[FieldSpec]
    values: dict[str, str] = field(default_factory=dict)
    errors: dict[str, str] = field(default_factory=dict)
    general: list[str] = field(default_factory=list)
    latest: bool = True  # of the case's latest step that calls for a notice: shown unfolded

    @property
    def open(self) -> bool:
        return self.latest or bool(self.errors or self.general)

    @property
    def key(self) -> str:
        """The form's id in the page, unique per step, kind and recipient."""
        return f"offer-{self.step}-{self.kind}-{zlib.crc32(self.recipient.encode()):x}"


@dataclass(frozen=True)
class NoticeView:
    id: int
    number: str
    title: str
    recipient: str
    dated: date
    step: int
    issued_by: str
    issued_at: datetime


def notice_fields(kind: str) -> list[FieldSpec]:
    """What the clerk may add to a notice of this kind (the rest comes from the case)."""
    required = REQUIRED_FIELDS.get(NoticeKind(kind), ())
    return [
        FieldSpec(
            name,
            FIELD_LABELS[name],
            "lines" if name == "items" else "textarea" if name in LONG_NOTICE_FIELDS else "text",
            name in required,
            NOTICE_HINTS.get(name, ""),
        )
        for name in FIELD_LABELS  # the model's order
        if name in ALLOWED_FIELDS[NoticeKind(kind)]
    ]


def _deadlines(detail: dict[str, Any], ctx_calendar: Any, today: date) -> list[DeadlineView]:
    out = []
    for d in detail["deadlines"]:
        due = date.fromisoformat(d["due"]) if d["due"] else None
        running = d["current"] and due is not None and not d["paused"] and d["met"] is None
        closed = running and d["clock"] in WINDOWS and due is not None and due < today
        out.append(
            DeadlineView(
                d["clock"],
                d["label"] if not d["party"] else f"{d['label']}（{d['party']}）",
                d["party"],
                due,
                d["paused"],
                d["provisional"],
                d["met"],
                d["current"],
                date.fromisoformat(d["expires_on"]) if d["expires_on"] else None,
                list(d["derivation"]),
                countdown(ctx_calendar, today, due, d["provisional"])
                if running and due and not closed
                else None,
                closed,
            )
        )
    return out


def _names(session: Session, usernames: set[str]) -> dict[str, str]:
    """The display names of these users (who took the steps, who issued the notices)."""
    if not usernames:
        return {}
    users = session.exec(select(User).where(col(User.username).in_(usernames))).all()
    return {u.username: u.display_name or u.username for u in users}


def _events(session: Session, detail: dict[str, Any]) -> list[EventView]:
    names = _names(
        session, {e["actor"] for e in detail["events"] if e["actor_kind"] == ActorKind.USER}
    )
    out = []
    for e in detail["events"]:
        kind = ActorKind(e["actor_kind"])
        actor = names.get(e["actor"], e["actor"]) if kind is ActorKind.USER else (
            Actor(kind, e["actor"]).label
        )  # fmt: skip
        before, after = e["from_state"], e["to_state"]
        moved = ""
        if after != before and before in STATES:
            moved = f"{State(before).label} → {State(after).label}"
        out.append(
            EventView(
                e["seq"],
                e["label"],
                date.fromisoformat(e["on"]),
                datetime.fromisoformat(e["recorded_at"]),
                actor,
                moved,
                describe_payload(e["action"], e["payload"]),
            )
        )
    return out


def _may(check: Any, *args: Any, **kwargs: Any) -> bool:
    try:
        check(*args, **kwargs)
    except Forbidden:
        return False
    return True


@dataclass
class PageState:
    """What a form post leaves for the page it re-renders: a form with its errors, a message."""

    forms: dict[str, ActionForm] = field(default_factory=dict)
    offers: dict[str, OfferView] = field(default_factory=dict)
    done: str = ""
    warnings: list[str] = field(default_factory=list)
    opened_notice: int | None = None


def case_context(
    session: Session, me: Visitor, case_id: int, state: PageState | None = None
) -> dict[str, Any]:
    """The template's context of the case page (404 for a case this user does not see)."""
    state = state or PageState()
    caller = me.caller
    case, access = visible_case(session, caller, case_id)
    actor = caller.actor(case.agency_id)
    ctx = context_for(session, case)
    detail = case_detail(
        session, case, actor, caller.today, supervising=access.supervising, ctx=ctx
    )
    issuer = not access.supervising and bool(actor.roles & notices.ISSUERS)

    forms = []
    if not access.supervising:  # a district office reads, it does not act
        for allowed in detail["actions_allowed"]:
            spec = ACTION_BY_NAME[allowed["action"]]
            notice = allowed["notice"]["title"] if allowed["notice"] else None
            form = state.forms.get(spec.name) or action_form(spec, notice, caller.today)
            _defaults(form, case)
            forms.append(form)

    offers: list[OfferView] = []
    issued: list[NoticeView] = []
    offered = notices.offers(session, ctx)
    issuers = _names(session, {o.notice.issued_by_name for o in offered if o.notice})
    latest = max((o.event.seq for o in offered), default=0)
    for offer in offered:
        if offer.notice is not None:
            n = offer.notice
            by = issuers.get(n.issued_by_name, n.issued_by_name)
            issued.append(NoticeView(n.id or 0, n.number, NoticeKind(n.kind).label, n.recipient,
                                     n.dated, offer.event.seq, by, n.issued_at))  # fmt: skip
        elif issuer:
            view = OfferView(offer.event.seq, ACTION_BY_NAME[offer.event.action].label,
                             offer.kind.value, offer.kind.label, offer.recipient,
                             notice_fields(offer.kind.value), latest=offer.event.seq == latest)  # fmt: skip
            offers.append(state.offers.get(view.key, view))
    issued.sort(key=lambda n: n.id)

    return {
        "case": detail,
        "case_id": case.id,
        "version": case.version,
        "masked": detail["masked"],
        "supervising": access.supervising,
        "received_on": case.received_on,
        "concluded_on": case.concluded_on,
        "channel": CHANNEL_LABELS.get(case.channel, case.channel),
        "delivery": LABELS["delivery"].get(case.delivery or "", ""),
        "handler": _handler(session, case),
        "deadlines": _deadlines(detail, ctx.calendar, caller.today),
        "events": _events(session, detail),
        "forms": forms,
        "offers": offers,
        "issued": issued,
        "may_issue": issuer,
        "may_download_notices": access.reveals,
        "pdf": pdf.available(),
        "attachments": [{**a, "size_text": size_text(a["size"])} for a in detail["attachments"]],
        "max_upload": size_text(IntakePolicy.from_settings(get_settings()).max_bytes),
        "attachment_kinds": [(k.value, k.label) for k in AttachmentKind],
        "may_attach": not access.supervising and bool(actor.roles & ATTACHING),
        "may_read_files": _may(may_read_files, actor, supervising=access.supervising),
        "may_export": _may(may_export, actor, supervising=access.supervising),
        "done": state.done,
        "warnings": state.warnings,
        "opened_notice": state.opened_notice,
        "today": caller.today,
    }


def _handler(session: Session, case: Case) -> str:
    if case.handler_id is None:
        return ""
    user = session.get(User, case.handler_id)
    return (user.display_name or user.username) if user else ""


def _defaults(form: ActionForm, case: Case) -> None:
    """Values a fresh form starts with beyond today's date: the way of provision the applicant
    asked for."""
    if form.name in ("reply", "draft_reply") and case.delivery and "form" not in form.values:
        form.values["form"] = LABELS["delivery"].get(case.delivery, "")
