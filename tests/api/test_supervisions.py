"""督办 over HTTP: the district office records a supervision of a sub-agency's case and the
agency's people find it in their inbox; the case itself does not change. (Who may not: 403 and
404 in test_visibility.py.)"""

from __future__ import annotations

from tests.api.conftest import World, problem

NOTE = "已逾期，请于本周内答复并报送办理情况"


def test_the_district_supervises_and_the_agency_is_told(world: World) -> None:
    clerk, district = world.login("clerk"), world.login("district")
    case = world.register(clerk)
    url = f"/api/v1/cases/{case['id']}/supervisions"
    made = district.post(url, json={"note": NOTE, "due_by": "2026-12-01"})
    assert made.status_code == 201, made.text
    body = made.json()
    assert (body["office"], body["agency"], body["ref"]) == (
        world.code("qu"), world.code("zhz"), case["ref"]
    )  # fmt: skip
    assert (body["by"], body["note"], body["due_by"]) == (world.user("district"), NOTE,
                                                          "2026-12-01")  # fmt: skip
    for reader in (clerk, district, world.login("auditor")):
        assert [s["id"] for s in reader.get(url).json()] == [body["id"]]
    for who in ("clerk", "clerk2", "approver"):
        inbox = world.login(who).get("/api/v1/notifications").json()
        assert [n["kind"] for n in inbox] == ["supervision"], who
        assert NOTE in inbox[0]["body"] and case["ref"] in inbox[0]["subject"]
    assert world.login("auditor").get("/api/v1/notifications").json() == []
    after = clerk.get(f"/api/v1/cases/{case['id']}").json()
    assert after["version"] == case["version"]
    assert [e["action"] for e in after["events"]] == ["register"]


def test_a_double_submit_records_and_notifies_once(world: World) -> None:
    clerk, district = world.login("clerk"), world.login("district")
    case = world.register(clerk)
    url = f"/api/v1/cases/{case['id']}/supervisions"
    first = district.post(url, json={"note": NOTE})
    again = district.post(url, json={"note": NOTE})
    assert (first.status_code, again.status_code) == (201, 200), again.text
    assert again.headers["Idempotent-Replayed"] == "true"
    assert again.json() == first.json()
    assert len(clerk.get(url).json()) == 1
    assert len(clerk.get("/api/v1/notifications").json()) == 1


def test_a_note_is_needed_and_a_due_day_not_in_the_past(world: World) -> None:
    clerk, district = world.login("clerk"), world.login("district")
    case = world.register(clerk)
    url = f"/api/v1/cases/{case['id']}/supervisions"
    assert problem(district.post(url, json={"note": ""}), 422)["errors"][0]["field"] == "note"
    past = district.post(url, json={"note": NOTE, "due_by": "2026-11-25"})
    assert problem(past, 422)["errors"][0]["field"] == "due_by"
    assert clerk.get(url).json() == []


def test_a_concluded_case_is_not_supervised(world: World) -> None:
    clerk, district = world.login("clerk"), world.login("district")
    case = world.register(clerk)
    replied = clerk.post(f"/api/v1/cases/{case['id']}/actions/reply",
                         json={"outcome": "disclosed"}, headers={"If-Match": '"1"'})  # fmt: skip
    assert replied.status_code == 200, replied.text
    refused = district.post(f"/api/v1/cases/{case['id']}/supervisions", json={"note": NOTE})
    assert "无需督办" in problem(refused, 422)["detail"]
