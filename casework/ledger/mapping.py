"""Which column of a ledger feeds which field: the default recognition of common headers,
overridden by a mapping file (JSON or TOML), and a description of the result for the user.

A mapping file (every key optional):

```toml
sheet = "2023年"          # the worksheet (default: the first)
header_row = 2            # the header's row (default: found among the first rows)
[agency]                  # the agency the ledger belongs to (or --agency)
code = "zhz"
name = "西安市雁塔区漳浒寨街道办事处"
[columns]                 # header → field key or the field's own header; "" = not imported
"受理时间" = "received_on"
"结果" = "答复结果"
"经办人" = ""
[values."opinion.opinion"]  # extra words per choice field → code
"没意见" = "none"
[defaults]                # used where a cell is empty or the column is missing
channel = "互联网"
```
"""

from __future__ import annotations

import json
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from openpyxl.utils import get_column_letter
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from casework.errors import Invalid
from casework.ledger.columns import COLUMNS, NOT_IMPORTED, Column, column_for, header_forms
from casework.ledger.columns import recognise as recognise_header
from casework.ledger.vocabulary import CODES, Vocabulary
from workflows.validation import describe


class MappingAgency(BaseModel):
    model_config = ConfigDict(extra="forbid")
    code: str = Field(min_length=1, max_length=64)
    name: str | None = Field(default=None, min_length=1)


class MappingFile(BaseModel):
    model_config = ConfigDict(extra="forbid")
    sheet: str | None = None
    header_row: int | None = Field(default=None, ge=1, le=1000)
    agency: MappingAgency | None = None
    columns: dict[str, str | None] = {}
    values: dict[str, dict[str, str]] = {}
    defaults: dict[str, str | int | float] = {}

    @field_validator("columns")
    @classmethod
    def _targets(cls, value: dict[str, str | None]) -> dict[str, str | None]:
        for header, target in value.items():
            if target and column_for(target) is None:
                raise ValueError(f"“{header}”对应的“{target}”不是台账字段（{_field_list()}）")
        return value

    @field_validator("values")
    @classmethod
    def _codes(cls, value: dict[str, dict[str, str]]) -> dict[str, dict[str, str]]:
        for key, words in value.items():
            if key not in CODES:
                raise ValueError(f"“{key}”不是可设值对应的字段（可用：{'、'.join(CODES)}）")
            for word, code in words.items():
                if code not in CODES[key]:
                    codes = "、".join(sorted(CODES[key]))
                    raise ValueError(f"{key}：“{word}”对应的“{code}”不是可用代码（可用：{codes}）")
        return value

    @field_validator("defaults")
    @classmethod
    def _default_fields(cls, value: dict[str, Any]) -> dict[str, Any]:
        for key in value:
            if column_for(key) is None:
                raise ValueError(f"“{key}”不是台账字段（{_field_list()}）")
        return {column_for(k).key: v for k, v in value.items()}  # type: ignore[union-attr]

    @property
    def vocabulary(self) -> Vocabulary:
        return Vocabulary(self.values)


def _field_list() -> str:
    return "可用字段见 casework ledger mapping 的输出，如 received_on、reply.outcome"


def load_mapping(path: Path | None) -> MappingFile:
    if path is None:
        return MappingFile()
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise Invalid(f"找不到映射文件：{path}") from None
    except (OSError, UnicodeDecodeError) as error:
        raise Invalid(f"无法读取映射文件 {path}：{error}") from None
    try:
        raw: Any = tomllib.loads(text) if path.suffix.lower() == ".toml" else json.loads(text)
    except (tomllib.TOMLDecodeError, json.JSONDecodeError) as error:
        kind = "TOML" if path.suffix.lower() == ".toml" else "JSON"
        raise Invalid(f"映射文件 {path} 不是有效的 {kind}：{error}") from None
    try:
        return MappingFile.model_validate(raw)
    except ValidationError as error:
        where, message = describe(error)[0]
        raise Invalid(f"映射文件 {path}：{where}：{message}" if where else message) from None


@dataclass(frozen=True)
class Assigned:
    """One column of the file: its header and the field it feeds (None: not imported)."""

    index: int  # 0-based
    header: str
    column: Column | None
    how: str  # why, for the description

    @property
    def letter(self) -> str:
        return get_column_letter(self.index + 1)


