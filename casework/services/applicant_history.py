"""An applicant's other requests to an agency (and to the agencies merged into it), found by
normalised name and ID number (casework.identity) — shared by the fee quote and the
repeat-request check.

Names and ID numbers are stored as typed, so the database cannot compare the normalised
keys (a stored key would need a migration). The query narrows in SQL what it can — the
agencies, the other conditions of the caller, the applicant's kind; for a name with Chinese
characters a LIKE on those characters in order; for an ID number, the rows whose number is
the key once spaces and hyphens are dropped and letters upper-cased (exactly the key for a
number typed in plain ASCII) or that hold any other character (full-width digits …) — and
the keys are compared in Python. Measured (benchmarks/repeats.py): see benchmarks/README.md.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from sqlalchemy import ColumnElement, and_, func, or_, select
from sqlalchemy.orm import Mapped
from sqlmodel import Session, col

from casework.identity import ApplicantKey, cjk_like_pattern
from casework.models import Agency, Applicant, Case
from casework.statistics.figures import agency_ids


@dataclass(frozen=True)
class OtherRequest:
    """Another case of the same applicant, and how the applicant was recognised."""

    case_id: int
    ref: str
    agency_code: str
    received_on: date
    state: str
    outcome: str | None
    concluded_on: date | None
    applicant_name: str
    matched_on: str  # "id_number" | "name"


def agency_family(session: Session, agency: Agency) -> list[int]:
    """The agency with every agency merged into it (机构改革), at any depth."""
    return agency_ids(session, agency, subtree=False)


def key_of_case(session: Session, case: Case) -> ApplicantKey | None:
    """The case's applicant as compared; None once their personal data is erased."""
    applicant = session.get(Applicant, case.applicant_id)
    if applicant is None or applicant.erased_at is not None:
        return None
    return ApplicantKey.of(case.applicant_kind, applicant.name, applicant.id_number)


def other_requests(
    session: Session,
    key: ApplicantKey,
    agency_ids: Sequence[int],
    *conditions: ColumnElement[bool],
) -> list[OtherRequest]:
    """The cases of `agency_ids` meeting `conditions` whose applicant is `key`'s applicant."""
    query = (
        select(
            col(Case.id),
            col(Case.ref),
            col(Agency.code),
            col(Case.received_on),
            col(Case.state),
            col(Case.outcome),
            col(Case.concluded_on),
            col(Case.applicant_kind),
            col(Applicant.name),
            col(Applicant.id_number),
        )
        .join(Applicant, col(Applicant.id) == Case.applicant_id)
        .join(Agency, col(Agency.id) == Case.agency_id)
        .where(
            col(Case.agency_id).in_(list(agency_ids)),
            col(Applicant.erased_at).is_(None),
            _identity_candidates(key, session.get_bind().dialect.name),
            *conditions,
        )
    )
    found: list[OtherRequest] = []
    for (
        case_id,
        ref,
        code,
        received,
        state,
        outcome,
        concluded,
        kind,
        name,
        id_number,
    ) in session.execute(query).all():
        how = key.matches(ApplicantKey.of(kind, name, id_number))
        if how is not None and case_id is not None:
            found.append(
                OtherRequest(case_id, ref, code, received, state, outcome, concluded, name, how)
            )
    return found


def _identity_candidates(key: ApplicantKey, dialect: str) -> ColumnElement[bool]:
    """A superset of the rows `key.matches`: by name, rows of the same kind whose name holds
    the key's Chinese characters in order; by ID number, the rows whose number folds to the
    key in SQL or that SQL cannot fold (anything beyond printable ASCII)."""
    by_name = col(Case.applicant_kind) == key.kind
    pattern = cjk_like_pattern(key.name)
    if pattern != "%":
        by_name = and_(by_name, col(Applicant.name).like(pattern))
    if key.id_number is None:
        return by_name
    number = col(Applicant.id_number)
    # for printable ASCII, id_number_key is exactly this: no spaces, no hyphens, upper case
    folded = func.upper(func.replace(func.replace(number, " ", ""), "-", ""))
    by_id = or_(folded == key.id_number, _beyond_printable_ascii(number, dialect))
    return or_(by_id, by_name)


def _beyond_printable_ascii(column: Mapped[str | None], dialect: str) -> ColumnElement[bool]:
    """A character outside " "–"~" (full-width forms, tabs, other dashes): SQLite's GLOB
    class, PostgreSQL's regular expression (also what PostgreSQL-dialect databases speak)."""
    if dialect == "sqlite":
        return column.op("GLOB")("*[^ -~]*")
    return column.op("~")("[^ -~]")
