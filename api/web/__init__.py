"""The web pages: server-rendered on GOV.UK Frontend, from the same app as the API.

`install(app)` adds the page routes, the error pages and the static assets
(GOV.UK Frontend's, fetched by govuk_assets.sh; ours in public/). Pages work
without JavaScript; signing in gives a session cookie (api/web/session.py).
"""

from __future__ import annotations

import secrets

from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles

from api.web import (
    budget_pages,
    case_pages,
    cohort_pages,
    decision_pages,
    intake_pages,
    policy_pages,
    rota_pages,
    start_pages,
)
from api.web.templating import HERE, install_handlers


def install(app: FastAPI) -> None:
    app.state.web_key = secrets.token_bytes(32)  # sessions end when the server stops
    install_handlers(app)
    pages = (
        start_pages,
        intake_pages,
        decision_pages,
        case_pages,
        budget_pages,
        cohort_pages,
        rota_pages,
        policy_pages,
    )
    for module in pages:
        app.include_router(module.router)
    app.mount("/assets", StaticFiles(directory=HERE / "static", check_dir=False), name="assets")
    app.mount("/web-assets", StaticFiles(directory=HERE / "public"), name="web-assets")
