"""Request-scoped dependencies: the database session (one transaction; a handler that changes
data commits once, at the end — DESIGN §2.6), the caller's login and what they may see."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime
from typing import Annotated, Any, Protocol, TypeVar

from fastapi import Depends, Header, Path, Request
from sqlmodel import Session

from api.problems import Problem
from casework.db import engine_for, read_session, write_engine
from casework.errors import Forbidden, NotFound, Unauthorized
from casework.models import Agency, AuthToken, Case, User
from casework.services import auth
from casework.services.access import Access, Scope, scope_of
from casework.settings import Settings, get_settings
from casework.timeutil import utcnow
from workflows.roles import Actor, ActorKind, Role
from workflows.validation import CONTROL_BYTES, CONTROL_MESSAGE, control_at, has_control

SESSION_COOKIE = "casework_session"
CSRF_COOKIE = "casework_csrf"
CSRF_HEADER = "X-CSRF-Token"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
MAX_BODY_BYTES = 256 * 1024  # a registration with a long request fits many times over


STREAMS_BODY = "casework_streams_body"
Endpoint = TypeVar("Endpoint", bound=Callable[..., Any])


def streams_own_body(endpoint: Endpoint) -> Endpoint:
    """Marks a route that reads its own body as it arrives, with its own limit (an upload):
    the check below must not read the body first, which would hold all of it in memory."""
    setattr(endpoint, STREAMS_BODY, True)
    return endpoint


async def reject_nul(request: Request) -> None:
    """No text may hold a control character (PostgreSQL refuses NUL; documents and spreadsheets
    break on the others): a clear 422 for the query or the body, before anything else looks."""
    for key, value in request.query_params.multi_items():
        if has_control(key) or has_control(value):
            raise Problem("validation", f"{key}：{CONTROL_MESSAGE}",
                          errors=[{"field": key, "message": CONTROL_MESSAGE}])  # fmt: skip
    if request.method in SAFE_METHODS or getattr(
        request.scope.get("endpoint"), STREAMS_BODY, False
    ):
        return
    declared = request.headers.get("content-length", "")
    kind = request.headers.get("content-type", "")
    if kind.startswith(("application/x-www-form-urlencoded", "multipart/form-data")):
        # a page's form (the web UI): FastAPI has parsed it already, with its own size limits
        for name, entry in (await request.form()).multi_items():
            if isinstance(entry, str) and (has_control(name) or has_control(entry)):
                raise Problem("validation", f"{name}：{CONTROL_MESSAGE}",
                              errors=[{"field": name, "message": CONTROL_MESSAGE}])  # fmt: skip
        return
    if declared.isdigit() and int(declared) > MAX_BODY_BYTES:
        raise Problem("payload_too_large", f"请求正文不能超过 {MAX_BODY_BYTES // 1024} KB")
    body = await request.body()  # kept by Starlette for the route to parse
    if len(body) > MAX_BODY_BYTES:
        raise Problem("payload_too_large", f"请求正文不能超过 {MAX_BODY_BYTES // 1024} KB")
    where: str | None = None
    raw = CONTROL_BYTES.search(body) is not None
    if raw or b"\\" in body:  # a control character, raw or escaped in JSON (\u0007, \f, \b)
        try:
            where = control_at(json.loads(body, strict=False))
        except ValueError:
            where = "body" if raw else None  # not JSON: the route's own parsing answers
    if where is not None:
        raise Problem("validation", f"{where}：{CONTROL_MESSAGE}",
                      errors=[{"field": where, "message": CONTROL_MESSAGE}])  # fmt: skip


def settings() -> Settings:
    return get_settings()


def database(request: Request) -> Iterator[Session]:
    """A session per request. Reads run in a plain transaction; writes (on SQLite) start with
    BEGIN IMMEDIATE so two writers queue. Whatever a handler did not commit is rolled back.
    A handler that changes data commits, then builds its answer in `reading()`."""
    engine = engine_for(get_settings())
    if request.method not in SAFE_METHODS:
        engine = write_engine(engine)
    with Session(engine, expire_on_commit=False) as session:
        yield session


Db = Annotated[Session, Depends(database)]


@contextmanager
def reading() -> Iterator[Session]:
    """A read transaction of its own (the answer after a commit: no second write lock)."""
    with read_session(engine_for(get_settings())) as session:
        yield session


CaseId = Annotated[int, Path(ge=1, le=2**31 - 1, description="案件编号")]
Config = Annotated[Settings, Depends(settings)]


@dataclass(frozen=True)
class Caller:
    """The logged-in user of a request, with their token and what they see today."""

    user: User
    token: AuthToken
    scope: Scope
    today: date
    now: datetime

    @property
    def username(self) -> str:
        return self.user.username

    def actor(self, agency_id: int) -> Actor:
        roles = self.scope.roles_in(agency_id)
        return Actor(ActorKind.USER, self.user.username, roles, self.user.id)

    def agency(self, agency_id: int, what: str = "机关") -> Access:
        """The caller's access to an agency; one they cannot see does not exist (404)."""
        access = self.scope.get(agency_id)
        if access is None:
            raise NotFound(f"没有这个{what}")
        return access

    def require(self, access: Access, roles: frozenset[Role], doing: str) -> None:
        """403 unless the caller holds one of `roles` in the agency itself."""
        if not access.roles & roles:
            need = "或".join(sorted(r.label for r in roles))
            raise Forbidden(f"{doing}须由本机关{need}办理")


