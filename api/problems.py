"""Errors as RFC 9457 `application/problem+json`: a stable `type`, a Chinese `title` and
`detail`, the offending field(s) for 422. Nothing a client sends gives a 500 or a trace."""

from __future__ import annotations

import logging
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from sqlalchemy.exc import IntegrityError, OperationalError
from starlette.exceptions import HTTPException as StarletteHTTPException

from api.http_semantics import allowed_methods
from casework.errors import (
    ActionError,
    CaseworkError,
    Conflict,
    Forbidden,
    Invalid,
    NotFound,
    Throttled,
    Unauthorized,
)
from workflows.validation import message

log = logging.getLogger(__name__)

MEDIA_TYPE = "application/problem+json"
TYPE_BASE = "/problems/"  # a stable type per kind, e.g. "/problems/conflict"

TITLES: dict[str, str] = {
    "bad_request": "请求有误",
    "unauthorized": "未登录或登录已失效",
    "forbidden": "无权执行此操作",
    "not_found": "未找到",
    "method_not_allowed": "不支持此请求方法",
    "conflict": "数据已被他人更新",
    "precondition_required": "缺少版本号（If-Match）",
    "invalid": "输入有误",
    "action_refused": "操作未执行",
    "validation": "输入有误",
    "payload_too_large": "请求正文过大",
    "unsupported_media_type": "不支持的内容类型",
    "throttled": "请求过于频繁",
    "infected": "文件未通过病毒检查",
    "pdf_unavailable": "无法生成 PDF",
    "error": "请求未能完成",
    "internal": "服务器内部错误",
    "unavailable": "服务繁忙",
}

STATUS: dict[str, int] = {
    "bad_request": 400,
    "unauthorized": 401,
    "forbidden": 403,
    "not_found": 404,
    "method_not_allowed": 405,
    "conflict": 409,
    "payload_too_large": 413,
    "unsupported_media_type": 415,
    "precondition_required": 428,
    "invalid": 422,
    "action_refused": 422,
    "validation": 422,
    "throttled": 429,
    "infected": 422,
    "pdf_unavailable": 422,
    "error": 400,
    "internal": 500,
    "unavailable": 503,
}

HTTP_CODES = {400: "bad_request", 401: "unauthorized", 403: "forbidden", 404: "not_found",
              405: "method_not_allowed", 409: "conflict", 413: "payload_too_large",
              415: "unsupported_media_type", 428: "precondition_required", 429: "throttled"}  # fmt: skip


class Problem(Exception):
    """Raised by handlers for an HTTP-level problem (a missing If-Match, a bad cursor …)."""

    def __init__(
        self,
        code: str,
        detail: str,
        *,
        status: int | None = None,
        errors: list[dict[str, str]] | None = None,
        headers: dict[str, str] | None = None,
    ) -> None:
        super().__init__(detail)
        self.code = code
        self.detail = detail
        self.status = status or STATUS.get(code, 400)
        self.errors = errors
        self.headers = headers


def problem_response(
    code: str,
    detail: str,
    request: Request | None = None,
    *,
    status: int | None = None,
    errors: list[dict[str, str]] | None = None,
    headers: dict[str, str] | None = None,
    **extra: Any,
) -> Response:
    status = status or STATUS.get(code, 400)
    page = getattr(request.app.state, "problem_page", None) if request is not None else None
    if page is not None:  # the web UI's pages answer with a page (api/web/errors.py)
        answer: Response | None = page(
            request, status, TITLES.get(code, TITLES["error"]), detail, errors, headers
        )
        if answer is not None:
            return answer
    body: dict[str, Any] = {
        "type": TYPE_BASE + code.replace("_", "-"),
        "title": TITLES.get(code, TITLES["error"]),
        "status": status,
        "detail": detail,
    }
    if request is not None:
        body["instance"] = request.url.path
    if errors:
        body["errors"] = errors
    body.update(extra)
    return JSONResponse(body, status_code=status, media_type=MEDIA_TYPE, headers=headers)


