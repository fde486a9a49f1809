"""HTTP details FastAPI leaves out: HEAD on every GET route (RFC 9110 §9.3.2; load balancers
probe `/healthz` with it) and a 405's `Allow` listing every method the path supports, not only
those of the first route that matched it."""

from __future__ import annotations

from urllib.parse import quote

from starlette.requests import Request
from starlette.routing import Match, Mount
from starlette.types import ASGIApp, Message, Receive, Scope, Send


class HeadAsGet:
    """Answer HEAD like GET, without the body (headers, Content-Length included, stay)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] != "HEAD":
            await self.app(scope, receive, send)
            return

        async def headers_only(message: Message) -> None:
            if message["type"] == "http.response.body":
                message = {**message, "body": b""}
            await send(message)

        await self.app({**scope, "method": "GET"}, receive, headers_only)


METHODS = ("GET", "POST", "PUT", "PATCH", "DELETE", "OPTIONS")


def allowed_methods(request: Request) -> str:
    """Every method some route of the app answers at this path, for a 405's `Allow`. Routers
    nest (FastAPI includes them as routes of their own), so each method is tried on the
    request's path rather than read off the routes."""
    methods = set()
    for method in METHODS:
        probe: Scope = {"type": "http", "method": method, "path": request.scope["path"],
                        "root_path": "", "headers": [], "query_string": b""}  # fmt: skip
        for route in request.app.router.routes:
            if isinstance(route, Mount) and method != "GET":
                continue  # the mounts are static files: GET and HEAD only
            if route.matches(probe)[0] is Match.FULL:
                methods.add(method)
    if "GET" in methods:
        methods.add("HEAD")
    return ", ".join(sorted(methods))


def content_disposition(filename: str, fallback: str, *, inline: bool = False) -> str:
    """RFC 6266 with RFC 5987 `filename*` for the real (Chinese) name, and a plain ASCII
    `fallback` name for clients that read only `filename`."""
    kind = "inline" if inline else "attachment"
    return f"{kind}; filename=\"{fallback}\"; filename*=UTF-8''{quote(filename, safe='')}"
