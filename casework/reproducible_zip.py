"""Office files (DOCX, XLSX) are ZIP packages, and a ZIP records when each entry was written:
rewrite one with a fixed time on every entry, so the same content gives the same bytes (a
notice re-rendered, a sample ledger rebuilt)."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Mapping

FIXED_ZIP_TIME = (1980, 1, 1, 0, 0, 0)  # the earliest time a ZIP can hold


def with_fixed_times(
    package: bytes,
    *,
    replaced: Mapping[str, bytes] | None = None,
    external_attr: int | None = None,
) -> bytes:
    """`package` with every entry at FIXED_ZIP_TIME; `replaced` entries' contents swapped;
    `external_attr` (file mode bits) set on every entry, or each entry's own kept (None)."""
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(package)) as source,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target,
    ):
        for info in source.infolist():
            entry = zipfile.ZipInfo(info.filename, date_time=FIXED_ZIP_TIME)
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.external_attr = info.external_attr if external_attr is None else external_attr
            data = (replaced or {}).get(info.filename) or source.read(info.filename)
            target.writestr(entry, data)
    return out.getvalue()
