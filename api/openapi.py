"""The OpenAPI document: every error a route can answer is documented as RFC 9457
`application/problem+json` (FastAPI's own 422 schema is replaced: our 422s are problems too)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from fastapi import FastAPI
from fastapi.openapi.utils import get_openapi

PROBLEM_SCHEMA: dict[str, Any] = {
    "title": "Problem",
    "type": "object",
    "description": "RFC 9457 问题详情：type 稳定，title、detail 为中文，errors 指明输入有误的字段",
    "required": ["type", "title", "status", "detail"],
    "properties": {
        "type": {"type": "string", "examples": ["/problems/conflict"]},
        "title": {"type": "string", "examples": ["数据已被他人更新"]},
        "status": {"type": "integer", "examples": [409]},
        "detail": {"type": "string"},
        "instance": {"type": "string"},
        "errors": {
            "type": "array",
            "items": {
                "type": "object",
                "required": ["field", "message"],
                "properties": {"field": {"type": "string"}, "message": {"type": "string"}},
            },
        },
    },
}

DESCRIPTIONS = {
    "400": "请求有误",
    "401": "未登录或登录已失效",
    "403": "无权执行此操作",
    "404": "没有这个资源（或对本人不可见）",
    "409": "数据已被他人更新",
    "413": "请求正文过大",
    "422": "输入有误（errors 指明字段）或当前不能执行此操作",
    "428": "缺少 If-Match",
    "429": "请求过于频繁",
    "503": "数据库繁忙，请稍后重试（Retry-After）",
}
PUBLIC_PATHS = ("/healthz", "/readyz", "/api/v1/auth/login")

# Real answers captured by tools/openapi_examples.py: by response schema, and by operation for
# answers without a named schema (CSV, text, free-form JSON)
RESPONSE_EXAMPLES: dict[str, Any] = json.loads(
    (Path(__file__).parent / "response_examples.json").read_text(encoding="utf-8")
)

# One example per parameter name, for parameters whose declaration gives none
PARAMETER_EXAMPLES: dict[str, Any] = {
    "case_id": 1042,
    "appeal_id": 7,
    "delegation_id": 3,
    "year": 2026,
    "day": "2026-12-31",
    "agency": "zhz",
    "limit": 50,
    "cursor": "YmVmb3JlOjEwNDI",
    "state": "received",
    "open_only": True,
    "overdue": True,
    "due_before": "2026-12-31",
    "received_from": "2026-01-01",
    "received_to": "2026-11-30",
    "applicant_kind": "natural_person",
    "outcome": "disclosed",
    "handler": "li",
    "q": "环境影响评价",
    "unread": True,
    "start": "2026-09-22",
    "days": 20,
    "as_of": "2027-01-31",
    "subtree": False,
    "format": "json",
    "on": "2026-11-26",
    "basis": "per_item",
    "pages": 120,
    "items": 1,
    "attachment_id": 5,
    "notice_id": 12,
    "If-None-Match": '"9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08"',
}


def _problem(description: str) -> dict[str, Any]:
    content = {"application/problem+json": {"schema": {"$ref": "#/components/schemas/Problem"}}}
    return {"description": description, "content": content}


def install(app: FastAPI) -> None:
    def openapi() -> dict[str, Any]:
        if app.openapi_schema:
            return app.openapi_schema
        schema = get_openapi(
            title=app.title,
            version=app.version,
            description=app.description,
            routes=app.routes,
        )
        schema.setdefault("components", {})["securitySchemes"] = {
            "bearer": {"type": "http", "scheme": "bearer", "description": "登录得到的令牌"}
        }
        components = schema["components"].setdefault("schemas", {})
        components["Problem"] = PROBLEM_SCHEMA
        for name in ("HTTPValidationError", "ValidationError"):
            components.pop(name, None)
        for path, operations in schema.get("paths", {}).items():
            for method, operation in operations.items():
                _add_examples(f"{method.upper()} {path}", operation)
                responses = operation.setdefault("responses", {})
                codes = ["400", "413", "422"] if path in PUBLIC_PATHS else list(DESCRIPTIONS)
                if path.startswith("/api/v1") and path not in PUBLIC_PATHS:
                    operation["security"] = [{"bearer": []}]  # /docs: the Authorize button
                if path == "/api/v1/auth/login":
                    codes += ["401", "429"]
                for code in codes:
                    described = responses.get(code, {}).get("description")
                    responses[code] = _problem(described or DESCRIPTIONS[code])
        app.openapi_schema = schema
        return schema

    app.openapi = openapi  # type: ignore[method-assign]


def _add_examples(operation_key: str, operation: dict[str, Any]) -> None:
    """Response examples (real answers) and an example for every parameter."""
    by_schema, by_operation = RESPONSE_EXAMPLES["schemas"], RESPONSE_EXAMPLES["operations"]
    for code, response in operation.get("responses", {}).items():
        if not code.startswith("2"):
            continue
        for media, content in response.get("content", {}).items():
            shape = content.get("schema", {})
            ref, items = shape.get("$ref", ""), shape.get("items", {}).get("$ref", "")
            name = (ref or items).rsplit("/", 1)[-1]
            if name in by_schema:
                content["example"] = [by_schema[name]] if items else by_schema[name]
            elif media in by_operation.get(operation_key, {}):
                content["example"] = by_operation[operation_key][media]
    for parameter in operation.get("parameters", []):
        declared = parameter.get("schema", {}).get("examples")
        if "example" not in parameter and "examples" not in parameter:
            if declared:
                parameter["example"] = declared[0]
            elif parameter["name"] in PARAMETER_EXAMPLES:
                parameter["example"] = PARAMETER_EXAMPLES[parameter["name"]]
