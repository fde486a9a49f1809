"""`casework report check`: the text and JSON outputs, --previous, and the exit codes (0
clean, 1 problems, 2 a file that cannot be read as a report — never a traceback)."""

from __future__ import annotations

import json
import os

import pytest

from tests.casework.reports.check.builders import (
    SAMPLE,
    TITLE,
    html_report,
    sample_requests,
    with_carried,
    year_2022,
)


def test_problems_are_listed_one_per_line_and_exit_1(run, write) -> None:  # type: ignore[no-untyped-def]
    text = SAMPLE.replace("申请7件", "申请8件")
    result = run("report", "check", str(write(text)))
    assert result.code == 1
    lines = result.out.splitlines()
    assert lines[1:5] == [
        f"标题：{TITLE}",
        "机关：西安市雁塔区漳浒寨街道办事处",
        "年度：2023",
        "格式：2021年版格式（国办公开办函〔2021〕30号）",
    ]
    assert lines[5:] == [
        "发现 1 处问题：",
        "1. 正文“向本级政府信息公开申请8件”与表三“一、本年新收政府信息公开申请数量”总计不符：正文为8，表中为7",
    ]


def test_json_names_kind_table_row_column_expected_found(run, write) -> None:  # type: ignore[no-untyped-def]
    text = with_carried(SAMPLE, carried_out=[0, 0, 0, 0, 1, 0, 1]).replace("申请8件", "申请7件")
    result = run("report", "check", str(write(text)), "--format", "json")
    assert result.code == 1
    data = json.loads(result.out)
    assert (data["title"], data["year"], data["format_version"], data["ok"]) == (
        TITLE,
        2023,
        "2021",
        False,
    )
    assert [
        {k: p[k] for k in ("kind", "table", "row", "column", "expected", "found")}
        for p in data["problems"]
    ] == [
        {
            "kind": "narrative",
            "table": "表三",
            "row": "一、本年新收政府信息公开申请数量",
            "column": "总计",
            "expected": 8,
            "found": 7,
        }
    ]


def test_json_carries_the_figures_in_the_reports_shape(run, write) -> None:  # type: ignore[no-untyped-def]
    result = run("report", "check", str(write(html_report(), "report.html")), "--format", "json")
    assert result.code == 0, result
    figures = json.loads(result.out)["figures"]
    assert figures["requests"]["columns"][0] == "natural_person"
    assert figures["requests"]["rows"] == sample_requests()


def test_previous_year_agreeing_is_clean(run, write) -> None:  # type: ignore[no-untyped-def]
    previous = write(year_2022([0] * 7), "2022.txt")
    result = run("report", "check", str(write(SAMPLE)), "--previous", str(previous))
    assert result.code == 0, result
    assert "上年报告：西安市雁塔区漳浒寨街道办事处2022年政府信息公开工作年度报告" in result.out


def test_previous_year_disagreeing_fails(run, write) -> None:  # type: ignore[no-untyped-def]
    previous = write(year_2022([0, 1, 0, 0, 0, 0, 1]), "2022.txt")
    result = run(
        "report", "check", str(write(SAMPLE)), "--previous", str(previous), "--format", "json"
    )
    assert result.code == 1
    found = [
        (p["kind"], p["column"], p["expected"], p["found"])
        for p in json.loads(result.out)["problems"]
    ]
    assert found == [("carry_over", "商业企业", 1, 0), ("carry_over", "总计", 1, 0)]


def test_a_bad_format_option_exits_2(run, write) -> None:  # type: ignore[no-untyped-def]
    result = run("report", "check", str(write(SAMPLE)), "--format", "xml")
    assert result.code == 2 and "--format 须为 text 或 json" in result.err


UNREADABLE = {
    "missing": (None, "找不到文件"),
    "empty": (b"", "是空文件"),
    "blank": (b" \n\n \n", "是空文件"),
    "binary": (os.urandom(64) + b"\x00\x01\x02" + os.urandom(512), "二进制文件"),
    "pdf": (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj", "PDF 文件"),
    "docx": (b"PK\x03\x04\x14\x00\x06\x00", "Word/Excel 或压缩文件"),
    "not_a_report": (
        "会议纪要\n\n今天开会，讨论了三件事。\n".encode(),
        "不是政府信息公开工作年度报告",
    ),
}


@pytest.mark.parametrize("name", sorted(UNREADABLE))
def test_an_unreadable_file_exits_2_with_a_message(run, write, name: str) -> None:  # type: ignore[no-untyped-def]
    content, words = UNREADABLE[name]
    path = write(content, f"{name}.txt") if content is not None else "nowhere/report.txt"
    result = run("report", "check", str(path))
    assert result.code == 2, result
    assert words in result.err and "Traceback" not in result.err + result.out


def test_an_unreadable_previous_file_exits_2(run, write) -> None:  # type: ignore[no-untyped-def]
    result = run("report", "check", str(write(SAMPLE)), "--previous", "nowhere.txt")
    assert result.code == 2 and "找不到文件：nowhere.txt" in result.err


def test_a_directory_exits_2(run, tmp_path) -> None:  # type: ignore[no-untyped-def]
    result = run("report", "check", str(tmp_path))
    assert result.code == 2 and "是目录" in result.err


def test_a_truncated_report_exits_1_with_structure_problems(run, write) -> None:  # type: ignore[no-untyped-def]
    result = run("report", "check", str(write(SAMPLE[: SAMPLE.index("(二)部分公开")])))
    assert result.code == 1
    assert "表三 缺少“（七）总计”行" in result.out and "Traceback" not in result.err
