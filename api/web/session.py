"""Who is looking at a page: the API's cookie session (the same login, the same CSRF check — the
pages send the token in the `X-CSRF-Token` header that htmx adds), plus the agency the user is
working in now, kept in a cookie (a preference only: every read still goes through the scope)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated
from urllib.parse import quote

from fastapi import Depends, Request
from sqlmodel import Session

from api.deps import CSRF_COOKIE, Caller, Db, current_caller
from casework.errors import Unauthorized
from casework.services.access import Access
from workflows.roles import Role

AGENCY_COOKIE = "casework_agency"


class LoginRequired(Exception):
    """No valid session: the page sends the browser to the login form, then back."""

    def __init__(self, next_url: str, message: str) -> None:
        super().__init__(message)
        self.next_url = next_url
        self.message = message


@dataclass(frozen=True)
class Visitor:
    caller: Caller
    csrf: str
    current: Access | None  # the agency chosen in the header; None: the user holds no role
    own: list[Access]  # agencies where the user holds a role (the switcher), by code
    supervised: list[Access]  # sub-agencies seen read-only from a district office

    @property
    def roles(self) -> frozenset[Role]:
        return self.current.roles if self.current else frozenset()

    def holds(self, *roles: Role) -> bool:
        return bool(self.roles & frozenset(roles))

    @property
    def supervises(self) -> bool:
        return any(a.agency.supervises_subtree for a in self.own)

    @property
    def role_labels(self) -> str:
        return "、".join(sorted(r.label for r in self.roles))


def visitor(request: Request, session: Db) -> Visitor:
    try:
        caller = current_caller(request, session)
    except Unauthorized as error:
        target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
        raise LoginRequired(target, str(error)) from None
    return visitor_of(request, session, caller)


def visitor_of(request: Request, session: Session, caller: Caller) -> Visitor:
    own = sorted((a for a in caller.scope.agencies.values() if a.roles),
                 key=lambda a: a.agency.code)  # fmt: skip
    supervised = sorted((a for a in caller.scope.agencies.values() if not a.roles),
                        key=lambda a: a.agency.code)  # fmt: skip
    chosen = request.cookies.get(AGENCY_COOKIE)
    current = next((a for a in own if a.agency.code == chosen), own[0] if own else None)
    return Visitor(caller, request.cookies.get(CSRF_COOKIE, ""), current, own, supervised)


Me = Annotated[Visitor, Depends(visitor)]


def login_url(next_url: str) -> str:
    return "/login" if next_url in ("", "/") else f"/login?next={quote(next_url, safe='')}"


def safe_next(value: str | None) -> str:
    """Only a path of this site (never `//host` or a scheme): no open redirect after login."""
    if not value or not value.startswith("/") or value.startswith("//") or "\\" in value:
        return "/"
    return value
