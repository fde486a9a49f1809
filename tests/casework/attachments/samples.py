"""Small real files of each type for the attachment tests, made here (no binary fixtures):
a PNG with its checksums, a PDF, OOXML and OFD packages, OLE2 compound files written by a
minimal CFB writer, and a scanner script that flags the EICAR test string."""

from __future__ import annotations

import io
import struct
import sys
import zipfile
import zlib
from pathlib import Path

# The EICAR anti-virus test string, assembled at run time so this source file is no test
# file itself for a scanner that reads the repository.
EICAR = b"X5O!P%@AP[4\\PZX54(P^)7CC)7}$" + b"EICAR-STANDARD-ANTIVIRUS-" + b"TEST-FILE!$H+H*"


def png(width: int = 1, height: int = 1) -> bytes:
    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    raw = b"".join(b"\x00" + b"\xff\x00\x00" * width for _ in range(height))
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(raw))
        + chunk(b"IEND", b"")
    )


def jpeg() -> bytes:
    """A JFIF header, a comment and the end marker (enough to be recognised as JPEG)."""
    app0 = b"\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00"
    return b"\xff\xd8" + app0 + b"\xff\xfe\x00\x06test" + b"\xff\xd9"


def tiff() -> bytes:
    """Little-endian TIFF: header and an empty first directory."""
    return b"II*\x00" + struct.pack("<I", 8) + struct.pack("<H", 0) + struct.pack("<I", 0)


def pdf(text: str = "test") -> bytes:
    return (
        b"%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n"
        b"2 0 obj << /Type /Pages /Kids [] /Count 0 >> endobj\n"
        + f"% {text}\n".encode()
        + b"trailer << /Root 1 0 R >>\n%%EOF\n"
    )


def _zip(parts: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in parts.items():
            archive.writestr(name, data)
    return out.getvalue()


def _content_types(main: str, part: str) -> bytes:
    return (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" '
        'ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        '<Default Extension="xml" ContentType="application/xml"/>'
        f'<Override PartName="/{part}" ContentType="{main}"/></Types>'
    ).encode()


def _rels(part: str) -> bytes:
    return (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/'
        f'2006/relationships/officeDocument" Target="{part}"/></Relationships>'
    ).encode()


WORD_MAIN = "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"
WORD_MACRO = "application/vnd.ms-word.document.macroEnabled.main+xml"
SHEET_MAIN = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"
SLIDES_MAIN = "application/vnd.openxmlformats-officedocument.presentationml.presentation.main+xml"


def docx(
    text: str = "答复书", main: str = WORD_MAIN, extra: dict[str, bytes] | None = None
) -> bytes:
    document = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        '<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
        f"<w:body><w:p><w:r><w:t>{text}</w:t></w:r></w:p></w:body></w:document>"
    ).encode()
    return _zip(
        {
            "[Content_Types].xml": _content_types(main, "word/document.xml"),
            "_rels/.rels": _rels("word/document.xml"),
            "word/document.xml": document,
            **(extra or {}),
        }
    )


def xlsx() -> bytes:
    from openpyxl import Workbook  # a real workbook, as Excel and WPS write them

    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet["A1"] = "申请人"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def pptx() -> bytes:
    return _zip(
        {
            "[Content_Types].xml": _content_types(SLIDES_MAIN, "ppt/presentation.xml"),
            "_rels/.rels": _rels("ppt/presentation.xml"),
            "ppt/presentation.xml": b"<p/>",
        }
    )


def ofd() -> bytes:
    main = (
        b'<?xml version="1.0" encoding="UTF-8"?>'
        b'<ofd:OFD xmlns:ofd="http://www.ofdspec.org/2016" Version="1.0" DocType="OFD">'
        b"<ofd:DocBody><ofd:DocRoot>Doc_0/Document.xml</ofd:DocRoot></ofd:DocBody></ofd:OFD>"
    )
    return _zip({"OFD.xml": main, "Doc_0/Document.xml": b"<ofd:Document/>"})


def plain_zip() -> bytes:
    return _zip({"readme.txt": b"hello"})


# --- OLE2 compound files (Word 97-2003, Excel 97-2003, an installer) --------------------

