"""A `multipart/form-data` upload read as it arrives: the file part goes chunk by chunk into
a staged file of the attachment store (hashed and counted there, refused the moment it passes
the size limit), the few text fields are kept in memory within small limits. Nothing is
buffered whole (FastAPI's `UploadFile` would spool the entire body before the route runs)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from urllib.parse import unquote

from fastapi import Request
from python_multipart import MultipartParser
from python_multipart.exceptions import FormParserError
from python_multipart.multipart import MultipartState, parse_options_header
from starlette.concurrency import run_in_threadpool
from starlette.requests import ClientDisconnect

from api.problems import Problem
from casework.attachments.store import Staged, size_text

FILE_FIELD = "file"
MAX_FIELD_BYTES = 8 * 1024  # a note of 2,000 Chinese characters is 6,000 bytes
MAX_PARTS = 8
FORM_OVERHEAD = 64 * 1024  # the body beyond the file: boundaries, part headers, fields
_EXTENDED = re.compile(rb"filename\*\s*=\s*([A-Za-z0-9_-]+)'[^']*'([^;\s]+)")


@dataclass
class _Part:
    name: str = ""
    filename: str | None = None
    headers: dict[bytes, bytes] = field(default_factory=dict)
    data: bytearray = field(default_factory=bytearray)


@dataclass
class Form:
    fields: dict[str, str]
    filename: str | None  # None: no file part came


def _bad(detail: str, where: str = "body") -> Problem:
    return Problem("bad_request", detail, errors=[{"field": where, "message": detail}])


def boundary_of(request: Request) -> bytes:
    """The multipart boundary, or 415 for any other kind of body."""
    kind, options = parse_options_header(request.headers.get("content-type", ""))
    boundary = options.get(b"boundary")
    if kind != b"multipart/form-data" or not boundary:
        raise Problem(
            "unsupported_media_type",
            "请以 multipart/form-data 上传：文件在 file 字段，类别在 kind 字段",
        )
    return boundary


def refuse_declared_size(
    request: Request, max_file_bytes: int, headers: dict[str, str] | None = None
) -> None:
    """413 before a byte is read when the declared length cannot fit."""
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > max_file_bytes + FORM_OVERHEAD:
        raise Problem(
            "payload_too_large",
            f"文件超过大小上限 {size_text(max_file_bytes)}，未保存",
            headers=headers,
        )


def _filename(disposition: bytes, options: dict[bytes, bytes]) -> str | None:
    extended = _EXTENDED.search(disposition)  # RFC 5987/2231 filename*=UTF-8''…
    if extended is not None:
        charset = extended.group(1).decode("ascii")
        try:
            return unquote(extended.group(2).decode("ascii"), encoding=charset, errors="replace")
        except LookupError:
            raise _bad(f"文件名的字符集 {charset} 无法识别", FILE_FIELD) from None
    raw = options.get(b"filename")
    return None if raw is None else raw.decode("utf-8", "replace")


async def read_form(request: Request, boundary: bytes, staged: Staged) -> Form:
    """Read the whole body; the file part goes into `staged`. Raises `TooLarge` (413) past
    the limit, a 400 problem for a malformed body; the caller discards `staged` on error."""
    parts: list[_Part] = []
    pending: list[bytes] = []  # file bytes parsed from the current chunk, to write
    header_field = bytearray()
    header_value = bytearray()

    def on_part_begin() -> None:
        if len(parts) >= MAX_PARTS:
            raise _bad(f"表单字段不能超过 {MAX_PARTS} 个")
        parts.append(_Part())

    def on_header_field(data: bytes, start: int, end: int) -> None:
        header_field.extend(data[start:end])

    def on_header_value(data: bytes, start: int, end: int) -> None:
        header_value.extend(data[start:end])

    def on_header_end() -> None:
        parts[-1].headers[bytes(header_field).lower()] = bytes(header_value)
        header_field.clear()
        header_value.clear()

    def on_headers_finished() -> None:
        part = parts[-1]
        disposition = part.headers.get(b"content-disposition", b"")
        _, options = parse_options_header(disposition)
        part.name = options.get(b"name", b"").decode("utf-8", "replace")
        if part.name == FILE_FIELD:
            if any(p.name == FILE_FIELD for p in parts[:-1]):
                raise _bad("一次只能上传一个文件", FILE_FIELD)
            part.filename = _filename(disposition, options) or ""

    def on_part_data(data: bytes, start: int, end: int) -> None:
        part = parts[-1]
        if part.name == FILE_FIELD:
            pending.append(data[start:end])
            return
        if len(part.data) + end - start > MAX_FIELD_BYTES:
            raise _bad(f"字段 {part.name or '（无名）'} 过长", part.name or "body")
        part.data.extend(data[start:end])

    parser = MultipartParser(
        boundary,
        {
            "on_part_begin": on_part_begin,
            "on_header_field": on_header_field,
            "on_header_value": on_header_value,
            "on_header_end": on_header_end,
            "on_headers_finished": on_headers_finished,
            "on_part_data": on_part_data,
        },
    )
    try:
        async for chunk in request.stream():
            parser.write(chunk)
            if pending:
                await run_in_threadpool(_write_all, staged, list(pending))
                pending.clear()
        parser.finalize()
    except FormParserError:
        raise _bad("multipart/form-data 格式有误") from None
    except ClientDisconnect:  # nobody to answer; the caller drops the partial file
        raise _bad("上传在完成前中断，文件未保存") from None
    if not parts or parser.state != MultipartState.END:
        raise _bad("multipart/form-data 不完整（缺少结束分隔符）")
    fields: dict[str, str] = {}
    for part in parts:
        if part.name != FILE_FIELD:
            try:
                fields[part.name] = part.data.decode("utf-8")
            except UnicodeDecodeError:
                raise _bad(f"字段 {part.name} 不是 UTF-8 文本", part.name) from None
    file_part = next((p for p in parts if p.name == FILE_FIELD), None)
    return Form(fields, None if file_part is None else file_part.filename)


def _write_all(staged: Staged, pieces: list[bytes]) -> None:
    for piece in pieces:
        staged.write(piece)
