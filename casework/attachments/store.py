"""The content-addressed file store: a file is kept once under its SHA-256
(`objects/ab/cd/abcd…`), whatever name or case it came with, and never changed. An upload is
written to `tmp/` in chunks while it is hashed and counted, refused as soon as it passes the
size limit, made durable (fsync) and only then renamed into place — a crash leaves either
the whole file or none (at worst a temporary file in `tmp/`)."""

from __future__ import annotations

import hashlib
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path
from types import TracebackType
from typing import BinaryIO

from casework.errors import CaseworkError, NotFound, TooLarge

CHUNK = 64 * 1024
READ_ONLY = 0o440


class Corrupted(CaseworkError):
    """A kept file no longer has the bytes it was kept with (the disk or someone changed it)."""


def size_text(n: int) -> str:
    """50 MB, 1.5 MB, 300 KB, 12 字节."""
    for unit, factor in (("GB", 1024**3), ("MB", 1024**2), ("KB", 1024)):
        if n >= factor:
            return f"{n / factor:.1f}".removesuffix(".0") + f" {unit}"
    return f"{n} 字节"


class Staged:
    """An upload on its way in: `write` chunks, then `Store.keep` it or let it be discarded
    (leaving the `with` block without keeping it removes the temporary file)."""

    def __init__(self, directory: Path, max_bytes: int) -> None:
        directory.mkdir(parents=True, exist_ok=True)
        fd, name = tempfile.mkstemp(dir=directory, prefix="upload-", suffix=".part")
        self.path = Path(name)
        self.max_bytes = max_bytes
        self.size = 0
        self._file: BinaryIO | None = os.fdopen(fd, "wb")
        self._hash = hashlib.sha256()
        self.kept = False

    def write(self, chunk: bytes) -> None:
        if self._file is None:
            raise RuntimeError("the upload is closed")
        if self.size + len(chunk) > self.max_bytes:
            self.discard()
            raise TooLarge(f"文件超过大小上限 {size_text(self.max_bytes)}，未保存")
        self._file.write(chunk)
        self._hash.update(chunk)
        self.size += len(chunk)

    def finish(self) -> str:
        """Close the file durably; its SHA-256 (hex)."""
        if self._file is not None:
            self._file.flush()
            os.fsync(self._file.fileno())
            self._file.close()
            self._file = None
        return self._hash.hexdigest()

    @property
    def sha256(self) -> str:
        return self._hash.hexdigest()

    def discard(self) -> None:
        if self._file is not None:
            self._file.close()
            self._file = None
        if not self.kept:
            self.path.unlink(missing_ok=True)

    def __enter__(self) -> Staged:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        self.discard()


class Store:
    def __init__(self, root: Path) -> None:
        self.root = root
        self.objects = root / "objects"
        self.tmp = root / "tmp"

    def stage(self, max_bytes: int) -> Staged:
        return Staged(self.tmp, max_bytes)

    def path_of(self, sha256: str) -> Path:
        if len(sha256) != 64 or any(c not in "0123456789abcdef" for c in sha256):
            raise ValueError(f"not a SHA-256: {sha256!r}")
        return self.objects / sha256[:2] / sha256[2:4] / sha256

    def has(self, sha256: str) -> bool:
        return self.path_of(sha256).is_file()

    def keep(self, staged: Staged) -> bool:
        """Move a finished upload into place; False when the same bytes were already kept
        (the upload is then dropped: one copy serves every attachment that has them)."""
        sha256 = staged.finish()
        target = self.path_of(sha256)
        if target.is_file():
            staged.discard()
            return False
        target.parent.mkdir(parents=True, exist_ok=True)
        os.chmod(staged.path, READ_ONLY)
        os.replace(staged.path, target)  # atomic; two equal uploads at once leave equal bytes
        staged.kept = True
        _fsync_directory(target.parent)
        return True

    def open(self, sha256: str) -> BinaryIO:
        try:
            return self.path_of(sha256).open("rb")
        except FileNotFoundError:
            raise NotFound(f"附件文件缺失（SHA-256 {sha256[:12]}…），请联系管理员") from None

    def chunks(self, sha256: str, *, verify: bool = True) -> Iterator[bytes]:
        """The file's bytes a chunk at a time; with `verify`, `Corrupted` at the end when they
        do not hash to `sha256` (a reader that builds an archive then discards it)."""
        digest = hashlib.sha256()
        with self.open(sha256) as file:
            while chunk := file.read(CHUNK):
                digest.update(chunk)
                yield chunk
        if verify and digest.hexdigest() != sha256:
            raise Corrupted(f"附件文件已损坏（SHA-256 不符：{sha256[:12]}…），请联系管理员")


def _fsync_directory(directory: Path) -> None:
    """Make the rename itself durable (POSIX); not possible on Windows, where it is skipped."""
    try:
        fd = os.open(directory, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)
