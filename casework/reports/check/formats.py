"""The labels a published report's tables are read by, in the 2021 format (taken from the one
code table, `workflows.outcomes`, and `casework.statistics.text`) and in the 2019 trial format
(LEGAL.md §3.2–3.3), each with a `key`: the label with width, punctuation and spaces
normalised away, so a label printed with full-width brackets, half-width brackets or spaces inside
reads alike."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, replace
from enum import StrEnum
from functools import lru_cache

from casework.reports.narratives import SECTION_TITLES
from casework.services.appeals import KINDS as APPEAL_KIND_NAMES
from casework.statistics.text import (
    APPEAL_HEADER,
    APPEAL_RESULT_LABELS,
    BALANCE_NOTE,
    CONTENT,
    LITIGATION,
    LITIGATION_KINDS,
    PROACTIVE_BLOCKS,
    PROACTIVE_COUNTS,
    RECONSIDERATION,
    REQUEST_HEADER,
    ROW_CARRIED_IN,
    ROW_CARRIED_OUT,
    ROW_NEW,
    ROW_RESULTS,
    ROW_TOTAL,
    SECTION_APPEALS,
    SECTION_PROACTIVE,
    SECTION_REQUESTS,
    TOTAL,
)
from workflows.outcomes import GROUP_LABELS, OUTCOMES, ApplicantKind, OutcomeGroup

V2021 = "2021"
V2019 = "2019"
VERSION_NAMES = {
    V2021: "2021年版格式（国办公开办函〔2021〕30号）",
    V2019: "2019年试行格式",
}

T2, T3, T4 = "表二", "表三", "表四"

NEW, CARRIED_IN, CONCLUDED, CARRIED_OUT = "new", "carried_in", "concluded_total", "carried_out"
RESULTS_HEADING = "results"


@lru_cache(maxsize=8192)
def key(text: str) -> str:
    """A label compared by its letters and digits only: full width → half width, no spaces,
    no punctuation or symbols (brackets, quotes, commas, slashes)."""
    folded = unicodedata.normalize("NFKC", text)
    return "".join(ch for ch in folded if unicodedata.category(ch)[0] in "LN")


class Role(StrEnum):
    SECTION = "section"  # a section heading: code "overview", "proactive", "requests", …
    HEADER = "header"  # a column head or the stub's note: read past
    BLOCK = "block"  # a block of table 二 (第二十条第（X）项): code "(一)", …
    ROW = "row"  # a row with numbers: code a row code
    GROUP = "group"  # a group of table 三's results: a heading, or a row of its own
    HEADING = "heading"  # 三、本年度办理结果: a heading only


@dataclass(frozen=True)
class Entry:
    key: str
    role: Role
    code: str
    label: str  # as the official layout prints it
    table: str | None = None  # None: a head several tables share (总计, 其他 …)
    version: str | None = None  # a label of one format only


# -- section headings ---------------------------------------------------------------------

SECTIONS: dict[str, str] = {
    "overview": SECTION_TITLES["overview"],
    "proactive": SECTION_PROACTIVE,
    "requests": SECTION_REQUESTS,
    "appeals": SECTION_APPEALS,
    "problems": SECTION_TITLES["problems"],
    "other": SECTION_TITLES["other"],
}
SECTION_TABLES = {"proactive": T2, "requests": T3, "appeals": T4}


# -- table 二 ------------------------------------------------------------------------------


@dataclass(frozen=True)
class ProactiveRow:
    label: str
    code: str  # the key in ParsedReport.proactive
    columns: tuple[str, ...]  # keys of its numbers; () for one number kept bare


def _blocks_2021() -> tuple[tuple[str, tuple[str, ...], tuple[ProactiveRow, ...]], ...]:
    out = []
    for item, heads, rows in PROACTIVE_BLOCKS:
        columns = PROACTIVE_COUNTS if len(heads) == len(PROACTIVE_COUNTS) else ()
        out.append((item, heads, tuple(ProactiveRow(lb, code, columns) for lb, code in rows)))
    return tuple(out)


_CHANGE = ("previous", "change")
# The 2019 trial format's table 二 (LEGAL.md §3.2): other columns, two more rows, item (九).
BLOCKS_2019: tuple[tuple[str, tuple[str, ...], tuple[ProactiveRow, ...]], ...] = (
    ("第二十条第（一）项", ("本年新制作数量", "本年新公开数量", "对外公开总数量"), (
        ProactiveRow("规章", "regulations", ("made", "published", "public_total")),
        ProactiveRow("规范性文件", "normative_documents", ("made", "published", "public_total")),
    )),
    ("第二十条第（五）项", ("上一年项目数量", "本年增/减", "处理决定数量"), (
        ProactiveRow("行政许可", "licensing", (*_CHANGE, "decisions")),
        ProactiveRow("其他对外管理服务事项", "other_services", (*_CHANGE, "decisions")),
    )),
    ("第二十条第（六）项", ("上一年项目数量", "本年增/减", "处理决定数量"), (
        ProactiveRow("行政处罚", "penalties", (*_CHANGE, "decisions")),
        ProactiveRow("行政强制", "enforcement", (*_CHANGE, "decisions")),
    )),
    ("第二十条第（八）项", ("上一年项目数量", "本年增/减"), (
        ProactiveRow("行政事业性收费", "admin_fees", _CHANGE),
    )),
    ("第二十条第（九）项", ("采购项目数量", "采购总金额"), (
        ProactiveRow("政府集中采购", "procurement", ("projects", "amount")),
    )),
)  # fmt: skip
BLOCKS_2021 = _blocks_2021()
PROACTIVE_HEADS: dict[str, dict[str, tuple[str, ...]]] = {
    version: {row.code: heads for _item, heads, rows in blocks for row in rows}
    for version, blocks in ((V2021, BLOCKS_2021), (V2019, BLOCKS_2019))
}
PROACTIVE_ROWS: dict[str, dict[str, ProactiveRow]] = {
    version: {row.code: row for _item, _heads, rows in blocks for row in rows}
    for version, blocks in ((V2021, BLOCKS_2021), (V2019, BLOCKS_2019))
}


# -- table 三 ------------------------------------------------------------------------------

COLUMN_LABELS: tuple[str, ...] = (*(k.label for k in ApplicantKind), TOTAL)
REQUEST_WIDTH = len(COLUMN_LABELS)
LEAVES: dict[OutcomeGroup, tuple[str, ...]] = {
    g: tuple(o.code for o in OUTCOMES if o.group is g and o.item is not None) for g in OutcomeGroup
}
GROUPED = tuple(g for g, codes in LEAVES.items() if codes)  # （三）–（六）
SINGLE = tuple(o.code for o in OUTCOMES if o.item is None)  # （一）（二）


def _without_remark(label: str) -> str:
    """ "（二）部分公开（区分处理的，…）" → "（二）部分公开"."""
    return re.sub(r"（[^（）]*）$", "", label)


ROW_LABELS: dict[str, str] = {
    NEW: ROW_NEW,
    CARRIED_IN: ROW_CARRIED_IN,
    **{o.code: _without_remark(o.full_label) for o in OUTCOMES},  # as a problem names it
    **{g.value: GROUP_LABELS[g] for g in GROUPED},
    CONCLUDED: ROW_TOTAL,
    CARRIED_OUT: ROW_CARRIED_OUT,
}


def row_label(code: str) -> str:
    return ROW_LABELS.get(code, code)


def expected_rows(version: str) -> tuple[str, ...]:
    """Table 三's rows with numbers, in order: in the 2019 trial format （六） is one row."""
    rows: list[str] = [NEW, CARRIED_IN, *SINGLE]
    for group in GROUPED:
        if version == V2019 and group is OutcomeGroup.OTHER:
            rows.append(group.value)
        else:
            rows += LEAVES[group]
    return (*rows, CONCLUDED, CARRIED_OUT)


