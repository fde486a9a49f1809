"""管理 › 用户和角色: the users of the administrator's agencies (a district office's subtree
too) with their roles and periods; add a user (with a password, or one generated and shown
once), grant a role for a period or revoke it, reset a password, disable or enable a user.
Every change is `casework.services.user_admin`'s (the checks) on `directory` and `auth` (the
changes the CLI makes), committed once."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Form, Path, Request
from fastapi.responses import HTMLResponse
from sqlmodel import Session

from api.deps import Db, reading
from api.web.pages.admin import require_admin, tabs
from api.web.session import Me, Visitor
from api.web.templating import render
from casework.errors import Conflict, Invalid
from casework.models import User
from casework.services import directory, user_admin
from workflows.roles import Role

router = APIRouter(include_in_schema=False)

UserId = Annotated[int, Path(ge=1, le=2**31 - 1)]
Text = Annotated[str, Form(max_length=200)]
Secret = Annotated[str, Form(max_length=1024)]
# the service's field names (some are the Chinese words of the CLI's messages) → the form's
FIELDS = {"用户名": "username", "password": "password", "display_name": "display_name",
          "role": "role", "valid_from": "valid_from", "valid_to": "valid_to"}  # fmt: skip


@dataclass
class Outcome:
    """What the page says after a change, and the forms as typed with their errors."""

    done: str = ""
    password: str = ""  # a generated password, shown once
    values: dict[str, str] = field(default_factory=dict)
    errors: dict[str, str] = field(default_factory=dict)


def list_url() -> str:
    return "/admin/users"


def user_url(user_id: int) -> str:
    return f"/admin/users/{user_id}"


def _role_rows(
    session: Session, adm: user_admin.Administration, rows: list[Any]
) -> list[dict[str, Any]]:
    delegators = user_admin.names(
        session, [r.delegated_by_id for r, _ in rows if r.delegated_by_id]
    )
    return [
        {"id": r.id, "agency": a, "role": Role(r.role), "valid_from": r.valid_from,
         "valid_to": r.valid_to, "state": user_admin.role_state(r, adm.today),
         "ended": directory.ended(r, adm.today),
         "delegated_by": delegators.get(r.delegated_by_id or 0)}
        for r, a in rows
    ]  # fmt: skip


def _common(adm: user_admin.Administration, me: Visitor) -> dict[str, Any]:
    agencies = sorted(adm.agencies.values(), key=lambda a: (a.id != adm.home.id, a.code))
    return {"tabs": tabs(me), "adm": adm, "agencies": agencies, "roles": adm.roles}


def _list_page(
    request: Request, session: Session, me: Visitor, outcome: Outcome | None = None,
    status: int = 200,
) -> HTMLResponse:  # fmt: skip
    adm = require_admin(session, me)
    people = []
    for m in user_admin.members(session, adm):
        live = [(r, a) for r, a in m.roles if not directory.ended(r, adm.today)]
        people.append({"user": m.user, "roles": _role_rows(session, adm, live),
                       "ended": len(m.roles) - len(live)})  # fmt: skip
    headers = {"HX-Replace-Url": list_url()} if request.method == "POST" else None
    return render(request, session, me, "admin_users.html", status=status, headers=headers,
                  people=people, outcome=outcome or Outcome(), **_common(adm, me))  # fmt: skip


def _user_page(
    request: Request, session: Session, me: Visitor, user_id: int,
    outcome: Outcome | None = None, status: int = 200,
) -> HTMLResponse:  # fmt: skip
    adm = require_admin(session, me)
    user = user_admin.member(session, adm, user_id)
    rows = directory.role_rows(session, user)
    here = [(r, adm.agencies[r.agency_id]) for r in rows if r.agency_id in adm.agencies]
    elsewhere = any(r.agency_id not in adm.agencies and not directory.ended(r, adm.today)
                    for r in rows)  # fmt: skip
    live = [a.code for r, a in here if not directory.ended(r, adm.today)]
    outcome = outcome or Outcome()
    if live and "agency" not in outcome.values:  # grant where the user works, by default
        outcome.values["agency"] = live[0]
    headers = {"HX-Replace-Url": user_url(user_id)} if request.method == "POST" else None
    return render(request, session, me, "admin_user.html", status=status, headers=headers,
                  user=user, roles_held=_role_rows(session, adm, here), elsewhere=elsewhere,
                  outcome=outcome, **_common(adm, me))  # fmt: skip


def _date(text: str, name: str, errors: dict[str, str]) -> date | None:
    text = text.strip()
    if not text:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        errors[name] = "须为日期（YYYY-MM-DD）"
        return None


def _place(error: Invalid | Conflict, default: str) -> dict[str, str]:
    name = getattr(error, "field", None)
    return {FIELDS.get(name or "", default): str(error)}


@router.get("/admin/users", response_class=HTMLResponse)
def users(request: Request, me: Me, session: Db) -> HTMLResponse:
    return _list_page(request, session, me)


@router.post("/admin/users", response_class=HTMLResponse)
def add_user(
    request: Request,
    me: Me,
    session: Db,
    username: Text = "",
    display_name: Text = "",
    agency: Text = "",
    role: Text = "",
    password: Secret = "",
) -> HTMLResponse:
    values = {"username": username, "display_name": display_name, "agency": agency, "role": role}
    adm = require_admin(session, me)
    errors: dict[str, str] = {}
    if not username.strip():
        errors["username"] = "请填写用户名"
    if not display_name.strip():
        errors["display_name"] = "请填写姓名"
    if not role:
        errors["role"] = "请选择角色"
    if not errors:
        try:
            user, generated = user_admin.add_user(
                session, adm, username, display_name, agency, role,
                password=password or None, now=me.caller.now,
            )  # fmt: skip
        except (Invalid, Conflict) as error:
            session.rollback()
            errors = _place(error, "username")
    if errors:
        with reading() as reader:
            return _list_page(request, reader, me, Outcome(values=values, errors=errors), 422)
    assert user.id is not None
    user_id, label = user.id, Role(role).label
    session.commit()
    done = f"已新增用户“{display_name.strip()}”（{username.strip()}），授予{label}角色"
    with reading() as reader:
        return _user_page(request, reader, me, user_id, Outcome(done, generated or ""))


@router.get("/admin/users/{user_id}", response_class=HTMLResponse)
def user_page(request: Request, user_id: UserId, me: Me, session: Db) -> HTMLResponse:
    return _user_page(request, session, me, user_id)


@router.post("/admin/users/{user_id}/roles", response_class=HTMLResponse)
def grant(
    request: Request,
    user_id: UserId,
    me: Me,
    session: Db,
    agency: Text = "",
    role: Text = "",
    valid_from: Text = "",
    valid_to: Text = "",
) -> HTMLResponse:
    values = {"agency": agency, "role": role, "valid_from": valid_from, "valid_to": valid_to}
    adm = require_admin(session, me)
    user = user_admin.member(session, adm, user_id)
    errors: dict[str, str] = {}
    start, end = _date(valid_from, "valid_from", errors), _date(valid_to, "valid_to", errors)
    if not role:
        errors["role"] = "请选择角色"
    if not errors:
        try:
            row = user_admin.grant(session, adm, user, agency, role, start, end)
        except (Invalid, Conflict) as error:
            session.rollback()
            errors = _place(error, "role")
    if errors:
        with reading() as reader:
            outcome = Outcome(values=values, errors=errors)
            return _user_page(request, reader, me, user_id, outcome, 422)
    where = adm.agencies[row.agency_id].name
    period = f"（{start or '即日'}起{f'至 {end}' if end else ''}）" if start or end else ""
    done = f"已授予{where}{Role(role).label}角色{period}"
    session.commit()
    with reading() as reader:
        return _user_page(request, reader, me, user_id, Outcome(done))


@router.post("/admin/users/{user_id}/roles/{row_id}/revoke", response_class=HTMLResponse)
def revoke(request: Request, user_id: UserId, row_id: UserId, me: Me, session: Db) -> HTMLResponse:
    adm = require_admin(session, me)
    user_admin.member(session, adm, user_id)
    row, _user = user_admin.revoke(session, adm, row_id)
    done = f"已撤销{adm.agencies[row.agency_id].name}{Role(row.role).label}角色"
    session.commit()
    with reading() as reader:
        return _user_page(request, reader, me, user_id, Outcome(done))


@router.post("/admin/users/{user_id}/password", response_class=HTMLResponse)
def reset_password(
    request: Request, user_id: UserId, me: Me, session: Db, new_password: Secret = ""
) -> HTMLResponse:
    adm = require_admin(session, me)
    user = user_admin.member(session, adm, user_id)
    try:
        generated = user_admin.reset_password(session, adm, user, new_password or None,
                                              me.caller.now)  # fmt: skip
    except Invalid as error:
        session.rollback()
        with reading() as reader:
            outcome = Outcome(errors={"new_password": str(error)})
            return _user_page(request, reader, me, user_id, outcome, 422)
    session.commit()
    done = "密码已重置，该用户的所有登录随之失效"
    with reading() as reader:
        return _user_page(request, reader, me, user_id, Outcome(done, generated or ""))


def _switch(
    request: Request, me: Visitor, session: Session, user_id: int, enable: bool
) -> HTMLResponse:
    adm = require_admin(session, me)
    user: User = user_admin.member(session, adm, user_id)
    if enable:
        user_admin.enable(session, adm, user)
    else:
        user_admin.disable(session, adm, user, me.caller.now)
    done = "已重新启用该用户" if enable else "已停用该用户，其现有登录立即失效"
    session.commit()
    with reading() as reader:
        return _user_page(request, reader, me, user_id, Outcome(done))


@router.post("/admin/users/{user_id}/disable", response_class=HTMLResponse)
def disable(request: Request, user_id: UserId, me: Me, session: Db) -> HTMLResponse:
    return _switch(request, me, session, user_id, enable=False)


@router.post("/admin/users/{user_id}/enable", response_class=HTMLResponse)
def enable(request: Request, user_id: UserId, me: Me, session: Db) -> HTMLResponse:
    return _switch(request, me, session, user_id, enable=True)
