"""Pages as HTML: our templates on GOV.UK Frontend's Jinja macros, and the error pages.

Every page carries the visit's cookie (its expiry moves on) and the CSRF token
its forms send back.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from fastapi import FastAPI, Request
from fastapi.responses import HTMLResponse, RedirectResponse
from jinja2 import ChoiceLoader, Environment, FileSystemLoader, PackageLoader, PrefixLoader
from starlette.responses import Response

from api.storage.accounts import Role
from api.web import session
from api.web.session import BadCsrf, NotAllowed, SignInNeeded

HERE = Path(__file__).resolve().parent

templates = Environment(
    loader=ChoiceLoader(
        [
            FileSystemLoader(HERE / "templates"),
            PrefixLoader({"govuk_frontend_jinja": PackageLoader("govuk_frontend_jinja")}),
        ]
    ),
    autoescape=True,
    trim_blocks=True,
    lstrip_blocks=True,
)

# The service navigation: each role sees the pages it may use.
NAVIGATION: tuple[tuple[str, str, frozenset[Role]], ...] = (
    ("Cases", "/cases", frozenset({Role.intake, Role.budget, Role.rota, Role.admin})),
    ("Cohort budgets", "/budget/cohort", frozenset({Role.budget, Role.admin})),
    ("Policy", "/policy", frozenset({Role.policy, Role.admin})),
)


class PageError(Exception):
    def __init__(self, status: int, title: str, detail: str = "") -> None:
        super().__init__(title)
        self.status, self.title, self.detail = status, title, detail


def page(request: Request, template: str, status: int = 200, **context: Any) -> Response:
    visitor = session.browser(request)
    caller = visitor.caller
    links = [
        {"href": href, "text": text, "active": request.url.path.startswith(href)}
        for text, href, roles in NAVIGATION
        if caller is not None and caller.role in roles
    ]
    html = templates.get_template(template).render(
        request=request,
        caller=caller,
        csrf=visitor.visit.csrf,
        navigation=links,
        path=request.url.path,
        **context,
    )
    return session.keep(request, HTMLResponse(html, status_code=status))


def summary(field_errors: Mapping[str, str]) -> list[dict[str, str]]:
    """GOV.UK's error summary: each message a link to the field it is about."""
    return [{"text": text, "href": f"#{field}"} for field, text in field_errors.items()]


def redirect(request: Request, url: str) -> Response:
    """After a form: see the result at its own address (303, so a reload does not post)."""
    return session.keep(request, RedirectResponse(url, status_code=303))


def download(request: Request, body: bytes | str, media: str, name: str) -> Response:
    """A file to save (a CSV, a calendar), with the visit's cookie like any page."""
    response = Response(
        body,
        media_type=f"{media}; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )
    return session.keep(request, response)


def install_handlers(app: FastAPI) -> None:
    @app.exception_handler(SignInNeeded)
    async def _sign_in(request: Request, _error: SignInNeeded) -> Response:
        return redirect(request, f"/sign-in?next={request.url.path}")

    @app.exception_handler(NotAllowed)
    async def _not_allowed(request: Request, error: NotAllowed) -> Response:
        return page(
            request, "error.html", 403, title="You may not use this page", detail=str(error)
        )

    @app.exception_handler(BadCsrf)
    async def _bad_csrf(request: Request, _error: BadCsrf) -> Response:
        detail = "The form had expired or did not come from this service. Nothing was changed."
        return page(request, "error.html", 403, title="Please try again", detail=detail)

    @app.exception_handler(PageError)
    async def _page_error(request: Request, error: PageError) -> Response:
        return page(request, "error.html", error.status, title=error.title, detail=error.detail)
