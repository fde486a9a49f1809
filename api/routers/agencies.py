"""The agencies the caller can see (a tree: each names its parent)."""

from __future__ import annotations

from fastapi import APIRouter

from api.deps import Db, Me
from api.schemas import AgencyOut
from casework.models import Agency

router = APIRouter(prefix="/agencies", tags=["机关"])


def agency_out(agency: Agency, parent: str | None, roles: list[str]) -> AgencyOut:
    return AgencyOut(
        code=agency.code,
        name=agency.name,
        parent=parent,
        supervises_subtree=agency.supervises_subtree,
        active=agency.active,
        roles=roles,
    )


@router.get("", summary="可见的机关（含政务公开办所辖下级机关）", response_model=list[AgencyOut])
def list_agencies(caller: Me, session: Db) -> list[AgencyOut]:
    out = []
    for access in sorted(caller.scope.agencies.values(), key=lambda a: a.agency.code):
        agency = access.agency
        parent = session.get(Agency, agency.parent_id) if agency.parent_id else None
        out.append(agency_out(agency, parent.code if parent else None, sorted(access.roles)))
    return out
