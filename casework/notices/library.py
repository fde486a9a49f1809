"""Template versions: the built-in ones shipped in `templates/` and each agency's own.

An agency's own template is stored in the database (table `notice_template`), not under the
data directory: the database is what is backed up and what every API worker and host shares,
the version is written in the same transaction as its upload, and a version, once stored, is
never changed — an issued notice points at its row and re-renders with exactly those bytes.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from sqlalchemy import func
from sqlmodel import Session, col, select

from casework.errors import Invalid, NotFound
from casework.models import Agency, Notice, NoticeTemplate
from casework.notices.kinds import KIND_INFO, NoticeKind
from casework.notices.render import render_docx, sha256
from casework.timeutil import utcnow
from workflows.outcomes import OUTCOME_BY_CODE, OUTCOMES, WITHDRAWN

TEMPLATES = Path(__file__).parent / "templates"
MAX_TEMPLATE_BYTES = 2 * 1024 * 1024
_FILE = re.compile(r"(?P<kind>[a-z_]+)\.v(?P<version>[0-9]+)\.docx")


@dataclass(frozen=True)
class Template:
    kind: NoticeKind
    version: int
    override_id: int | None  # None: the built-in template
    docx: bytes

    @property
    def label(self) -> str:
        return f"{'本机关模板' if self.override_id else '系统模板'} v{self.version}"


@cache
def builtin_versions() -> dict[NoticeKind, tuple[int, ...]]:
    found: dict[NoticeKind, list[int]] = {}
    for path in TEMPLATES.glob("*.docx"):
        match = _FILE.fullmatch(path.name)
        if match:
            found.setdefault(NoticeKind(match["kind"]), []).append(int(match["version"]))
    return {kind: tuple(sorted(versions)) for kind, versions in found.items()}


def builtin(kind: NoticeKind, version: int | None = None) -> Template:
    versions = builtin_versions().get(kind, ())
    chosen = version if version is not None else (versions[-1] if versions else None)
    if chosen is None or chosen not in versions:
        raise NotFound(f"没有{kind.label}的系统模板 v{chosen}")
    return Template(kind, chosen, None, (TEMPLATES / f"{kind.value}.v{chosen}.docx").read_bytes())


def current_override(session: Session, agency: Agency, kind: NoticeKind) -> NoticeTemplate | None:
    return session.exec(
        select(NoticeTemplate)
        .where(NoticeTemplate.agency_id == agency.id, NoticeTemplate.kind == kind.value)
        .order_by(col(NoticeTemplate.version).desc())
    ).first()


def current_template(session: Session, agency: Agency, kind: NoticeKind) -> Template:
    """The agency's newest own version unless it went back to the built-in one."""
    own = current_override(session, agency, kind)
    if own is not None and not own.retired:
        return Template(kind, own.version, own.id, own.docx)
    return builtin(kind)


def template_of(session: Session, notice: Notice) -> Template:
    """The exact template an issued notice was rendered with."""
    kind = NoticeKind(notice.template_kind)
    if notice.template_override_id is None:
        return builtin(kind, notice.template_version)
    row = session.get(NoticeTemplate, notice.template_override_id)
    assert row is not None  # template rows are never deleted
    return Template(kind, row.version, row.id, row.docx)


def set_override(
    session: Session, agency: Agency, kind: NoticeKind, docx: bytes, by: str, note: str | None
) -> NoticeTemplate:
    """Store an agency's template as its next version, after rendering it once with a sample
    of the kind's facts (a template that cannot render is refused, not stored)."""
    if len(docx) > MAX_TEMPLATE_BYTES:
        raise Invalid(f"模板文件不能超过 {MAX_TEMPLATE_BYTES // 1024 // 1024} MB", "template")
    render_docx(docx, sample_context(kind))
    last = session.exec(
        select(func.max(NoticeTemplate.version)).where(
            NoticeTemplate.agency_id == agency.id, NoticeTemplate.kind == kind.value
        )
    ).one()
    row = NoticeTemplate(
        agency_id=agency.id or 0,
        kind=kind.value,
        version=int(last or 0) + 1,
        docx=docx,
        sha256=sha256(docx),
        note=note,
        created_by=by,
        created_at=utcnow(),
    )
    session.add(row)
    session.flush()
    return row


