"""`casework user passwd` and `casework user disable`: the passwords and logins the API
checks."""

from __future__ import annotations

import io

import pytest
from sqlmodel import Session, select

from casework.db import make_engine
from casework.models import AuthToken, User
from casework.services import auth
from casework.settings import get_settings
from casework.timeutil import utcnow
from tests.casework.cli.cli_support import NO_DATABASE, CliRunner, assert_clean_error
from workflows.roles import Role


def _user(name: str) -> User:
    engine = make_engine(get_settings().url)
    with Session(engine) as s:
        user = s.exec(select(User).where(User.username == name)).one()
    engine.dispose()
    return user


def test_a_password_set_from_stdin_is_checked_by_argon2(
    office: CliRunner, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("sys.stdin", io.StringIO("long-enough-1\n"))
    done = office("user", "passwd", "wang", "--password-stdin")
    assert done.code == 0 and "密码已设置" in done.out, done
    user = _user("wang")
    assert user.password_hash is not None and user.password_hash.startswith("$argon2")
    assert auth.password_matches(user, "long-enough-1")
    assert not auth.password_matches(user, "long-enough-2")
    monkeypatch.setattr("sys.stdin", io.StringIO("short\n"))
    assert_clean_error(office("user", "passwd", "wang", "--password-stdin"), "至少需要 8 个字符")
    monkeypatch.setattr("sys.stdin", io.StringIO(""))
    assert_clean_error(office("user", "passwd", "wang", "--password-stdin"), "没有密码")
    assert_clean_error(office("user", "passwd", "nobody", "--password-stdin"), "nobody")


def test_disabling_a_user_ends_their_logins(
    office: CliRunner, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("sys.stdin", io.StringIO("long-enough-1\n"))
    assert office("user", "passwd", "wang", "--password-stdin").code == 0
    engine = make_engine(get_settings().url)
    with Session(engine) as s:
        issued = auth.login(
            s, "wang", "long-enough-1", kind="bearer", remote=None, now=utcnow(),
            settings=get_settings(),
        )  # fmt: skip
        assert issued is not None
        s.commit()
    done = office("user", "disable", "wang")
    assert done.code == 0 and "已停用" in done.out
    with Session(engine) as s:
        assert auth.authenticate(s, issued.token, utcnow()) is None
        assert all(t.revoked_at is not None for t in s.exec(select(AuthToken)))
    engine.dispose()
    assert "（已停用）" in office("user", "list").out


@NO_DATABASE
def test_grant_help_lists_every_role(cli: CliRunner) -> None:
    result = cli("user", "grant", "--help")
    assert result.code == 0, result
    text = "".join(result.out.split())  # the help may wrap anywhere
    missing = [r.value for r in Role if r.value not in text or r.label not in text]
    assert not missing, missing
