"""`/api/v1/reports/{year}/narratives`: the starter with its placeholders, saves as new
revisions, the revision an editor started from (409 when someone saved in between).

One office for the module (its users log in once); each test edits a year of its own."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import httpx
import pytest

from tests.api.conftest import Server, World, make_world, problem

TEXTS = {"overview": "总体情况。", "problems": "问题与改进。", "other": ""}


@dataclass
class Office:
    world: World
    clients: dict[str, httpx.Client] = field(default_factory=dict)

    def login(self, short: str) -> httpx.Client:
        if short not in self.clients:
            self.clients[short] = self.world.login(short)
        return self.clients[short]

    def get(self, who: str, year: int) -> httpx.Response:
        return self.login(who).get(
            f"/api/v1/reports/{year}/narratives", params={"agency": self.world.code("zhz")}
        )

    def put(self, who: str, year: int, body: dict[str, Any], **headers: str) -> httpx.Response:
        return self.login(who).put(
            f"/api/v1/reports/{year}/narratives",
            params={"agency": self.world.code("zhz")},
            json=body,
            headers=headers,
        )


@pytest.fixture(scope="module")
def office(server: Server) -> Office:
    office = Office(make_world(server))
    office.world.register(office.login("clerk"))  # received 2026-11-20
    return office


def test_the_starter_comes_with_its_placeholders_and_the_fee_statement(office: Office) -> None:
    answer = office.get("clerk", 2026)
    assert answer.status_code == 200, answer.text
    body = answer.json()
    assert answer.headers["ETag"] == '"0"'
    assert body["revision"] == 0 and body["starter"] is True and body["recorded_by"] is None
    assert "新收政府信息公开申请1件" in body["overview"]
    assert body["placeholders"] and all("【请填写：" in p for p in body["placeholders"])
    assert body["fee_statement"].startswith("依据《政府信息公开信息处理费管理办法》")


def test_a_save_is_a_new_revision_and_no_longer_the_starter(office: Office) -> None:
    saved = office.put("clerk", 2020, {**TEXTS, "revision": 0})
    assert saved.status_code == 200, saved.text
    assert saved.headers["ETag"] == '"1"'
    body = saved.json()
    assert body["revision"] == 1 and body["starter"] is False and body["placeholders"] == []
    assert body["recorded_by"] == office.world.user("clerk") and body["problems"] == "问题与改进。"
    assert office.get("auditor", 2020).json()["overview"] == "总体情况。"


def test_a_save_based_on_a_stale_revision_is_409(office: Office) -> None:
    assert office.put("clerk", 2021, {**TEXTS, "revision": 0}).status_code == 200
    stale = office.put("clerk2", 2021, {**TEXTS, "problems": "另一版本。"}, **{"If-Match": '"0"'})
    assert "当前第1版" in problem(stale, 409, "conflict")["detail"]
    assert office.get("clerk", 2021).json()["problems"] == "问题与改进。"


def test_the_revision_may_come_in_if_match(office: Office) -> None:
    saved = office.put("approver", 2022, TEXTS, **{"If-Match": 'W/"0"'})
    assert saved.status_code == 200, saved.text
    assert saved.json()["revision"] == 1


def test_a_save_without_the_revision_it_started_from_is_428(office: Office) -> None:
    problem(office.put("clerk", 2023, TEXTS), 428, "precondition-required")


def test_a_body_and_if_match_that_disagree_are_refused(office: Office) -> None:
    answer = office.put("clerk", 2023, {**TEXTS, "revision": 0}, **{"If-Match": '"3"'})
    assert problem(answer, 422, "validation")["errors"][0]["field"] == "revision"


def test_control_characters_and_overlong_texts_are_refused(office: Office) -> None:
    bad = problem(office.put("clerk", 2024, {**TEXTS, "other": "x\u0007", "revision": 0}), 422)
    assert bad["errors"][0]["field"] == "other"
    body = {**TEXTS, "overview": "字" * 20_001, "revision": 0}
    assert problem(office.put("clerk", 2024, body), 422)["errors"][0]["field"] == "overview"
    assert office.get("clerk", 2024).json()["revision"] == 0
