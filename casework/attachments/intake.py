"""From an upload to a kept file: the checks in order, cheapest first — size (while the bytes
arrive), not empty, type by content (and the name agreeing with it), then the virus scan —
and only a file that passes them all is moved into the store. No database here: the caller
records the result (`casework.services.attachments`)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from casework.attachments.names import agreed_filename, clean_filename
from casework.attachments.scan import ScanPolicy, ScanStatus, scan
from casework.attachments.sniff import sniff
from casework.attachments.store import Staged, Store
from casework.attachments.types import allowed_labels, parse_type_names
from casework.errors import Invalid, UnsupportedType
from casework.settings import Settings


@dataclass(frozen=True)
class IntakePolicy:
    max_bytes: int
    types: frozenset[str]
    scan: ScanPolicy

    @classmethod
    def from_settings(cls, settings: Settings) -> IntakePolicy:
        return cls(
            settings.attachment_max_bytes,
            parse_type_names(settings.attachment_types),
            ScanPolicy.from_settings(settings),
        )


@dataclass(frozen=True)
class Kept:
    """A file that passed every check and is in the store."""

    sha256: str
    size: int
    media_type: str
    filename: str
    scan: ScanStatus
    new: bool  # False: the same bytes were kept already


def store_for(settings: Settings) -> Store:
    return Store(settings.attachment_root)


def check_and_keep(store: Store, staged: Staged, filename: str, policy: IntakePolicy) -> Kept:
    """Check a fully received upload and keep it; any refusal leaves nothing behind."""
    with staged:
        sha256 = staged.finish()
        if staged.size == 0:
            raise Invalid("文件为空，未保存", "file")
        sniffed = sniff(staged.path)
        if sniffed.type is None or sniffed.type.name not in policy.types:
            raise UnsupportedType(
                f"不接受此类文件（{sniffed.what}），未保存；可上传：{allowed_labels(policy.types)}"
            )
        name = agreed_filename(clean_filename(filename), sniffed.type)
        status = scan(staged.path, policy.scan, shown_as=name)
        new = store.keep(staged)
    return Kept(sha256, staged.size, sniffed.media_type, name, status, new)


def receive(store: Store, chunks: Iterable[bytes], max_bytes: int) -> Staged:
    """Write chunks into a new staged upload (refused with `TooLarge` past `max_bytes`)."""
    staged = store.stage(max_bytes)
    try:
        for chunk in chunks:
            staged.write(chunk)
    except BaseException:
        staged.discard()
        raise
    return staged


def read_chunks(path: Path, size: int = 64 * 1024) -> Iterable[bytes]:
    with path.open("rb") as file:
        while chunk := file.read(size):
            yield chunk
