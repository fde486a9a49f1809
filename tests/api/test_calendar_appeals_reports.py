"""The calendar, appeals and the year statistics through HTTP."""

from __future__ import annotations

from tests.api.conftest import World, problem
from tests.api.test_cases import act, ok


def test_a_year_of_the_calendar_and_the_deadline_calculator(world: World) -> None:
    clerk = world.login("clerk")
    year = clerk.get("/api/v1/calendar/2024")
    assert year.status_code == 200, year.text
    body = year.json()
    assert body["provisional"] is False and body["working_days"] == 251
    days = {d["date"]: (d["workday"], d["reason"]) for d in body["days"]}
    assert days["2024-10-12"][0] is True  # a Saturday make-up workday (调休)
    assert days["2024-10-01"][0] is False and "国庆" in days["2024-10-01"][1]
    calc = clerk.get("/api/v1/calendar/deadline", params={"start": "2024-09-27", "days": 7})
    assert calc.status_code == 200 and calc.json()["due"] == "2024-10-12", calc.text
    late = clerk.get("/api/v1/calendar/deadline", params={"start": "2026-12-10", "days": 20})
    assert late.json()["provisional"] is True
    problem(
        clerk.get("/api/v1/calendar/deadline", params={"start": "2026-12-10", "days": 401}), 422
    )
    problem(clerk.get("/api/v1/calendar/2024", params={"agency": world.code("other")}), 404)


def test_an_administrator_overrides_a_day_and_the_deadlines_move(world: World) -> None:
    clerk, street_admin = world.login("clerk"), world.login("street_admin")
    case = world.register(clerk)  # received 2026-11-20: reply due 2026-12-18
    body = {"workday": False, "source": "某区民族节日通知", "agency": world.code("zhz")}
    problem(clerk.put("/api/v1/calendar/days/2026-12-01", json=body), 403, "forbidden")
    changed = street_admin.put("/api/v1/calendar/days/2026-12-01", json=body)
    assert changed.status_code == 200, changed.text
    assert {"ref": case["ref"], "clock": "reply", "party": None, "old_due": "2026-12-18",
            "new_due": "2026-12-21"} in changed.json()["moved"]  # fmt: skip
    assert ok(clerk.get(f"/api/v1/cases/{case['id']}"))["deadlines"][0]["due"] == "2026-12-21"
    national = {"workday": True, "source": "test"}
    problem(
        street_admin.put("/api/v1/calendar/days/2026-12-05", json=national), 403
    )  # not top-level
    problem(street_admin.post("/api/v1/calendar/years/2027/confirm", json={"source": "x"}), 403)
    problem(
        clerk.put("/api/v1/calendar/days/2026-12-01", json={**body, "agency": world.code("other")}),
        404,
    )


def test_appeals_are_recorded_answered_and_decided(world: World) -> None:
    clerk, auditor = world.login("clerk"), world.login("auditor")
    case = world.register(clerk)
    case = ok(act(clerk, case, "reply", {"outcome": "disclosed"}))
    body = {"agency": world.code("zhz"), "kind": "reconsideration", "filed_on": "2026-11-24",
            "case_id": case["id"]}  # fmt: skip
    problem(auditor.post("/api/v1/appeals", json=body), 403, "forbidden")
    made = clerk.post("/api/v1/appeals", json=body)
    assert made.status_code == 201, made.text
    appeal = made.json()
    assert (appeal["role"], appeal["answer_due"]) == ("respondent", "2026-12-04")  # 10 days
    answered = clerk.post(f"/api/v1/appeals/{appeal['id']}/answer", json={"on": "2026-11-25"})
    assert answered.status_code == 200 and answered.json()["answered_on"] == "2026-11-25"
    future = clerk.post(
        f"/api/v1/appeals/{appeal['id']}/decide", json={"result": "upheld", "on": "2026-12-01"}
    )
    assert problem(future, 422, "invalid")["errors"][0]["field"] == "on"
    decided = clerk.post(
        f"/api/v1/appeals/{appeal['id']}/decide", json={"result": "upheld", "on": "2026-11-26"}
    )
    assert decided.json()["result"] == "upheld"
    listed = auditor.get("/api/v1/appeals", params={"agency": world.code("zhz")}).json()
    assert [a["id"] for a in listed] == [appeal["id"]]
    stranger = world.login("stranger")
    problem(stranger.get(f"/api/v1/appeals/{appeal['id']}"), 404)
    problem(stranger.post(f"/api/v1/appeals/{appeal['id']}/answer", json={"on": "2026-11-25"}), 404)
    other_case = {**body, "agency": world.code("other"), "case_id": case["id"]}
    problem(world.login("stranger").post("/api/v1/appeals", json=other_case), 422)


def test_the_year_statistics_and_table_two_inputs(world: World) -> None:
    clerk, district = world.login("clerk"), world.login("district")
    for _ in range(2):
        case = world.register(clerk)
    ok(act(clerk, case, "reply", {"outcome": "disclosed"}))
    figures = clerk.get("/api/v1/reports/2026", params={"agency": world.code("zhz")})
    assert figures.status_code == 200, figures.text
    text = clerk.get("/api/v1/reports/2026", params={"agency": world.code("zhz"), "format": "text"})
    assert (
        text.headers["content-type"].startswith("text/plain")
        and "三、收到和处理政府信息公开申请情况" in text.text
    )
    rows = figures.json()["requests"]["rows"]
    assert rows["new"][0] == 2 and rows["new"][-1] == 2  # natural persons; the total column
    assert rows["disclosed"][-1] == 1 and rows["carried_out"][-1] == 1
    inputs = {"regulations": {"issued": 1, "repealed": 0, "in_force": 3},
              "normative_documents": {"issued": 0, "repealed": 0, "in_force": 2},
              "licensing": 12, "penalties": 0, "enforcement": 0, "admin_fees_wan_yuan": 0}  # fmt: skip
    problem(
        district.put(
            "/api/v1/reports/2026/inputs", params={"agency": world.code("zhz")}, json=inputs
        ),
        403,
    )
    saved = clerk.put(
        "/api/v1/reports/2026/inputs", params={"agency": world.code("zhz")}, json=inputs
    )
    assert saved.status_code == 200 and saved.json()["licensing"] == 12, saved.text
    got = clerk.get("/api/v1/reports/2026/inputs", params={"agency": world.code("zhz")}).json()
    assert got["regulations"] == {"issued": 1, "repealed": 0, "in_force": 3}
    rollup = district.get(
        "/api/v1/reports/2026", params={"agency": world.code("qu"), "subtree": True}
    )
    assert rollup.status_code == 200, rollup.text
    bad = clerk.get(
        "/api/v1/reports/2026", params={"agency": world.code("zhz"), "as_of": "2026-01-05T00:00"}
    )
    assert problem(bad, 422, "invalid")["errors"][0]["field"] == "as_of"
    problem(clerk.get("/api/v1/reports/2026", params={"agency": world.code("other")}), 404)
