"""The budget holder's page for a case: the questionnaire and support plan as a form,
the methods side by side with each line of each calculation, the spread between
them, the charge and the net amount; then agreeing the weekly budget."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

from fastapi import APIRouter, Depends, Request
from pydantic import ValidationError
from starlette.datastructures import FormData
from starlette.responses import Response

from allocation.budgets.methods import Methods
from api.auth import Caller
from api.deps import database, engines
from api.engines import Engines
from api.http_errors import ApiError
from api.resources import BudgetAsk, BudgetVerdict, CaseView
from api.routes import cases
from api.storage.accounts import Role
from api.storage.database import Database
from api.web.case_pages import case_view
from api.web.intake_form import words
from api.web.session import posted, role
from api.web.templating import PageError, page, redirect, summary
from engine.intake import Intake, Outcome
from engine.sourcefiles import InputError

router = APIRouter(include_in_schema=False)
BUDGET = role(Role.budget)
PLAN_ROWS = 4
METHOD_TITLES = {
    "ras": "Resource allocation (RAS)",
    "costing": "Costed plan",
    "isf": "Shared house (ISF)",
}


def _methods_for(found: Engines, intake: Intake) -> Methods | None:
    """The budget methods of the ruleset that serves where the person lives."""
    return next((m for m in found.methods if m.ruleset.serves(intake)), None)


def _form_questions(methods: Methods | None) -> dict[str, Any]:
    ras = methods.ras.spec if methods and methods.ras else None
    costing = methods.costing.spec if methods and methods.costing else None
    return {
        "domains": [*ras.domains, *ras.adjustments] if ras else [],
        "support_types": sorted(
            (
                (key, t.label, t.unit)
                for key, t in (costing.support_types.items() if costing else ())
            ),
            key=lambda item: item[1],
        ),
        "plan_rows": range(PLAN_ROWS),
        "outcomes": [(o.value, words(o.value)) for o in Outcome],
    }


def _budget_page(
    request: Request,
    view: CaseView,
    found: Engines,
    errors: dict[str, str],
    sent: dict[str, str],
    status: int = 200,
) -> Response:
    intake = view.current.intake.output
    allocation = view.current.allocation
    return page(
        request,
        "budget.html",
        status,
        title=f"Budget: {view.person}",
        case=view,
        allocation=allocation,
        output=allocation.output.model_dump(mode="json") if allocation else None,
        titles=METHOD_TITLES,
        words=words,
        field_errors=errors,
        errors=summary(errors),
        sent=sent,
        **_form_questions(_methods_for(found, intake)),
    )


@router.get("/cases/{case_id}/budget")
def budget_page(
    case_id: str,
    request: Request,
    who: Caller = Depends(BUDGET),
    db: Database = Depends(database),
    found: Engines = Depends(engines),
) -> Response:
    return _budget_page(request, case_view(case_id, request, who, db), found, {}, {})


def _ask(form: FormData, errors: dict[str, str]) -> BudgetAsk | None:
    questionnaire = {
        key.removeprefix("q-"): str(value)
        for key, value in form.items()
        if key.startswith("q-") and value
    }
    plan = []
    for row in range(PLAN_ROWS):
        support = str(form.get(f"plan-{row}-support", ""))
        hours = str(form.get(f"plan-{row}-per_week", "")).strip()
        if not support and not hours:
            continue
        if not support:
            errors[f"plan-{row}-support"] = f"Support plan line {row + 1}: choose the support"
        try:
            amount = Decimal(hours)
        except InvalidOperation:
            errors[f"plan-{row}-per_week"] = (
                f"Support plan line {row + 1}: give the hours (or nights) a week as a number"
            )
            continue
        outcome = str(form.get(f"plan-{row}-outcome", ""))
        plan.append(
            {"support": support, "per_week": amount, "outcomes": [outcome] if outcome else []}
        )
    if errors:
        return None
    try:
        return BudgetAsk.model_validate(
            {"questionnaire": questionnaire or None, "support_plan": plan or None}
        )
    except ValidationError as error:
        for item in error.errors():
            errors["plan-0-support"] = f"{'.'.join(map(str, item['loc']))}: {item['msg']}"
        return None


@router.post("/cases/{case_id}/budget")
async def make_allocation(
    case_id: str,
    request: Request,
    who: Caller = Depends(BUDGET),
    db: Database = Depends(database),
    found: Engines = Depends(engines),
    form: FormData = Depends(posted),
) -> Response:
    """Every method's budget for the case's latest intake, as the next allocation."""
    view = case_view(case_id, request, who, db)
    errors: dict[str, str] = {}
    ask = _ask(form, errors)
    if ask is not None:
        try:
            await cases.add_allocation(case_id, ask, request, who, db, found)
        except ApiError as error:
            errors["q-form"] = error.body.title
        except InputError as error:
            for problem in error.problems:
                errors.setdefault("q-form", f"{problem.field}: {problem.reason}")
    if errors:
        sent = {k: str(v) for k, v in form.items()}
        return _budget_page(request, view, found, errors, sent, 422)
    return redirect(request, f"/cases/{case_id}/budget#methods")


@router.post("/cases/{case_id}/budget/agree")
def agree(
    case_id: str,
    request: Request,
    who: Caller = Depends(BUDGET),
    db: Database = Depends(database),
    found: Engines = Depends(engines),
    form: FormData = Depends(posted),
) -> Response:
    """Agree one method's weekly budget, or another figure with a reason."""
    view = case_view(case_id, request, who, db)
    allocation = view.current.allocation
    if allocation is None:
        raise PageError(409, "No budget to agree", "Work out the budget first.")
    choice = str(form.get("choice", ""))
    reason = str(form.get("reason", "")).strip() or None
    errors: dict[str, str] = {}
    body: dict[str, Any] = {}
    if choice in METHOD_TITLES:
        body = {"action": "confirm", "method": choice, "reason": reason}
    elif choice == "other":
        weekly = str(form.get("weekly", "")).strip().removeprefix("£")
        try:
            body = {"action": "override", "weekly": str(Decimal(weekly)), "reason": reason}
        except InvalidOperation:
            errors["weekly"] = "Give the weekly budget agreed in pounds, for example 250.00"
        if not reason:
            errors["reason"] = "Give the reason for agreeing a figure no method gave"
    else:
        errors["choice"] = "Choose the budget to agree"
    if not errors:
        try:
            cases.agree_budget(
                case_id, allocation.number, BudgetVerdict.model_validate(body), request, who, db
            )
        except (ApiError, ValidationError) as error:
            problems = error.body.problems if isinstance(error, ApiError) else []
            errors = {("weekly" if p.field == "weekly" else "choice"): p.reason for p in problems}
            errors = errors or {"choice": str(error)}
    if errors:
        sent = {k: str(v) for k, v in form.items()}
        return _budget_page(request, view, found, errors, sent, 422)
    return redirect(request, f"/cases/{case_id}/budget#agreed")
