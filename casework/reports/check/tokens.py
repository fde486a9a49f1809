"""Lines of a report → tokens: a label, a number, a cell that is no number, an empty cell.

A line is what a reader hands over: a line of plain text (one cell, split here at spaces and
tabs) or a row of an HTML table (its cells). Spaces inside a label ("自 然 人", "1. 属于国家
秘密") are joined; a number stuck to a label ("…申请数量7") is split off; a leaf's number
standing apart ("1 属于国家秘密") is joined to its label."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from enum import StrEnum

from casework.reports.check.formats import DIGIT_KEYS, VOCABULARY, key
from casework.reports.check.model import Number


@dataclass(frozen=True)
class Line:
    cells: tuple[str, ...]
    table_row: bool = False  # a row of an HTML table: an empty cell is a cell


class TokenKind(StrEnum):
    LABEL = "label"
    NUMBER = "number"
    BAD = "bad"  # a short cell that is no number: "—", "/", "无"
    EMPTY = "empty"  # an empty cell of an HTML table


@dataclass(frozen=True)
class Token:
    kind: TokenKind
    text: str
    value: Number | None = None


_NUMBER = re.compile(r"[+-]?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?")
_UNIT = re.compile(r"(?:件|个|项|条|万元|元)$")
_TRAILING_NUMBER = re.compile(r"^(.*\D)(\d+(?:\.\d+)?)$")
SENTENCE_END = "。"


def fold(text: str) -> str:
    """Full width → half width (digits, brackets, spaces), as the readers see text."""
    return unicodedata.normalize("NFKC", text)


def number(text: str) -> Number | None:
    """ "7", "0.35", "1,234", "-2", "7件" → the number; anything else → None."""
    bare = _UNIT.sub("", text.strip())
    if not _NUMBER.fullmatch(bare):
        return None
    value = float(bare.replace(",", ""))
    return int(value) if value.is_integer() and "." not in bare else value


def is_narrative(cell: str) -> bool:
    """A sentence of the text, not a cell of a table."""
    return SENTENCE_END in cell


def _pieces(text: str) -> list[str]:
    """Split at spaces; consecutive word pieces are one label again, but a piece of
    punctuation only ("—", "/") stays a cell of its own."""
    out: list[str] = []
    joinable = False
    for piece in text.split():
        is_word = number(piece) is None and key(piece) != ""
        if is_word and joinable and out:
            out[-1] += piece
        else:
            out.append(piece)
        joinable = is_word
    return out


def _label_or_bad(text: str) -> Token:
    k = key(text)
    if not k or (len(k) <= 2 and k not in VOCABULARY):
        return Token(TokenKind.BAD, text)
    return Token(TokenKind.LABEL, text)


def _cell_tokens(cell: str) -> list[Token]:
    out: list[Token] = []
    for piece in _pieces(cell):
        value = number(piece)
        if value is not None:
            out.append(Token(TokenKind.NUMBER, piece, value))
            continue
        stuck = _TRAILING_NUMBER.match(piece)
        if stuck and len(key(stuck.group(1))) > 2 and not stuck.group(1)[-1].isdigit():
            out.append(_label_or_bad(stuck.group(1)))
            out.append(Token(TokenKind.NUMBER, stuck.group(2), number(stuck.group(2))))
            continue
        label = _label_or_bad(piece)
        last = out[-1] if out else None
        if (
            last is not None
            and last.kind is TokenKind.NUMBER
            and key(last.text + piece).startswith(DIGIT_KEYS)
            and (len(out) == 1 or out[-2].kind is TokenKind.LABEL)
        ):
            out[-1] = Token(TokenKind.LABEL, last.text + "." + piece)
            continue
        out.append(label)
    return out


def tokenize(line: Line) -> tuple[list[Token], list[str]]:
    """The line's tokens, and its cells that are sentences of the narrative."""
    tokens: list[Token] = []
    sentences: list[str] = []
    for raw in line.cells:
        cell = fold(raw).strip()
        if not cell:
            if line.table_row:
                tokens.append(Token(TokenKind.EMPTY, ""))
            continue
        if is_narrative(cell):
            sentences.append(cell)
            continue
        tokens += _cell_tokens(cell)
    return tokens, sentences
