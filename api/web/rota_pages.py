"""The rota manager's pages: the week and its supporters as an upload, a solve that can
be left and come back to, and the perfect week as a timetable with its totals
against the agreed budget, its unmet need with reasons, and a CSV download."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, timedelta
from typing import Any

import yaml
from fastapi import APIRouter, Depends, Request
from pydantic import ValidationError
from sqlalchemy import select
from starlette.datastructures import FormData, UploadFile
from starlette.responses import Response

from api.auth import Caller
from api.cli.roster_files import calendars, shifts_csv
from api.deps import database, job_runner, settings
from api.http_errors import ApiError
from api.jobs import JobRunner
from api.resources import CaseRosterBody, CaseView, RosterRecord
from api.routes import cases
from api.settings import Settings
from api.storage.accounts import Role
from api.storage.database import Database
from api.storage.tables import CaseRecord, Job
from api.web.case_pages import case_view
from api.web.session import CASEWORKER, posted, role
from api.web.templating import PageError, download, page, redirect
from api.web.timetable import timetable
from engine.sourcefiles import InputError

router = APIRouter(include_in_schema=False)
ROTA = role(Role.rota)
MAX_WEEK_BYTES = 200_000
DEFAULT_SECONDS = 10.0


def _jobs(db: Database, case_id: str) -> list[Job]:
    with db.read() as s:
        query = select(Job).where(Job.case_id == case_id).order_by(Job.created_at.desc())
        return list(s.scalars(query.limit(10)))


def _rota_page(
    request: Request, view: CaseView, db: Database, errors: list[str], status: int = 200
) -> Response:
    return page(
        request,
        "rota.html",
        status,
        title=f"Perfect week: {view.person}",
        case=view,
        jobs=_jobs(db, view.id),
        problems=errors,
        errors=[{"text": e, "href": "#week"} for e in errors],
    )


@router.get("/cases/{case_id}/rota")
def rota_page(
    case_id: str, request: Request, who: Caller = Depends(ROTA), db: Database = Depends(database)
) -> Response:
    return _rota_page(request, case_view(case_id, request, who, db), db, [])


async def _week_text(form: FormData) -> str:
    upload = form.get("week")
    if isinstance(upload, UploadFile) and upload.filename:
        data = await upload.read(MAX_WEEK_BYTES + 1)
        if len(data) > MAX_WEEK_BYTES:
            raise ValueError(f"the week file is over {MAX_WEEK_BYTES} bytes")
        return data.decode("utf-8")
    return str(form.get("week_text", ""))


@router.post("/cases/{case_id}/rota")
async def solve(
    case_id: str,
    request: Request,
    who: Caller = Depends(ROTA),
    db: Database = Depends(database),
    runner: JobRunner = Depends(job_runner),
    found: Settings = Depends(settings),
    form: FormData = Depends(posted),
) -> Response:
    """Start the solve as a job; its page shows progress and can be left."""
    view = case_view(case_id, request, who, db)
    errors: list[str] = []
    try:
        data: Any = yaml.safe_load(await _week_text(form))
    except (ValueError, yaml.YAMLError) as error:
        data, errors = None, [f"The week file cannot be read: {error}"]
    if not errors and not isinstance(data, dict):
        errors = ["Choose a week file (YAML or JSON) with people and supporters"]
    if not errors:
        data.pop("budget", None)  # the case's agreed budget is used
        try:
            body = CaseRosterBody.model_validate({"week": data, "time_limit": DEFAULT_SECONDS})
            job = cases.add_roster(case_id, body, request, Response(), who, db, runner, found)
        except ValidationError as error:
            errors = [
                f"{'.'.join(map(str, e['loc'][1:]))}: {e['msg']}" for e in error.errors()[:20]
            ]
        except InputError as error:
            errors = [f"{p.field}: {p.reason}" for p in error.problems[:20]]
        except ApiError as error:
            errors = [error.body.title] + [f"{p.field}: {p.reason}" for p in error.body.problems]
    if errors:
        return _rota_page(request, view, db, errors, 422)
    return redirect(request, f"/cases/{case_id}/rota/jobs/{job.id}")


@router.get("/cases/{case_id}/rota/jobs/{job_id}")
def job_page(
    case_id: str,
    job_id: str,
    request: Request,
    who: Caller = Depends(ROTA),
    db: Database = Depends(database),
    runner: JobRunner = Depends(job_runner),
) -> Response:
    job = runner.get(job_id)
    if job is None or job.case_id != case_id:
        raise PageError(404, "Solve not found", f"Case {case_id} has no solve {job_id}.")
    if job.status == "done" and job.record_id is not None:
        with db.read() as s:
            record = s.get_one(CaseRecord, job.record_id)
        return redirect(request, f"/cases/{case_id}/rosters/{record.number}")
    started = job.created_at.replace(tzinfo=job.created_at.tzinfo or UTC)
    limit = json.loads(job.request).get("time_limit", DEFAULT_SECONDS)
    return page(
        request,
        "rota_job.html",
        title="Solving the perfect week",
        case_id=case_id,
        job=job,
        seconds=int((datetime.now(UTC) - started).total_seconds()),
        limit=limit,
    )


def _roster(case_id: str, number: int, request: Request, who: Caller, db: Database) -> RosterRecord:
    try:
        return cases.read_roster(case_id, number, request, who, db)
    except ApiError as error:
        raise PageError(404, "Roster not found", error.body.title) from None


@router.get("/cases/{case_id}/rosters/{number}")
def roster_page(
    case_id: str,
    number: int,
    request: Request,
    who: Caller = Depends(CASEWORKER),
    db: Database = Depends(database),
) -> Response:
    view = _roster(case_id, number, request, who, db)
    result = view.output
    case = case_view(case_id, request, who, db)
    files = calendars(result, _monday(view.created_at.date()))
    return page(
        request,
        "roster.html",
        title=f"Perfect week: {case.person}",
        case=case,
        view=view,
        result=result,
        table=timetable(result),
        calendars=[(s.id, s.name) for s in result.supporters if f"{s.id}.ics" in files],
    )


def _monday(day: date) -> date:
    """The Monday that starts the week after `day`: when calendars begin."""
    return day + timedelta(days=7 - day.weekday())


@router.get("/cases/{case_id}/rosters/{number}/shifts.csv")
def roster_csv(
    case_id: str,
    number: int,
    request: Request,
    who: Caller = Depends(CASEWORKER),
    db: Database = Depends(database),
) -> Response:
    """Every shift of the week, one row each (the roster command's --csv)."""
    result = _roster(case_id, number, request, who, db).output
    return download(request, shifts_csv(result).encode(), "text/csv", f"shifts-{number}.csv")


@router.get("/cases/{case_id}/rosters/{number}/calendars/{supporter}.ics")
def roster_calendar(
    case_id: str,
    number: int,
    supporter: str,
    request: Request,
    who: Caller = Depends(CASEWORKER),
    db: Database = Depends(database),
) -> Response:
    """One supporter's shifts as a weekly repeating calendar (the roster command's --ics)."""
    view = _roster(case_id, number, request, who, db)
    found = calendars(view.output, _monday(view.created_at.date()))
    name = f"{supporter}.ics"
    if name not in found:
        raise PageError(404, "No calendar", f"{supporter} has no shifts in this roster.")
    return download(request, found[name], "text/calendar", name)
