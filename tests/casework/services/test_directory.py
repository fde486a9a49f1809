"""Agencies (rename, merge) and roles in time (delegation)."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import Engine
from sqlmodel import Session, col, select

from casework.db import unit_of_work
from casework.errors import ActionError, Invalid
from casework.models import AgencyName, Case
from casework.services import directory
from tests.casework.services.helpers import agency, register
from workflows.roles import Role


def test_rename_keeps_the_old_name_with_its_period(engine: Engine) -> None:
    with unit_of_work(engine) as s:
        a = directory.ensure_agency(s, "zjj", "区建设局")
        directory.rename_agency(s, a, "区住房和城乡建设局", date(2025, 1, 1))
    with Session(engine) as s:
        names = s.exec(select(AgencyName).order_by(col(AgencyName.id))).all()
    assert [(n.name, n.valid_to, n.valid_from) for n in names] == [
        ("区建设局", date(2025, 1, 1), None),
        ("区住房和城乡建设局", None, date(2025, 1, 1)),
    ]


def test_merged_agency_keeps_its_cases_and_refuses_new_ones(engine: Engine) -> None:
    with unit_of_work(engine) as s:
        agency(s, "old")
        agency(s, "new")
        register(s, "A", "2025-09-01", code="old")
        directory.merge_agency(
            s,
            directory.agency_by_code(s, "old"),
            directory.agency_by_code(s, "new"),
            date(2025, 10, 1),
        )
    with pytest.raises(ActionError, match="已撤并，请在“new”"), unit_of_work(engine) as s:
        register(s, "B", "2025-10-09", code="old")
    with Session(engine) as s:
        assert [c.ref for c in s.exec(select(Case)).all()] == ["A"]


def test_merge_into_itself_is_refused(engine: Engine) -> None:
    with pytest.raises(Invalid), unit_of_work(engine) as s:
        agency(s, "a")
        a = directory.agency_by_code(s, "a")
        directory.merge_agency(s, a, a, date(2025, 1, 1))


def test_delegated_role_counts_only_inside_its_period(engine: Engine) -> None:
    with unit_of_work(engine) as s:
        agency(s)
        a = directory.agency_by_code(s, "zhz")
        boss = directory.add_user(s, "li", "李科长")
        deputy = directory.add_user(s, "wang", "王经办")
        directory.grant(s, boss, a, Role.APPROVER)
        directory.grant(s, deputy, a, Role.CLERK)
        directory.grant(
            s, deputy, a, Role.APPROVER, date(2025, 8, 1), date(2025, 8, 15), delegated_by=boss
        )
    with Session(engine) as s:
        a = directory.agency_by_code(s, "zhz")
        during = directory.actor_for(s, "wang", a, date(2025, 8, 10))
        after = directory.actor_for(s, "wang", a, date(2025, 8, 16))
    assert during.roles == {Role.CLERK, Role.APPROVER}
    assert after.roles == {Role.CLERK}
