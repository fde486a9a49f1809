"""文号: an agency's pattern and a sequence per agency, year and kind that never repeats.

Pattern placeholders: {简称} the agency's short name, {年} the year, {号} the serial number
({号:3} zero-pads it to 3 digits), {类} one character per notice kind (补, 复 …). A pattern
without {类} numbers every kind in one sequence, so two notices of an agency never share a
文号 whatever the pattern. Taking a number locks the counter row (PostgreSQL `FOR UPDATE`;
SQLite's write transactions are serial: `BEGIN IMMEDIATE`), inside the caller's transaction,
so a rolled-back issue gives its number back.
"""

from __future__ import annotations

import re
import string
from dataclasses import dataclass

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, select

from casework.errors import Invalid
from casework.models import Agency, Notice, NoticeCounter
from casework.notices.kinds import NoticeKind

DEFAULT_PATTERN = "{简称}公开{类}〔{年}〕{号}号"
FIELDS = frozenset({"简称", "年", "号", "类"})
SHARED_SCOPE = "*"
_PAD = re.compile(r"0?([1-9])")


@dataclass(frozen=True)
class Pattern:
    text: str
    parts: tuple[tuple[str, str | None, int], ...]  # (literal, field or None, zero-pad width)

    @property
    def per_kind(self) -> bool:
        return any(name == "类" for _, name, _ in self.parts)

    def format(self, short_name: str, year: int, serial: int, kind: NoticeKind) -> str:
        values = {"简称": short_name, "年": str(year), "类": kind.code}
        out: list[str] = []
        for literal, name, width in self.parts:
            out.append(literal)
            if name == "号":
                out.append(str(serial).zfill(width))
            elif name is not None:
                out.append(values[name])
        return "".join(out)


def parse_pattern(text: str) -> Pattern:
    """A pattern checked in full: known placeholders only, {号} and {年} present."""
    if not text.strip() or len(text) > 100:
        raise Invalid("文号格式不能为空，且不超过100个字符", "pattern")
    try:
        parsed = list(string.Formatter().parse(text))
    except ValueError as error:
        raise Invalid(f"文号格式“{text}”有误（花括号不成对：{error}）", "pattern") from None
    parts: list[tuple[str, str | None, int]] = []
    seen: set[str] = set()
    for literal, name, spec, conversion in parsed:
        if name is None:
            parts.append((literal, None, 0))
            continue
        if name not in FIELDS or conversion:
            raise Invalid(
                f"文号格式中的“{{{name}}}”不可用；可用：{{简称}}、{{年}}、{{号}}（如 {{号:3}} 补零至3位）、{{类}}",
                "pattern",
            )
        width = 0
        if spec:
            pad = _PAD.fullmatch(spec)
            if name != "号" or pad is None:
                raise Invalid(
                    f"文号格式中的“{{{name}:{spec}}}”不可用；只有 {{号}} 可补零，如 {{号:3}}",
                    "pattern",
                )
            width = int(pad.group(1))
        seen.add(name)
        parts.append((literal, name, width))
    missing = [f"{{{n}}}" for n in ("年", "号") if n not in seen]
    if missing:
        raise Invalid(f"文号格式须含 {'、'.join(missing)}（按年编号）", "pattern")
    return Pattern(text, tuple(parts))


def pattern_of(agency: Agency) -> Pattern:
    return parse_pattern(agency.notice_number_pattern or DEFAULT_PATTERN)


def short_name_of(agency: Agency) -> str:
    return agency.short_name or agency.name


@dataclass(frozen=True)
class Taken:
    number: str
    year: int
    serial: int


def take_number(session: Session, agency: Agency, kind: NoticeKind, year: int) -> Taken:
    """The next 文号 of `kind` in `year` for `agency`. Call it in a write transaction."""
    assert agency.id is not None
    pattern = pattern_of(agency)
    scope = kind.value if pattern.per_kind else SHARED_SCOPE
    counter = _locked_counter(session, agency.id, year, scope)
    while True:
        counter.last_serial += 1
        number = pattern.format(short_name_of(agency), year, counter.last_serial, kind)
        # a number an earlier pattern already gave (the pattern or short name changed and
        # changed back) is skipped, not repeated
        taken = session.exec(
            select(Notice.id).where(Notice.agency_id == agency.id, Notice.number == number)
        ).first()
        if taken is None:
            break
    session.add(counter)
    session.flush()
    return Taken(number, year, counter.last_serial)


def _locked_counter(session: Session, agency_id: int, year: int, scope: str) -> NoticeCounter:
    query = (
        select(NoticeCounter)
        .where(
            NoticeCounter.agency_id == agency_id,
            NoticeCounter.year == year,
            NoticeCounter.scope == scope,
        )
        .execution_options(populate_existing=True)
    )
    if session.get_bind().dialect.name != "sqlite":
        query = query.with_for_update()
    counter = session.exec(query).first()
    if counter is not None:
        return counter
    try:
        with session.begin_nested():  # the first number of the year: make the row
            counter = NoticeCounter(agency_id=agency_id, year=year, scope=scope, last_serial=0)
            session.add(counter)
    except IntegrityError:
        # another transaction made it first (PostgreSQL waited for it to commit): lock theirs
        return session.exec(query).one()
    return counter
