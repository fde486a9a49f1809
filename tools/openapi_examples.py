"""Capture real answers of the API for the OpenAPI document's response examples.

Runs the app in process on a fresh SQLite database with 'today' fixed at 2026-11-26, walks a
case and an appeal through their steps, and writes each answer to api/response_examples.json:
by response schema (every route answering `CaseDetail` shows the same example) and, for
answers without a named schema, by operation. The examples are real output, so they cannot
drift from the code silently: tests/api/test_openapi_examples.py checks each against the
schema and that every route has one.

    python tools/openapi_examples.py
"""

from __future__ import annotations

import json
import os
import sys
import tempfile
from datetime import date, time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
OUTPUT = ROOT / "api" / "response_examples.json"
PASSWORD = "example-secret-42"


def main() -> int:
    tmp = Path(tempfile.mkdtemp(prefix="casework-examples-"))
    for key in [k for k in os.environ if k.startswith("CASEWORK_")]:
        del os.environ[key]
    os.environ.update(
        CASEWORK_DATABASE_URL=f"sqlite:///{tmp / 'examples.sqlite'}",
        CASEWORK_TODAY="2026-11-26",
        CASEWORK_DATA_DIR=str(tmp),
    )
    sys.path.insert(0, str(ROOT))
    import httpx
    from fastapi.testclient import TestClient

    from api.app import create_app
    from casework.db import make_engine, unit_of_work
    from casework.migrate import upgrade
    from casework.services import auth, daily, directory
    from casework.timeutil import china_instant, utcnow
    from workflows.roles import Role

    engine = make_engine(os.environ["CASEWORK_DATABASE_URL"])
    upgrade(engine)
    with unit_of_work(engine) as s:
        district = directory.ensure_agency(s, "qu", "某区政务公开办")
        district.supervises_subtree = True
        directory.ensure_agency(s, "zhz", "某街道办事处", parent="qu")
        for name, display, role in (("li", "李经办", Role.CLERK), ("wang", "王负责", Role.APPROVER),
                                    ("zhou", "周管理", Role.ADMIN)):  # fmt: skip
            user = directory.add_user(s, name, display)
            auth.set_password(s, user, PASSWORD, utcnow())
            directory.grant(s, user, directory.agency_by_code(s, "zhz"), role)
        user = directory.add_user(s, "zhao", "赵主任")  # the district office's (督办)
        auth.set_password(s, user, PASSWORD, utcnow())
        directory.grant(s, user, district, Role.APPROVER)
    engine.dispose()

    schemas: dict[str, Any] = {}
    operations: dict[str, Any] = {}
    client = TestClient(create_app())

    def login(name: str) -> dict[str, str]:
        answer = client.post("/api/v1/auth/login", json={"username": name, "password": PASSWORD})
        schemas["LoginOut"] = answer.json() | {"token": "q9Vb3…（登录令牌）"}
        return {"Authorization": f"Bearer {answer.json()['token']}"}

    def keep(name: str, answer: Any, status: int = 200) -> Any:
        assert answer.status_code == status, answer.text
        body = answer.json()
        schemas[name] = body[0] if isinstance(body, list) and name != "list" else body
        return body

    office, clerk, approver, admin = login("zhao"), login("li"), login("wang"), login("zhou")
    schemas["Health"] = client.get("/healthz").json()
    keep("MeOut", client.get("/api/v1/auth/me", headers=clerk))
    keep("AgencyOut", client.get("/api/v1/agencies", headers=clerk))
    registration = {
        "agency": "zhz",
        "applicant": {"kind": "natural_person", "name": "张三", "phone": "13800000000"},
        "channel": "post",
        "signed_on": "2026-11-20",
        "request": "申请公开某路段改造工程的立项批复",
        "delivery": "paper",
    }
    # an earlier request of the same applicant, answered: the new one lists it as a possible
    # repeat (重复申请)
    earlier = {
        **registration,
        "signed_on": "2026-10-09",
        "request": "申请公开某路段改造工程立项批复",
    }
    first = client.post("/api/v1/cases", json=earlier, headers=clerk).json()
    answered = client.post(
        f"/api/v1/cases/{first['id']}/actions/reply",
        json={"outcome": "disclosed"},
        params={"on": "2026-10-20"},
        headers=clerk | {"If-Match": f'"{first["version"]}"'},
    )
    assert answered.status_code == 200, answered.text
    registered = keep("RegisteredCase", client.post("/api/v1/cases", json=registration,
                                                    headers=clerk), 201)  # fmt: skip
    case = registered

    def act(action: str, body: dict[str, Any], who: dict[str, str], on: str | None = None) -> None:
        nonlocal case
        answer = client.post(
            f"/api/v1/cases/{case['id']}/actions/{action}",
            json=body,
            params={"on": on} if on else None,
            headers=who | {"If-Match": f'"{case["version"]}"'},
        )
        assert answer.status_code == 200, answer.text
        case = answer.json()

    act("assign", {"handler": "li"}, clerk, on="2026-11-23")
    act("request_correction", {"items": ["请说明所需信息的名称或文号"]}, clerk, on="2026-11-24")
    act("receive_correction", {"posted_on": "2026-11-25"}, clerk)
    act("extend", {"days_wd": 20, "reason": "需调取档案"}, approver)
    schemas["CaseDetail"] = case
    notices = f"/api/v1/cases/{case['id']}/notices"
    notice = keep(
        "NoticeOut", client.post(notices, json={"kind": "correction"}, headers=clerk), 201
    )
    keep("NoticeOut", client.get(f"{notices}/{notice['id']}", headers=clerk))
    listing = keep("NoticeListOut", client.get(notices, headers=clerk))
    assert listing["issued"] and listing["offered"], listing
    keep("FeeQuoteOut", client.get(f"/api/v1/cases/{case['id']}/fee-quote",
                                   params={"basis": "per_volume", "pages": 120}, headers=clerk))  # fmt: skip
    keep("PossibleRepeatsOut", client.get(f"/api/v1/cases/{case['id']}/possible-repeats",
                                          headers=clerk))  # fmt: skip
    upload = client.post(
        f"/api/v1/cases/{case['id']}/attachments",
        files={"file": ("送达回证.pdf", b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n",
                        "application/pdf")},
        data={"kind": "service_evidence", "note": "挂号信回执"},
        headers=clerk,
    )  # fmt: skip
    keep("AttachmentOut", upload, 201)
    keep("AttachmentOut", client.get(f"/api/v1/cases/{case['id']}/attachments", headers=clerk))
    keep("AllowedAction", client.get(f"/api/v1/cases/{case['id']}/actions", headers=clerk))
    keep("CasePage", client.get("/api/v1/cases", params={"agency": "zhz"}, headers=clerk))
    export = client.get("/api/v1/cases/export.csv", params={"agency": "zhz"}, headers=clerk)
    operations["GET /api/v1/cases/export.csv"] = {"text/csv": export.text}
    with unit_of_work(make_engine(os.environ["CASEWORK_DATABASE_URL"])) as s:
        daily.run_daily(s, china_instant(date(2027, 3, 1), time(9)))  # an overdue digest
    inbox = keep("NotificationOut", client.get("/api/v1/notifications", headers=approver))
    keep("MarkedOut", client.post("/api/v1/notifications/read", json={"ids": [inbox[0]["id"]]},
                                  headers=approver))  # fmt: skip
    supervisions = f"/api/v1/cases/{case['id']}/supervisions"
    keep("SupervisionOut", client.post(supervisions, headers=office, json={
        "note": "请于本周内答复并报送办理情况", "due_by": "2026-12-01"}), 201)  # fmt: skip
    keep("SupervisionOut", client.get(supervisions, headers=clerk))
    keep("DeadlineCalcOut", client.get("/api/v1/calendar/deadline",
                                       params={"start": "2026-09-22", "days": 20}, headers=clerk))  # fmt: skip
    year = keep("CalendarYearOut", client.get("/api/v1/calendar/2026", headers=clerk))
    year["days"] = year["days"][270:276]  # a week around the National Day holiday
    keep("CalendarChangeOut", client.put("/api/v1/calendar/days/2026-12-31",
                                         json={"workday": False, "source": "某自治州民族节日放假通知", "agency": "zhz"},
                                         headers=admin))  # fmt: skip
    appeal_in = {"agency": "zhz", "kind": "reconsideration", "filed_on": "2026-11-24",
                 "case_id": case["id"]}  # fmt: skip
    keep("AppealOut", client.post("/api/v1/appeals", json=appeal_in, headers=clerk), 201)
    keep("DelegationOut", client.post("/api/v1/delegations", headers=approver, json={
        "agency": "zhz", "to": "li", "valid_from": "2026-12-01", "valid_to": "2026-12-15"}), 201)  # fmt: skip
    report = client.get("/api/v1/reports/2026", params={"agency": "zhz"}, headers=clerk)
    text = client.get("/api/v1/reports/2026", params={"agency": "zhz", "format": "text"},
                      headers=clerk)  # fmt: skip
    operations["GET /api/v1/reports/{year}"] = {"application/json": report.json(),
                                                "text/plain": text.text}  # fmt: skip
    inputs = client.get("/api/v1/reports/2026/inputs", params={"agency": "zhz"}, headers=clerk)
    operations["GET /api/v1/reports/{year}/inputs"] = {"application/json": inputs.json()}
    operations["PUT /api/v1/reports/{year}/inputs"] = {"application/json": inputs.json()}

    def read(path: str, **params: str) -> httpx.Response:
        answer = client.get(path, params={"agency": "zhz", **params}, headers=clerk)
        assert answer.status_code == 200, answer.text
        return answer

    keep("NarrativesOut", read("/api/v1/reports/2026/narratives"))
    operations["GET /api/v1/reports/{year}/document"] = {
        "application/json": read("/api/v1/reports/2026/document", format="json").json()}  # fmt: skip
    operations["GET /api/v1/reports/{year}/cells/{row}/{column}"] = {
        "application/json": read("/api/v1/reports/2026/cells/disclosed/total").json()}  # fmt: skip
    operations["GET /api/v1/reports/{year}/appeal-cells/{kind}/{result}"] = {"application/json":
        read("/api/v1/reports/2026/appeal-cells/reconsideration/pending").json()}  # fmt: skip
    operations["GET /api/v1/reports/period"] = {
        "application/json": read("/api/v1/reports/period", month="2026-10").json(),
        "text/plain": read("/api/v1/reports/period", month="2026-10", format="text").text,
    }
    operations["GET /api/v1/reports/{year}/rollup"] = {
        "application/json": read("/api/v1/reports/2026/rollup").json()}  # fmt: skip
    published = keep("PublicationOut", client.post(
        "/api/v1/reports/2025/publication", params={"agency": "zhz"},
        json={"allow_starter_text": True}, headers=approver), 201)  # fmt: skip
    stored = client.get(published["files"][0]["url"], headers=clerk)
    operations["GET /api/v1/reports/{year}/publication/files/{format}"] = {
        stored.headers["content-type"].split(";")[0]: stored.json()}  # fmt: skip
    operations["GET /api/v1/reports/{year}/drift"] = {
        "application/json": read("/api/v1/reports/2025/drift").json()}  # fmt: skip
    metrics = client.get("/metrics")
    operations["GET /metrics"] = {
        "text/plain; version=0.0.4; charset=utf-8": "\n".join(
            line for line in metrics.text.splitlines() if line.startswith("casework_cases_")
        )[:2000]
    }
    OUTPUT.write_text(
        json.dumps({"schemas": schemas, "operations": operations}, ensure_ascii=False, indent=1)
        + "\n",
        encoding="utf-8",
    )
    print(f"wrote {OUTPUT.relative_to(ROOT)}: {len(schemas)} schemas, {len(operations)} operations")
    return 0


if __name__ == "__main__":
    sys.exit(main())
