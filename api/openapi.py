"""The OpenAPI document: every error a route can answer is documented as RFC 9457
`application/problem+json` (FastAPI's own 422 schema is replaced: our 422s are problems too)."""

from __future__ import annotations

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
            for operation in operations.values():
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
