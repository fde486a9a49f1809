"""Who is the same applicant: names and ID numbers compared after normalisation."""

from __future__ import annotations

import unicodedata

import pytest
from hypothesis import given
from hypothesis import strategies as st

from casework.identity import ApplicantKey, cjk_like_pattern, id_number_key, name_key


@pytest.mark.parametrize(
    "typed",
    ["张三", "张 三", "张　三", " 张三 ", "张\u200b三", "张\t三\n"],
)
def test_spaces_of_every_kind_inside_a_name_do_not_make_another_person(typed: str) -> None:
    assert name_key(typed) == "张三"


def test_full_width_latin_and_case_are_folded_in_names() -> None:
    assert name_key("ＡＢＣ科技有限公司") == name_key("abc 科技有限公司") == "abc科技有限公司"
    assert name_key("（某）律师事务所") == name_key("(某)律师事务所")


@pytest.mark.parametrize(
    "typed",
    [
        "11010119900307001X",
        "11010119900307001x",
        "１１０１０１１９９００３０７００１Ｘ",
        "１１０１０１１９９００３０７００１ｘ",
        "110101 19900307 001X",
        "110101-19900307-001x",
        "110101－19900307－001Ｘ",
    ],
)
def test_id_numbers_compare_after_nfkc_upper_case_and_without_separators(typed: str) -> None:
    assert id_number_key(typed) == "11010119900307001X"


@pytest.mark.parametrize("typed", [None, "", "  ", " - "])
def test_an_empty_id_number_is_none(typed: str | None) -> None:
    assert id_number_key(typed) is None


def test_match_on_id_number_when_both_have_one_whatever_the_names() -> None:
    a = ApplicantKey.of("natural_person", "张三", "11010119900307001X")
    assert (
        a.matches(ApplicantKey.of("natural_person", "张叁", "１１０１０１１９９００３０７００１ｘ"))
        == "id_number"
    )
    # two ID numbers that differ are two people, even with the same name
    assert a.matches(ApplicantKey.of("natural_person", "张三", "110101199003070028")) is None


def test_match_on_name_and_kind_when_either_has_no_id_number() -> None:
    a = ApplicantKey.of("natural_person", "张 三", None)
    assert a.matches(ApplicantKey.of("natural_person", "张三", "11010119900307001X")) == "name"
    assert ApplicantKey.of("natural_person", "张三", "1").matches(a) == "name"
    assert a.matches(ApplicantKey.of("other_org", "张三", None)) is None
    assert a.matches(ApplicantKey.of("natural_person", "李四", None)) is None


@given(st.text(alphabet=st.sampled_from("张三李四王五有限公司abcXYZ 　"), min_size=1, max_size=12))
def test_the_sql_prefilter_pattern_matches_every_spelling_of_a_name(name: str) -> None:
    """The LIKE pattern keeps the key's ideographs in order: the raw spelling (with spaces,
    full-width forms, other case) holds them in that order too."""
    key = name_key(name)
    pattern = cjk_like_pattern(key)
    variants = [name, unicodedata.normalize("NFKC", name), name.upper(), name.replace(" ", "　")]
    for raw in variants:
        assert _like(raw, pattern), (raw, pattern)


def _like(text: str, pattern: str) -> bool:
    """SQL LIKE with only % wildcards (the patterns hold nothing else)."""
    parts = pattern.split("%")
    at = 0
    for part in parts:
        found = text.find(part, at)
        if found < 0:
            return False
        at = found + len(part)
    return True