def _field(loc: tuple[Any, ...] | list[Any]) -> str:
    parts = [str(p) for p in loc]
    if parts and parts[0] in ("body", "query", "path", "header", "cookie"):
        where, rest = parts[0], parts[1:]
        return ".".join(rest) if rest else where
    return ".".join(parts)


def _status_of(error: CaseworkError) -> tuple[str, int]:
    for kind, code in (
        (NotFound, "not_found"),
        (Conflict, "conflict"),
        (Forbidden, "forbidden"),
        (Unauthorized, "unauthorized"),
        (Throttled, "throttled"),
        (ActionError, "action_refused"),
        (Invalid, "invalid"),
    ):
        if isinstance(error, kind):
            return code, STATUS[code]
    if error.code in STATUS:  # an error that names its own kind (a refused upload …)
        return error.code, STATUS[error.code]
    return "error", 400


def install(app: FastAPI) -> None:
    @app.exception_handler(Problem)
    async def _problem(request: Request, exc: Problem) -> Response:
        return problem_response(
            exc.code, exc.detail, request, status=exc.status, errors=exc.errors,
            headers=exc.headers,
        )  # fmt: skip

    @app.exception_handler(CaseworkError)
    async def _domain(request: Request, exc: CaseworkError) -> Response:
        code, status = _status_of(exc)
        field = getattr(exc, "field", None)
        errors = [{"field": field, "message": str(exc)}] if field else None
        headers = None
        if isinstance(exc, Throttled):
            headers = {"Retry-After": str(exc.retry_after)}
        if isinstance(exc, Unauthorized):
            headers = {"WWW-Authenticate": 'Bearer realm="casework"'}
        return problem_response(
            code, str(exc), request, status=status, errors=errors, headers=headers
        )

    @app.exception_handler(RequestValidationError)
    async def _validation(request: Request, exc: RequestValidationError) -> Response:
        errors = [
            {
                "field": "body" if e.get("type") == "json_invalid" else _field(e.get("loc", ())),
                "message": message(e),
            }
            for e in exc.errors()
        ]
        detail = "；".join(f"{e['field']}：{e['message']}" for e in errors) or "输入有误"
        return problem_response("validation", detail, request, errors=errors)

    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, exc: StarletteHTTPException) -> Response:
        code = HTTP_CODES.get(exc.status_code, "error")
        detail = exc.detail if isinstance(exc.detail, str) and _is_chinese(exc.detail) else ""
        if not detail:
            detail = {
                "not_found": f"没有这个地址：{request.url.path}",
                "method_not_allowed": f"{request.url.path} 不支持 {request.method} 请求",
            }.get(code, TITLES.get(code, TITLES["error"]))
        headers = getattr(exc, "headers", None)
        if exc.status_code == 405:
            headers = {**(headers or {}), "Allow": allowed_methods(request)}
        return problem_response(code, detail, request, status=exc.status_code, headers=headers)

    @app.exception_handler(IntegrityError)
    async def _integrity(request: Request, exc: IntegrityError) -> Response:
        # a unique key taken by a concurrent writer between our check and our insert: the
        # client's data is fine, the moment was not
        log.warning("integrity conflict on %s %s: %s", request.method, request.url.path, exc.orig)
        return problem_response("conflict", "数据已被他人同时修改，请刷新后重试", request)

    @app.exception_handler(OperationalError)
    async def _busy(request: Request, exc: OperationalError) -> Response:
        if "database is locked" in str(exc.orig):  # SQLite's busy timeout ran out
            log.warning("database busy on %s %s", request.method, request.url.path)
            return problem_response("unavailable", "数据库繁忙，请稍后重试", request,
                                    headers={"Retry-After": "1"})  # fmt: skip
        log.exception("database error on %s %s", request.method, request.url.path)
        return problem_response("internal", "服务器内部错误，已记录，请稍后重试", request)

    @app.exception_handler(Exception)
    async def _unexpected(request: Request, exc: Exception) -> Response:
        log.exception("unhandled error on %s %s", request.method, request.url.path)
        return problem_response("internal", "服务器内部错误，已记录，请稍后重试", request)


def _is_chinese(text: str) -> bool:
    return any("\u4e00" <= ch <= "\u9fff" for ch in text)
