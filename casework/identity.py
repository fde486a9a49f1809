"""Who is the same applicant: names and ID numbers compared after normalisation.

The same person types their name and ID number differently from one letter to the next
(full-width digits from a Chinese input method, a space inside a name, a lower-case x at the
end of an ID card number), and every registration stores what was typed. Comparisons go
through these keys, never through the raw text.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

_SPACE = re.compile(r"\s+")
_ID_SEPARATORS = re.compile(r"[\s\-\u2010-\u2015\u2212\ufe58\ufe63\uff0d]+")


def _no_format_chars(text: str) -> str:
    # zero-width spaces and joiners (Unicode category Cf) come with pasted text
    return "".join(ch for ch in text if unicodedata.category(ch) != "Cf")


def name_key(name: str) -> str:
    """NFKC (full-width → half-width), no whitespace of any kind, Latin case-folded:
    "张 三", "张　三" and "张三" are one name; so are "ＡＢＣ公司" and "abc公司"."""
    text = unicodedata.normalize("NFKC", _no_format_chars(name))
    return _SPACE.sub("", text).casefold()


def id_number_key(id_number: str | None) -> str | None:
    """NFKC, upper case (the check character X), no spaces or hyphens; None when empty."""
    if id_number is None:
        return None
    text = unicodedata.normalize("NFKC", _no_format_chars(id_number))
    key = _ID_SEPARATORS.sub("", text).upper()
    return key or None


@dataclass(frozen=True)
class ApplicantKey:
    """An applicant as compared: kind, normalised name, normalised ID number."""

    kind: str
    name: str
    id_number: str | None

    @classmethod
    def of(cls, kind: str, name: str, id_number: str | None) -> ApplicantKey:
        return cls(kind, name_key(name), id_number_key(id_number))

    def matches(self, other: ApplicantKey) -> str | None:
        """How the two are the same applicant — "id_number" when both have an ID number and
        they agree, "name" when either has none and kind and name agree — or None. Two
        different ID numbers are two applicants whatever their names."""
        if self.id_number is not None and other.id_number is not None:
            return "id_number" if self.id_number == other.id_number else None
        if self.kind == other.kind and self.name and self.name == other.name:
            return "name"
        return None


MATCHED_ON_LABELS = {"id_number": "身份证件号码相同", "name": "姓名（名称）及申请人类型相同"}


def cjk_like_pattern(key: str) -> str:
    """A LIKE pattern every raw spelling of a normalised name `key` satisfies: its CJK
    ideographs in order with anything between (spaces, full-width forms, case — whatever
    normalisation removed or changed lies between them). A key without ideographs gives "%",
    which matches all. Ideographs pass through NFKC unchanged, except the rare compatibility
    forms (Kangxi radicals, CJK compatibility ideographs) that a raw name would have to hold
    for the pattern to miss it."""
    ideographs = [ch for ch in key if _is_cjk_ideograph(ch)]
    return "%" + "%".join(ideographs) + "%" if ideographs else "%"


def _is_cjk_ideograph(ch: str) -> bool:
    code = ord(ch)
    return 0x4E00 <= code <= 0x9FFF or 0x3400 <= code <= 0x4DBF or 0x20000 <= code <= 0x3134F
