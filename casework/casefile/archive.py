"""Write a case file as one ZIP: every entry (attachments streamed, never whole in memory),
`manifest.json` with each file's SHA-256 and size, and the cover list PDF last computed but
first in the archive's listing order by name (`00-卷内目录.pdf`)."""

from __future__ import annotations

import hashlib
import json
import zipfile
from dataclasses import dataclass
from datetime import date, datetime
from typing import IO

from sqlmodel import Session

from casework.attachments.store import Store
from casework.casefile.contents import CaseFile, collect
from casework.casefile.cover import cover_pdf
from casework.errors import Forbidden
from casework.models import Case
from casework.timeutil import CHINA
from workflows.roles import Actor, ActorKind, Role

COVER = "00-卷内目录.pdf"
MANIFEST = "manifest.json"


@dataclass(frozen=True)
class Written:
    book: CaseFile
    files: int
    bytes: int


# the case file holds the applicant's personal data unmasked: the agency's clerks and
# approvers only; an auditor and a district office read the case masked (DESIGN §1)
EXPORTERS = frozenset({Role.CLERK, Role.APPROVER})


def may_export(actor: Actor, *, supervising: bool) -> None:
    if actor.kind is not ActorKind.USER or actor.user_id is None:
        return  # the command line: whoever runs it has the database
    if supervising or not actor.roles & EXPORTERS:
        raise Forbidden("案卷含申请人个人信息，须由本机关经办人或负责人导出")


def archive_root(case: Case) -> str:
    """The folder inside the archive, and the archive's name without `.zip`."""
    safe = case.ref.replace("/", "-").replace("\\", "-")
    return f"案卷-{safe}"


def write_case_file(
    session: Session, store: Store, case: Case, out: IO[bytes], made_at: datetime
) -> Written:
    """The case file of `case` into `out` (a file opened for writing, or any stream)."""
    book = collect(session, store, case)
    root = archive_root(case)
    local = made_at.astimezone(CHINA)  # dates on the file are China's, whatever the server's
    stamp = local.timetuple()[:6]
    total = 0
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as archive:

        def put(name: str, data: bytes) -> None:
            info = zipfile.ZipInfo(f"{root}/{name}", date_time=stamp)
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, data)

        for entry in book.entries:
            digest = hashlib.sha256()
            info = zipfile.ZipInfo(f"{root}/{entry.path}", date_time=stamp)
            info.compress_type = zipfile.ZIP_DEFLATED
            size = 0
            with archive.open(info, "w", force_zip64=True) as target:
                for chunk in [entry.data] if entry.data is not None else entry.chunks or []:
                    target.write(chunk)
                    digest.update(chunk)
                    size += len(chunk)
            entry.size, entry.sha256 = size, digest.hexdigest()
            total += size
        cover = cover_pdf(book, local.date())
        put(COVER, cover)
        manifest = {
            "case": case.ref,
            "agency": book.header.agency,
            "made_at": made_at.isoformat(),
            "files": [
                {"path": e.path, "title": e.title, "number": e.number,
                 "dated": e.dated.isoformat() if e.dated else None,
                 "size": e.size, "sha256": e.sha256}
                for e in book.entries
            ] + [{"path": COVER, "title": "卷内目录", "number": "", "dated": local.date().isoformat(),
                  "size": len(cover), "sha256": hashlib.sha256(cover).hexdigest()}],
        }  # fmt: skip
        put(MANIFEST, json.dumps(manifest, ensure_ascii=False, indent=1).encode())
    return Written(book, len(book.entries) + 2, total + len(cover))


def cover_only(session: Session, store: Store, case: Case, made_on: date) -> bytes:
    """The cover list alone (sizes and hashes computed by reading every file once)."""
    book = collect(session, store, case)
    for entry in book.entries:
        digest = hashlib.sha256()
        size = 0
        for chunk in [entry.data] if entry.data is not None else entry.chunks or []:
            digest.update(chunk)
            size += len(chunk)
        entry.size, entry.sha256 = size, digest.hexdigest()
    return cover_pdf(book, made_on)
