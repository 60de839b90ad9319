"""POST /v1/rosters: the perfect week, solved as a background job with a status URL."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Request, Response

from allocation.roster.output import RosterResult
from api.auth import Caller, allow
from api.deps import job_runner, settings
from api.engines import check_week, roster
from api.http_errors import ERRORS, bad_field, not_found
from api.jobs import JobRunner
from api.jsontext import dumps
from api.resources import JobView, RosterBody
from api.settings import Settings
from api.storage.accounts import Role
from api.storage.tables import Job

router = APIRouter(prefix="/v1", tags=["rosters"])


def capped(time_limit: float, found: Settings, field: str = "time_limit") -> float:
    if time_limit > found.max_solver_seconds:
        raise bad_field(field, f"must be at most {found.max_solver_seconds:g} seconds")
    return time_limit


def job_view(request: Request, job: Job) -> JobView:
    record_url = None
    if job.case_id is not None and job.record_id is not None and job.result is not None:
        record_url = str(request.url_for("case_history", case_id=job.case_id))
    return JobView(
        id=job.id,
        kind=job.kind,
        status=job.status,
        status_url=str(request.url_for("roster_job", job_id=job.id)),
        case_id=job.case_id,
        record_url=record_url,
        error=job.error,
        created_by=job.created_by,
        created_at=job.created_at,
        finished_at=job.finished_at,
        result=RosterResult.model_validate_json(job.result) if job.result else None,
    )


@router.post("/rosters", status_code=202, responses=ERRORS)
def start_roster(
    body: RosterBody,
    request: Request,
    response: Response,
    who: Caller = Depends(allow(Role.rota)),
    runner: JobRunner = Depends(job_runner),
    found: Settings = Depends(settings),
) -> JobView:
    """Queue a solve; poll `status_url` until `status` is done (or failed)."""
    limit = capped(body.time_limit, found)
    check_week(body.week, ("week",))
    job = runner.submit("roster", dumps(body), who.name, lambda: dumps(roster(body.week, limit)))
    view = job_view(request, job)
    response.headers["Location"] = view.status_url
    return view


@router.get("/rosters/jobs/{job_id}", name="roster_job", responses=ERRORS)
def roster_job(
    job_id: str,
    request: Request,
    _who: Caller = Depends(allow(Role.rota)),
    runner: JobRunner = Depends(job_runner),
) -> JobView:
    job = runner.get(job_id)
    if job is None:
        raise not_found(f"job {job_id}")
    return job_view(request, job)
