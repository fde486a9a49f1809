"""Publishing a year's report (DESIGN §3.6): freeze its as-of instant T and keep a snapshot
that never changes — the document's JSON, every rendering, and a content hash over both.

Rules: only an approver (负责人) of the agency publishes; only a year that has ended (T on or
after 1 January of the next year, China time) and never with T in the future; a second
publication of the year is a new revision (更正) and says why, with a T not earlier than the
last revision's. Sections 一, 五, 六 still the starter text (not edited by anyone) or still
holding a placeholder to fill in are refused unless the approver says to publish them anyway —
then the answer warns: a real user wants to hear it, not silence. Table 二 never entered
publishes as zeros, with a warning.

The hash: SHA-256 over `casework-report-v1`, the figures in canonical JSON (sorted keys, no
spaces, UTF-8) and one line `format<TAB>sha256` per file, sorted by format name — so `verify`
needs only the stored rows, whichever formats exist today."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from casework.errors import Conflict, Forbidden, Invalid, NotFound
from casework.models import Agency, ReportFile, ReportInput, ReportPublication
from casework.reports import publications
from casework.reports.document import AnnualReport, build
from casework.reports.narratives import SECTION_TITLES, placeholders
from casework.reports.render import FORMATS, filename, render_all
from casework.timeutil import china_today, start_of_china_day
from workflows.roles import Actor, ActorKind, Role

HASH_PREFIX = b"casework-report-v1\n"
MAX_REASON = 500
ALLOW = "命令行 --allow-starter-text，接口 allow_starter_text"
TEXT_SECTIONS = (
    f"第一、五、六部分（{'、'.join(t.split('、', 1)[1] for t in SECTION_TITLES.values())}）"
)


@dataclass(frozen=True)
class Published:
    publication: ReportPublication
    files: list[ReportFile]
    warnings: tuple[str, ...] = ()


def content_hash(figures: dict[str, Any], file_hashes: Iterable[tuple[str, str]]) -> str:
    digest = hashlib.sha256(HASH_PREFIX)
    digest.update(canonical(figures))
    for fmt, sha in sorted(file_hashes):
        digest.update(f"\n{fmt}\t{sha}".encode())
    return digest.hexdigest()


def canonical(figures: dict[str, Any]) -> bytes:
    return json.dumps(figures, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode()


def _check_actor(actor: Actor, agency: Agency) -> None:
    if actor.kind is not ActorKind.USER or Role.APPROVER not in actor.roles:
        raise Forbidden(f"公布年度报告须由本机关（{agency.code}）负责人办理")


def _check_instant(year: int, as_of: datetime, now: datetime) -> None:
    ended = start_of_china_day(date(year + 1, 1, 1))
    if as_of < ended:
        raise Invalid(
            f"{year}年度尚未结束：统计时刻须在 {year + 1}-01-01（北京时间）之后，"
            "年度结束后才能公布",
            field="as_of",
        )
    if as_of > now:
        raise Invalid("统计时刻不能晚于现在", field="as_of")


def _check_revision(
    last: ReportPublication | None, year: int, as_of: datetime, reason: str | None
) -> str | None:
    text = (reason or "").strip() or None
    if text is not None and len(text) > MAX_REASON:
        raise Invalid(f"更正理由不能超过 {MAX_REASON} 字", field="reason")
    if last is None:
        return text
    when = china_today(last.published_at)
    if text is None:
        raise Invalid(
            f"{year}年度报告已于 {when} 公布（第{last.revision}版）；"
            "再次公布即为更正，须说明更正理由（命令行 --reason，接口 reason）",
            field="reason",
        )
    if as_of < last.as_of:
        raise Invalid(
            f"更正版的统计时刻不能早于第{last.revision}版的统计时刻（{_instant(last.as_of)}）",
            field="as_of",
        )
    return text


def _instant(value: datetime) -> str:
    return value.isoformat().replace("+00:00", "Z")


def _content_warnings(
    session: Session, agency_id: int, document: AnnualReport, as_of: datetime, allow: bool
) -> list[str]:
    warnings: list[str] = []
    sections = TEXT_SECTIONS
    if document.narratives.is_starter:
        if not allow:
            raise Invalid(
                f"报告{sections}仍是系统生成的草稿，尚未有人编辑保存；请先修改保存，"
                f"或确认按草稿公布（{ALLOW}）",
                field="narratives",
            )
        warnings.append(f"{sections}按系统草稿公布，未经编辑")
    left = placeholders(document.narratives)
    if left and not allow:
        raise Invalid(
            f"报告文字中还有待填写的内容：{'；'.join(left)}；请先填写保存，"
            f"或确认照此公布（{ALLOW}）",
            field="narratives",
        )
    if left and not document.narratives.is_starter:
        warnings.append(f"报告文字中有{len(left)}处待填写的内容照原样公布")
    proactive = session.exec(
        select(ReportInput.id).where(
            ReportInput.agency_id == agency_id,
            ReportInput.year == document.figures.year,
            ReportInput.kind == "proactive",
            col(ReportInput.recorded_at) <= as_of,
        )
    ).first()
    if proactive is None:
        warnings.append("第二部分（主动公开政府信息情况）未录入，按全部为 0 公布")
    difference = document.carry_in_difference
    if difference is not None:
        warnings.append(
            f"本年“上年结转”与{difference.previous_year}年度报告公布的“结转下年度继续办理”"
            f"不一致（相差的案件 {len(difference.cases)} 件），差异明细随报告数据公布"
        )
    return warnings


def publish(
    session: Session,
    agency: Agency,
    year: int,
    actor: Actor,
    now: datetime,
    as_of: datetime | None = None,
    reason: str | None = None,
    *,
    allow_starter_text: bool = False,
) -> Published:
    """Freeze report(Y, T) with T = `as_of` or now; flushes, the caller commits."""
    assert agency.id is not None
    _check_actor(actor, agency)
    instant = as_of or now
    _check_instant(year, instant, now)
    last = publications.latest(session, agency.id, year)
    why = _check_revision(last, year, instant, reason)
    document = build(session, agency, year, instant)
    warnings = _content_warnings(session, agency.id, document, instant, allow_starter_text)
    rendered = render_all(document)
    hashes = {name: hashlib.sha256(content).hexdigest() for name, content in rendered.items()}
    figures = json.loads(json.dumps(document.as_json(), ensure_ascii=False))  # as stored
    publication = ReportPublication(
        agency_id=agency.id,
        year=year,
        revision=(last.revision + 1) if last else 1,
        as_of=instant,
        figures=figures,
        content_hash=content_hash(figures, hashes.items()),
        reason=why,
        published_by=actor.name,
        published_at=now,
    )
    session.add(publication)
    try:
        session.flush()
    except IntegrityError:
        raise Conflict(f"{year}年度报告刚由他人公布（同一版次），请刷新后重试") from None
    assert publication.id is not None
    files = []
    for name, content in rendered.items():
        fmt = FORMATS[name]
        row = ReportFile(
            publication_id=publication.id,
            format=name,
            filename=filename(document, fmt),
            media_type=fmt.media_type,
            sha256=hashes[name],
            content=content,
        )
        session.add(row)
        files.append(row)
    session.flush()
    return Published(publication, files, tuple(warnings))


def published(
    session: Session, agency: Agency, year: int, revision: int | None = None
) -> ReportPublication | None:
    """The latest revision of the year (or the one asked for); None if not published."""
    assert agency.id is not None
    return publications.latest(session, agency.id, year, revision=revision)


def require_published(
    session: Session, agency: Agency, year: int, revision: int | None = None
) -> ReportPublication:
    """Like `published`, but a missing publication is a NotFound with a clear message."""
    found = published(session, agency, year, revision)
    if found is None:
        which = f"第{revision}版" if revision is not None else ""
        raise NotFound(f"{agency.code} 的{year}年度报告{which}尚未公布")
    return found


def files(session: Session, publication: ReportPublication) -> list[ReportFile]:
    return publications.stored_files(session, publication)


def stored_file(session: Session, publication: ReportPublication, fmt: str) -> ReportFile:
    stored = files(session, publication)
    for row in stored:
        if row.format == fmt:
            return row
    names = "、".join(r.format for r in stored)
    raise NotFound(f"该报告没有“{fmt}”格式的文件；已公布的格式：{names}")


def verify(publication: ReportPublication, stored: Sequence[ReportFile]) -> bool:
    """Each stored file matches its recorded SHA-256, and the content hash matches the stored
    figures and files."""
    if any(hashlib.sha256(f.content).hexdigest() != f.sha256 for f in stored):
        return False
    expected = content_hash(publication.figures, ((f.format, f.sha256) for f in stored))
    return expected == publication.content_hash
