"""What a file is, from its bytes (magic numbers and container contents), never from its name.

A small explicit table rather than a general "magic" database: the allow-list is short, and
each entry says exactly what passes. Containers are looked into: a ZIP is a Word/Excel file
only if its `[Content_Types].xml` names the main part of one (macro-enabled ones are not
allowed), an OFD only if it has `OFD.xml` of the OFD namespace; an OLE2 compound file is a
.doc/.xls only if it has the WordDocument/Workbook stream (an .msi or a .ppt is not). Text is
a file with no binary control characters that decodes as UTF-8, GB18030 or BOM-marked UTF-16.
"""

from __future__ import annotations

import codecs
import re
import zipfile
import zlib
from dataclasses import dataclass
from pathlib import Path

import olefile

from casework.attachments.types import TYPE_BY_NAME, FileType

CHUNK = 64 * 1024
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
SIGNATURES: tuple[tuple[bytes, str], ...] = (
    (b"%PDF-", "pdf"),
    (b"\xff\xd8\xff", "jpeg"),
    (b"\x89PNG\r\n\x1a\n", "png"),
    (b"II*\x00", "tiff"),
    (b"MM\x00*", "tiff"),
    (b"II+\x00", "tiff"),  # BigTIFF
    (b"MM\x00+", "tiff"),
)
PROGRAMS: tuple[tuple[bytes, str], ...] = (  # named in the refusal, so a clerk knows why
    (b"MZ", "Windows 可执行程序"),
    (b"\x7fELF", "Linux 可执行程序"),
    (b"\xcf\xfa\xed\xfe", "macOS 可执行程序"),
    (b"\xca\xfe\xba\xbe", "可执行程序或 Java 类文件"),
)
DOCX_MAIN = b"application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"
XLSX_MAIN = b"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"
PART_CAP = 1024 * 1024  # a container's index part read at most this far (no zip bomb)
# C0 controls other than tab, LF, VT, FF, CR and the old DOS end-of-file mark; and DEL
_CONTROL = re.compile("[\x00-\x08\x0e-\x19\x1b-\x1f\x7f]")


@dataclass(frozen=True)
class Sniffed:
    """A file's type if it is one of the list (`type` None otherwise), the media type to
    serve it with, and what it is in words (for a refusal)."""

    type: FileType | None
    media_type: str
    what: str


def _known(name: str, media_type: str | None = None) -> Sniffed:
    kind = TYPE_BY_NAME[name]
    return Sniffed(kind, media_type or kind.media_type, kind.label)


def _other(what: str, media_type: str = "application/octet-stream") -> Sniffed:
    return Sniffed(None, media_type, what)


def sniff(path: Path) -> Sniffed:
    with path.open("rb") as file:
        head = file.read(16)
    for magic, name in SIGNATURES:
        if head.startswith(magic):
            return _known(name)
    if head.startswith(b"PK\x03\x04"):
        return _zip(path)
    if head.startswith(OLE_MAGIC):
        return _ole(path)
    for magic, what in PROGRAMS:
        if head.startswith(magic):
            return _other(what)
    charset = text_charset(path)
    if charset is not None:
        return _known("txt", f"text/plain; charset={charset}")
    return _other("无法识别的二进制文件")


def _read_part(archive: zipfile.ZipFile, name: str) -> bytes:
    with archive.open(name) as part:
        return part.read(PART_CAP)


def _zip(path: Path) -> Sniffed:
    try:
        with zipfile.ZipFile(path) as archive:
            names = set(archive.namelist())
            if "[Content_Types].xml" in names:
                index = _read_part(archive, "[Content_Types].xml")
                macros = b"macroEnabled" in index or any(
                    n.lower().endswith("vbaproject.bin") for n in names
                )
                if macros:
                    return _other("含宏的 Office 文档")
                if DOCX_MAIN in index:
                    return _known("docx")
                if XLSX_MAIN in index:
                    return _known("xlsx")
                return _other("其他 Office 文档（如演示文稿）")
            if "OFD.xml" in names and b"ofdspec.org" in _read_part(archive, "OFD.xml"):
                return _known("ofd")
    # a damaged or hostile archive: whatever the parser trips on, the file is refused
    except (zipfile.BadZipFile, zipfile.LargeZipFile, NotImplementedError, RuntimeError,
            OSError, EOFError, ValueError, KeyError, zlib.error):  # fmt: skip
        return _other("已损坏的 ZIP 文件", "application/zip")
    return _other("ZIP 压缩包", "application/zip")


def _ole(path: Path) -> Sniffed:
    try:
        with olefile.OleFileIO(str(path)) as ole:
            if ole.exists("WordDocument"):
                return _other("含宏的 Word 文档") if ole.exists("Macros") else _known("doc")
            if ole.exists("Workbook") or ole.exists("Book"):
                macros = ole.exists("_VBA_PROJECT_CUR")
                return _other("含宏的 Excel 表格") if macros else _known("xls")
    except Exception:  # olefile raises many kinds on a malformed file: it is refused as such
        return _other("已损坏的 OLE 复合文档")
    return _other("其他 OLE 复合文档（如安装包、演示文稿）")


def text_charset(path: Path) -> str | None:
    """The charset of a plain-text file (`utf-8`, `gb18030`, `utf-16`), or None: a binary
    control character or an undecodable byte anywhere makes it not text. Read in chunks."""
    with path.open("rb") as file:
        head = file.read(4)
        if not head:
            return None
        file.seek(0)
        utf16 = head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE))
        candidates = ["utf-16"] if utf16 else ["utf-8-sig", "gb18030"]
        decoders = {c: codecs.getincrementaldecoder(c)("strict") for c in candidates}
        final = False
        while decoders:
            chunk = file.read(CHUNK)
            final = not chunk
            for charset, decoder in list(decoders.items()):
                try:
                    text = decoder.decode(chunk, final=final)
                except UnicodeDecodeError:
                    text = "\x00"
                if _CONTROL.search(text):
                    del decoders[charset]
            if final:
                break
    for charset in candidates:
        if charset in decoders:
            return "utf-8" if charset == "utf-8-sig" else charset
    return None
