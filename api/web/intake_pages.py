"""The intake form, section by section, saved as a draft; then a case and its decision.

Each section posts to itself, is saved, and shows its own errors next to each
field and summarised at the top; the last step checks the whole intake, makes
the case (or the case's next intake), asks the engine for its decision and
shows it.
"""

from __future__ import annotations

from fastapi import APIRouter, Depends, Request
from starlette.datastructures import FormData
from starlette.responses import Response

from api.auth import Caller
from api.deps import database, engines
from api.engines import Engines
from api.resources import NewCase, NewDecision, NewIntake
from api.routes import cases
from api.storage.accounts import Role
from api.storage.database import Database
from api.storage.tables import IntakeDraft
from api.web import drafts
from api.web.case_pages import case_view
from api.web.intake_form import (
    BY_SLUG,
    SECTIONS,
    FieldError,
    Section,
    errors_in,
    field_id,
    from_intake,
    section_of,
    section_values,
    to_intake,
)
from api.web.session import posted, role
from api.web.templating import PageError, page, redirect

router = APIRouter(include_in_schema=False)
INTAKE = role(Role.intake)


def _draft(db: Database, draft_id: str, who: Caller) -> IntakeDraft:
    found = drafts.get(db, draft_id)
    if found is None or (found.created_by != who.name and who.role is not Role.admin):
        raise PageError(404, "Draft not found", "This draft does not exist or is someone else's.")
    return found


def _section(slug: str) -> Section:
    if slug not in BY_SLUG:
        raise PageError(404, "Page not found", f"The intake has no section {slug}.")
    return BY_SLUG[slug]


def _summary(errors: list[FieldError], draft_id: str, here: str | None) -> list[dict[str, str]]:
    """The error summary: each error linking to its field (on its own section's page)."""
    return [
        {
            "text": e.message,
            "href": ("" if e.section == here else f"/intake/{draft_id}/{e.section}")
            + f"#{field_id(e.name)}",
        }
        for e in errors
    ]


def _following(section: Section) -> str:
    """The page after this section's: the next section, or the check after the last."""
    index = SECTIONS.index(section)
    return SECTIONS[index + 1].slug if index + 1 < len(SECTIONS) else "check"


def _check_page(
    request: Request, draft: IntakeDraft, errors: list[FieldError], status: int = 200
) -> Response:
    return page(
        request,
        "intake_check.html",
        status,
        title="Check the intake",
        draft=draft,
        sections=SECTIONS,
        values=drafts.values(draft),
        errors=_summary(errors, draft.id, None),
    )


def _section_page(
    request: Request,
    draft: IntakeDraft,
    section: Section,
    errors: list[FieldError],
    status: int = 200,
) -> Response:
    return page(
        request,
        "intake_section.html",
        status,
        title=f"Intake: {section.title}",
        draft=draft,
        section=section,
        sections=SECTIONS,
        step=SECTIONS.index(section) + 1,
        following=_following(section),
        values=drafts.values(draft),
        field_errors={e.name: e.message for e in errors},
        errors=_summary(errors, draft.id, section.slug),
    )


@router.post("/intake")
def start_intake(
    request: Request,
    who: Caller = Depends(INTAKE),
    db: Database = Depends(database),
    _form: FormData = Depends(posted),
) -> Response:
    draft_id = drafts.create(db, who.name, {})
    return redirect(request, f"/intake/{draft_id}/{SECTIONS[0].slug}")


@router.post("/cases/{case_id}/intake")
def change_intake(
    case_id: str,
    request: Request,
    who: Caller = Depends(INTAKE),
    db: Database = Depends(database),
    form: FormData = Depends(posted),
) -> Response:
    """A draft holding the case's latest intake, opened at the field asked about."""
    view = case_view(case_id, request, who, db)
    intake = view.current.intake.output
    draft_id = drafts.create(db, who.name, from_intake(intake), case_id)
    field = str(form.get("field", ""))
    where = section_of(field) if field else SECTIONS[0].slug
    anchor = f"#{field_id(field)}" if field else ""
    return redirect(request, f"/intake/{draft_id}/{where}{anchor}")


@router.get("/intake/{draft_id}/check")
def check_page(
    draft_id: str, request: Request, who: Caller = Depends(INTAKE), db: Database = Depends(database)
) -> Response:
    draft = _draft(db, draft_id, who)
    _, errors = to_intake(drafts.values(draft))
    return _check_page(request, draft, errors)


@router.post("/intake/{draft_id}/check")
async def decide(
    draft_id: str,
    request: Request,
    who: Caller = Depends(INTAKE),
    db: Database = Depends(database),
    found: Engines = Depends(engines),
    _form: FormData = Depends(posted),
) -> Response:
    """The case (or its next intake) from the draft, and the engine's decision on it."""
    draft = _draft(db, draft_id, who)
    intake, errors = to_intake(drafts.values(draft))
    if intake is None:
        return _check_page(request, draft, errors, 422)
    case_id = draft.case_id
    if case_id is None:
        made = cases.create_case(NewCase(intake=intake), request, Response(), who, db)
        case_id = made.id
    else:
        cases.add_intake(case_id, NewIntake(intake=intake), request, who, db)
    decision = await cases.add_decision(case_id, NewDecision(), request, who, db, found)
    drafts.discard(db, draft_id)
    return redirect(request, f"/cases/{case_id}/decisions/{decision.number}")


@router.get("/intake/{draft_id}/{slug}")
def section_page(
    draft_id: str,
    slug: str,
    request: Request,
    who: Caller = Depends(INTAKE),
    db: Database = Depends(database),
) -> Response:
    draft = _draft(db, draft_id, who)
    section = _section(slug)
    shown = request.query_params.get("errors") == "1"
    errors = errors_in(section, to_intake(drafts.values(draft))[1]) if shown else []
    return _section_page(request, draft, section, errors)


@router.post("/intake/{draft_id}/{slug}")
def save_section(
    draft_id: str,
    slug: str,
    request: Request,
    who: Caller = Depends(INTAKE),
    db: Database = Depends(database),
    form: FormData = Depends(posted),
) -> Response:
    """Save this section (always: it is a draft), then go on, or show its errors."""
    draft = _draft(db, draft_id, who)
    section = _section(slug)
    sent = {k: form.getlist(k) if _many(section, k) else form.get(k, "") for k in form}
    fields = section_values(section, sent)
    drafts.save(db, draft_id, fields)
    draft = _draft(db, draft_id, who)
    errors = errors_in(section, to_intake(drafts.values(draft))[1])
    if errors:
        return _section_page(request, draft, section, errors, 422)
    return redirect(request, f"/intake/{draft_id}/{_following(section)}")


def _many(section: Section, name: str) -> bool:
    return any(f.name == name and f.kind == "checkboxes" for f in section.fields)