def bearer(request: Request) -> str | None:
    header = request.headers.get("authorization", "")
    scheme, _, value = header.partition(" ")
    return value.strip() if scheme.lower() == "bearer" and value.strip() else None


def current_caller(request: Request, session: Db) -> Caller:
    """The login behind the request: a bearer token, or the session cookie of the web UI —
    which, for a request that changes data, also needs the CSRF token in a header. A request
    that changes data reads it in a short read transaction of its own, so it takes SQLite's
    write lock only for its change (DESIGN §8: short write transactions)."""
    if request.method in SAFE_METHODS:
        return _caller(request, session)
    with read_session(engine_for(get_settings())) as reader:
        return _caller(request, reader)


def _caller(request: Request, session: Session) -> Caller:
    now = utcnow()
    token = bearer(request)
    from_cookie = token is None
    if token is None:
        token = request.cookies.get(SESSION_COOKIE)
    if not token:
        raise Unauthorized("请先登录（Authorization: Bearer 令牌，或登录后的会话）")
    found = auth.authenticate(session, token, now)
    if found is None:
        raise Unauthorized("登录已失效或已退出，请重新登录")
    user, row = found
    unsafe = from_cookie and request.method not in SAFE_METHODS
    if unsafe and not auth.csrf_matches(row, request.headers.get(CSRF_HEADER)):
        raise Forbidden(f"缺少或错误的 CSRF 令牌（请求头 {CSRF_HEADER}）")
    today = get_settings().current_day()
    return Caller(user, row, scope_of(session, user, today), today, now)


Me = Annotated[Caller, Depends(current_caller)]


class AgencyOwned(Protocol):
    agency_id: int


Row = TypeVar("Row", bound=AgencyOwned)


def visible_row(
    session: Session, caller: Caller, model: type[Row], row_id: int, what: str
) -> tuple[Row, Access]:
    """A row of an agency the caller sees; any other is as absent as one that does not exist."""
    row = session.get(model, row_id)
    access = caller.scope.get(row.agency_id) if row is not None else None
    if row is None or access is None:
        raise NotFound(f"没有编号为 {row_id} 的{what}")
    return row, access


def visible_case(session: Session, caller: Caller, case_id: int) -> tuple[Case, Access]:
    return visible_row(session, caller, Case, case_id, "案件")


def visible_agency(session: Session, caller: Caller, code: str) -> tuple[Agency, Access]:
    for access in caller.scope.agencies.values():
        if access.agency.code == code:
            return access.agency, access
    raise NotFound(f"没有代码为“{code}”的机关")


IdempotencyKeyHeader = Annotated[
    str | None,
    Header(
        alias="Idempotency-Key",
        min_length=1,
        max_length=255,
        pattern=r"^[\x21-\x7e]+$",
        description="幂等键（可选，如 UUID）：重试同一请求时带上相同的键，只会创建一次，"
        "重试得到首次创建的结果；24 小时内有效",
        examples=["5f0c8a9e-3b1d-4c52-9a57-2f4b8e1d6c30"],
    ),
]
