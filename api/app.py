"""The FastAPI application: `/api/v1` for clients, `/healthz` and `/readyz`, OpenAPI at
`/docs`. Run by `casework serve` (uvicorn, `api.app:create_app`)."""

from __future__ import annotations

from pathlib import Path

from fastapi import Depends, FastAPI
from fastapi.openapi.docs import get_swagger_ui_html
from fastapi.responses import HTMLResponse
from fastapi.staticfiles import StaticFiles

from api import openapi, problems, web
from api.deps import reject_nul
from api.http_semantics import HeadAsGet
from api.routers import (
    actions,
    agencies,
    appeals,
    attachments,
    auth,
    calendar,
    case_checks,
    case_file,
    cases,
    delegations,
    health,
    metrics,
    notices,
    notifications,
    report_documents,
    report_inputs,
    report_publication,
    report_queries,
    reports,
    supervisions,
)

API_PREFIX = "/api/v1"
STATIC = Path(__file__).parent / "static"
SWAGGER_UI = "/static/vendor/swagger-ui-dist"

DESCRIPTION = """政府信息公开申请办理系统的 HTTP 接口。

- 除运行状态检查和接口文档外，均须登录：`POST /api/v1/auth/login` 取得令牌，之后在请求头中带
  `Authorization: Bearer <令牌>`；网页界面使用 HttpOnly 会话 Cookie，写操作须带 `X-CSRF-Token`。
- 只能看到本人有角色的机关的数据；政务公开办可查看下级机关（个人信息脱敏，只读）。其他机关的数据一律
  返回 404。
- 改变案件的操作须带 `If-Match: "<版本>"`；版本已变返回 409，不会覆盖他人的修改。
- 错误均为 RFC 9457 `application/problem+json`：`type` 稳定，`title`、`detail` 为中文，
  输入错误在 `errors` 中指明字段。
"""


def create_app() -> FastAPI:
    app = FastAPI(
        title="casework 政府信息公开申请办理",
        version="1",
        description=DESCRIPTION,
        docs_url=None,  # served below from local copies: an offline intranet has no CDN
        redoc_url=None,
        openapi_url="/openapi.json",
        dependencies=[Depends(reject_nul)],
    )
    problems.install(app)
    openapi.install(app)
    app.include_router(health.router)
    metrics.install(app)
    app.include_router(metrics.router)
    for module in (
        auth,
        agencies,
        cases,
        case_checks,
        actions,
        attachments,
        notices,
        case_file,
        supervisions,
        notifications,
        calendar,
        appeals,
        report_queries,  # before reports: /reports/period is not /reports/{year}
        reports,
        report_documents,
        report_inputs,
        report_publication,
        delegations,
    ):
        app.include_router(module.router, prefix=API_PREFIX)
    web.install(app)
    app.mount("/static", StaticFiles(directory=STATIC), name="static")
    app.add_api_route("/docs", docs_page, include_in_schema=False, response_class=HTMLResponse)
    app.add_middleware(HeadAsGet)
    return app


def docs_page() -> HTMLResponse:
    """Swagger UI from the vendored swagger-ui-dist (api/static/vendor/assets.json)."""
    return get_swagger_ui_html(
        openapi_url="/openapi.json",
        title="casework 接口文档",
        swagger_js_url=f"{SWAGGER_UI}/swagger-ui-bundle.js",
        swagger_css_url=f"{SWAGGER_UI}/swagger-ui.css",
        swagger_favicon_url=f"{SWAGGER_UI}/favicon-32x32.png",
        swagger_ui_parameters={"persistAuthorization": True},
    )
