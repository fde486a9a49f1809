"""`casework report render`: the whole annual report written to a file, in every registered
format; clear Chinese errors and a non-zero exit for an unknown format or a path that cannot
be written, and no file left behind."""

from __future__ import annotations

import json
from pathlib import Path

import lxml.html

from casework.reports.render import FORMATS
from tests.casework.cli.cli_support import CJK, NO_DATABASE, SAMPLE_2023, CliRunner

TITLE = "西安市雁塔区漳浒寨街道办事处2023年政府信息公开工作年度报告"
AS_OF = "2099-12-31"  # after the replay, which is recorded at the real now


def _sample(cli: CliRunner) -> None:
    assert cli("init").code == 0
    assert cli("replay", str(SAMPLE_2023)).code == 0


def test_html_is_written_under_the_reports_title_by_default(cli: CliRunner, tmp_path: Path) -> None:
    _sample(cli)
    result = cli("report", "render", "2023", "--agency", "zhz")
    assert result.code == 0, result
    written = tmp_path / f"{TITLE}.html"  # the tests run in tmp_path
    assert written.is_file() and f"已写入 {TITLE}.html" in result.out
    root = lxml.html.document_fromstring(written.read_bytes())
    assert root.xpath("//h1")[0].text_content() == TITLE
    cell = root.xpath("//td[@data-row='other.correction_not_submitted'][@data-col='total']")
    assert [td.text_content() for td in cell] == ["4"]  # as the published sample


def test_every_registered_format_is_written_where_asked(cli: CliRunner, tmp_path: Path) -> None:
    _sample(cli)
    for name, fmt in FORMATS.items():
        target = tmp_path / "out" / f"报告{fmt.suffix}"
        target.parent.mkdir(exist_ok=True)
        result = cli(
            "report", "render", "2023", "--agency", "zhz", "--format", name, "-o", str(target)
        )
        assert result.code == 0, (name, result)
        assert target.stat().st_size > 100, name
    data = json.loads((tmp_path / "out" / "报告.json").read_text(encoding="utf-8"))
    assert data["requests"]["rows"]["new"] == [7, 0, 0, 0, 0, 0, 7]
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == sorted(
        f"报告{f.suffix}" for f in FORMATS.values()
    )  # no partial files left beside them


def test_the_same_as_of_gives_the_same_bytes(cli: CliRunner, tmp_path: Path) -> None:
    _sample(cli)
    for name in ("a.html", "b.html"):
        args = ("report", "render", "2023", "--agency", "zhz", "--as-of", AS_OF, "-o", name)
        assert cli(*args).code == 0
    first = (tmp_path / "a.html").read_bytes()
    assert first == (tmp_path / "b.html").read_bytes()
    root = lxml.html.document_fromstring(first)
    assert root.xpath("//td[@data-row='new'][@data-col='total']")[0].text_content() == "7"


@NO_DATABASE
def test_an_unknown_format_is_refused_before_anything_is_read(
    cli: CliRunner, tmp_path: Path
) -> None:
    result = cli("report", "render", "2023", "--agency", "zhz", "--format", "pdf", "-o", "x.pdf")
    assert result.code == 2
    assert "没有“pdf”格式的年度报告" in result.err and all(n in result.err for n in FORMATS)
    assert not (tmp_path / "x.pdf").exists()


@NO_DATABASE
def test_a_bad_as_of_names_the_option(cli: CliRunner) -> None:
    result = cli("report", "render", "2023", "--agency", "zhz", "--as-of", "昨天")
    assert result.code == 2 and "--as-of" in result.err and CJK.search(result.err)


def test_a_missing_folder_is_a_clear_error_and_leaves_nothing(
    cli: CliRunner, tmp_path: Path
) -> None:
    _sample(cli)
    target = tmp_path / "没有的目录" / "报告.html"
    result = cli("report", "render", "2023", "--agency", "zhz", "-o", str(target))
    assert result.code == 1
    assert f"无法写入“{target}”" in result.err and "不存在" in result.err
    assert "Traceback" not in result.err + result.out
    assert not target.parent.exists()


@NO_DATABASE
def test_a_folder_as_output_is_refused(cli: CliRunner, tmp_path: Path) -> None:
    result = cli("report", "render", "2023", "--agency", "zhz", "-o", str(tmp_path))
    assert result.code == 2 and "是目录" in result.err


def test_an_unknown_agency_is_a_clear_error(cli: CliRunner, tmp_path: Path) -> None:
    assert cli("init").code == 0
    result = cli("report", "render", "2023", "--agency", "nowhere")
    assert result.code == 1 and "nowhere" in result.err and CJK.search(result.err)
    assert list(tmp_path.glob("*.html")) == []
