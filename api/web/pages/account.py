"""Login, logout, change password, and the agency the user works in now."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from api.deps import CSRF_COOKIE, SESSION_COOKIE, Config, Db
from api.routers.auth import change_own_password, set_session_cookies, start_session
from api.web.errors import is_htmx
from api.web.session import AGENCY_COOKIE, Me, safe_next
from api.web.templating import render
from casework.errors import Invalid, Throttled, Unauthorized
from casework.services import auth

router = APIRouter(include_in_schema=False)


@router.get("/login", response_class=HTMLResponse)
def login_form(request: Request, session: Db, next: str = "/") -> HTMLResponse:
    return render(request, session, None, "login.html", next=safe_next(next), username="")


@router.post("/login", response_class=HTMLResponse)
def login(
    request: Request,
    session: Db,
    config: Config,
    username: Annotated[str, Form(max_length=150)] = "",
    password: Annotated[str, Form(max_length=1024)] = "",
    next: Annotated[str, Form(max_length=2000)] = "/",
) -> Response:
    target = safe_next(next)
    if not username.strip() or not password:
        return _login_refused(request, session, target, username, "请输入用户名和密码")
    try:
        issued = start_session(request, session, config, username.strip(), password, cookie=True)
    except (Unauthorized, Throttled) as error:
        return _login_refused(request, session, target, username, str(error))
    answer = RedirectResponse(target, status_code=303)
    assert issued.csrf is not None  # a cookie login always has one
    set_session_cookies(answer, issued.token, issued.csrf, config)
    return answer


def _login_refused(
    request: Request, session: Db, target: str, username: str, message: str
) -> HTMLResponse:
    return render(request, session, None, "login.html", status=401, next=target,
                  username=username, error=message)  # fmt: skip


@router.post("/logout")
def logout(request: Request, me: Me, session: Db) -> Response:
    auth.logout(session, me.caller.token, me.caller.now)
    session.commit()
    answer: Response
    if is_htmx(request):
        answer = Response(status_code=200, headers={"HX-Redirect": "/login"})
    else:
        answer = RedirectResponse("/login", status_code=303)
    for name in (SESSION_COOKIE, CSRF_COOKIE):
        answer.delete_cookie(name, path="/")
    return answer


@router.get("/password", response_class=HTMLResponse)
def password_form(request: Request, me: Me, session: Db) -> HTMLResponse:
    return render(request, session, me, "password.html", errors={})


@router.post("/password", response_class=HTMLResponse)
def change_password(
    request: Request,
    me: Me,
    session: Db,
    config: Config,
    old_password: Annotated[str, Form(max_length=1024)] = "",
    new_password: Annotated[str, Form(max_length=1024)] = "",
    repeat_password: Annotated[str, Form(max_length=1024)] = "",
) -> Response:
    errors: dict[str, str] = {}
    if not old_password:
        errors["old_password"] = "请输入原密码"
    if new_password != repeat_password:
        errors["repeat_password"] = "两次输入的新密码不一致"
    if not errors:
        try:
            change_own_password(request, session, config, me.caller, old_password, new_password)
        except Invalid as error:
            errors[getattr(error, "field", None) or "new_password"] = str(error)
    if errors:
        return render(request, session, me, "password.html", status=422, errors=errors)
    # every login of the user ended with the change, this one too
    answer = render(request, session, None, "login.html", next="/",
                    username=me.caller.username, notice="密码已修改，请用新密码重新登录")  # fmt: skip
    for name in (SESSION_COOKIE, CSRF_COOKIE):
        answer.delete_cookie(name, path="/")
    return answer


@router.post("/agency")
def switch_agency(
    request: Request, me: Me, agency: Annotated[str, Form(max_length=64)] = ""
) -> Response:
    """Work in another of the user's agencies; one they hold no role in is refused."""
    if not any(a.agency.code == agency for a in me.own):
        raise Invalid("您在该机关没有角色", field="agency")
    answer: Response = Response(status_code=200, headers={"HX-Refresh": "true"})
    if not is_htmx(request):
        answer = RedirectResponse("/", status_code=303)
    answer.set_cookie(AGENCY_COOKIE, agency, path="/", samesite="strict", httponly=True,
                      max_age=400 * 24 * 3600)  # fmt: skip
    return answer
