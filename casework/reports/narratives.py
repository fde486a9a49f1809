"""Sections 一, 五 and 六 (free text per agency and year), each save a new revision; until a
clerk saves one, a starter text drafted from the year's figures stands in.

The starter follows the official sub-structure of section 一 (国办公开办函〔2021〕30号: 主动公开、
依申请公开、政府信息管理、政府信息公开平台建设、监督保障). Its numbers come from the table the
report prints, in sentences a consistency check can match ("新收政府信息公开申请N件", "上年结转N件",
"办结N件", "结转下年度继续办理N件"); what only the clerk knows is left as a marked placeholder
(`【请填写：…】`), so the publish step can tell a text that still needs work (`placeholders`,
`Narratives.is_starter`)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from casework.errors import Conflict, Invalid
from casework.models import Agency, ReportInput
from casework.statistics.figures import Report
from workflows.outcomes import GROUP_LABELS, ApplicantKind, OutcomeGroup, outcome
from workflows.validation import CONTROL_MESSAGE, describe, has_control

KIND = "narrative"
MAX_TEXT = 20_000  # characters per section: a long published section is ~3,000
SECTIONS = ("overview", "problems", "other")
SECTION_TITLES = {
    "overview": "一、总体情况",
    "problems": "五、存在的主要问题及改进情况",
    "other": "六、其他需要报告的事项",
}
SYSTEM_ACTOR = "system"  # the year-end job's first revision: the starter, saved unread
PLACEHOLDER = re.compile(r"【请填写[：:][^】]*】")


def _fill(what: str) -> str:
    return f"【请填写：{what}】"


class NarrativeInput(BaseModel):
    model_config = ConfigDict(extra="forbid")
    overview: str = Field(max_length=MAX_TEXT)
    problems: str = Field(max_length=MAX_TEXT)
    other: str = Field(max_length=MAX_TEXT)


@dataclass(frozen=True)
class Narratives:
    overview: str
    problems: str
    other: str
    revision: int  # 0: the starter text, not yet saved by anyone
    recorded_by: str | None = None
    recorded_at: datetime | None = None

    @property
    def is_starter(self) -> bool:
        """Nobody has edited it: the starter shown in place of a revision, or the one the
        year-end job saved as the first revision."""
        return self.revision == 0 or self.recorded_by == SYSTEM_ACTOR

    def section(self, name: str) -> str:
        return {"overview": self.overview, "problems": self.problems, "other": self.other}[name]

    def texts(self) -> dict[str, str]:
        return {name: self.section(name) for name in SECTIONS}

    def as_json(self) -> dict[str, Any]:
        return {**self.texts(), "revision": self.revision}


def placeholders(narratives: Narratives) -> list[str]:
    """Every placeholder still in the texts, named by its section ("一、总体情况：【请填写：…】");
    empty when the clerk has filled them all."""
    return [
        f"{SECTION_TITLES[name]}：{found}"
        for name in SECTIONS
        for found in PLACEHOLDER.findall(narratives.section(name))
    ]


# -- the starter ---------------------------------------------------------------------------


def _short(group: OutcomeGroup) -> str:
    """（二）部分公开（区分处理的…） → 部分公开."""
    return GROUP_LABELS[group].split("）", 1)[1].split("（", 1)[0]


def _amount(value: Any) -> str:
    """A figure as written in a sentence: 12.50 → 12.5, 3.0 → 3."""
    number = Decimal(str(value)).normalize()
    return format(number, "f")


def _proactive(figures: Report) -> str:
    p, year = figures.proactive, figures.year
    regs, docs = p["regulations"], p["normative_documents"]
    return (
        f"{year}年，本机关制发规章{regs['issued']}件、行政规范性文件{docs['issued']}件，"
        f"废止规章{regs['repealed']}件、行政规范性文件{docs['repealed']}件，"
        f"现行有效规章{regs['in_force']}件、行政规范性文件{docs['in_force']}件；"
        f"作出行政许可处理决定{p['licensing']}件、行政处罚处理决定{p['penalties']}件、"
        f"行政强制处理决定{p['enforcement']}件；"
        f"行政事业性收费{_amount(p['admin_fees_wan_yuan'])}万元。"
        + _fill("通过政府网站、政务新媒体等渠道主动公开政府信息的主要内容和数量")
    )


def _requests(figures: Report) -> str:
    t, year = figures.requests, figures.year
    total = -1
    people = t.new[list(ApplicantKind).index(ApplicantKind.NATURAL_PERSON)]
    groups: dict[OutcomeGroup, int] = dict.fromkeys(OutcomeGroup, 0)
    for code, row in t.outcomes.items():
        groups[outcome(code).group] += row[total]
    results = "、".join(f"{_short(g)}{n}件" for g, n in groups.items() if n)
    split = (
        f"（其中自然人{people}件，法人或其他组织{t.new[total] - people}件）" if t.new[total] else ""
    )
    return (
        f"{year}年，本机关新收政府信息公开申请{t.new[total]}件{split}，"
        f"上年结转{t.carried_in[total]}件；"
        f"办结{t.concluded_total[total]}件" + (f"，其中{results}" if results else "") + "；"
        f"结转下年度继续办理{t.carried_out[total]}件。" + _appeals(figures)
    )


def _appeals(figures: Report) -> str:
    a = figures.appeals
    review = a["reconsideration"]
    suits = [a["litigation_direct"], a["litigation_after_reconsideration"]]
    litigation = sum(s["total"] for s in suits)
    if not review["total"] and not litigation:
        return "本年度未发生政府信息公开行政复议、行政诉讼案件。"
    corrected = sum(s["corrected"] for s in suits)
    return (
        f"本年度政府信息公开行政复议{review['total']}件，其中结果纠正{review['corrected']}件；"
        f"行政诉讼{litigation}件，其中结果纠正{corrected}件。"
    )


def _overview(figures: Report) -> str:
    parts = [
        f"{figures.year}年，{figures.agency_name}认真贯彻落实《中华人民共和国政府信息公开条例》，"
        + _fill("本年度政府信息公开工作的总体情况"),
        "（一）主动公开\n" + _proactive(figures),
        "（二）依申请公开\n" + _requests(figures),
        "（三）政府信息管理\n" + _fill("政府信息公开审查、政府信息管理制度和动态更新等情况"),
        "（四）政府信息公开平台建设\n"
        + _fill("政府网站、政务新媒体、政务公开专区等公开平台建设情况"),
        "（五）监督保障\n" + _fill("工作机构和人员、教育培训、工作考核、社会评议和责任追究等情况"),
    ]
    return "\n\n".join(parts)


def _problems(figures: Report) -> str:
    return "\n\n".join(
        [
            "（一）存在的主要问题\n" + _fill(f"{figures.year}年政府信息公开工作存在的主要问题"),
            "（二）改进情况\n"
            + _fill("上一年度报告所列问题的整改情况，以及针对上述问题的改进措施"),
        ]
    )


def _other(figures: Report) -> str:
    return _fill(
        "落实上级年度政务公开工作要点、人大代表建议和政协提案办理结果公开、年度政务公开工作创新等"
        "情况；没有的，删除本段"
    )


def starter(figures: Report) -> Narratives:
    """A draft from the year's figures for the clerk to edit (never published unread: it is
    `is_starter` and its placeholders are listed until the clerk replaces them)."""
    return Narratives(
        overview=_overview(figures),
        problems=_problems(figures),
        other=_other(figures),
        revision=0,
    )


# -- storage -------------------------------------------------------------------------------


def _latest(
    session: Session, agency_id: int, year: int, as_of: datetime | None = None
) -> ReportInput | None:
    query = select(ReportInput).where(
        ReportInput.agency_id == agency_id, ReportInput.year == year, ReportInput.kind == KIND
    )
    if as_of is not None:
        query = query.where(col(ReportInput.recorded_at) <= as_of)
    return session.exec(query.order_by(col(ReportInput.revision).desc())).first()


def _from_row(row: ReportInput) -> Narratives:
    return Narratives(
        **{k: str(row.data.get(k, "")) for k in SECTIONS},
        revision=row.revision,
        recorded_by=row.recorded_by,
        recorded_at=row.recorded_at,
    )


def saved_narratives(session: Session, agency_id: int, year: int) -> Narratives | None:
    """The latest saved revision, or None while only the starter exists."""
    row = _latest(session, agency_id, year)
    return _from_row(row) if row is not None else None


def narratives_for(
    session: Session, agency_id: int, year: int, as_of: datetime, figures: Report
) -> Narratives:
    """The texts as saved by `as_of`; the starter from `figures` where none was."""
    row = _latest(session, agency_id, year, as_of)
    return starter(figures) if row is None else _from_row(row)


def _parse(raw: Any, year: int) -> dict[str, str]:
    try:
        data = NarrativeInput.model_validate(raw).model_dump()
    except ValidationError as exc:
        path, message = describe(exc)[0]
        where = SECTION_TITLES.get(path, path)
        raise Invalid(f"{year}年报告文字 {where}：{message}", field=path) from None
    texts: dict[str, str] = {}
    for name in SECTIONS:
        text = str(data[name]).replace("\r\n", "\n").replace("\r", "\n").strip()
        if has_control(text):
            raise Invalid(f"{year}年报告文字 {SECTION_TITLES[name]}：{CONTROL_MESSAGE}", field=name)
        texts[name] = text
    return texts


def set_narratives(
    session: Session,
    agency: Agency,
    year: int,
    raw: Any,
    actor: str,
    *,
    expected_revision: int | None = None,
) -> ReportInput:
    """Save the three texts as a new revision (unchanged texts: the latest revision as is).
    `expected_revision` is the revision the editor started from (0: the starter); another
    save in between is a Conflict, never silently overwritten."""
    data = _parse(raw, year)
    assert agency.id is not None
    last = _latest(session, agency.id, year)
    current = last.revision if last is not None else 0
    if expected_revision is not None and expected_revision != current:
        raise Conflict(
            f"{agency.name}{year}年报告文字已被他人保存（当前第{current}版，"
            f"编辑依据的是第{expected_revision}版），请刷新后重新编辑"
        )
    if last is not None and last.data == data:
        return last
    row = ReportInput(
        agency_id=agency.id,
        year=year,
        kind=KIND,
        revision=current + 1,
        data=data,
        recorded_by=actor,
    )
    try:
        with session.begin_nested():
            session.add(row)
    except IntegrityError:
        # a concurrent save took this revision number between our read and our write
        raise Conflict(f"{agency.name}{year}年报告文字刚被他人同时保存，请刷新后重新编辑") from None
    return row
