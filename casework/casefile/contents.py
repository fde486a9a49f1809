"""What goes into a case file, in order: each entry a name inside the archive, a title for
the cover list, a date, and its bytes (or a stream of them, for attachments)."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlmodel import Session, col, select

from casework.attachments.kinds import AttachmentKind
from casework.attachments.store import Store
from casework.models import Agency, Applicant, Case, CaseEvent, User
from casework.notices.kinds import NoticeKind
from casework.notices.service import case_notice_files
from casework.services import attachments
from casework.timeutil import CHINA
from workflows.actions import ACTION_BY_NAME
from workflows.outcomes import OUTCOME_BY_CODE, ApplicantKind
from workflows.payloads import CHANNEL_LABELS
from workflows.states import State


@dataclass
class Entry:
    path: str  # inside the archive
    title: str  # on the cover list
    dated: date | None
    number: str = ""  # 文号 of a notice
    note: str = ""
    data: bytes | None = None
    chunks: Iterable[bytes] | None = None
    size: int = 0
    sha256: str = ""  # filled in when written


@dataclass(frozen=True)
class Header:
    """The case file's cover: who, what, when, how it ended."""

    agency: str
    ref: str
    applicant: str
    applicant_kind: str
    received_on: date
    channel: str
    request: str
    state: str
    outcome: str
    concluded_on: date | None
    handler: str


@dataclass
class CaseFile:
    header: Header
    entries: list[Entry] = field(default_factory=list)


def _label(action: str) -> str:
    spec = ACTION_BY_NAME.get(action)
    return spec.label if spec is not None else action


def header_of(session: Session, case: Case) -> Header:
    agency = session.get_one(Agency, case.agency_id)
    applicant = session.get_one(Applicant, case.applicant_id)
    handler = session.get(User, case.handler_id) if case.handler_id else None
    return Header(
        agency=agency.name,
        ref=case.ref,
        applicant=applicant.name,
        applicant_kind=ApplicantKind(case.applicant_kind).label,
        received_on=case.received_on,
        channel=CHANNEL_LABELS.get(case.channel, case.channel),
        request=case.request_text,
        state=State(case.state).label,
        outcome=OUTCOME_BY_CODE[case.outcome].full_label if case.outcome else "（未办结）",
        concluded_on=case.concluded_on,
        handler=handler.display_name if handler else "",
    )


def registration_text(session: Session, case: Case, header: Header) -> str:
    """The request as registered (登记信息), with the applicant's contact details: the case
    file goes to a body entitled to the whole record."""
    applicant = session.get_one(Applicant, case.applicant_id)
    lines = [
        f"机关：{header.agency}",
        f"案号：{case.ref}",
        f"申请人：{applicant.name}（{header.applicant_kind}）",
        f"证件号码：{applicant.id_number or '—'}",
        f"联系电话：{applicant.phone or '—'}",
        f"电子邮箱：{applicant.email or '—'}",
        f"通信地址：{applicant.address or '—'}",
        f"提交方式：{header.channel}",
        f"当面提交日期：{case.submitted_on or '—'}",
        f"签收日期：{case.signed_on or '—'}",
        f"确认日期：{case.confirmed_on or '—'}",
        f"收到申请之日（条例第三十一条）：{case.received_on}",
        "",
        "申请内容：",
        case.request_text,
        "",
    ]
    return "\n".join(lines)


HISTORY_COLUMNS = ["序号", "生效日期", "记录时间", "操作", "原状态", "新状态", "办理人", "内容"]


def history_rows(events: list[CaseEvent]) -> Iterator[list[str]]:
    for e in events:
        yield [
            str(e.seq),
            e.effective_on.isoformat(),
            e.recorded_at.isoformat(timespec="seconds"),
            _label(e.action),
            State(e.from_state).label if e.from_state else "",
            State(e.to_state).label,
            e.actor_name,
            json.dumps(e.payload, ensure_ascii=False, sort_keys=True),
        ]


def history_csv(events: list[CaseEvent]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(HISTORY_COLUMNS)
    writer.writerows(history_rows(events))
    return ("\ufeff" + out.getvalue()).encode()  # BOM: Excel opens UTF-8 CSV correctly


def history_json(events: list[CaseEvent]) -> bytes:
    data: list[dict[str, Any]] = [
        {
            "seq": e.seq,
            "action": e.action,
            "label": _label(e.action),
            "from_state": e.from_state,
            "to_state": e.to_state,
            "effective_on": e.effective_on.isoformat(),
            "recorded_at": e.recorded_at.isoformat(),
            "actor_kind": e.actor_kind,
            "actor": e.actor_name,
            "payload": e.payload,
            "payload_schema": e.payload_schema,
            "workflow_version": e.workflow_version,
        }
        for e in events
    ]
    return json.dumps(data, ensure_ascii=False, indent=1).encode()


def collect(session: Session, store: Store, case: Case) -> CaseFile:
    """Everything of a case, in the order of the cover list: the request, the notices by date,
    the attachments, the history."""
    assert case.id is not None
    header = header_of(session, case)
    events = list(
        session.exec(
            select(CaseEvent).where(CaseEvent.case_id == case.id).order_by(col(CaseEvent.seq))
        ).all()
    )
    book = CaseFile(header)
    book.entries.append(
        Entry(
            "01-申请/登记信息.txt",
            "政府信息公开申请登记信息",
            case.received_on,
            data=registration_text(session, case, header).encode(),
        )
    )
    notices = sorted(
        case_notice_files(session, case.id), key=lambda f: (f.notice.dated, f.notice.id or 0)
    )
    for item in notices:
        to = f"（致{item.notice.recipient}）" if item.notice.recipient else ""
        book.entries.append(
            Entry(
                f"02-告知书/{item.filename}",
                f"{NoticeKind(item.notice.kind).label}{to}",
                item.notice.dated,
                number=item.notice.number,
                data=item.docx,
            )
        )
    for listed, chunks in attachments.files_of(session, store, case.id):
        a = listed.attachment
        note = "已撤回：" + listed.withdrawal.reason if listed.withdrawal else (a.note or "")
        title = f"{AttachmentKind(a.kind).short_label}：{a.filename}"
        book.entries.append(
            Entry(
                "03-" + attachments.archive_name(listed),
                title,
                a.uploaded_at.astimezone(CHINA).date(),  # the China date, not UTC's
                note=note,
                chunks=chunks,
                size=a.size,
            )
        )
    last = events[-1].effective_on if events else case.received_on
    book.entries.append(
        Entry("04-办理记录/办理记录.csv", "办理记录（事件日志）", last, data=history_csv(events))
    )
    book.entries.append(
        Entry("04-办理记录/办理记录.json", "办理记录（机读格式）", last, data=history_json(events))
    )
    return book
