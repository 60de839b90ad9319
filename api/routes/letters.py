"""GET /v1/cases/{id}/decisions/{n}/letter: a decided case in plain words, printable."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from fastapi import APIRouter, Depends
from fastapi.responses import HTMLResponse
from jinja2 import Environment, FileSystemLoader, select_autoescape
from sqlalchemy.orm import Session

from api.auth import Caller, allow
from api.deps import database
from api.http_errors import ERRORS, ApiError, not_found
from api.resources import Determined
from api.storage import records
from api.storage.accounts import Role
from api.storage.database import Database
from api.storage.records import Kind
from api.storage.tables import CaseRecord
from engine.decision_model import Decision, Outcome, ProgrammeDecision

router = APIRouter(prefix="/v1/cases", tags=["cases"])
templates = Environment(
    loader=FileSystemLoader(Path(__file__).resolve().parent.parent / "templates"),
    autoescape=select_autoescape(["html"]),
)

SENTENCE: dict[Outcome, str] = {
    "eligible": "You are eligible.",
    "not_eligible": "You are not eligible.",
    "needs_information": "We cannot decide yet: we need more information.",
}
MET = {True: ("Met", "met"), False: ("Not met", "not-met"), None: ("Not known yet", "unknown")}


@dataclass(frozen=True)
class Reason:
    label: str
    css: str
    explain: str
    source: str


@dataclass(frozen=True)
class Section:
    """One programme as the letter says it: the outcome a person decided, and why."""

    title: str
    source: str
    sentence: str
    result: str | None
    reasons: list[Reason]
    near: str | None


@dataclass(frozen=True)
class AgreedBudget:
    weekly: str
    how: str


def _section(programme: ProgrammeDecision, outcome: Outcome) -> Section:
    near = next((m for m in programme.near_misses if m.only_criterion_failing), None)
    result = programme.result
    return Section(
        title=programme.title,
        source=programme.source,
        sentence=SENTENCE[outcome],
        result=result.explain if result is not None and result.value is not None else None,
        reasons=[Reason(*MET[c.met], c.explain, c.source) for c in programme.criteria],
        near=f"You would be eligible if {near.needs}." if near else None,
    )


def _budget(session: Session, decision: CaseRecord) -> AgreedBudget | None:
    """The budget agreed on an allocation made after this decision, if any."""
    allocation = records.latest(session, decision.case_id, Kind.allocation)
    if allocation is None or allocation.based_on != decision.id:
        return None
    verdict = records.standing(session, allocation)
    if verdict is None:
        return None
    agreed = Determined.model_validate_json(verdict.body)
    how = f"the {agreed.method} method" if verdict.action == "confirm" else "agreed by a person"
    return AgreedBudget(f"{agreed.weekly:.2f}", how)


@router.get("/{case_id}/decisions/{number}/letter", response_class=HTMLResponse, responses=ERRORS)
def decision_letter(
    case_id: str,
    number: int,
    _who: Caller = Depends(allow(Role.intake, Role.budget, Role.rota)),
    db: Database = Depends(database),
) -> HTMLResponse:
    """The decision letter, once a person has confirmed or overridden the decision."""
    with db.read() as session:
        case = records.get_case(session, case_id)
        decision = records.find_record(session, case_id, Kind.decision, number) if case else None
        if case is None or decision is None:
            raise not_found(f"decision {number} of case {case_id}")
        verdict = records.standing(session, decision)
        if verdict is None:
            raise ApiError(409, "the decision is a recommendation until a person confirms it")
        made = Decision.model_validate_json(decision.output)
        outcomes = Determined.model_validate_json(verdict.body).outcomes or {}
        page = templates.get_template("letter.html").render(
            case_id=case_id,
            number=number,
            person=case.person,
            as_of=made.as_of.isoformat(),
            recorded=decision.created_at.date().isoformat(),
            verdict={
                "action": verdict.action,
                "reason": verdict.reason,
                "created_by": verdict.created_by,
                "date": verdict.created_at.date().isoformat(),
            },
            programmes=[_section(p, outcomes.get(p.id, p.outcome)) for p in made.programmes],
            ask_next=made.ask_next,
            budget=_budget(session, decision),
            rulesets=made.rulesets,
        )
    return HTMLResponse(page)
