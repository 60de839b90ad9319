"""A decision in plain words: each programme's outcome with its reasons and sources, the
near-misses, what to ask next (each a way back to the field that settles it); a
person confirms it or overrides it with a reason; then the printable letter."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, Request
from starlette.datastructures import FormData
from starlette.responses import Response

from api.auth import Caller
from api.deps import database
from api.http_errors import ApiError
from api.resources import DecisionRecord, DecisionVerdict
from api.routes import cases, letters
from api.storage import records
from api.storage.accounts import Role
from api.storage.database import Database
from api.web import session
from api.web.intake_form import SECTION_OF, label_of
from api.web.session import CASEWORKER, posted, role
from api.web.templating import PageError, page, redirect, summary

router = APIRouter(include_in_schema=False)
INTAKE = role(Role.intake)
OUTCOME_WORDS = {
    "eligible": "Eligible",
    "not_eligible": "Not eligible",
    "needs_information": "Cannot decide yet",
}
OUTCOME_TAG = {"eligible": "green", "not_eligible": "red", "needs_information": "yellow"}
MET = {True: ("Met", "green"), False: ("Not met", "red"), None: ("Not known", "grey")}


def _programme(programme: dict[str, Any], decided: str | None) -> dict[str, Any]:
    near = [
        {
            "needs": m["needs"],
            "only": m["only_criterion_failing"],
            "field": m.get("input") if m.get("input") in SECTION_OF else None,
            "label": label_of(m["input"]) if m.get("input") else None,
        }
        for m in programme["near_misses"]
    ]
    return {
        "id": programme["id"],
        "title": programme["title"],
        "source": programme["source"],
        "outcome": programme["outcome"],
        "words": OUTCOME_WORDS[programme["outcome"]],
        "tag": OUTCOME_TAG[programme["outcome"]],
        "decided": OUTCOME_WORDS[decided] if decided and decided != programme["outcome"] else None,
        "result": programme.get("result"),
        "amount": programme.get("amount"),
        "reasons": [
            {
                "met": MET[c["met"]][0],
                "tag": MET[c["met"]][1],
                "explain": c["explain"],
                "source": c["source"],
            }
            for c in programme["criteria"]
        ],
        "near": near,
    }


def decision_context(view: DecisionRecord) -> dict[str, Any]:
    output = view.output.model_dump(mode="json")
    last = view.determinations[-1].decided if view.determinations else None
    decided = (last.outcomes if last else None) or {}
    return {
        "programmes": [_programme(p, decided.get(p["id"])) for p in output["programmes"]],
        "ask_next": [{"field": f, "label": label_of(f)} for f in output["ask_next"]],
        "as_of": output["as_of"],
        "rulesets": output["rulesets"],
    }


def _page(
    request: Request, case_id: str, view: DecisionRecord, errors: dict[str, str], status: int = 200
) -> Response:
    with request.app.state.db.read() as db_session:
        case = records.get_case(db_session, case_id)
    return page(
        request,
        "decision.html",
        status,
        title=f"Decision {view.number}",
        case_id=case_id,
        person=case.person if case else "",
        view=view,
        outcomes=OUTCOME_WORDS,
        field_errors=errors,
        errors=summary(errors),
        **decision_context(view),
    )


def _decision(
    case_id: str, number: int, request: Request, who: Caller, db: Database
) -> DecisionRecord:
    try:
        return cases.read_decision(case_id, number, request, who, db)
    except ApiError as error:
        raise PageError(error.body.status, "Decision not found", error.body.title) from None


@router.get("/cases/{case_id}/decisions/{number}")
def decision_page(
    case_id: str,
    number: int,
    request: Request,
    who: Caller = Depends(CASEWORKER),
    db: Database = Depends(database),
) -> Response:
    return _page(request, case_id, _decision(case_id, number, request, who, db), {})


@router.post("/cases/{case_id}/decisions/{number}")
def determine(
    case_id: str,
    number: int,
    request: Request,
    who: Caller = Depends(INTAKE),
    db: Database = Depends(database),
    form: FormData = Depends(posted),
) -> Response:
    """Confirm the recommendation, or override the outcomes changed with a reason."""
    view = _decision(case_id, number, request, who, db)
    action = str(form.get("action", ""))
    reason = str(form.get("reason", "")).strip() or None
    errors: dict[str, str] = {}
    if action not in ("confirm", "override"):
        errors["action"] = "Choose whether to confirm or override the decision"
    changed = {
        p.id: str(form.get(f"outcome-{p.id}"))
        for p in view.output.programmes
        if form.get(f"outcome-{p.id}") not in (None, "", p.outcome)
    }
    if action == "override" and not changed:
        errors["outcomes"] = "Change at least one programme's outcome to override the decision"
    if action == "override" and not reason:
        errors["reason"] = "Give the reason for overriding the decision"
    if not errors:
        verdict = DecisionVerdict.model_validate(
            {"action": action, "outcomes": changed or None, "reason": reason}
            if action == "override"
            else {"action": action, "reason": reason}
        )
        try:
            cases.determine_decision(case_id, number, verdict, request, who, db)
        except ApiError as error:
            errors = {p.field.split(".")[0]: p.reason for p in error.body.problems} or {
                "action": error.body.title
            }
    if errors:
        return _page(request, case_id, view, errors, 422)
    return redirect(request, f"/cases/{case_id}/decisions/{number}")


@router.get("/cases/{case_id}/decisions/{number}/letter")
def letter(
    case_id: str,
    number: int,
    request: Request,
    who: Caller = Depends(CASEWORKER),
    db: Database = Depends(database),
) -> Response:
    """The decision letter the API serves, for a person signed in here."""
    try:
        found = letters.decision_letter(case_id, number, who, db)
    except ApiError as error:
        raise PageError(error.body.status, "No letter yet", error.body.title) from None
    return session.keep(request, found)
