"""Lines of a report (from the text or the HTML reader) → a ParsedReport.

The tables are read by their labels: a run of label text is split into the labels it holds
(`formats.decompose`), and the numbers after a row's label are that row's cells. Column heads
(also a head repeated after a page break) are read past. What does not fit — a missing table
or row, a row with too few or too many numbers, a cell that is no number — becomes a
structure problem; nothing raises but a file with no table at all."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from casework.reports.check.formats import (
    APPEAL_KIND_LABELS,
    BLOCKS_2019,
    BLOCKS_2021,
    COLUMN_LABELS,
    LEAVES,
    PROACTIVE_HEADS,
    PROACTIVE_ROWS,
    REQUEST_WIDTH,
    SECTION_TABLES,
    T2,
    T3,
    T4,
    V2019,
    V2021,
    VERSION_NAMES,
    Entry,
    Role,
    decompose,
    expected_rows,
    key,
    row_label,
    section_of,
)
from casework.reports.check.model import Kind, Number, ParsedReport, Problem, Unreadable
from casework.reports.check.tokens import Line, Token, TokenKind, fold, tokenize
from casework.statistics.figures import APPEAL_KINDS, APPEAL_RESULTS, COLUMNS
from casework.statistics.text import APPEAL_RESULT_LABELS
from workflows.outcomes import OutcomeGroup

_TITLE = re.compile(r"^(.*?)\s*(\d{4})\s*年度?\s*(?:政府)?信息公开.*年度报告")
OTHER = OutcomeGroup.OTHER.value


@dataclass
class _Row:
    entry: Entry
    cells: list[Token] = field(default_factory=list)


@dataclass
class _State:
    context: str | None = None
    current: _Row | None = None
    rows: list[_Row] = field(default_factory=list)
    appeal_cells: list[Token] = field(default_factory=list)
    stray: dict[str, int] = field(default_factory=dict)
    seen: set[str] = field(default_factory=set)
    votes: dict[str, int] = field(default_factory=dict)

    def close(self) -> None:
        if self.current is not None:
            self.rows.append(self.current)
            self.current = None

    def enter(self, table: str | None) -> None:
        self.context = table
        if table is not None:
            self.seen.add(table)

    def entry(self, entry: Entry) -> None:
        self.close()
        if entry.role is Role.SECTION:
            self.enter(SECTION_TABLES.get(entry.code))
            return
        if entry.table is not None:
            self.enter(entry.table)
        if entry.version is not None and entry.table == T2 and _votes(entry):
            self.votes[entry.version] = self.votes.get(entry.version, 0) + 1
        if entry.role in (Role.ROW, Role.GROUP, Role.HEADING):
            self.current = _Row(entry)

    def cell(self, token: Token) -> None:
        if self.current is not None:
            self.current.cells.append(token)
        elif self.context == T4:
            if token.kind is not TokenKind.EMPTY or self.appeal_cells:
                self.appeal_cells.append(token)
        elif self.context in (T2, T3) and token.kind is TokenKind.NUMBER:
            self.stray[self.context] = self.stray.get(self.context, 0) + 1


def _votes(entry: Entry) -> bool:
    """Column heads and blocks tell the format; of the rows only those of one format."""
    if entry.role in (Role.HEADER, Role.BLOCK):
        return True
    other = V2021 if entry.version == V2019 else V2019
    return entry.role is Role.ROW and entry.code not in PROACTIVE_ROWS[other]


# -- reading the lines ---------------------------------------------------------------------


def _walk(lines: list[Line], state: _State, narrative: list[str]) -> None:
    run: list[str] = []

    def flush() -> None:
        if run:
            for entry in decompose("".join(key(t) for t in run)):
                state.entry(entry)
            run.clear()

    for line in lines:
        tokens, sentences = tokenize(line)
        narrative += sentences
        if not line.table_row and len(line.cells) == 1 and not sentences:
            section = section_of(key(line.cells[0]))
            if section is not None:
                flush()
                state.close()
                state.enter(SECTION_TABLES.get(section))
                continue
            if state.context is None and "件" in line.cells[0]:
                narrative.append(fold(line.cells[0]).strip())
        if sentences:
            flush()
        for token in tokens:
            if token.kind is TokenKind.LABEL:
                run.append(token.text)
            else:
                flush()
                state.cell(token)
    flush()
    state.close()


# -- checking the cells --------------------------------------------------------------------


def _fit(cells: list[Token], width: int) -> list[Token]:
    """Empty cells padding a row beyond its width are layout, not missing numbers."""
    out = list(cells)
    if all(c.kind is TokenKind.EMPTY for c in out):
        return []
    while len(out) > width and out[-1].kind is TokenKind.EMPTY:
        out.pop()
    while len(out) > width and out[0].kind is TokenKind.EMPTY:
        out.pop(0)
    return out


def _shown(cells: list[Token]) -> str:
    return " ".join(c.text or "空" for c in cells)


@dataclass(frozen=True)
class _Where:
    table: str
    row: str
    row_code: str
    columns: tuple[str, ...]
    column_codes: tuple[str, ...]
    counts: bool = True  # counts of cases: whole and not negative


def _values(cells: list[Token], where: _Where, problems: list[Problem]) -> list[Number] | None:
    width = len(where.columns)
    cells = _fit(cells, width)
    head = f"{where.table} “{where.row}”行"
    if not cells:
        problems.append(_structure(where, f"{head}缺少数字（应有{width}个）", width, 0))
        return None
    if len(cells) != width:
        message = f"{head}应有{width}个数字，实有{len(cells)}个：{_shown(cells)}"
        problems.append(_structure(where, message, width, len(cells)))
        return None
    values: list[Number] = []
    bad = False
    for i, cell in enumerate(cells):
        column, code = where.columns[i], where.column_codes[i]
        what = None
        if cell.kind is TokenKind.EMPTY:
            what = "为空"
        elif cell.value is None:
            what = f"“{cell.text}”不是数字"
        elif where.counts and (isinstance(cell.value, float) or cell.value < 0):
            what = f"“{cell.text}”不是件数（应为非负整数）"
        if what is not None:
            bad = True
            problems.append(
                Problem(
                    Kind.STRUCTURE,
                    f"{head} {column}列{what}",
                    where.table,
                    where.row,
                    column,
                    None,
                    cell.text,
                    where.row_code,
                    code,
                )
            )
        else:
            assert cell.value is not None
            values.append(cell.value)
    return None if bad else values


def _structure(where: _Where, message: str, expected: int, found: int) -> Problem:
    return Problem(
        Kind.STRUCTURE, message, where.table, where.row, None, expected, found, where.row_code
    )


def _missing(table: str, what: str) -> Problem:
    return Problem(Kind.STRUCTURE, f"{table} 缺少{what}", table, None)


def _request_where(code: str) -> _Where:
    return _Where(T3, row_label(code), code, COLUMN_LABELS, COLUMNS)


def _requests(rows: list[_Row], seen: bool, problems: list[Problem]) -> dict[str, list[int]]:
    out: dict[str, list[int]] = {}
    broken: set[str] = set()
    for row in rows:
        entry = row.entry
        cells = _fit(row.cells, REQUEST_WIDTH)
        if entry.role is Role.HEADING or (entry.role is Role.GROUP and not cells):
            if cells:
                text = f"{T3} “{entry.label}”是标题行，不应有数字：{_shown(cells)}"
                problems.append(Problem(Kind.STRUCTURE, text, T3, entry.label))
            continue
        values = _values(row.cells, _request_where(entry.code), problems)
        if values is None:
            broken.add(entry.code)
            continue
        counts = [int(v) for v in values]
        if entry.code in out and out[entry.code] != counts:
            text = f"{T3} “{row_label(entry.code)}”行出现两次，数字不同"
            problems.append(Problem(Kind.STRUCTURE, text, T3, row_label(entry.code)))
            continue
        out.setdefault(entry.code, counts)
    if not seen:
        problems.append(_missing(T3, "“收到和处理政府信息公开申请情况”表"))
        return out
    layout = V2019 if _six_single(out, broken) else V2021
    for code in expected_rows(layout):
        if code not in out and code not in broken:
            problems.append(_missing(T3, f"“{row_label(code)}”行"))
    return out


def _six_single(requests: dict[str, list[int]], broken: set[str]) -> bool:
    """Group （六） printed as one row, without its leaves (the 2019 trial format)."""
    leaves = LEAVES[OutcomeGroup.OTHER]
    return (OTHER in requests or OTHER in broken) and not any(
        c in requests or c in broken for c in leaves
    )


def _appeals(state: _State, problems: list[Problem]) -> dict[str, dict[str, int]]:
    if T4 not in state.seen:
        problems.append(_missing(T4, "“政府信息公开行政复议、行政诉讼情况”表"))
        return {}
    columns = tuple(
        f"{APPEAL_KIND_LABELS[k]}{APPEAL_RESULT_LABELS[r]}"
        for k in APPEAL_KINDS
        for r in APPEAL_RESULTS
    )
    codes = tuple(f"{k}.{r}" for k in APPEAL_KINDS for r in APPEAL_RESULTS)
    where = _Where(T4, "复议、诉讼情况", "appeals", columns, codes)
    values = _values(state.appeal_cells, where, problems)
    if values is None:
        return {}
    width = len(APPEAL_RESULTS)
    return {
        kind: {r: int(values[i * width + j]) for j, r in enumerate(APPEAL_RESULTS)}
        for i, kind in enumerate(APPEAL_KINDS)
    }


def _proactive(
    rows: list[_Row], version: str, seen: bool, problems: list[Problem]
) -> dict[str, object]:
    out: dict[str, object] = {}
    if not seen:
        problems.append(_missing(T2, "“主动公开政府信息情况”表"))
        return out
    known = PROACTIVE_ROWS[version]
    by_key = {key(spec.label): spec for spec in known.values()}
    for row in rows:
        # by the label first: both formats print "行政事业性收费", with other columns
        spec = by_key.get(row.entry.key) or known.get(row.entry.code)
        if spec is None:  # a row of the other format: reported as a format problem
            continue
        heads = PROACTIVE_HEADS[version][spec.code]
        where = _Where(T2, spec.label, spec.code, heads, spec.columns or (spec.code,), counts=False)
        values = _values(row.cells, where, problems)
        if values is not None:
            out[spec.code] = (
                dict(zip(spec.columns, values, strict=True)) if spec.columns else values[0]
            )
        else:
            out.setdefault(spec.code, None)
    blocks = BLOCKS_2021 if version == V2021 else BLOCKS_2019
    for _item, _heads, specs in blocks:
        for spec in specs:
            if spec.code not in out:
                problems.append(_missing(T2, f"“{spec.label}”行"))
    return {k: v for k, v in out.items() if v is not None}


# -- the whole ----------------------------------------------------------------------------


def _title(candidates: list[str]) -> tuple[str | None, str | None, int | None]:
    """The report's title, its agency and its year: the first candidate that reads
    "…YYYY年（度）政府信息公开工作年度报告", else the first naming such a report."""
    texts = [fold(raw).strip() for raw in candidates]
    for text in texts:
        found = _TITLE.match(text)
        if found is not None and len(text) <= 120:
            title = text[: text.index("年度报告", found.end(2)) + len("年度报告")]
            return title, found.group(1).strip() or None, int(found.group(2))
    for text in texts:
        if "信息公开" in text and "年度报告" in text and len(text) <= 120:
            return text[: text.index("年度报告") + len("年度报告")], None, None
    return None, None, None


def _version(state: _State, requests: dict[str, list[int]], problems: list[Problem]) -> str | None:
    by_table2 = max(state.votes, key=lambda v: state.votes[v]) if state.votes else None
    if len(state.votes) > 1:
        text = f"{T2} 同时使用了2019年试行格式和2021年版格式的栏目"
        problems.append(Problem(Kind.FORMAT, text, T2))
    six_leaves = any(c in requests for c in LEAVES[OutcomeGroup.OTHER])
    by_table3 = V2019 if OTHER in requests and not six_leaves else V2021 if six_leaves else None
    if by_table2 and by_table3 and by_table2 != by_table3:
        text = (
            f"格式不一致：表二为{VERSION_NAMES[by_table2]}，"
            f"表三“{row_label(OTHER)}”为{VERSION_NAMES[by_table3]}"
        )
        problems.append(Problem(Kind.FORMAT, text, T3, row_label(OTHER)))
    return by_table2 or by_table3


def parse(lines: list[Line], source: str, title_candidates: list[str]) -> ParsedReport:
    state = _State()
    narrative: list[str] = []
    _walk(lines, state, narrative)
    if not state.seen:
        raise Unreadable(
            "未找到年度报告的表格（主动公开、收到和处理申请、复议诉讼情况）：不是政府信息公开工作年度报告"
        )
    problems: list[Problem] = []
    title, agency, year = _title(title_candidates)
    report = ParsedReport(source=source, title=title, agency=agency, year=year)
    rows3 = [r for r in state.rows if r.entry.table == T3]
    report.requests = _requests(rows3, T3 in state.seen, problems)
    report.format_version = _version(state, report.requests, problems)
    rows2 = [r for r in state.rows if r.entry.table == T2]
    report.proactive = _proactive(rows2, report.format_version or V2021, T2 in state.seen, problems)
    report.appeals = _appeals(state, problems)
    for table, count in state.stray.items():
        text = f"{table} 有{count}个数字不在任何一行的标签之后（表格结构不完整）"
        problems.append(Problem(Kind.STRUCTURE, text, table, None, None, None, count))
    report.narrative = narrative
    report.problems = problems
    return report
