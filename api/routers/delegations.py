"""Delegations (代理): an approver hands their role to a colleague for a period."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Query, Response
from sqlmodel import Session

from api.deps import Db, Me, reading, visible_agency
from api.schemas import DelegationIn, DelegationOut
from casework.models import Agency, User, UserRole
from casework.services import delegation
from casework.services.directory import user_by_name
from workflows.roles import Role

router = APIRouter(prefix="/delegations", tags=["代理"])

AgencyCode = Annotated[str, Query(max_length=64, description="机关代码")]
DelegationId = Annotated[int, Path(ge=1, le=2**31 - 1, description="代理编号")]


def delegation_out(session: Session, row: UserRole, agency: Agency) -> DelegationOut:
    to, by = session.get(User, row.user_id), session.get(User, row.delegated_by_id)
    assert row.id is not None and to is not None and by is not None
    return DelegationOut(id=row.id, agency=agency.code, to=to.username, by=by.username,
                         role=row.role, valid_from=row.valid_from, valid_to=row.valid_to)  # fmt: skip


@router.get("", summary="本机关的代理（委托）记录", response_model=list[DelegationOut])
def list_delegations(caller: Me, session: Db, agency: AgencyCode) -> list[DelegationOut]:
    found, _access = visible_agency(session, caller, agency)
    return [delegation_out(session, r, found) for r in delegation.delegations(session, found)]


@router.post("", summary="委托本人的角色给本机关同事一段时间", status_code=201,
             response_model=DelegationOut)  # fmt: skip
def add(body: DelegationIn, caller: Me, session: Db) -> DelegationOut:
    agency, access = visible_agency(session, caller, body.agency)
    role = Role(body.role)
    caller.require(access, frozenset({role}), "委托")
    to = user_by_name(session, body.to)
    row = delegation.delegate(session, caller.user, to, agency, role, body.valid_from,
                              body.valid_to, caller.today)  # fmt: skip
    session.commit()
    with reading() as reader:
        return delegation_out(reader, row, agency)


@router.delete("/{delegation_id}", summary="终止代理（委托人或本机关管理员）", status_code=204,
               response_class=Response)  # fmt: skip
def end(delegation_id: DelegationId, caller: Me, session: Db, agency: AgencyCode) -> Response:
    found, _access = visible_agency(session, caller, agency)
    delegation.end_delegation(session, delegation_id, found, caller.user, caller.today)
    session.commit()
    return Response(status_code=204)
