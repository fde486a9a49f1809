"""Possible repeat requests (Art. 36(6) 重复申请): the same applicant's earlier requests to the
agency (and to the agencies merged into it) whose information was already answered, ranked
by how alike the requests read. Evidence for the clerk — nothing is decided on it.

"Answered" (workflows.outcomes.ANSWERED_OUTCOMES) means a reply on the information itself,
given on or before the new request's receipt: disclosed, partially disclosed, withheld (every
ground), and "cannot be provided" because the agency does not hold it or it would have to be
created. Not answered: a request still unclear after correction (the information was never
identified), the not-processed replies (a petition, a publication, an excessive or duplicate
request, a request to confirm or reissue — a duplicate's own original is listed instead), and
the closures without a reply (correction or fee not returned, withdrawal).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlmodel import Session, col, select

from casework.identity import MATCHED_ON_LABELS, ApplicantKey
from casework.masking import mask_name
from casework.models import Agency, Case
from casework.services.applicant_history import agency_family, key_of_case, other_requests
from casework.similarity import bigrams, cosine
from workflows.outcomes import ANSWERED_OUTCOMES, OUTCOME_BY_CODE

DEFAULT_LIMIT = 10
MAX_LIMIT = 100
EXCERPT_CHARS = 120


@dataclass(frozen=True)
class PossibleRepeat:
    case_id: int
    ref: str
    agency_code: str
    received_on: date
    outcome: str
    concluded_on: date | None
    similarity: float  # 0–1, cosine of character bigrams (casework.similarity)
    matched_on: str  # "id_number" | "name"
    applicant_name: str  # masked unless the viewer may see the agency's applicants
    request_excerpt: str

    @property
    def outcome_label(self) -> str:
        return OUTCOME_BY_CODE[self.outcome].full_label

    def as_json(self) -> dict[str, Any]:
        return {
            "case_id": self.case_id,
            "ref": self.ref,
            "agency": self.agency_code,
            "received_on": self.received_on.isoformat(),
            "outcome": self.outcome,
            "outcome_label": self.outcome_label,
            "concluded_on": self.concluded_on.isoformat() if self.concluded_on else None,
            "similarity": self.similarity,
            "matched_on": self.matched_on,
            "matched_on_label": MATCHED_ON_LABELS[self.matched_on],
            "applicant_name": self.applicant_name,
            "request_excerpt": self.request_excerpt,
        }


def repeats_of_case(
    session: Session, case: Case, *, reveal: bool, limit: int = DEFAULT_LIMIT
) -> list[PossibleRepeat]:
    """Earlier answered requests that the registered `case` may repeat."""
    key = key_of_case(session, case)
    agency = session.get(Agency, case.agency_id)
    if key is None or agency is None:
        return []
    return find_repeats(
        session,
        agency,
        key,
        case.request_text,
        case.received_on,
        reveal=reveal,
        limit=limit,
        exclude_case_id=case.id,
    )


def find_repeats(
    session: Session,
    agency: Agency,
    key: ApplicantKey,
    request: str,
    received_on: date,
    *,
    reveal: bool,
    limit: int = DEFAULT_LIMIT,
    exclude_case_id: int | None = None,
) -> list[PossibleRepeat]:
    """The same applicant's requests to `agency` answered on or before `received_on`, most
    alike `request` first (then the most recently concluded). Reads only; stores nothing."""
    conditions = [
        col(Case.outcome).in_(sorted(ANSWERED_OUTCOMES)),
        col(Case.concluded_on) <= received_on,
    ]
    if exclude_case_id is not None:
        conditions.append(col(Case.id) != exclude_case_id)
    found = other_requests(session, key, agency_family(session, agency), *conditions)
    if not found:
        return []
    texts = dict(
        session.exec(
            select(Case.id, Case.request_text).where(col(Case.id).in_([r.case_id for r in found]))
        ).all()
    )
    wanted = bigrams(request)
    ranked: list[PossibleRepeat] = []
    for r in found:
        text = texts.get(r.case_id, "")
        assert r.outcome is not None
        ranked.append(
            PossibleRepeat(
                case_id=r.case_id,
                ref=r.ref,
                agency_code=r.agency_code,
                received_on=r.received_on,
                outcome=r.outcome,
                concluded_on=r.concluded_on,
                similarity=round(cosine(wanted, bigrams(text)), 3),
                matched_on=r.matched_on,
                applicant_name=r.applicant_name if reveal else mask_name(r.applicant_name),
                request_excerpt=_excerpt(text),
            )
        )
    ranked.sort(key=lambda p: (-p.similarity, -(p.concluded_on or date.min).toordinal(),
                               -p.case_id))  # fmt: skip
    return ranked[: max(1, min(limit, MAX_LIMIT))]


def _excerpt(text: str) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= EXCERPT_CHARS else flat[: EXCERPT_CHARS - 1] + "…"