_FREE, _END, _FATSECT, _NOSTREAM = 0xFFFFFFFF, 0xFFFFFFFE, 0xFFFFFFFD, 0xFFFFFFFF
_SECTOR = 512


def _entry(name: str, kind: int, start: int, size: int, child: int, right: int) -> bytes:
    encoded = (name + "\x00").encode("utf-16-le") if name else b""
    return (
        encoded.ljust(64, b"\x00")
        + struct.pack("<HBB", len(encoded), kind, 1 if name else 0)
        + struct.pack("<III", _NOSTREAM, right, child)
        + b"\x00" * 16  # CLSID
        + struct.pack("<I", 0)  # state bits
        + b"\x00" * 16  # creation and modification times
        + struct.pack("<IQ", start, size)
    )


def ole(streams: dict[str, bytes], storages: tuple[str, ...] = ()) -> bytes:
    """A version-3 compound file: one FAT sector, one directory sector (up to three entries
    below the root), each stream padded to the 4 KiB mini-stream cutoff so it lives in
    regular sectors. Entries are chained as right siblings (the tree need not be balanced
    for a reader)."""
    names = [*streams, *storages]
    assert len(names) <= 3
    data = [streams[n].ljust(4096, b"\x00") for n in streams]
    fat = [_FATSECT, _END]  # sector 0: this FAT; sector 1: the directory
    starts = []
    for blob in data:
        first = len(fat)
        count = len(blob) // _SECTOR
        starts.append(first)
        fat += [first + i + 1 for i in range(count - 1)] + [_END]
    assert len(fat) <= _SECTOR // 4
    directory = _entry("Root Entry", 5, _END, 0, 1, _NOSTREAM)
    for i, name in enumerate(names):
        right = i + 2 if i + 1 < len(names) else _NOSTREAM
        if name in streams:
            directory += _entry(name, 2, starts[i], len(data[i]), _NOSTREAM, right)
        else:
            directory += _entry(name, 1, _END, 0, _NOSTREAM, right)
    directory = directory.ljust(_SECTOR, b"\x00")
    header = (
        b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
        + b"\x00" * 16
        + struct.pack("<HHHHH", 0x3E, 3, 0xFFFE, 9, 6)
        + b"\x00" * 6
        + struct.pack("<IIIIIIIII", 0, 1, 1, 0, 4096, _END, 0, _END, 0)
        + struct.pack("<I", 0)
        + struct.pack("<I", _FREE) * 108
    )
    assert len(header) == _SECTOR
    fat_sector = b"".join(struct.pack("<I", v) for v in fat).ljust(_SECTOR, b"\xff")
    return header + fat_sector + directory + b"".join(data)


def doc(macros: bool = False) -> bytes:
    return ole({"WordDocument": b"\xec\xa5" + b"word"}, ("Macros",) if macros else ())


def xls() -> bytes:
    return ole({"Workbook": b"\x09\x08" + b"book"})


def msi() -> bytes:
    return ole({"SummaryInformation": b"installer"})


def exe() -> bytes:
    return b"MZ\x90\x00" + b"\x00" * 60 + b"This program cannot be run in DOS mode.\r\n"


def elf() -> bytes:
    return b"\x7fELF\x02\x01\x01" + b"\x00" * 57


# --- the scanner ---------------------------------------------------------------------------

SCANNER = """\
import sys
path = sys.argv[1]
with open(path, "rb") as f:
    data = f.read()
if b"EICAR-STANDARD-ANTIVIRUS-" + b"TEST-FILE" in data:
    print(path + ": Eicar-Test-Signature FOUND")
    sys.exit(1)
print(path + ": OK")
"""
BROKEN_SCANNER = """\
import sys
print("ERROR: Could not connect to clamd on LocalSocket /run/clamav/clamd.ctl", file=sys.stderr)
sys.exit(2)
"""


def scanner(directory: Path, broken: bool = False) -> str:
    """A real program acting as the virus scanner (as `clamdscan` would): the command line
    for CASEWORK_VIRUS_SCAN_COMMAND."""
    script = directory / ("broken_scanner.py" if broken else "scanner.py")
    script.write_text(BROKEN_SCANNER if broken else SCANNER, encoding="utf-8")
    return f"{sys.executable} {script} {{path}}"