# -- table 四 ------------------------------------------------------------------------------

APPEAL_KIND_LABELS: dict[str, str] = APPEAL_KIND_NAMES


# -- the vocabulary ----------------------------------------------------------------------


def _entries() -> list[Entry]:
    out: list[Entry] = [Entry(key(t), Role.SECTION, code, t) for code, t in SECTIONS.items()]
    for s in SECTIONS.values():  # "二、主动公开政府信息情况" also without its numeral
        bare = re.sub(r"^[一二三四五六]、", "", s)
        code = next(c for c, t in SECTIONS.items() if t == s)
        if code in SECTION_TABLES:
            out.append(Entry(key(bare), Role.SECTION, code, s))
    # table 二, both formats
    for version, blocks in ((V2021, BLOCKS_2021), (V2019, BLOCKS_2019)):
        for item, heads, rows in blocks:
            out.append(Entry(key(item), Role.BLOCK, item, item, T2, version))
            out += [Entry(key(h), Role.HEADER, h, h, T2, version) for h in heads]
            out += [Entry(key(r.label), Role.ROW, r.code, r.label, T2, version) for r in rows]
    out.append(Entry(key(CONTENT), Role.HEADER, CONTENT, CONTENT, T2))
    # table 三
    request_heads = {*REQUEST_HEADER, *COLUMN_LABELS, BALANCE_NOTE}
    out += [Entry(key(h), Role.HEADER, h, h, None) for h in request_heads]
    out += [
        Entry(key(ROW_NEW), Role.ROW, NEW, ROW_NEW, T3),
        Entry(key(ROW_CARRIED_IN), Role.ROW, CARRIED_IN, ROW_CARRIED_IN, T3),
        Entry(key(ROW_RESULTS), Role.HEADING, RESULTS_HEADING, ROW_RESULTS, T3),
        Entry(key(ROW_TOTAL), Role.ROW, CONCLUDED, ROW_TOTAL, T3),
        Entry(key(ROW_CARRIED_OUT), Role.ROW, CARRIED_OUT, ROW_CARRIED_OUT, T3),
    ]
    for o in OUTCOMES:
        if o.item is None:
            for label in {o.group_label, _without_remark(o.group_label)}:
                out.append(Entry(key(label), Role.ROW, o.code, o.group_label, T3))
        else:
            out.append(Entry(key(o.label), Role.ROW, o.code, o.label, T3))
    out += [Entry(key(GROUP_LABELS[g]), Role.GROUP, g.value, GROUP_LABELS[g], T3) for g in GROUPED]
    # table 四
    appeal_heads = {*APPEAL_HEADER, *APPEAL_RESULT_LABELS.values()}
    out += [
        Entry(key(h), Role.HEADER, h, h, T4 if h in (RECONSIDERATION, LITIGATION) else None)
        for h in appeal_heads
    ]
    out += [Entry(key(k), Role.HEADER, k, k, T4) for k in LITIGATION_KINDS]
    return out


