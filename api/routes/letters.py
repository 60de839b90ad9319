"""GET /v1/cases/{id}/decisions/{n}/letter: a decided case in plain words, printable."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse
from jinja2 import Environment, FileSystemLoader, select_autoescape

from api.auth import Caller, allow
from api.deps import database
from api.http_errors import ERRORS, ApiError, not_found
from api.storage import records
from api.storage.accounts import Role
from api.storage.database import Database
from api.storage.records import Kind
from api.storage.tables import CaseRecord

router = APIRouter(prefix="/v1/cases", tags=["cases"])
templates = Environment(
    loader=FileSystemLoader(Path(__file__).resolve().parent.parent / "templates"),
    autoescape=select_autoescape(["html"]),
)

SENTENCE = {
    "eligible": "You are eligible.",
    "not_eligible": "You are not eligible.",
    "needs_information": "We cannot decide yet: we need more information.",
}
MET = {True: ("Met", "met"), False: ("Not met", "not-met"), None: ("Not known yet", "unknown")}


def _programme(programme: dict[str, Any], outcome: str) -> dict[str, Any]:
    reasons = [
        {
            "label": MET[c["met"]][0],
            "css": MET[c["met"]][1],
            "explain": c["explain"],
            "source": c["source"],
        }
        for c in programme["criteria"]
    ]
    result = programme.get("result")
    near = next((m for m in programme["near_misses"] if m["only_criterion_failing"]), None)
    return {
        "title": programme["title"],
        "source": programme["source"],
        "sentence": SENTENCE[outcome],
        "result": f"{result['explain']}" if result and result.get("value") else None,
        "reasons": reasons,
        "near": f"You would be eligible if {near['needs']}." if near else None,
    }


def _budget(session: Any, decision: CaseRecord) -> dict[str, str] | None:
    """The budget agreed on an allocation made after this decision, if any."""
    allocation = records.latest(session, decision.case_id, Kind.allocation)
    if allocation is None or allocation.based_on != decision.id:
        return None
    verdict = records.standing(session, allocation)
    if verdict is None:
        return None
    agreed = json.loads(verdict.body)
    how = f"the {agreed['method']} method" if verdict.action == "confirm" else "agreed by a person"
    return {"weekly": agreed["weekly"], "how": how}


@router.get("/{case_id}/decisions/{number}/letter", response_class=HTMLResponse, responses=ERRORS)
def decision_letter(
    case_id: str,
    number: int,
    request: Request,
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
        budget = _budget(session, decision)
        output = json.loads(decision.output)
        outcomes = json.loads(verdict.body)["outcomes"]
        page = templates.get_template("letter.html").render(
            case_id=case_id,
            number=number,
            person=case.person,
            as_of=output["as_of"],
            recorded=decision.created_at.date().isoformat(),
            verdict={
                "action": verdict.action,
                "reason": verdict.reason,
                "created_by": verdict.created_by,
                "date": verdict.created_at.date().isoformat(),
            },
            programmes=[_programme(p, outcomes[p["id"]]) for p in output["programmes"]],
            ask_next=output["ask_next"],
            budget=budget,
            rulesets=output["rulesets"],
        )
    return HTMLResponse(page)
