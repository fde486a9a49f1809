"""What an agency's administrator may do with users (the 管理 pages' service): their agency and
a district office's subtree, nothing beyond; user-wide changes only for users wholly theirs."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import Engine
from sqlmodel import Session, select

from casework.db import unit_of_work
from casework.errors import Conflict, Forbidden, Invalid, NotFound
from casework.models import User, UserRole
from casework.services import auth, directory, user_admin
from casework.services.access import scope_of
from casework.timeutil import utcnow
from workflows.roles import Role

TODAY = date(2026, 11, 26)


def _world(s: Session) -> None:
    qu = directory.ensure_agency(s, "qu", "某区政务公开办")
    directory.place_agency(s, qu, supervises_subtree=True)
    directory.ensure_agency(s, "zhz", "某街道办事处", parent="qu")
    directory.ensure_agency(s, "other", "另一区某局")
    for name, agency, role in [("boss", "qu", Role.ADMIN), ("street", "zhz", Role.ADMIN),
                               ("li", "zhz", Role.CLERK), ("sun", "other", Role.CLERK),
                               ("both", "zhz", Role.CLERK), ("both", "other", Role.CLERK)]:  # fmt: skip
        user = s.exec(select(User).where(User.username == name)).first()
        user = user or directory.add_user(s, name, name)
        directory.grant(s, user, directory.agency_by_code(s, agency), role)


def _adm(s: Session, who: str, agency: str) -> user_admin.Administration:
    scope = scope_of(s, directory.user_by_name(s, who), TODAY)
    agency_id = directory.agency_by_code(s, agency).id
    assert agency_id is not None
    return user_admin.administration(s, scope, agency_id)


def _id(s: Session, name: str) -> int:
    user_id = directory.user_by_name(s, name).id
    assert user_id is not None
    return user_id


def test_a_district_admin_manages_the_subtree_a_street_admin_its_own(engine: Engine) -> None:
    with unit_of_work(engine) as s:
        _world(s)
        district, street = _adm(s, "boss", "qu"), _adm(s, "street", "zhz")
        assert {a.code for a in district.agencies.values()} == {"qu", "zhz"}
        assert {a.code for a in street.agencies.values()} == {"zhz"}
        assert {m.user.username for m in user_admin.members(s, district)} == {
            "boss", "street", "li", "both"}  # fmt: skip
        assert "boss" not in {m.user.username for m in user_admin.members(s, street)}
        with pytest.raises(NotFound):
            user_admin.member(s, street, _id(s, "boss"))
        with pytest.raises(NotFound):
            user_admin.grant(s, street, directory.user_by_name(s, "li"), "qu", "clerk")
        with pytest.raises(Forbidden):
            _adm(s, "li", "zhz")  # a clerk is no administrator


def test_user_wide_changes_only_for_users_wholly_in_the_admins_agencies(engine: Engine) -> None:
    with unit_of_work(engine) as s:
        _world(s)
        adm = _adm(s, "street", "zhz")
        both = directory.user_by_name(s, "both")
        with pytest.raises(Forbidden, match="管理范围以外"):
            user_admin.disable(s, adm, both, utcnow())
        with pytest.raises(Forbidden, match="管理范围以外"):
            user_admin.reset_password(s, adm, both, None, utcnow())
        with pytest.raises(Forbidden, match="本人"):
            user_admin.disable(s, adm, adm.admin, utcnow())
        user_admin.grant(s, adm, both, "zhz", "approver")  # roles here are the admin's to give
        li = directory.user_by_name(s, "li")
        generated = user_admin.reset_password(s, adm, li, None, utcnow())
        assert generated and auth.password_matches(li, generated)
        user_admin.disable(s, adm, li, utcnow())
        assert not li.active


def test_grants_are_checked_and_revokes_end_today(engine: Engine) -> None:
    with unit_of_work(engine) as s:
        _world(s)
        adm = _adm(s, "street", "zhz")
        li = directory.user_by_name(s, "li")
        with pytest.raises(Conflict):
            user_admin.grant(s, adm, li, "zhz", "clerk")  # already held, open-ended
        with pytest.raises(Forbidden, match="日历管理员"):
            user_admin.grant(s, adm, li, "zhz", "calendar_admin")
        with pytest.raises(Invalid, match="早于今日"):
            user_admin.grant(s, adm, li, "zhz", "approver", None, date(2026, 11, 1))
        later = user_admin.grant(s, adm, li, "zhz", "approver", date(2026, 12, 1), None)
        now = user_admin.grant(s, adm, li, "zhz", "auditor")
        assert later.id is not None and now.id is not None
        later_id, now_id = later.id, now.id
        user_admin.revoke(s, adm, later_id)  # not begun: gone
        user_admin.revoke(s, adm, now_id)  # running: ended yesterday
        own_admin = next(r for r in directory.role_rows(s, adm.admin) if r.role == "admin")
        assert own_admin.id is not None
        with pytest.raises(Forbidden, match="本人"):
            user_admin.revoke(s, adm, own_admin.id)
    with Session(engine) as s:
        assert s.get(UserRole, later_id) is None
        ended = s.get(UserRole, now_id)
        assert ended is not None and ended.valid_to == date(2026, 11, 25)
        assert directory.roles_on(s, directory.user_by_name(s, "li"),
                                  directory.agency_by_code(s, "zhz"), TODAY) == {Role.CLERK}  # fmt: skip


def test_a_new_user_gets_a_generated_password_once_and_a_first_role(engine: Engine) -> None:
    with unit_of_work(engine) as s:
        _world(s)
        adm = _adm(s, "boss", "qu")
        user, generated = user_admin.add_user(s, adm, "zhao", "赵新", "zhz", "clerk",
                                              password=None, now=utcnow())  # fmt: skip
        assert generated is not None and auth.password_matches(user, generated)
        assert directory.roles_on(s, user, directory.agency_by_code(s, "zhz"), TODAY) == {
            Role.CLERK}  # fmt: skip
        with pytest.raises(Invalid, match="已存在"):
            user_admin.add_user(s, adm, "zhao", "赵新", "zhz", "clerk", password=None,
                                now=utcnow())  # fmt: skip
        with pytest.raises(Invalid, match="8 个字符"):
            user_admin.add_user(s, adm, "qian", "钱新", "zhz", "clerk", password="short",
                                now=utcnow())  # fmt: skip
        with pytest.raises(NotFound):
            user_admin.add_user(s, adm, "wu", "吴新", "other", "clerk", password=None,
                                now=utcnow())  # fmt: skip


def test_the_calendar_role_is_granted_and_revoked_only_by_a_calendar_admin(
    engine: Engine,
) -> None:
    with unit_of_work(engine) as s:
        _world(s)
        keeper = directory.add_user(s, "keeper", "日历")
        row = directory.grant(s, keeper, directory.agency_by_code(s, "zhz"), Role.CALENDAR_ADMIN)
        assert row.id is not None
        adm = _adm(s, "street", "zhz")
        assert Role.CALENDAR_ADMIN not in adm.roles
        with pytest.raises(Forbidden, match="日历管理员"):
            user_admin.revoke(s, adm, row.id)
        directory.grant(s, adm.admin, adm.home, Role.CALENDAR_ADMIN)
        adm = _adm(s, "street", "zhz")
        user_admin.revoke(s, adm, row.id)
