"""Reports copied from the web vary: blank lines or not, full-width punctuation and digits,
a row per line with tabs, spaces inside labels, a repeated header, wrapped labels, numbers
stuck to labels, other encodings. Each reads as the sample does."""

from __future__ import annotations

import pytest

from casework.reports.check import check, read_report
from tests.casework.reports.check.builders import SAMPLE, cells, join, sample_requests

FULL_WIDTH = str.maketrans(
    {"(": "（", ")": "）", ",": "，", ":": "：", **{str(d): chr(0xFF10 + d) for d in range(10)}}
)


def full_width_without_blank_lines() -> str:
    return SAMPLE.replace("\n\n", "\n").translate(FULL_WIDTH)


def a_row_per_line_with_tabs() -> str:
    out: list[str] = []
    for part in cells(SAMPLE):
        if part.strip().isdigit() and out and not out[-1].startswith(("行政", "结果", "总计")):
            out[-1] += "\t" + part
        else:
            out.append(part)
    return "\n".join(out)


def spaces_inside_labels() -> str:
    return (
        SAMPLE.replace("自然人", "自 然 人")
        .replace("1.属于国家秘密", "1. 属于国家秘密")
        .replace("(七)总计", "（七） 总  计")
        .replace("3.危及“三安全一稳定”", '3.危及"三安全一稳定"')
    )


def header_repeated() -> str:
    parts = cells(SAMPLE)
    head = parts[parts.index("申请人情况") : parts.index("一、本年新收政府信息公开申请数量")]
    at = parts.index("(四)无法提供")
    return join([*parts[:at], *head, *parts[at:]])


def wrapped_label() -> str:
    label = "1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请"
    return SAMPLE.replace(label, label[:20] + "\n" + label[20:])


def numbers_on_the_label_line() -> str:
    label = "一、本年新收政府信息公开申请数量"
    parts = cells(SAMPLE)
    i = parts.index(label)
    parts[i : i + 8] = [label + "7 0 0 0 0 0 7"]
    j = parts.index("4.保护第三方合法权益")
    parts[j] = "4 保护第三方合法权益"  # the leaf's number standing apart
    return join(parts)


def crlf_with_bom() -> bytes:
    return b"\xef\xbb\xbf" + SAMPLE.replace("\n", "\r\n").encode()


VARIANTS = {
    "full_width_without_blank_lines": full_width_without_blank_lines().encode(),
    "a_row_per_line_with_tabs": a_row_per_line_with_tabs().encode(),
    "spaces_inside_labels": spaces_inside_labels().encode(),
    "header_repeated": header_repeated().encode(),
    "wrapped_label": wrapped_label().encode(),
    "numbers_on_the_label_line": numbers_on_the_label_line().encode(),
    "gbk": SAMPLE.encode("gb18030"),
    "crlf_with_bom": crlf_with_bom(),
}


@pytest.mark.parametrize("name", sorted(VARIANTS))
def test_variant_reads_as_the_sample(name: str) -> None:
    report = read_report(VARIANTS[name])
    assert report.requests == sample_requests()
    assert report.year == 2023 and report.format_version == "2021"


@pytest.mark.parametrize("name", sorted(VARIANTS))
def test_variant_has_no_problem(name: str) -> None:
    assert check(read_report(VARIANTS[name])) == []


def test_a_variant_with_a_wrong_number_is_still_caught() -> None:
    text = full_width_without_blank_lines().replace(
        "２\n０\n０\n０\n０\n０\n２", "２\n０\n０\n０\n０\n０\n３", 1
    )
    problems = check(read_report(text.encode()))
    assert [(p.kind.value, p.row_code, p.found) for p in problems][:1] == [
        ("row_sum", "unavailable.not_held", 3)
    ]


def test_fees_in_ten_thousand_yuan_with_decimals() -> None:
    parts = cells(SAMPLE)
    i = parts.index("行政事业性收费")
    parts[i + 1] = "0.35"
    report = read_report(join(parts).encode())
    assert report.proactive["admin_fees_wan_yuan"] == 0.35
    assert check(report) == []
