"""The FastAPI application: `/api/v1` for clients, `/healthz` and `/readyz`, OpenAPI at
`/docs`. Run by `casework serve` (uvicorn, `api.app:create_app`)."""

from __future__ import annotations

from fastapi import Depends, FastAPI

from api import openapi, problems
from api.deps import reject_nul
from api.routers import (
    actions,
    agencies,
    appeals,
    auth,
    calendar,
    cases,
    delegations,
    health,
    metrics,
    notifications,
    reports,
)

API_PREFIX = "/api/v1"

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
        docs_url="/docs",
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
        actions,
        notifications,
        calendar,
        appeals,
        reports,
        delegations,
    ):
        app.include_router(module.router, prefix=API_PREFIX)
    return app
