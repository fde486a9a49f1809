"""Attachments of a case: attach, list, read, withdraw — one door for the CLI and the API.

Attaching is not a case event. The event log holds what the workflow is made of — every row
moves a state, a clock, an outcome or a statistic, and is replayed to rebuild them (DESIGN
§2.1); a file does none of that. As an event it would also take an effective date (then a
clerk who attaches today's scan could no longer record yesterday's service: actions may not
be dated before the case's last event), bump `Case.version` (an upload would turn a colleague's
pending action into a 409) and appear as an action with a JSON-only door in the action table,
replays and `actions_allowed`. So an attachment is a record of its own, as append-only as the
log (triggers refuse UPDATE and DELETE), with who and when, and an optional link to the event
it evidences (`event_seq`, e.g. the delivery a 送达回证 proves). A withdrawal is another
append-only row with its reason; the file stays listed, downloadable and in the store.

Attaching is two steps, so no write lock waits on a slow upload or scan: `vet` (reads: the
case, the actor's role, the fields) in a reading transaction, then `attach` (the file's checks
and the store first, then the row, vetted again in the writing transaction)."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlmodel import Session, col, select

from casework.attachments.intake import IntakePolicy, check_and_keep
from casework.attachments.kinds import AttachmentKind, parse_kind
from casework.attachments.names import extension_of
from casework.attachments.scan import ScanStatus
from casework.attachments.store import Staged, Store
from casework.errors import Conflict, Forbidden, Invalid, NotFound
from casework.models import Attachment, AttachmentWithdrawal, CaseEvent
from casework.services.snapshots import load_case
from casework.timeutil import utcnow
from workflows.roles import Actor, Role
from workflows.validation import CONTROL_MESSAGE, has_control

ATTACHING = frozenset({Role.CLERK, Role.APPROVER})
# who may open the files: they hold the applicant's personal data unmasked, so only the
# agency's clerks and approvers — an auditor reads with personal data masked (DESIGN §1) and a
# district office reads its subtree masked: both see the list without names, not the files
READING = frozenset({Role.CLERK, Role.APPROVER})
MAX_NOTE = 2000


@dataclass(frozen=True)
class Details:
    """What comes with a file: its kind, the name it was sent under, a note, an event."""

    kind: str
    filename: str
    note: str | None = None
    event_seq: int | None = None


def may_attach(actor: Actor) -> None:
    if not actor.roles & ATTACHING:
        raise Forbidden("上传或撤回附件须由本机关经办人或负责人办理")


def may_read_files(actor: Actor, *, supervising: bool) -> None:
    if supervising:
        raise Forbidden(
            "附件含申请人个人信息：政务公开办可查看下级机关案件的附件目录，不能下载文件"
        )
    if not actor.roles & READING:
        raise Forbidden("附件含申请人个人信息，须由本机关经办人或负责人下载")


def checked_fields(details: Details) -> AttachmentKind:
    """The fields that need no database: the kind and the note."""
    try:
        kind = parse_kind(details.kind)
    except ValueError as error:
        raise Invalid(str(error), "kind") from None
    note = details.note
    if note is not None and len(note) > MAX_NOTE:
        raise Invalid(f"备注不能超过 {MAX_NOTE} 字", "note")
    if has_control(note or "") or has_control(details.filename):
        raise Invalid(CONTROL_MESSAGE, "note" if has_control(note or "") else "filename")
    return kind


def reveals_files(actor: Actor, *, supervising: bool) -> bool:
    """Whether a listing shows the files' names and notes: to those who may open the files
    (and to the command line's unnamed reader, who has the database anyway)."""
    if supervising:
        return False
    return actor.user_id is None or bool(actor.roles & READING)


@dataclass(frozen=True)
class Vetted:
    """An attachment whose case, actor and fields passed `vet`: what `attach` needs."""

    case_id: int
    kind: AttachmentKind
    details: Details


def vet(session: Session, case_id: int, details: Details, actor: Actor) -> Vetted:
    """Everything about an attachment but its bytes (reads only); raises what a door shows.
    A door vets before the bytes are kept, so a refusal here keeps nothing."""
    case = load_case(session, case_id)
    may_attach(actor)
    kind = checked_fields(details)
    if details.event_seq is not None:
        found = session.exec(
            select(CaseEvent.id).where(
                CaseEvent.case_id == case.id, CaseEvent.seq == details.event_seq
            )
        ).first()
        if found is None:
            raise Invalid(f"本案没有第 {details.event_seq} 项办理记录", "event_seq")
    return Vetted(case_id, kind, details)


def attach(
    session: Session,
    store: Store,
    policy: IntakePolicy,
    vetted: Vetted,
    staged: Staged,
    actor: Actor,
) -> Attachment:
    """Check and keep a received file, then record it; flushes (the caller commits). A file
    refused by a check leaves nothing behind; the same bytes twice are kept once. The file is
    checked (and scanned) before this session first touches the database, so on SQLite no
    write lock waits on a scan; `vet` runs again in it, for what changed meanwhile."""
    details = vetted.details
    kept = check_and_keep(store, staged, details.filename, policy)
    vet(session, vetted.case_id, details, actor)
    row = Attachment(
        case_id=vetted.case_id,
        kind=vetted.kind.value,
        filename=kept.filename,
        media_type=kept.media_type,
        size=kept.size,
        sha256=kept.sha256,
        scan=kept.scan.value,
        note=details.note or None,
        event_seq=details.event_seq,
        uploaded_by=actor.name,
        uploaded_by_user_id=actor.user_id,
        uploaded_at=utcnow(),
    )
    session.add(row)
    session.flush()
    return row


@dataclass(frozen=True)
class Listed:
    attachment: Attachment
    withdrawal: AttachmentWithdrawal | None

    @property
    def id(self) -> int:
        assert self.attachment.id is not None
        return self.attachment.id


def _with_withdrawals() -> Any:
    """Attachments, each with its withdrawal if any."""
    return select(Attachment, AttachmentWithdrawal).join(
        AttachmentWithdrawal,
        col(AttachmentWithdrawal.attachment_id) == col(Attachment.id),
        isouter=True,
    )


def listed(session: Session, case_id: int) -> list[Listed]:
    """A case's attachments, oldest first, with their withdrawals."""
    rows = session.exec(
        _with_withdrawals().where(Attachment.case_id == case_id).order_by(col(Attachment.id))
    ).all()
    return [Listed(a, w) for a, w in rows]


def one(session: Session, case_id: int, attachment_id: int) -> Listed:
    """An attachment of this case; one of another case is as absent as none."""
    found = session.exec(
        _with_withdrawals().where(Attachment.id == attachment_id, Attachment.case_id == case_id)
    ).first()
    if found is not None:
        return Listed(*found)
    raise NotFound(f"本案没有编号为 {attachment_id} 的附件")


def withdraw(
    session: Session, case_id: int, attachment_id: int, reason: str, actor: Actor
) -> Listed:
    """Withdraw an attachment with a reason: it stays on record, marked, and its bytes stay."""
    may_attach(actor)
    item = one(session, case_id, attachment_id)
    reason = reason.strip()
    if not reason:
        raise Invalid("请说明撤回附件的理由", "reason")
    if len(reason) > MAX_NOTE or has_control(reason):
        raise Invalid(f"理由不能超过 {MAX_NOTE} 字，也不能含控制字符", "reason")
    if item.withdrawal is not None:
        when = item.withdrawal.withdrawn_at.date().isoformat()
        raise Conflict(f"附件 {attachment_id} 已于 {when} 由 {item.withdrawal.withdrawn_by} 撤回")
    withdrawal = AttachmentWithdrawal(
        attachment_id=attachment_id,
        reason=reason,
        withdrawn_by=actor.name,
        withdrawn_by_user_id=actor.user_id,
        withdrawn_at=utcnow(),
    )
    session.add(withdrawal)
    session.flush()
    return Listed(item.attachment, withdrawal)


def masked_filename(attachment: Attachment) -> str:
    """The name shown to whom the file is not shown: its kind, and its extension."""
    label = AttachmentKind(attachment.kind).short_label
    return f"{label}-{attachment.id}{extension_of(attachment.filename) or ''}"


def as_json(item: Listed, *, reveal: bool) -> dict[str, Any]:
    """The listing of one attachment; `reveal` False (a district office) hides the name, the
    note and the reason, which may name the applicant."""
    a, w = item.attachment, item.withdrawal
    kind = AttachmentKind(a.kind)
    return {
        "id": a.id,
        "kind": kind.value,
        "kind_label": kind.label,
        "filename": a.filename if reveal else masked_filename(a),
        "media_type": a.media_type,
        "size": a.size,
        "sha256": a.sha256,
        "scan": a.scan,
        "scan_label": ScanStatus(a.scan).label,
        "note": a.note if reveal else None,
        "event_seq": a.event_seq,
        "uploaded_by": a.uploaded_by,
        "uploaded_at": _instant(a.uploaded_at),
        "withdrawn": w is not None,
        "withdrawn_at": _instant(w.withdrawn_at) if w else None,
        "withdrawn_by": w.withdrawn_by if w else None,
        "withdrawal_reason": (w.reason if reveal else None) if w else None,
    }


def _instant(value: datetime) -> str:
    return value.isoformat()


def case_attachments_json(session: Session, case_id: int, *, reveal: bool) -> list[dict[str, Any]]:
    return [as_json(item, reveal=reveal) for item in listed(session, case_id)]


def archive_name(item: Listed) -> str:
    """The file's name inside a case-file archive: numbered, its kind, its name, and marked
    when withdrawn (`附件/003-送达凭证-回证.pdf`)."""
    a = item.attachment
    label = AttachmentKind(a.kind).short_label
    mark = "（已撤回）" if item.withdrawal is not None else ""
    return f"附件/{a.id:03d}-{label}{mark}-{a.filename}"


def files_of(
    session: Session, store: Store, case_id: int, *, include_withdrawn: bool = True
) -> Iterator[tuple[Listed, Iterator[bytes]]]:
    """Each attachment with its bytes as a stream of chunks (verified against the hash) —
    for the case-file export (案卷), which writes them into its archive one at a time."""
    for item in listed(session, case_id):
        if item.withdrawal is None or include_withdrawn:
            yield item, store.chunks(item.attachment.sha256)
