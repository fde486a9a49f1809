"""Notices on a case: what each step offers, issuing one (the one door for the CLI, the API
and anything else), listing them and rendering them again.

Issuing is a step of its own, after the action it belongs to: it takes the case's facts as of
that action, a 文号 from the agency's sequence, and the template in use, and stores the notice
(kind, 文号, template version, context, SHA-256 of the DOCX, who, when, the event). It adds no
case event and leaves the case's version alone: a notice records a step, it is not one.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlmodel import Session, col, select

from casework.errors import Conflict, Forbidden, Invalid, NotFound
from casework.masking import mask_name
from casework.models import CaseEvent, Notice
from casework.notices import library, pdf
from casework.notices.facts import (
    PERSONAL_KEYS,
    REQUIRED_FIELDS,
    Step,
    build_context,
    consulted_parties,
    objectors,
    parse_fields,
)
from casework.notices.kinds import ACTION_NOTICE, NoticeKind, discloses, parse_kind
from casework.notices.numbering import take_number
from casework.notices.render import paragraphs, render_docx, render_html, sha256
from casework.notices.wording import cn_date
from casework.services.snapshots import CaseContext, context_for, load_case
from casework.timeutil import utcnow
from workflows.actions import stands_for
from workflows.outcomes import OUTCOME_BY_CODE
from workflows.roles import Actor, ActorKind, Role
from workflows.states import State

ISSUERS = frozenset({Role.CLERK, Role.APPROVER})
EXPIRIES = ("correction_deadline_passed", "payment_deadline_passed")


@dataclass(frozen=True)
class Offer:
    """A notice a step of the case calls for, and the one issued for it if any."""

    kind: NoticeKind
    event: CaseEvent
    recipient: str  # "" = the applicant
    notice: Notice | None

    @property
    def needs_fields(self) -> tuple[str, ...]:
        return REQUIRED_FIELDS.get(self.kind, ())


def kinds_offered_by(row: CaseEvent, before: list[CaseEvent]) -> list[tuple[NoticeKind, str]]:
    """The notices one event calls for: (kind, recipient)."""
    kind = ACTION_NOTICE.get(row.action)
    if kind is None:
        return []
    if row.action == "confirm_expiry" and row.to_state != State.CLOSED:
        return []  # a consultation's windows ran out: the case goes on, nothing to tell
    if row.action == "amend_outcome":
        code = str(row.payload.get("outcome"))
        if code not in OUTCOME_BY_CODE or not OUTCOME_BY_CODE[code].by_reply:
            return []
    if kind is NoticeKind.CONSULTATION:
        return [(kind, party) for party in consulted_parties(row)]
    out: list[tuple[NoticeKind, str]] = [(kind, "")]
    if kind is NoticeKind.REPLY and discloses(str(row.payload.get("outcome"))):
        # Art. 32: disclosed over a party's objection (the public-interest override) → tell
        # that party; a silent party objected to nothing (its window ran out: Art. 32 lets
        # the agency decide) and gets no letter saying it was overruled
        out += [(NoticeKind.DISCLOSURE_DECISION, p) for p in objectors(before)]
    return out


def offers(session: Session, ctx: CaseContext) -> list[Offer]:
    """Every notice the case's steps call for, in step order, with those issued."""
    assert ctx.case.id is not None
    issued: dict[tuple[int | None, str, str], Notice] = {
        (n.event_id, n.kind, n.recipient): n
        for n in session.exec(select(Notice).where(Notice.case_id == ctx.case.id)).all()
    }
    out: list[Offer] = []
    rows = list(ctx.rows)
    for index, row in enumerate(rows):
        for kind, recipient in kinds_offered_by(row, rows[:index]):
            out.append(Offer(kind, row, recipient, issued.get((row.id, kind.value, recipient))))
    undone = _voided_expiries(rows)  # proved in time: the request was never abandoned
    out = [o for o in out if o.notice is not None or o.event.seq not in undone]
    if ctx.case.state == State.VOID:  # a registration error: nothing more goes out
        out = [o for o in out if o.notice is not None]
    return out


def _voided_expiries(rows: list[CaseEvent]) -> set[int]:
    voided: set[int] = set()
    last_expiry: int | None = None
    for row in rows:
        if stands_for(row.action, row.from_state) in EXPIRIES:
            last_expiry = row.seq
        elif row.action == "void_expiry" and last_expiry is not None:
            voided.add(last_expiry)
            last_expiry = None
    return voided


