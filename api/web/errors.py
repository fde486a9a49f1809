"""Errors on pages: the API's problems (404, 403, 409, 422 …) as a page in Chinese for a page
request, or as a message htmx swaps into the page's message area for a form; a missing login
sends the browser to the login form. `/api/…` and the other machine routes keep problem+json."""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI, Request
from fastapi.responses import RedirectResponse, Response

from api.web.session import LoginRequired, login_url
from api.web.templating import fragment, templates

MACHINE_PREFIXES = ("/api/", "/healthz", "/readyz", "/metrics", "/openapi.json", "/docs",
                    "/static/")  # fmt: skip


def is_page(request: Request) -> bool:
    path = request.url.path
    return not any(path == p.rstrip("/") or path.startswith(p) for p in MACHINE_PREFIXES)


def is_htmx(request: Request) -> bool:
    return request.headers.get("hx-request") == "true"


def problem_page(
    request: Request,
    status: int,
    title: str,
    detail: str,
    errors: list[dict[str, str]] | None,
    headers: dict[str, str] | None,
) -> Response | None:
    """The page for a problem, or None where the route answers problem+json."""
    if not is_page(request):
        return None
    context: dict[str, Any] = {"status": status, "title": title, "detail": detail,
                               "errors": errors or [], "conflict": status == 409,
                               "on_case": request.url.path.startswith("/cases/")}  # fmt: skip
    if is_htmx(request):
        # a form's answer: shown in the page's message area, the form left as the user typed it
        # (and the address bar stays where it was: reloading must not GET a form's target)
        swap = {"HX-Retarget": "#messages", "HX-Reswap": "innerHTML", "HX-Push-Url": "false"}
        # (`status` is the answer's, not a template variable: passed once, not twice)
        shown = {k: v for k, v in context.items() if k != "status"}
        return fragment(request, "_problem.html", status=status,
                        headers={**(headers or {}), **swap}, **shown)  # fmt: skip
    return templates.TemplateResponse(
        request, "error.html", {**context, "me": None, "unread": 0}, status_code=status,
        headers={k: v for k, v in (headers or {}).items() if k.lower() != "www-authenticate"},
    )  # fmt: skip


def install(app: FastAPI) -> None:
    app.state.problem_page = problem_page

    @app.exception_handler(LoginRequired)
    async def _login(request: Request, exc: LoginRequired) -> Response:
        target = login_url(exc.next_url if request.method == "GET" else "/")
        if is_htmx(request):
            return Response(status_code=200, headers={"HX-Redirect": target})
        return RedirectResponse(target, status_code=303)
