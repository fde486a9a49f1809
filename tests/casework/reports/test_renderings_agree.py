"""Issue 7's acceptance: all five renderings of one report, parsed back — JSON as data, the text
and the HTML by `casework report check`'s readers, the DOCX with python-docx, the XLSX with
openpyxl — carry the same numbers, the figures of the history they came from; and the checker
finds nothing wrong in our own text and HTML (the starter narrative's numbers included)."""

from __future__ import annotations

import json
from io import BytesIO

import pytest
from docx import Document
from openpyxl import load_workbook
from sqlalchemy import Engine

from casework.db import unit_of_work
from casework.reports.check import check, read_report
from casework.reports.document import AnnualReport, build
from casework.reports.render import FORMATS, render_all
from casework.services.directory import agency_by_code
from casework.services.replay import parse, replay
from casework.timeutil import utcnow
from tests.casework.reports import busy_history
from tests.casework.reports.render_support import TODAY, sample_document
from tests.casework.reports.test_render_docx import _check_numbers
from tests.casework.reports.test_render_xlsx import _check_values


def _busy_document(engine: Engine) -> AnnualReport:
    with unit_of_work(engine) as session:
        replay(session, parse(busy_history.history()), TODAY, TODAY)
    with unit_of_work(engine) as session:
        agency = agency_by_code(session, busy_history.AGENCY["code"])
        return build(session, agency, busy_history.YEAR, utcnow())


@pytest.mark.parametrize("history", ["busy", "sample"])
def test_all_five_renderings_carry_the_same_numbers(engine: Engine, history: str) -> None:
    document = _busy_document(engine) if history == "busy" else sample_document(engine)
    files = render_all(document)
    assert set(files) == set(FORMATS) == {"json", "txt", "html", "docx", "xlsx"}
    expected = document.figures.as_json()
    if history == "busy":  # the history fills the table: a swapped row or column would show
        assert all(row[-1] for code, row in expected["requests"]["rows"].items()
                   if code != "carried_in"), expected["requests"]["rows"]  # fmt: skip

    as_json = json.loads(files["json"])
    assert as_json["requests"] == expected["requests"]
    assert as_json["appeals"] == expected["appeals"]
    assert as_json["proactive"] == expected["proactive"]
    for name in ("txt", "html"):
        parsed = read_report(files[name])
        assert parsed.format_version == "2021", name
        assert parsed.year == document.figures.year, name
        assert parsed.requests == expected["requests"]["rows"], name
        assert parsed.appeals == expected["appeals"], name
        assert parsed.proactive == expected["proactive"], name
        assert check(parsed) == [], name
    _check_numbers(Document(BytesIO(files["docx"])), document)
    _check_values(load_workbook(BytesIO(files["xlsx"])), document)