def issue_notice(
    session: Session,
    case_id: int,
    kind: NoticeKind | str,
    actor: Actor,
    *,
    event_seq: int | None = None,
    recipient: str | None = None,
    fields: Mapping[str, Any] | None = None,
) -> Notice:
    """Issue the notice of `kind` for a step of the case (default: the latest step that calls
    for one). Flushes; the caller commits."""
    kind = _kind(kind)
    _may_issue(actor)
    case = load_case(session, case_id, for_update=True)  # one issue at a time per case
    ctx = context_for(session, case)
    offer = _choose(session, ctx, kind, event_seq, recipient)
    if offer.notice is not None:
        raise Conflict(
            f"案件 {case.ref} 第{offer.event.seq}步的{kind.label}"
            f"{'（' + offer.recipient + '）' if offer.recipient else ''}已出具，文号 {offer.notice.number}"
        )
    context, template = _compose(session, ctx, offer, fields)
    dated = offer.event.effective_on
    taken = take_number(session, ctx.agency, kind, dated.year)
    context["number"] = taken.number
    context["document"]["keywords"] = taken.number
    docx = render_docx(template.docx, context)
    notice = Notice(
        case_id=case_id,
        agency_id=case.agency_id,
        event_id=offer.event.id or 0,
        kind=kind.value,
        recipient=offer.recipient,
        number=taken.number,
        year=taken.year,
        serial=taken.serial,
        dated=dated,
        template_kind=kind.value,
        template_version=template.version,
        template_override_id=template.override_id,
        context=context,
        content_hash=sha256(docx),
        issued_by_name=actor.name,
        issued_by_user_id=actor.user_id,
        issued_at=utcnow(),
    )
    session.add(notice)
    session.flush()
    return notice


def _compose(
    session: Session, ctx: CaseContext, offer: Offer, fields: Mapping[str, Any] | None
) -> tuple[dict[str, Any], library.Template]:
    """The facts of a notice as of its step, and the template in use: all but its 文号."""
    parsed = parse_fields(offer.kind, fields)
    context = build_context(session, Step(ctx, offer.event), offer.kind, offer.recipient, parsed)
    return context, library.current_template(session, ctx.agency, offer.kind)


DRAFT_NUMBER = "（文号出具时编定）"
DRAFT_BANNER = "草稿预览：尚未出具，没有文号；出具时按当时的案件记录和模板生成"


def preview_notice(
    session: Session,
    case_id: int,
    kind: NoticeKind | str,
    actor: Actor,
    *,
    event_seq: int | None = None,
    recipient: str | None = None,
    fields: Mapping[str, Any] | None = None,
) -> str:
    """The HTML preview of a notice before it is issued: what `issue_notice` would make of
    the same step, recipient and fields, without a 文号 — nothing is stored and no number is
    taken. Only those who may issue it see a draft (it holds the applicant's name). A notice
    already issued for that step is shown as issued."""
    kind = _kind(kind)
    _may_issue(actor)
    ctx = context_for(session, load_case(session, case_id))
    offer = _choose(session, ctx, kind, event_seq, recipient)
    if offer.notice is not None:
        return render_notice_html(session, offer.notice)
    context, template = _compose(session, ctx, offer, fields)
    context["number"] = DRAFT_NUMBER
    docx = render_docx(template.docx, context)
    return render_html(docx, f"{kind.label}（草稿）", DRAFT_BANNER)


def _may_issue(actor: Actor) -> None:
    if actor.kind is ActorKind.SYSTEM or (
        actor.kind is ActorKind.USER and not actor.roles & ISSUERS
    ):
        raise Forbidden("出具告知书须由本机关经办人或负责人办理")


LATE_AFTER_DAYS = 30  # a notice issued longer after its step than this is called back-dated


def issue_warnings(notice: Notice, today: date) -> list[str]:
    """What the clerk should know about a notice just issued (shown by the CLI and the API).

    A notice is dated on its step's date, with that year's 文号, because the law counts from
    that day; issued long after it, the document is back-dated, and the clerk should know."""
    late = (today - notice.dated).days
    if late <= LATE_AFTER_DAYS:
        return []
    return [
        f"注意：该告知书按所属办理步骤的日期{cn_date(notice.dated)}落款，使用{notice.year}年文号，"
        f"比今天早{late}日（倒签）；请核实后再送达"
    ]


def _kind(kind: NoticeKind | str) -> NoticeKind:
    if isinstance(kind, NoticeKind):
        return kind
    try:
        return parse_kind(kind)
    except ValueError as error:
        raise Invalid(str(error), "kind") from None


