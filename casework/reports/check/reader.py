"""`read_report(path or bytes)`: a published annual report, as plain text or an HTML page,
read back into a ParsedReport. A file that is missing, empty, binary or holds none of the
report's tables raises Unreadable with one Chinese line."""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path

from casework.reports.check.html_reader import read_html
from casework.reports.check.model import ParsedReport, Unreadable
from casework.reports.check.parser import parse
from casework.reports.check.text_reader import read_text

MAX_BYTES = 20 * 1024 * 1024
_HTML = re.compile(rb"<\s*(?:!doctype\s+html|html|body|table|tr|td)\b", re.IGNORECASE)
_SIGNATURES = {
    b"%PDF": "PDF 文件",
    b"PK\x03\x04": "Word/Excel 或压缩文件",
    b"\xd0\xcf\x11\xe0": "旧版 Word/Excel 文件",
}


def _bytes(source: Path | str | bytes) -> tuple[bytes, str]:
    if isinstance(source, bytes):
        return source, "输入"
    path = Path(source)
    try:
        if path.stat().st_size > MAX_BYTES:
            raise Unreadable(
                f"文件 {path} 过大（超过 {MAX_BYTES // 1024 // 1024} MB），不是年度报告"
            )
        return path.read_bytes(), str(path)
    except FileNotFoundError:
        raise Unreadable(f"找不到文件：{path}") from None
    except IsADirectoryError:
        raise Unreadable(f"{path} 是目录，不是文件") from None
    except OSError as error:
        raise Unreadable(f"无法读取文件 {path}：{error.strerror}") from None


def decode(data: bytes, name: str) -> str:
    """UTF-8 (with or without BOM), UTF-16 with BOM, or GB18030 (GBK pages); not binary."""
    for signature, what in _SIGNATURES.items():
        if data.startswith(signature):
            raise Unreadable(f"{name} 是{what}，请先另存为纯文本或网页（HTML）")
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        text = data.decode("utf-16", errors="replace")
    elif b"\x00" in data:
        raise Unreadable(f"{name} 是二进制文件，不是文本或网页")
    else:
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError:
            try:
                text = data.decode("gb18030")
            except UnicodeDecodeError:
                raise Unreadable(f"{name} 不是可识别编码的文本（UTF-8 或 GBK）") from None
    controls = sum(1 for ch in text if unicodedata.category(ch) == "Cc" and ch not in "\t\n\r\f\v")
    if controls > max(2, len(text) // 200):
        raise Unreadable(f"{name} 是二进制文件，不是文本或网页")
    if not text.strip():
        raise Unreadable(f"{name} 是空文件")
    return text


def read_report(source: Path | str | bytes) -> ParsedReport:
    data, name = _bytes(source)
    if not data.strip():
        raise Unreadable(f"{name} 是空文件")
    text = decode(data, name)
    if _HTML.search(data[:200_000]):
        lines, titles = read_html(text)
        kind = "html"
    else:
        lines, titles = read_text(text)
        kind = "text"
    try:
        return parse(lines, kind, titles)
    except Unreadable as error:
        raise Unreadable(f"{name}：{error}") from None