def reset_override(session: Session, agency: Agency, kind: NoticeKind) -> bool:
    """Back to the built-in template; the agency's versions stay (old notices use them)."""
    own = current_override(session, agency, kind)
    if own is None or own.retired:
        return False
    own.retired = True
    session.add(own)
    session.flush()
    return True


def overrides(session: Session, agency: Agency) -> list[NoticeTemplate]:
    return list(
        session.exec(
            select(NoticeTemplate)
            .where(NoticeTemplate.agency_id == agency.id)
            .order_by(col(NoticeTemplate.kind), col(NoticeTemplate.version))
        ).all()
    )


_COMMON: dict[str, Any] = {
    "number": "示例公开复〔2026〕1号",
    "agency_name": "示例机关",
    "review_body": "示例区人民政府",
    "regs": "《中华人民共和国政府信息公开条例》",
    "case_ref": "2026-001",
    "step": 2,
    "applicant_name": "张三",
    "remedy_party": "您",
    "received_on": "2026年11月20日",
    "channel_label": "当面提交",
    "request": "示例申请内容",
    "dated": "2026年11月24日",
    "review_first": False,
    "iso": {"received_on": "2026-11-20", "dated": "2026-11-24"},
    "document": {"title": "示例", "author": "示例机关", "subject": "示例", "dated": "2026-11-24"},
}
_BY_KIND: dict[NoticeKind, dict[str, Any]] = {
    NoticeKind.RECEIPT: {"reply_due": "2026年12月18日", "reply_due_provisional": False},
    NoticeKind.CORRECTION: {
        "items": ["请明确所需信息的名称"],
        "period_wd": 15,
        "correction_due": "2026年12月15日",
        "correction_due_provisional": False,
    },
    NoticeKind.EXTENSION: {
        "reason": "需调取档案",
        "days_wd": 10,
        "old_due": "2026年12月18日",
        "new_due": "2027年1月4日",
        "new_due_provisional": True,
        "approver": "李科长",
    },
    NoticeKind.CONSULTATION: {"information": "示例信息", "opinion_due": "2026年12月15日"},
    NoticeKind.DISCLOSURE_DECISION: {
        "consulted_on": "2026年11月24日",
        "information": "示例信息",
        "opinion": "不同意公开",
        "content": "示例内容",
        "reasons": "示例理由",
    },
    NoticeKind.FEE: {
        "amount": "100.00元",
        "basis_label": "按件计收",
        "standard": "示例标准",
        "payment_method": "示例缴费方式",
        "payment_due": "2026年12月22日",
        "payment_due_provisional": False,
    },
    NoticeKind.REPLY: {
        "outcome": OUTCOMES[0].code,
        "outcome_label": OUTCOMES[0].full_label,
        "finding": "示例结论",
        "basis": "示例依据",
        "form": "纸质",
        "details": "",
        "competent_agency": "",
        "corrected_on": "",
    },
    NoticeKind.TERMINATION: {
        "outcome": WITHDRAWN,
        "outcome_label": OUTCOME_BY_CODE[WITHDRAWN].full_label,
        "history": "示例经过。",
        "termination": "示例结论",
    },
}


def sample_context(kind: NoticeKind) -> dict[str, Any]:
    """Every name a notice of `kind` has in its context, with sample values (a test checks
    they are the names real notices get): an agency's template is tried on it."""
    sample = {**_COMMON, **_BY_KIND[kind], "kind": kind.value, "title": kind.label}
    if KIND_INFO[kind].to_third_party:
        sample |= {"recipient": "某公司", "remedy_party": "你方"}
    else:
        sample["recipient"] = sample["applicant_name"]
    return sample