def _choose(
    session: Session, ctx: CaseContext, kind: NoticeKind, seq: int | None, recipient: str | None
) -> Offer:
    ref = ctx.case.ref
    candidates = [o for o in offers(session, ctx) if o.kind is kind]
    if seq is not None:
        candidates = [o for o in candidates if o.event.seq == seq]
    if recipient:
        candidates = [o for o in candidates if o.recipient == recipient]
    if not candidates:
        where = f"第{seq}步不是" if seq is not None else "尚无"
        to = f"（致{recipient}）" if recipient else ""
        raise Invalid(f"案件 {ref} {where}应出具{kind.label}{to}的办理步骤", "kind")
    latest = max(o.event.seq for o in candidates)
    candidates = [o for o in candidates if o.event.seq == latest]
    if len(candidates) > 1:
        pending = [o for o in candidates if o.notice is None] or candidates
        if len(pending) > 1:
            names = "、".join(o.recipient for o in pending)
            raise Invalid(
                f"案件 {ref} 第{latest}步的{kind.label}有多个收件方，请指明：{names}", "recipient"
            )
        return pending[0]
    return candidates[0]


def case_notices(session: Session, case_id: int) -> list[Notice]:
    return list(
        session.exec(select(Notice).where(Notice.case_id == case_id).order_by(col(Notice.id))).all()
    )


def notice_of_case(session: Session, case_id: int, notice_id: int) -> Notice:
    notice = session.get(Notice, notice_id)
    if notice is None or notice.case_id != case_id:
        raise NotFound(f"本案没有编号为 {notice_id} 的告知书")
    return notice


def find_notice(session: Session, number_or_id: str, agency_id: int | None = None) -> Notice:
    """By 文号, or by id (digits)."""
    query = select(Notice)
    if number_or_id.isdigit():
        query = query.where(Notice.id == int(number_or_id))
    else:
        query = query.where(Notice.number == number_or_id)
    if agency_id is not None:
        query = query.where(Notice.agency_id == agency_id)
    found = session.exec(query).all()
    if not found:
        raise NotFound(f"没有文号或编号为“{number_or_id}”的告知书")
    if len(found) > 1:
        raise NotFound(f"文号“{number_or_id}”在多个机关中存在，请用 --agency 指明机关")
    return found[0]


def render_notice_docx(session: Session, notice: Notice, *, masked: bool = False) -> bytes:
    """The notice's DOCX again, from its stored context and its template version."""
    context = masked_context(notice.context) if masked else notice.context
    return render_docx(library.template_of(session, notice).docx, context)


def masked_context(context: Mapping[str, Any]) -> dict[str, Any]:
    out = dict(context)
    for key in PERSONAL_KEYS:
        if isinstance(out.get(key), str):
            out[key] = mask_name(out[key])
    if out.get("recipient") == context.get("applicant_name"):
        out["recipient"] = out["applicant_name"]
    return out


def render_notice_html(session: Session, notice: Notice, *, masked: bool = False) -> str:
    docx = render_notice_docx(session, notice, masked=masked)
    banner = "预览（申请人个人信息已脱敏，非正式文书）" if masked else ""
    return render_html(docx, f"{notice.number} {NoticeKind(notice.kind).label}", banner)


def render_notice_pdf(session: Session, notice: Notice) -> bytes:
    return pdf.docx_to_pdf(render_notice_docx(session, notice))


def notice_text(session: Session, notice: Notice) -> list[str]:
    return paragraphs(render_notice_docx(session, notice))


def reproduces(session: Session, notice: Notice) -> bool:
    """Whether re-rendering gives the very bytes issued (same SHA-256)."""
    return sha256(render_notice_docx(session, notice)) == notice.content_hash


@dataclass(frozen=True)
class NoticeFile:
    notice: Notice
    filename: str
    docx: bytes


def case_notice_files(session: Session, case_id: int) -> list[NoticeFile]:
    """Every notice of a case with its DOCX (for the case file, 案卷)."""
    out = []
    for notice in case_notices(session, case_id):
        docx = render_notice_docx(session, notice)
        out.append(NoticeFile(notice, filename(notice, "docx"), docx))
    return out


def filename(notice: Notice, extension: str) -> str:
    title = NoticeKind(notice.kind).label
    to = f"（致{notice.recipient}）" if notice.recipient else ""
    return f"{notice.number} {title}{to}.{extension}"


@dataclass(frozen=True)
class Issued:
    notices: list[Notice]
    waiting: list[Offer]  # offered, but the clerk must add text first (e.g. reasons)


def issue_offered(session: Session, case_id: int, event: CaseEvent, actor: Actor) -> Issued:
    """Every notice `event` calls for that needs nothing more from the clerk (`case act
    --issue-notice`): in the action's own transaction, so the action and its notices stand or fall
    together and a refused action takes no 文号."""
    case = load_case(session, case_id)
    pending = [o for o in offers(session, context_for(session, case)) if o.event.id == event.id]
    done: list[Notice] = []
    waiting: list[Offer] = []
    for offer in pending:
        if offer.notice is not None:
            continue
        if offer.needs_fields:
            waiting.append(offer)
            continue
        done.append(
            issue_notice(
                session,
                case_id,
                offer.kind,
                actor,
                event_seq=event.seq,
                recipient=offer.recipient or None,
            )
        )
    return Issued(done, waiting)
