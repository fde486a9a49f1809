"""Login, logout, who am I, change password."""

from __future__ import annotations

from datetime import date

from fastapi import APIRouter, Request, Response
from sqlmodel import Session, col, or_, select

from api.deps import CSRF_COOKIE, SESSION_COOKIE, Caller, Config, Db, Me, reading
from api.schemas import LoginIn, LoginOut, MeOut, PasswordIn, RoleOut
from casework.errors import Invalid, Unauthorized
from casework.models import Agency, User, UserRole
from casework.services import auth
from casework.services.access import scope_of
from casework.settings import Settings
from casework.timeutil import utcnow
from workflows.roles import Role

router = APIRouter(prefix="/auth", tags=["登录"])


def me_out(session: Session, user: User, day: date) -> MeOut:
    rows = session.exec(
        select(UserRole, Agency)
        .join(Agency, col(Agency.id) == col(UserRole.agency_id))
        .where(
            UserRole.user_id == user.id,
            or_(col(UserRole.valid_from).is_(None), col(UserRole.valid_from) <= day),
            or_(col(UserRole.valid_to).is_(None), col(UserRole.valid_to) >= day),
        )
        .order_by(col(Agency.code), col(UserRole.role))
    ).all()
    roles = [
        RoleOut(
            agency=agency.code,
            agency_name=agency.name,
            role=row.role,
            role_label=Role(row.role).label,
            valid_from=row.valid_from,
            valid_to=row.valid_to,
        )
        for row, agency in rows
    ]
    scope = scope_of(session, user, day)
    supervised = sorted(a.agency.code for a in scope.agencies.values() if a.supervising)
    return MeOut(
        username=user.username,
        display_name=user.display_name,
        email=user.email,
        roles=roles,
        supervised=supervised,
    )


@router.post(
    "/login",
    summary="登录：返回 Bearer 令牌（可同时设置网页会话 Cookie）",
    response_model=LoginOut,
    responses={401: {"description": "用户名或密码错误"}, 429: {"description": "失败次数过多"}},
)
def login(
    body: LoginIn, request: Request, response: Response, session: Db, config: Config
) -> LoginOut:
    issued = start_session(request, session, config, body.username, body.password, body.cookie)
    if issued.csrf is not None:
        set_session_cookies(response, issued.token, issued.csrf, config)
    return LoginOut(
        token=issued.token,
        expires_at=issued.expires_at,
        csrf_token=issued.csrf,
        user=_me_after_commit(issued.user, config.current_day()),
    )


def start_session(
    request: Request,
    session: Session,
    config: Settings,
    username: str,
    password: str,
    cookie: bool,
) -> auth.Issued:
    """Check the password (throttled), record the attempt and commit it — a failed one counts
    too — then the new token, or 401. The API's login and the login page both come here."""
    now = utcnow()
    remote = request.client.host if request.client else None
    with reading() as reader:  # the slow password check holds no write lock
        user = auth.verify_login(reader, username, password, remote=remote, now=now,
                                 settings=config)  # fmt: skip
    issued = auth.record_login(
        session, username, user, kind="cookie" if cookie else "bearer", remote=remote, now=now,
        settings=config,
    )  # fmt: skip
    session.commit()
    if issued is None:
        raise Unauthorized("用户名或密码错误，或账号已停用")
    return issued


def set_session_cookies(response: Response, token: str, csrf: str, config: Settings) -> None:
    seconds = int(config.token_hours * 3600)
    for name, value, http_only in (
        (SESSION_COOKIE, token, True),
        (CSRF_COOKIE, csrf, False),  # the page reads it and sends it back in a header
    ):
        response.set_cookie(name, value, max_age=seconds, path="/", secure=config.cookie_secure,
                            httponly=http_only, samesite="strict")  # fmt: skip


def _me_after_commit(user: User, day: date) -> MeOut:
    with reading() as reader:
        return me_out(reader, user, day)


@router.post("/logout", summary="退出登录：令牌立即失效", status_code=204, response_class=Response)
def logout(caller: Me, session: Db) -> Response:
    auth.logout(session, caller.token, utcnow())
    session.commit()
    response = Response(status_code=204)
    response.delete_cookie(SESSION_COOKIE, path="/")
    response.delete_cookie(CSRF_COOKIE, path="/")
    return response


@router.get("/me", summary="当前用户及其角色", response_model=MeOut)
def me(caller: Me, session: Db) -> MeOut:
    return me_out(session, caller.user, caller.today)


@router.post(
    "/password",
    summary="修改本人密码（本人的所有登录随之失效，须重新登录）",
    status_code=204,
    response_class=Response,
)
def change_password(
    body: PasswordIn, request: Request, caller: Me, session: Db, config: Config
) -> Response:
    """A wrong old password counts as a failed login (throttled alike: a stolen session must
    not be a way to guess the password)."""
    change_own_password(request, session, config, caller, body.old_password, body.new_password)
    return Response(status_code=204)


def change_own_password(
    request: Request, session: Session, config: Settings, caller: Caller, old: str, new: str
) -> None:
    """Check the old password (a wrong one counts as a failed login), set the new one, commit;
    every login of the user ends with it. The API and the password page both come here."""
    now = utcnow()
    remote = request.client.host if request.client else None
    with reading() as reader:
        auth.check_throttle(reader, caller.username, remote, now, config)
    if not auth.password_matches(caller.user, old):
        auth.record_login(session, caller.username, None, kind="bearer", remote=remote,
                          now=now, settings=config)  # fmt: skip
        session.commit()
        raise Invalid("原密码不正确", field="old_password")
    try:
        auth.set_password(session, caller.user, new, now)
    except Invalid as error:
        raise Invalid(str(error), field="new_password") from None
    session.commit()
