"""GET /api/v1/reports/{year}/document: the whole annual report as a file, in every format of
the render registry, for whoever may read the agency's reports."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from urllib.parse import unquote

import httpx
import lxml.html
import pytest

from casework.reports.render import FORMATS
from tests.api.conftest import Server, World, make_world, problem

URL = "/api/v1/reports/2026/document"
TITLE = "某街道办事处2026年政府信息公开工作年度报告"


@dataclass
class Office:
    """One world for the module (the tests only read): two cases registered at zhz."""

    world: World
    clients: dict[str, httpx.Client] = field(default_factory=dict)

    def code(self, short: str) -> str:
        return self.world.code(short)

    def login(self, short: str) -> httpx.Client:
        if short not in self.clients:
            self.clients[short] = self.world.login(short)
        return self.clients[short]


@pytest.fixture(scope="module")
def office(server: Server) -> Office:
    office = Office(make_world(server))
    for _ in range(2):
        office.world.register(office.login("clerk"))
    return office


def _name(disposition: str) -> tuple[str, str]:
    """(the ASCII fallback name, the real name) of a Content-Disposition header."""
    fallback = re.search(r'filename="([^"]+)"', disposition)
    real = re.search(r"filename\*=UTF-8''(\S+)", disposition)
    assert fallback and real, disposition
    return fallback.group(1), unquote(real.group(1))


def test_every_registered_format_downloads_with_its_type_and_the_reports_name(
    office: Office,
) -> None:
    clerk = office.login("clerk")
    assert {"html", "json", "txt"} <= set(FORMATS)
    for name, fmt in FORMATS.items():
        answer = clerk.get(URL, params={"agency": office.code("zhz"), "format": name})
        assert answer.status_code == 200, (name, answer.text)
        assert answer.headers["content-type"] == fmt.media_type
        assert answer.headers["content-disposition"].startswith("attachment;")
        fallback, real = _name(answer.headers["content-disposition"])
        assert real == f"{TITLE}{fmt.suffix}"
        assert fallback == f"annual-report-2026{fmt.suffix}" and fallback.isascii()
        assert len(answer.content) > 100


def test_the_html_download_is_the_report_with_the_agencys_figures(office: Office) -> None:
    clerk = office.login("clerk")
    answer = clerk.get(URL, params={"agency": office.code("zhz")})  # html unless asked
    assert answer.headers["content-type"] == "text/html; charset=utf-8"
    root = lxml.html.document_fromstring(answer.content)
    assert root.xpath("//h1")[0].text_content() == TITLE
    (new_total,) = root.xpath("//td[@data-row='new'][@data-col='total']")
    assert new_total.text_content() == "2"
    assert len(root.xpath("//h2")) == 6


def test_the_json_download_carries_the_same_figures_as_the_statistics(office: Office) -> None:
    clerk = office.login("clerk")
    params = {"agency": office.code("zhz")}
    document = clerk.get(URL, params={**params, "format": "json"}).json()
    figures = clerk.get("/api/v1/reports/2026", params=params).json()
    assert document["requests"] == figures["requests"]
    assert document["title"] == TITLE and "narratives" in document


def test_an_unknown_format_is_refused_with_the_formats_there_are(office: Office) -> None:
    clerk = office.login("clerk")
    answer = clerk.get(URL, params={"agency": office.code("zhz"), "format": "pdf"})
    body = problem(answer, 422, "invalid")
    assert body["errors"][0]["field"] == "format"
    assert all(name in body["detail"] for name in FORMATS)


def test_a_bad_as_of_is_refused(office: Office) -> None:
    answer = office.login("clerk").get(URL, params={"agency": office.code("zhz"), "as_of": "昨天"})
    assert problem(answer, 422, "invalid")["errors"][0]["field"] == "as_of"


def test_as_of_before_anything_was_recorded_gives_an_empty_year(office: Office) -> None:
    clerk = office.login("clerk")
    params = {"agency": office.code("zhz"), "format": "json", "as_of": "2020-01-01"}
    data = json.loads(clerk.get(URL, params=params).content)
    assert data["requests"]["rows"]["new"][-1] == 0


def test_another_agencys_user_finds_no_report(office: Office) -> None:
    for outsider in (office.login("stranger"), office.login("stranger_approver")):
        problem(outsider.get(URL, params={"agency": office.code("zhz")}), 404, "not-found")


def test_auditors_and_the_district_office_may_download_statistics(office: Office) -> None:
    for reader in (office.login("auditor"), office.login("district")):
        answer = reader.get(URL, params={"agency": office.code("zhz"), "format": "json"})
        assert answer.status_code == 200, answer.text
        assert answer.json()["requests"]["rows"]["new"][-1] == 2
    rollup = office.login("district").get(
        URL, params={"agency": office.code("qu"), "subtree": True, "format": "json"}
    )
    assert rollup.status_code == 200 and rollup.json()["requests"]["rows"]["new"][-1] == 2
