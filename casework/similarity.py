"""How alike two requests read: cosine similarity of their character bigrams.

Chinese has no spaces between words, so word-based measures (and rapidfuzz's token scorers,
which split on whitespace) see one token per sentence; an edit distance punishes the same
words in another order ("2023年某项目环评报告" / "某项目2023年的环评报告") and a longer
letter around the same request. Character bigrams need no dictionary, ignore order beyond
two characters, and a score is easy to explain to a clerk: the share of two-character
pieces the texts have in common. Cosine over bigram counts rather than set Jaccard, so a
short request inside a long one still scores high. It only ranks evidence for the clerk:
nothing is decided on it.
"""

from __future__ import annotations

import math
import unicodedata
from collections import Counter

# Words nearly every request opens with: left in, they make any two requests look alike.
BOILERPLATE: tuple[str, ...] = tuple(
    sorted(
        {"依申请公开", "申请公开", "请求公开", "要求公开", "请予公开", "予以公开", "请公开",
         "政府信息公开", "政府信息", "本人", "申请人"},
        key=len,
        reverse=True,
    )
)  # fmt: skip


def comparable(text: str) -> str:
    """Letters and digits only (NFKC, case-folded), without the opening formulas of a request:
    punctuation, spaces, layout and "申请公开" differ between two letters asking the same."""
    folded = unicodedata.normalize("NFKC", text).casefold()
    chars = "".join(ch for ch in folded if ch.isalnum())
    kept = chars
    for phrase in BOILERPLATE:
        kept = kept.replace(phrase, "")
    return kept or chars  # a request of nothing but the formula is compared as it is


def bigrams(text: str) -> Counter[str]:
    """The text's character bigrams with their counts (a one-character text: the character)."""
    chars = comparable(text)
    if len(chars) < 2:
        return Counter([chars] if chars else [])
    return Counter(chars[i : i + 2] for i in range(len(chars) - 1))


def similarity(a: str, b: str) -> float:
    """Cosine similarity of the bigram counts, 0.0 (nothing in common) to 1.0 (the same)."""
    return cosine(bigrams(a), bigrams(b))


def cosine(x: Counter[str], y: Counter[str]) -> float:
    if not x or not y:
        return 0.0
    small, large = (x, y) if len(x) <= len(y) else (y, x)
    dot = sum(count * large[gram] for gram, count in small.items() if gram in large)
    if not dot:
        return 0.0
    norm = math.sqrt(sum(c * c for c in x.values())) * math.sqrt(sum(c * c for c in y.values()))
    return min(1.0, dot / norm)
