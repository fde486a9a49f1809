"""Liveness and readiness (public: they hold no data)."""

from __future__ import annotations

from fastapi import APIRouter
from fastapi.responses import JSONResponse
from sqlalchemy import text

from api.schemas import Health
from casework.db import engine_for
from casework.migrate import current_revision, head_revision
from casework.settings import get_settings

router = APIRouter(tags=["运行状态"])


@router.get("/healthz", summary="存活检查", response_model=Health)
def healthz() -> Health:
    return Health(status="ok")


@router.get(
    "/readyz",
    summary="就绪检查：数据库（及已配置的消息队列）可用",
    response_model=Health,
    responses={503: {"model": Health, "description": "某项依赖不可用"}},
)
def readyz() -> JSONResponse:
    settings = get_settings()
    checks: dict[str, str] = {}
    try:
        engine = engine_for(settings)
        with engine.connect() as connection:
            connection.execute(text("SELECT 1"))
        checks["database"] = (
            "ok" if current_revision(engine) == head_revision() else "未迁移到最新版本"
        )
    except Exception as error:  # any failure means "not ready", with its kind
        checks["database"] = f"不可用：{type(error).__name__}"
    if settings.broker_url:
        checks["broker"] = _broker(settings.broker_url)
    ok = all(v == "ok" for v in checks.values())
    body = Health(status="ok" if ok else "unavailable", checks=checks)
    return JSONResponse(body.model_dump(), status_code=200 if ok else 503)


def _broker(url: str) -> str:
    if not url.startswith(("redis://", "rediss://")):
        return "ok（未检查）"
    try:
        import redis

        client = redis.Redis.from_url(url, socket_connect_timeout=2, socket_timeout=2)
        client.ping()
        return "ok"
    except Exception as error:
        return f"不可用：{type(error).__name__}"