def _vocabulary() -> dict[str, Entry]:
    """Each key once; a label both formats print belongs to neither."""
    found: dict[str, Entry] = {}
    for entry in _entries():
        first = found.get(entry.key)
        if first is None:
            found[entry.key] = entry
        elif first.version != entry.version:
            found[entry.key] = replace(first, version=None)
    return found


VOCABULARY: dict[str, Entry] = _vocabulary()
_BY_FIRST: dict[str, list[Entry]] = {}
for _entry in sorted(VOCABULARY.values(), key=lambda e: -len(e.key)):
    _BY_FIRST.setdefault(_entry.key[0], []).append(_entry)
DIGIT_KEYS = tuple(k for k in VOCABULARY if k[0].isdigit())


def longest_at(text: str, start: int) -> Entry | None:
    """The longest label whose key begins at `start` of a key string."""
    for entry in _BY_FIRST.get(text[start], ()):
        if text.startswith(entry.key, start):
            return entry
    return None


def decompose(run: str) -> list[Entry]:
    """The labels in a run of label text, left to right, longest first; text between them
    that is no label (a wrapped line's remnant, a note) is passed over."""
    found: list[Entry] = []
    i = 0
    while i < len(run):
        entry = longest_at(run, i)
        if entry is None:
            i += 1
            continue
        found.append(entry)
        i += len(entry.key)
    return found


def section_of(line_key: str) -> str | None:
    """The section a short line opens by the start of its title ("五、存在的主要问题和改进
    情况" too), or None."""
    if len(line_key) > 30:
        return None
    return next((code for code, start in _SECTION_STARTS if line_key.startswith(start)), None)


_SECTION_STARTS = tuple((code, key(title)[:4]) for code, title in SECTIONS.items())
