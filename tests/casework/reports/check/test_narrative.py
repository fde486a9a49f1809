"""Numbers in the report's text: which are read as claims about the tables, and which are
passed over (they must not become false alarms)."""

from __future__ import annotations

import pytest

from casework.reports.check.narrative import claims, cn_number


@pytest.mark.parametrize(
    ("text", "value"),
    [("7", 7), ("七", 7), ("十", 10), ("十二", 12), ("两", 2), ("二十三", 23), ("一百零五", 105),
     ("〇", 0), ("一万二千", 12000)],
)  # fmt: skip
def test_chinese_numerals(text: str, value: int) -> None:
    assert cn_number(text) == value


def read(text: str) -> list[tuple[str, int]]:
    return [(c.target, c.value) for c in claims([text], 2023)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2023年共收到政府信息公开申请7件。", [("new", 7)]),
        ("本年度新收政府信息公开申请十二件。", [("new", 12)]),
        ("共受理依申请公开申请两件。", [("new", 2)]),
        ("向本级政府信息公开申请7件,主要集中在住房问题。", [("new", 7)]),
        ("上年结转政府信息公开申请3件，本年新收5件。", [("carried_in", 3), ("new", 5)]),
        ("收到申请7件，办结6件，结转下年度继续办理1件。",
         [("new", 7), ("concluded_total", 6), ("carried_out", 1)]),
        ("对申请均已作出答复，答复7件。", [("concluded_total", 7)]),
        ("收到申请7件。其中予以公开3件、部分公开1件、不予公开2件、不予处理1件。",
         [("new", 7), ("disclosed", 3), ("partially_disclosed", 1), ("withheld", 2), ("not_processed", 1)]),
        ("2023年度共收到并办理政府信息公开申请7件。", [("new", 7)]),
        ("收到行政复议申请1件。", [("reconsideration", 1)]),
        ("全年发生政府信息公开行政复议1件，行政诉讼2起。",
         [("reconsideration", 1), ("litigation", 2)]),
    ],
)  # fmt: skip
def test_claims_read(text: str, expected: list[tuple[str, int]]) -> None:
    assert read(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "网民朋友在领导信箱留言9条。",  # messages, not applications
        "累计推送信息报道80余件。",  # approximate
        "收到申请7件，较上年增加2件。",  # a change (the first number is a claim, tested above)
        "其中自然人申请5件，法人或其他组织申请2件。",  # a breakdown by applicant
        "通过网上申请3件，信函申请4件。",  # by channel
        "2022年收到政府信息公开申请5件。",  # another year
        "上年收到政府信息公开申请5件。",  # last year's figure
        "办理人大代表建议12件、政协提案8件。",  # other business
        "1月收到申请3件。",  # by month
        "行政复议和行政诉讼各1件。",  # both at once
        "行政复议纠错1件。",  # a part of the group
        "按时答复申请6件。",  # a subset
        "第一件申请于3月收到。",  # an ordinal
        "主动公开政府信息125件。",  # not about applications
        "收到政府信息公开申请7件，另收到投诉举报3件。",  # complaints, not applications
        "收到政府信息公开申请7件，受理政务服务事项1200件。",  # other business
        "收到政府信息公开申请7件，已办结政务服务事项300件。",  # other business
        "全年共办理政府信息公开申请10件。",  # new, or new and carried over?
    ],
)
def test_numbers_that_are_no_claim_are_passed_over(text: str) -> None:
    assert [c for c in read(text) if c != ("new", 7)] == []


def test_a_paragraph_not_about_applications_makes_no_request_claim() -> None:
    assert read("本年度办结工单7件。其中予以公开3件。") == []
