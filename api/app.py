"""The FastAPI application: `create_app(settings)` builds one server.

Startup migrates the database, loads the rulesets and budget methods once,
stores the rulesets' text by hash, starts the rules-engine processes and the
job threads; shutdown stops them. Routes live in api/routes/, one per resource.
"""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI
from fastapi.concurrency import run_in_threadpool
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from api import http_errors, web
from api.engines import Engines
from api.jobs import JobRunner
from api.plans import routes as plans
from api.routes import allocations, cases, eligibility, letters, rosters, rulesets
from api.settings import Settings
from api.storage import records
from api.storage.database import Database
from engine.worker_pool import WorkerPool

CASE_PATH = re.compile(r"^(?:/v1)?/cases/([0-9a-f]{32})(?:/|$)")  # the API and the pages


@asynccontextmanager
async def _lifespan(app: FastAPI) -> AsyncIterator[None]:
    settings: Settings = app.state.settings
    db = Database.open(settings.database_url, upgrade=settings.migrate)
    pool = WorkerPool(workers=settings.engine_workers)
    try:
        found = Engines(settings.rulesets, pool)
        found.keep_rulesets(db)
        runner = JobRunner(db, settings.roster_threads)
        runner.recover()
        app.state.db, app.state.engines, app.state.jobs = db, found, runner
        yield
        runner.close()
    finally:
        pool.close()
        db.close()


def create_app(settings: Settings | None = None) -> FastAPI:
    app = FastAPI(
        title="justenough",
        version="1",
        summary="Eligibility, indicative budgets and the perfect week, for social care.",
        description=(
            "Every request needs a bearer token from `justenough users add NAME --role ROLE`. "
            "Errors are JSON: `status`, `title` and `problems` (each with its `field`)."
        ),
        lifespan=_lifespan,
    )
    app.state.settings = settings or Settings()
    http_errors.install(app)
    for module in (eligibility, allocations, rosters, rulesets, cases, letters, plans):
        app.include_router(module.router)
    web.install(app)
    app.add_middleware(CaseAudit)
    app.add_middleware(http_errors.BodyLimit, limit=app.state.settings.max_request_bytes)
    return app


class CaseAudit:
    """Writes an audit entry for every request about a case, whatever its answer."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        path: str = scope.get("path", "")
        if scope["type"] != "http" or not path.startswith(("/v1/cases", "/cases/")):
            await self.app(scope, receive, send)
            return
        status = 500

        async def watched(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
            await send(message)

        try:
            await self.app(scope, receive, watched)
        finally:
            await run_in_threadpool(_audit, scope, path, status)


def _audit(scope: Scope, path: str, status: int) -> None:
    state = scope.get("state", {})
    caller = state.get("caller")
    match = CASE_PATH.match(path)
    case_id = match.group(1) if match else state.get("case_id")
    method = scope["method"]
    db: Database = scope["app"].state.db
    with db.write() as session:
        records.audit(
            session,
            caller.name if caller else "(no valid token)",
            caller.role.value if caller else "",
            "read" if method in ("GET", "HEAD") else "write",
            case_id,
            method,
            path,
            status,
        )
