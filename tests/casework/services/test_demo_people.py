"""`casework demo-users`: a district office over the demo agencies and three people who can log
in with the one password shown; run again, it only resets the password."""

from __future__ import annotations

from sqlalchemy import Engine
from sqlmodel import select

from casework.db import unit_of_work
from casework.models import User
from casework.services import auth, directory
from casework.services.demo_people import DISTRICT_CODE
from casework.settings import get_settings
from casework.timeutil import utcnow
from tests.conftest import CliResult


def test_demo_users_log_in_with_the_password_shown(engine: Engine, cli) -> None:  # type: ignore[no-untyped-def]
    with unit_of_work(engine) as s:
        directory.ensure_agency(s, "zhz", "某街道办事处")
        directory.ensure_agency(s, "demo-zjj", "示例区住房和城乡建设局")
    first: CliResult = cli("demo-users")
    assert first.code == 0, first.err
    password = first.out.split("密码：")[-1].strip()
    again: CliResult = cli("demo-users")
    assert again.code == 0, again.err
    second = again.out.split("密码：")[-1].strip()
    assert second != password and len(second) >= 12
    with unit_of_work(engine) as s:
        assert len(s.exec(select(User)).all()) == 3  # nobody added twice
        for name in ("jingban", "fuzeren", "gongkaiban"):
            assert auth.verify_login(
                s, name, second, remote=None, now=utcnow(), settings=get_settings()
            )  # fmt: skip is not None
        district = directory.agency_by_code(s, DISTRICT_CODE)
        assert district.supervises_subtree
        for code in ("zhz", "demo-zjj"):
            assert directory.agency_by_code(s, code).parent_id == district.id
        clerk = directory.user_by_name(s, "jingban")
        zhz = directory.agency_by_code(s, "zhz")
        assert {r.value for r in directory.roles_on(s, clerk, zhz, utcnow().date())} == {"clerk"}
