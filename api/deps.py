"""What a route needs from the running server, as FastAPI dependencies."""

from __future__ import annotations

from fastapi import Request

from api.engines import Engines
from api.jobs import JobRunner
from api.settings import Settings
from api.storage.database import Database


def database(request: Request) -> Database:
    db: Database = request.app.state.db
    return db


def engines(request: Request) -> Engines:
    found: Engines = request.app.state.engines
    return found


def job_runner(request: Request) -> JobRunner:
    runner: JobRunner = request.app.state.jobs
    return runner


def settings(request: Request) -> Settings:
    found: Settings = request.app.state.settings
    return found
