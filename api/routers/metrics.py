"""Prometheus `/metrics`: loopback callers, or a bearer of CASEWORK_METRICS_TOKEN. The
figures come from the database at scrape time; request counts and latencies are this
process's own (one series per uvicorn worker process)."""

from __future__ import annotations

import secrets
import time
from collections.abc import Awaitable, Callable, Iterator

from fastapi import APIRouter, FastAPI, Request, Response
from prometheus_client import CollectorRegistry, Counter, Histogram, generate_latest
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.registry import Collector

from api.deps import bearer
from casework.db import engine_for, read_session
from casework.errors import Forbidden
from casework.services.gauges import read_gauges
from casework.settings import get_settings

router = APIRouter(tags=["运行状态"])

CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8"
API_PREFIX = "/api/v1"
LOOPBACK = {"127.0.0.1", "::1", "localhost"}


class DatabaseCollector(Collector):
    def collect(self) -> Iterator[GaugeMetricFamily]:
        settings = get_settings()
        with read_session(engine_for(settings)) as session:
            g = read_gauges(session, settings.instant(), settings.current_day())
        timers = GaugeMetricFamily(
            "casework_timers", "Timers by kind and status", labels=["kind", "status"]
        )
        for (kind, status), n in sorted(g.timers.items()):
            timers.add_metric([kind, status], n)
        yield timers
        yield GaugeMetricFamily(
            "casework_timers_due_unclaimed",
            "Due timers no sweep has claimed yet",
            value=g.due_unclaimed,
        )
        yield GaugeMetricFamily(
            "casework_sweep_lag_seconds",
            "How long the oldest due, unclaimed timer has waited",
            value=g.sweep_lag_seconds,
        )
        deliveries = GaugeMetricFamily(
            "casework_deliveries",
            "E-mail and webhook deliveries by status",
            labels=["channel", "status"],
        )
        for (channel, status), n in sorted(g.deliveries.items()):
            deliveries.add_metric([channel, status], n)
        yield deliveries
        open_cases = GaugeMetricFamily(
            "casework_cases_open", "Open cases per agency", labels=["agency"]
        )
        for code, n in sorted(g.open_cases.items()):
            open_cases.add_metric([code], n)
        yield open_cases
        overdue = GaugeMetricFamily(
            "casework_cases_overdue",
            "Open cases past their reply deadline, per agency",
            labels=["agency"],
        )
        for code, n in sorted(g.overdue_cases.items()):
            overdue.add_metric([code], n)
        yield overdue  # fmt: skip


def install(app: FastAPI) -> None:
    """The app's own registry (not the global one: tests build many apps in one process)."""
    registry = CollectorRegistry()
    registry.register(DatabaseCollector())
    requests = Counter(
        "casework_http_requests", "HTTP requests", ["method", "route", "status"], registry=registry
    )
    latency = Histogram("casework_http_request_seconds", "HTTP request latency", ["method", "route"], registry=registry)  # fmt: skip
    app.state.metrics_registry = registry

    @app.middleware("http")
    async def measure(
        request: Request, call_next: Callable[[Request], Awaitable[Response]]
    ) -> Response:
        began = time.perf_counter()
        try:
            response = await call_next(request)
        except Exception:  # answered as a 500 by the error handler: count it too
            route = _route_of(request)
            latency.labels(request.method, route).observe(time.perf_counter() - began)
            requests.labels(request.method, route, "500").inc()
            raise
        route = _route_of(request)
        latency.labels(request.method, route).observe(time.perf_counter() - began)
        requests.labels(request.method, route, str(response.status_code)).inc()
        return response


def _route_of(request: Request) -> str:
    """The matched route's template (/api/v1/cases/{case_id}), never the raw path: the labels
    stay few whatever clients send."""
    route = request.scope.get("route")
    path = getattr(route, "path", None)
    if not path:
        return "unmatched"
    # routes of an included router carry their path relative to its prefix
    if request.url.path.startswith(API_PREFIX) and not str(path).startswith(API_PREFIX):
        return API_PREFIX + str(path)
    return str(path)


@router.get(
    "/metrics",
    summary="Prometheus 指标（仅本机或持有指标令牌）",
    response_class=Response,
    responses={
        200: {
            "content": {CONTENT_TYPE: {"schema": {"type": "string"}}},
            "description": "Prometheus 文本格式",
        }
    },
)
def metrics(request: Request) -> Response:
    token = get_settings().metrics_token
    given = bearer(request)
    allowed = (request.client is not None and request.client.host in LOOPBACK) or (
        token is not None and given is not None and secrets.compare_digest(given, token)
    )
    if not allowed:
        raise Forbidden("指标仅供本机或持有指标令牌（CASEWORK_METRICS_TOKEN）的监控系统读取")
    registry: CollectorRegistry = request.app.state.metrics_registry
    return Response(generate_latest(registry), media_type=CONTENT_TYPE)
