"""The fee quote and the repeat-request evidence through HTTP, on both backends: the register
answer's `possible_repeats`, the list for a case, the registration form's pre-check (which
stores nothing), masking by role, 404 for another agency, 422 for bad input, and the warning
in the answer to a fee notice that differs from the quote."""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select

from casework.models import Applicant, Case, CaseEvent, IdempotencyKey
from tests.api.conftest import World, problem
from tests.api.test_cases import act, ok

ASKED = "申请公开某路段改造工程的环境影响评价报告"
FULL_WIDTH_ID = "１１０１０１１９９００３０７００１１"  # the conftest applicant's ID, full-width


def _answered_case(world: World) -> dict[str, Any]:
    clerk = world.login("clerk")
    case = world.register(clerk, submitted_on="2026-11-02", request=ASKED)
    return ok(act(clerk, case, "reply", {"outcome": "partially_disclosed"}, "2026-11-10"))


def _check_body(world: World, **applicant: str) -> dict[str, Any]:
    return {
        "agency": world.code("zhz"),
        "applicant": {"kind": "natural_person", "name": "张 三", "id_number": FULL_WIDTH_ID,
                      **applicant},
        "request": "请公开某路段改造工程的环境影响评价报告（电子版）",
    }  # fmt: skip


def test_register_answers_with_the_possible_repeats_of_the_new_case(world: World) -> None:
    first = _answered_case(world)
    clerk = world.login("clerk")
    second = world.register(
        clerk,
        applicant={"kind": "natural_person", "name": "张　三", "id_number": FULL_WIDTH_ID},
        request="请公开：某路段改造工程的环境影响评价报告。",
    )
    [found] = second["possible_repeats"]
    assert (found["case_id"], found["ref"], found["agency"]) == (
        first["id"], first["ref"], world.code("zhz"))  # fmt: skip
    assert found["outcome"] == "partially_disclosed"
    assert found["outcome_label"].startswith("（二）部分公开")
    assert (found["received_on"], found["concluded_on"]) == ("2026-11-02", "2026-11-10")
    assert found["matched_on"] == "id_number" and found["similarity"] == 1.0
    assert found["applicant_name"] == "张三"
    # a new case with nothing answered before it has an empty list, not a missing field
    assert (
        world.register(clerk, applicant={"kind": "natural_person", "name": "李四"})[
            "possible_repeats"
        ]
        == []
    )


def test_the_list_for_a_case_masks_names_for_readers_and_hides_from_other_agencies(
    world: World,
) -> None:
    _answered_case(world)
    clerk = world.login("clerk")
    second = world.register(clerk, request=ASKED)
    url = f"/api/v1/cases/{second['id']}/possible-repeats"
    listed = clerk.get(url)
    assert listed.status_code == 200, listed.text
    assert [r["applicant_name"] for r in listed.json()["items"]] == ["张三"]
    assert "经办人判断" in listed.json()["note"]
    for reader in ("auditor", "district"):
        seen = world.login(reader).get(url)
        assert seen.status_code == 200, seen.text
        assert [r["applicant_name"] for r in seen.json()["items"]] == ["张*"], reader
    problem(world.login("stranger").get(url), 404, "not-found")
    problem(clerk.get(url, params={"limit": 0}), 422, "validation")


def test_the_pre_check_finds_them_and_stores_nothing(world: World) -> None:
    first = _answered_case(world)
    clerk = world.login("clerk")

    def counts() -> list[int]:
        with world.server.engine.connect() as conn:
            return [
                conn.execute(select(func.count()).select_from(t)).scalar_one()
                for t in (Case, Applicant, CaseEvent, IdempotencyKey)
            ]

    before = counts()
    answer = clerk.post("/api/v1/cases/repeat-check", json=_check_body(world))
    assert answer.status_code == 200, answer.text
    [found] = answer.json()["items"]
    assert found["ref"] == first["ref"] and 0.8 < found["similarity"] < 1.0
    assert counts() == before
    # another applicant (a different ID number) has no repeats
    other = clerk.post("/api/v1/cases/repeat-check",
                       json=_check_body(world, id_number="110101199003070028"))  # fmt: skip
    assert other.status_code == 200 and other.json()["items"] == []
    problem(world.login("auditor").post("/api/v1/cases/repeat-check", json=_check_body(world)),
            403, "forbidden")  # fmt: skip
    problem(world.login("stranger").post("/api/v1/cases/repeat-check", json=_check_body(world)),
            404, "not-found")  # fmt: skip
    bad = problem(clerk.post("/api/v1/cases/repeat-check",
                             json={**_check_body(world), "request": ""}), 422)  # fmt: skip
    assert bad["errors"][0]["field"] == "request"
    assert counts() == before


def test_fee_quote_per_item_and_per_volume(world: World) -> None:
    clerk = world.login("clerk")
    case = world.register(clerk)
    url = f"/api/v1/cases/{case['id']}/fee-quote"
    per_item = clerk.get(url, params={"basis": "per_item"})
    assert per_item.status_code == 200, per_item.text
    body = per_item.json()
    assert (body["amount"], body["first_position"], body["earlier"]) == ("0.00", 1, [])
    assert body["lines"][-1] == "合计：0元"
    split = clerk.get(url, params={"basis": "per_item", "items": 12}).json()
    assert split["amount"] == "200.00" and split["bands"][-1]["line"] == (
        "第11–12件：2件 × 100元 = 200元")  # fmt: skip
    volume = world.login("auditor").get(url, params={"basis": "per_volume", "pages": 201})
    assert volume.status_code == 200 and volume.json()["amount"] == "2740.00"


def test_fee_quote_refuses_bad_input_and_other_agencies(world: World) -> None:
    clerk = world.login("clerk")
    case = world.register(clerk)
    url = f"/api/v1/cases/{case['id']}/fee-quote"
    no_pages = problem(clerk.get(url, params={"basis": "per_volume"}), 422, "invalid")
    assert no_pages["errors"] == [{"field": "pages", "message": no_pages["detail"]}]
    problem(clerk.get(url, params={"basis": "per_item", "pages": 3}), 422, "invalid")
    problem(clerk.get(url, params={"basis": "by_weight"}), 422, "validation")
    problem(clerk.get(url, params={"basis": "per_volume", "pages": 0}), 422, "validation")
    problem(clerk.get(url), 422, "validation")
    problem(world.login("stranger").get(url, params={"basis": "per_item"}), 404, "not-found")


def test_a_fee_notice_that_differs_from_the_quote_answers_with_a_warning(world: World) -> None:
    clerk = world.login("clerk")
    case = world.register(clerk)
    done = ok(act(clerk, case, "issue_fee_notice", {"amount": "100.00", "basis": "per_item"}))
    assert done["state"] == "fee_pending"
    assert done["warnings"] == [
        "收费金额 100 元与按标准试算的 0 元不一致（多 100 元）；如属减免或另有原因，请在收费通知中写明"
    ]
    assert done["events"][-1]["payload"]["quoted_amount"] == "0.00"
    assert clerk.get(f"/api/v1/cases/{case['id']}").json()["warnings"] == []
    other = world.register(clerk, applicant={"kind": "natural_person", "name": "王五"})
    pages = ok(act(clerk, other, "issue_fee_notice",
                   {"amount": "10.00", "basis": "per_volume", "pages": 31}))  # fmt: skip
    assert pages["warnings"] == []
