"""How alike two requests read (character bigram cosine): a pure function, tested on its own."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from casework.similarity import comparable, similarity

REQUEST = "申请公开2023年某路段改造工程的环境影响评价报告"
SAME_REORDERED = "请公开某路段改造工程环境影响评价报告（2023年）"
SAME_SUBJECT_OTHER_DOCUMENT = "申请公开某路段改造工程的施工合同"
UNRELATED = "申请公开2023年本街道低保发放名单"


def test_the_same_request_reworded_ranks_above_a_related_one_above_an_unrelated_one() -> None:
    scores = [similarity(REQUEST, other) for other in
              (SAME_REORDERED, SAME_SUBJECT_OTHER_DOCUMENT, UNRELATED)]  # fmt: skip
    assert scores == sorted(scores, reverse=True) and len(set(scores)) == 3
    assert scores[0] > 0.8 and scores[2] < 0.3


def test_punctuation_spaces_width_and_opening_formulas_do_not_count() -> None:
    assert similarity("申请公开：某项目 环评报告。", "请公开某项目环评报告") == 1.0
    assert comparable("ＡＢＣ 公司，２０２３年") == "abc公司2023年"


def test_nothing_in_common_is_zero_and_empty_text_is_zero() -> None:
    assert similarity("环境影响评价", "低保名单") == 0.0
    assert similarity("", "环境影响评价") == 0.0
    assert similarity("，。", "，。") == 0.0


def test_a_request_of_only_the_formula_is_still_like_itself() -> None:
    assert similarity("申请公开", "申请公开") == 1.0


texts = st.text(alphabet=st.sampled_from("环境影响评价报告某项目年度预算合同2023申请公开，。 "),
                max_size=40)  # fmt: skip


@given(texts, texts)
def test_similarity_is_symmetric_and_between_zero_and_one(a: str, b: str) -> None:
    score = similarity(a, b)
    assert 0.0 <= score <= 1.0
    assert abs(score - similarity(b, a)) < 1e-12


@given(texts)
def test_any_text_with_a_letter_or_digit_is_fully_like_itself(a: str) -> None:
    if comparable(a):
        assert abs(similarity(a, a) - 1.0) < 1e-9
