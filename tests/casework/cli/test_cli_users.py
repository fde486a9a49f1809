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


def test_a_revoked_role_ends_today_and_a_disabled_user_is_enabled_again(
    office: CliRunner,
) -> None:
    revoked = office("user", "revoke", "li", "approver", "--agency", "zhz")
    assert revoked.code == 0 and "已撤销" in revoked.out, revoked
    assert "zhz:负责人[~2026-11-25]" in office("user", "list").out
    assert_clean_error(office("user", "revoke", "li", "approver", "--agency", "zhz"), "没有负责人")
    assert office("user", "disable", "wang").code == 0
    enabled = office("user", "enable", "wang")
    assert enabled.code == 0 and "已重新启用" in enabled.out, enabled
    assert _user("wang").active


def test_agency_set_refuses_a_bad_reminder_hour_in_chinese(office: CliRunner) -> None:
    assert_clean_error(office("agency", "set", "zhz", "--remind-at", "25:00"), "提醒时刻应为")
    done = office("agency", "set", "zhz", "--remind-at", "8:30", "--post-grace-days", "2")
    assert done.code == 0 and "到期日 08:30 提醒" in done.out and "邮寄宽限 2 日" in done.out
