"""POST /v1/eligibility: one intake screened against every programme that applies."""

from __future__ import annotations

from datetime import date

from fastapi import APIRouter, Depends
from fastapi.concurrency import run_in_threadpool

from api.auth import Caller, allow
from api.deps import engines
from api.engines import Engines
from api.http_errors import ERRORS
from api.resources import EligibilityRequest
from api.storage.accounts import Role
from engine.decision_model import Decision

router = APIRouter(prefix="/v1", tags=["eligibility"])


@router.post("/eligibility", responses=ERRORS)
async def eligibility(
    body: EligibilityRequest,
    _who: Caller = Depends(allow(Role.intake, Role.budget, Role.policy)),
    found: Engines = Depends(engines),
) -> Decision:
    """The Decision (docs/design.md): each programme criterion by criterion, with
    sources, near-misses and the fields to ask for next. Nothing is stored."""
    return await run_in_threadpool(found.decide, body.intake, body.as_of or date.today())
