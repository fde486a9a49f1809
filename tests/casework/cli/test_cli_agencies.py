"""`casework agency add|set|list`: the tree of agencies and its district offices (政务公开办),
which decide who reads what (the API's visibility follows them)."""

from __future__ import annotations

from sqlmodel import Session, select

from casework.db import make_engine
from casework.models import Agency
from casework.settings import get_settings
from tests.casework.cli.cli_support import CliRunner, assert_clean_error


def _tree() -> dict[str, tuple[str | None, bool]]:
    engine = make_engine(get_settings().url)
    with Session(engine) as s:
        rows = s.exec(select(Agency)).all()
        codes = {a.id: a.code for a in rows}
        tree = {a.code: (codes.get(a.parent_id), a.supervises_subtree) for a in rows}
    engine.dispose()
    return tree


def test_agencies_are_placed_in_the_tree_and_made_district_offices(office: CliRunner) -> None:
    assert office("agency", "add", "qu", "某区政务公开办", "--district").code == 0
    assert _tree()["qu"] == (None, True)
    moved = office("agency", "set", "zhz", "--parent", "qu")
    assert moved.code == 0 and "上级：qu" in moved.out, moved
    assert _tree()["zhz"] == ("qu", False)
    listed = office("agency", "list")
    assert "zhz  西安市雁塔区漳浒寨街道办事处  上级：qu" in listed.out, listed.out
    assert "qu  某区政务公开办  政务公开办" in listed.out, listed.out
    # the tree stays a tree
    assert_clean_error(office("agency", "set", "qu", "--parent", "zhz"), "下级")
    assert_clean_error(office("agency", "set", "qu", "--parent", "qu"), "自身")
    assert_clean_error(office("agency", "set", "zhz", "--parent", "nope"), "nope")
    assert_clean_error(office("agency", "set", "zhz", "--parent", "qu", "--top-level"), "同时")
    assert _tree()["qu"] == (None, True) and _tree()["zhz"] == ("qu", False)
    # back to the top, and no longer a district office
    assert office("agency", "set", "zhz", "--top-level").code == 0
    assert office("agency", "set", "qu", "--no-district").code == 0
    assert _tree()["zhz"] == (None, False) and _tree()["qu"] == (None, False)


def test_adding_an_existing_agency_under_another_parent_is_refused(office: CliRunner) -> None:
    assert office("agency", "add", "qu", "某区政务公开办").code == 0
    refused = office("agency", "add", "zhz", "西安市雁塔区漳浒寨街道办事处", "--parent", "qu")
    assert_clean_error(refused, "已存在", "agency set zhz --parent")
    assert _tree()["zhz"] == (None, False)
    # the same parent again is fine (adding is idempotent)
    assert office("agency", "set", "zhz", "--parent", "qu").code == 0
    again = office("agency", "add", "zhz", "西安市雁塔区漳浒寨街道办事处", "--parent", "qu")
    assert again.code == 0, again
