"""A case: where it stands, its next steps for the signed-in role, and its whole history:
every intake, decision, allocation, roster and review, who made it and when, and
what changed from the version before."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Request
from starlette.responses import Response

from api.auth import Caller
from api.deps import database
from api.http_errors import ApiError
from api.resources import CaseView
from api.routes import cases
from api.storage.database import Database
from api.web.intake_form import label_of
from api.web.session import CASEWORKER
from api.web.templating import PageError, page

router = APIRouter(include_in_schema=False)
PAGES = {"decision": "decisions", "allocation": "budget", "roster": "rosters"}


def case_view(case_id: str, request: Request, who: Caller, db: Database) -> CaseView:
    """The case as the API reads it; one that is not there is the error page, not JSON."""
    try:
        return cases.read_case(case_id, request, who, db)
    except ApiError as error:
        raise PageError(error.body.status, "Case not found", error.body.title) from None


@router.get("/cases/{case_id}")
def case_page(
    case_id: str,
    request: Request,
    who: Caller = Depends(CASEWORKER),
    db: Database = Depends(database),
) -> Response:
    view = case_view(case_id, request, who, db)
    history = cases.case_history(case_id, request, who, db)
    changed = {
        entry.version: cases.case_diff(case_id, who, db, entry.version - 1, entry.version).kinds
        for entry in history
        if entry.version > 1
    }
    return page(
        request,
        "case.html",
        title=view.person,
        case=view,
        history=list(reversed(history)),
        changed=changed,
        label_of=label_of,
    )