@dataclass
class Plan:
    sheet: str
    header_row: int
    assigned: list[Assigned]
    spec: MappingFile
    by_key: dict[str, Assigned] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.by_key = {a.column.key: a for a in self.assigned if a.column is not None}

    @property
    def missing_required(self) -> list[Column]:
        return [
            c
            for c in COLUMNS
            if c.required and c.key not in self.by_key and c.key not in self.spec.defaults
        ]

    def header_of(self, key: str) -> str:
        found = self.by_key.get(key)
        return found.header if found else next(c.header for c in COLUMNS if c.key == key)

    def describe(self) -> list[str]:
        """The mapping as the user reads it, one line per column and a few notes."""
        lines = [f"工作表“{self.sheet}”，表头在第{self.header_row}行："]
        for a in self.assigned:
            if a.column is None:
                target = "不导入"
            elif a.column.header == a.header:
                target = a.column.key
            else:
                target = f"{a.column.key}（{a.column.header}）"
            lines.append(f"  {a.letter}列 {a.header} → {target}  [{a.how}]")
        absent = [c for c in COLUMNS if c.key not in self.by_key and c.key not in NOT_IMPORTED]
        if absent:
            lines.append("台账中没有的字段：" + "、".join(f"{c.header}（{c.key}）" for c in absent))
        for key, value in self.spec.defaults.items():
            lines.append(f"默认值（单元格为空时）：{self.header_of(key)} = {value}")
        for key, words in self.spec.values.items():
            pairs = "、".join(f"“{w}”→{c}" for w, c in words.items())
            lines.append(f"值对应（映射文件）：{self.header_of(key)}：{pairs}")
        lines.append(
            "约定：补正期限为空时用本机关的默认期限；延期天数为空时按20个工作日；"
            "计收方式为空时按件计收；延期批准人记入延期理由"
        )
        missing = self.missing_required
        if missing:
            lines.append("缺少必需的列：" + "、".join(c.header for c in missing))
        return lines


def plan_for(
    sheet: str, header_row: int, headers: list[str], groups: list[str], spec: MappingFile
) -> Plan:
    """Assign each header a field: the mapping file's word first, then the default names
    (with the group header above it for two-row headers); a field named by several columns
    takes the one with the most specific name, the others are not imported."""
    explicit = {form: target for h, target in spec.columns.items() for form in header_forms(h)}
    chosen: dict[str, tuple[int, int]] = {}  # key → (rank, index); explicit mappings rank -1
    found: list[tuple[int, str, Column | None, int, str]] = []
    for index, header in enumerate(headers):
        if not header:
            continue
        forms = header_forms(header)
        hit = next((f for f in forms if f in explicit), None)
        if hit is not None:
            target = explicit[hit]
            column = column_for(target) if target else None
            found.append((index, header, column, -1, "映射文件" if column else "映射文件：不导入"))
        else:
            recognised = _recognise(header, groups[index] if index < len(groups) else "")
            if recognised is None:
                found.append((index, header, None, 99, "无对应字段"))
                continue
            column, rank = recognised
            found.append((index, header, column, rank, "默认"))
        column = found[-1][2]
        if column is not None and found[-1][3] < chosen.get(column.key, (100, 0))[0]:
            chosen[column.key] = (found[-1][3], index)
    assigned: list[Assigned] = []
    for index, header, column, _rank, how in found:
        if column is not None and chosen[column.key][1] != index:
            winner = get_column_letter(chosen[column.key][1] + 1)
            assigned.append(Assigned(index, header, None, f"{column.header}已由{winner}列提供"))
        elif column is not None and column.key in NOT_IMPORTED:
            assigned.append(Assigned(index, header, column, f"{how}；不写入案件"))
        else:
            assigned.append(Assigned(index, header, column, how))
    return Plan(sheet, header_row, assigned, spec)


def _recognise(header: str, group: str) -> tuple[Column, int] | None:
    """A header under a merged group header (“补正” over “告知日期”) is tried with it first."""
    if group:
        for prefix in dict.fromkeys(
            (group, group.removesuffix("情况"), group.removesuffix("信息"))
        ):
            combined = recognise_header(prefix + header)
            if combined is not None:
                return combined
    return recognise_header(header)


def header_score(headers: list[str], groups: list[str], spec: MappingFile) -> int:
    """How many cells of a candidate header row name a field."""
    explicit = {form for h in spec.columns for form in header_forms(h)}
    return sum(
        1
        for header, group in zip(headers, groups, strict=False)
        if header and (explicit & set(header_forms(header)) or _recognise(header, group))
    )
