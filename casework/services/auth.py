"""Logins (DESIGN §6): argon2 password hashes, revocable tokens of which only the SHA-256 is
stored, and failed logins throttled per user name and per address."""

from __future__ import annotations

import hashlib
import math
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from pwdlib import PasswordHash
from pwdlib.hashers.argon2 import Argon2Hasher
from sqlmodel import Session, col, func, select, update

from casework.errors import Invalid, Throttled
from casework.models import AuthToken, LoginAttempt, User
from casework.settings import Settings

MIN_PASSWORD_LENGTH = 8
TOKEN_KINDS = ("bearer", "cookie")

_hasher = PasswordHash((Argon2Hasher(),))
# verified against when the user does not exist, so a wrong name costs as long as a wrong password
_DUMMY_HASH = _hasher.hash(secrets.token_urlsafe(16))


def digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def set_password(session: Session, user: User, password: str, now: datetime) -> None:
    """Set a new password; every login of the user ends (their tokens are revoked)."""
    if len(password) < MIN_PASSWORD_LENGTH:
        raise Invalid(f"密码至少需要 {MIN_PASSWORD_LENGTH} 个字符", field="password")
    if password.strip() != password or not password.isprintable():
        raise Invalid("密码不能以空格开头或结尾，也不能含控制字符", field="password")
    user.password_hash = _hasher.hash(password)
    session.add(user)
    revoke_all(session, user, now)


def password_matches(user: User | None, password: str) -> bool:
    if user is None or user.password_hash is None:
        _hasher.verify(password, _DUMMY_HASH)
        return False
    return _hasher.verify(password, user.password_hash)


def check_throttle(
    session: Session, username: str, remote: str | None, now: datetime, settings: Settings
) -> None:
    """Refuse a login while the user name or the address has too many failures in the window;
    the wait is until the oldest of them leaves the window."""
    window = timedelta(minutes=settings.login_window_minutes)
    since = now - window
    limits = [(col(LoginAttempt.username) == username, settings.login_max_failures)]
    if remote:
        limits.append((col(LoginAttempt.remote) == remote, settings.login_max_failures_per_address))
    for scope, limit in limits:
        failures = select(LoginAttempt.at).where(
            scope, col(LoginAttempt.at) > since, col(LoginAttempt.succeeded).is_(False)
        )
        count = session.exec(select(func.count()).select_from(failures.subquery())).one()
        if count >= limit:
            oldest = session.exec(failures.order_by(col(LoginAttempt.at))).first()
            assert oldest is not None
            wait = max(1, math.ceil((oldest + window - now).total_seconds()))
            minutes = math.ceil(wait / 60)
            raise Throttled(f"登录失败次数过多，请 {minutes} 分钟后再试", retry_after=wait)


@dataclass(frozen=True)
class Issued:
    """A new login: the token (shown once), for a cookie session also its CSRF token."""

    user: User
    token: str
    expires_at: datetime
    csrf: str | None = None


def verify_login(
    session: Session,
    username: str,
    password: str,
    *,
    remote: str | None,
    now: datetime,
    settings: Settings,
) -> User | None:
    """The user if the password is right and the user active (reads only: the slow argon2
    check runs outside any write transaction); Throttled while too many failures stand."""
    check_throttle(session, username, remote, now, settings)
    user = session.exec(select(User).where(User.username == username)).first()
    ok = password_matches(user, password) and user is not None and user.active
    return user if ok else None


def record_login(
    session: Session,
    username: str,
    user: User | None,
    *,
    kind: str,
    remote: str | None,
    now: datetime,
    settings: Settings,
) -> Issued | None:
    """Record the attempt (failures count for throttling) and, for a verified user, issue a
    token — a short write transaction."""
    if kind not in TOKEN_KINDS:
        raise Invalid(f"不支持的登录方式：{kind}", field="kind")
    session.add(
        LoginAttempt(username=username[:64], remote=remote, at=now, succeeded=user is not None)
    )
    if user is None or user.id is None:
        session.flush()
        return None
    token = secrets.token_urlsafe(32)
    csrf = secrets.token_urlsafe(32) if kind == "cookie" else None
    expires = now + timedelta(hours=settings.token_hours)
    session.add(
        AuthToken(
            user_id=user.id,
            token_hash=digest(token),
            kind=kind,
            csrf_hash=digest(csrf) if csrf else None,
            created_at=now,
            expires_at=expires,
            remote=remote,
        )
    )
    session.flush()
    return Issued(user, token, expires, csrf)


def login(
    session: Session,
    username: str,
    password: str,
    *,
    kind: str,
    remote: str | None,
    now: datetime,
    settings: Settings,
) -> Issued | None:
    """Verify and record in one session (scripts and tests); the API splits the two."""
    user = verify_login(session, username, password, remote=remote, now=now, settings=settings)
    return record_login(
        session, username, user, kind=kind, remote=remote, now=now, settings=settings
    )


def authenticate(session: Session, token: str, now: datetime) -> tuple[User, AuthToken] | None:
    """The user of a live token (not revoked, not expired, the user active), or None."""
    row = session.exec(
        select(AuthToken).where(
            AuthToken.token_hash == digest(token),
            col(AuthToken.revoked_at).is_(None),
            col(AuthToken.expires_at) > now,
        )
    ).first()
    if row is None:
        return None
    user = session.get(User, row.user_id)
    if user is None or not user.active:
        return None
    return user, row


def csrf_matches(row: AuthToken, csrf: str | None) -> bool:
    return (
        bool(csrf)
        and row.csrf_hash is not None
        and secrets.compare_digest(row.csrf_hash, digest(csrf or ""))
    )


def logout(session: Session, row: AuthToken, now: datetime) -> None:
    row.revoked_at = now
    session.add(row)
    session.flush()


def revoke_all(session: Session, user: User, now: datetime) -> int:
    result = session.exec(
        update(AuthToken)
        .where(col(AuthToken.user_id) == user.id, col(AuthToken.revoked_at).is_(None))
        .values(revoked_at=now)
    )
    session.flush()
    return int(result.rowcount or 0)


def disable(session: Session, user: User, now: datetime) -> None:
    user.active = False
    session.add(user)
    revoke_all(session, user, now)


def enable(session: Session, user: User) -> None:
    """Let a disabled user log in again (with their password; their old logins stay ended)."""
    user.active = True
    session.add(user)
    session.flush()


# no 0/O, 1/l/I: a password read out or copied by hand
_READABLE = "abcdefghijkmnopqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789"


def generate_password(length: int = 12) -> str:
    """A random password for a new user or a reset, shown once to the administrator."""
    return "".join(secrets.choice(_READABLE) for _ in range(max(length, MIN_PASSWORD_LENGTH)))
