"""POST /v1/allocations: one person's indicative budgets, every method and the charge."""

from __future__ import annotations

from datetime import date

from fastapi import APIRouter, Depends
from fastapi.concurrency import run_in_threadpool

from allocation.budgets.allocation_model import Allocation
from allocation.budgets.requests import AllocationRequest
from api.auth import Caller, allow
from api.deps import engines
from api.engines import Engines
from api.http_errors import ERRORS
from api.resources import AllocationBody, BudgetAsk
from api.storage.accounts import Role
from engine.intake import Intake

router = APIRouter(prefix="/v1", tags=["allocations"])


def allocation_request(intake: Intake, ask: BudgetAsk) -> AllocationRequest:
    """The budget methods' request: the intake and the answers asked beyond it."""
    return AllocationRequest(
        intake=intake,
        questionnaire=ask.questionnaire,
        support_plan=ask.support_plan,
        personal_control_weekly=ask.personal_control_weekly,
    )


@router.post("/allocations", responses=ERRORS)
async def allocations(
    body: AllocationBody,
    _who: Caller = Depends(allow(Role.budget, Role.policy)),
    found: Engines = Depends(engines),
) -> Allocation:
    """Every budget method line by line with sources, the charge and the net funded
    amount; or the eligibility decision that stands in the way. Nothing is stored."""
    return await run_in_threadpool(
        found.allocate, allocation_request(body.intake, body), body.as_of or date.today()
    )
