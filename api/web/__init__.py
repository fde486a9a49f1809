"""The web UI (issue 8): server-rendered pages in Chinese on the services the API uses, with
htmx for forms (vendored, api/static/vendor/assets.json). Served by the same app at `/`."""

from __future__ import annotations

from fastapi import FastAPI

from api.web import errors
from api.web.pages import (
    account,
    admin,
    admin_calendar,
    admin_policies,
    admin_templates,
    admin_users,
    case,
    district,
    notifications,
    queue,
    register,
    report_edit,
    reports,
)

PAGE_ROUTERS = (account, queue, register, case,
                admin, admin_users, admin_calendar, admin_policies, admin_templates,
                reports, report_edit,
                notifications, district)  # fmt: skip


def install(app: FastAPI) -> None:
    errors.install(app)
    for module in PAGE_ROUTERS:
        app.include_router(module.router)
