"""The plan's endpoints: a case's plan versions and reviews, its printable document,
reviews due by worker, and the "not working" themes across reviews.

Under /v1/cases/{id}/plans every request is in the case's audit log (the
service's CaseAudit). A plan answers the needs of the case's latest decision
that a person confirmed or overrode; each revision is a new version with
what changed; a review may re-run the allocation and the roster through the
case's own steps, linked to the review.
"""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal

from fastapi import APIRouter, Depends, Query, Request, Response
from fastapi.concurrency import run_in_threadpool
from sqlalchemy.orm import Session

from allocation.budgets.allocation_model import Allocation
from allocation.roster.output import RosterResult
from api.auth import Caller, allow
from api.deps import database, engines, job_runner, settings
from api.engines import Engines, stored_rulesets
from api.http_errors import ERRORS, ApiError, FieldProblem, not_found
from api.jobs import JobRunner
from api.plans import checks, document, due, store, themes
from api.plans.checks import Found
from api.plans.needs import Need, coverage, eligible_needs
from api.plans.plan_model import Plan
from api.plans.plan_tables import PlanReview, PlanVersion
from api.plans.review_model import NewPlanReview, met_objectives, review_problems
from api.plans.revisions import PlanChange, changes
from api.plans.supports import PlanSupports, supports_by_goal
from api.plans.views import (
    NewPlan,
    PlanHistoryEntry,
    PlanReviewView,
    PlanVersionView,
    RerunView,
    RosterRerun,
)
from api.resources import BudgetAsk, CaseRosterBody, CaseWeek, EligibilityRequest
from api.routes import cases
from api.routes.rosters import job_view
from api.settings import Settings
from api.storage import records
from api.storage.accounts import Role
from api.storage.database import Database
from api.storage.records import Kind
from api.storage.tables import Case, CaseRecord, Job
from engine.decision_model import Decision
from engine.programmes import Programme
from engine.sourcefiles import dotted

router = APIRouter(prefix="/v1", tags=["plans"])
CASEWORKER = allow(Role.intake, Role.budget, Role.rota)


# --- the case's needs, week and money -------------------------------------------------


def _refuse(found: Found, at: tuple[str, ...] = ()) -> None:
    if found:
        problems = [FieldProblem(field=dotted((*at, *loc)), reason=why) for loc, why in found]
        raise ApiError(422, "the request does not fit", problems)


def _programmes(db: Database, found: Engines, decision: Decision) -> dict[str, Programme]:
    """The programmes of the rules that made the decision: loaded, or from their stored text."""
    loaded = {r.hash: r for r in found.rulesets}
    rulesets = [loaded[s.hash] for s in decision.rulesets if s.hash in loaded]
    missing = [s.hash for s in decision.rulesets if s.hash not in loaded]
    if missing:
        rulesets += stored_rulesets(db, missing)
    return {p.id: p for r in rulesets for p in r.programmes}


def _needs(db: Database, found: Engines, session: Session, decision: CaseRecord) -> list[Need]:
    """The eligible needs of a decision, with the outcomes as a person determined them."""
    verdict = records.standing(session, decision)
    assert verdict is not None  # a plan is only made on a settled decision
    made = Decision.model_validate_json(decision.output)
    intake = EligibilityRequest.model_validate_json(decision.inputs).intake
    outcomes = json.loads(verdict.body)["outcomes"]
    return eligible_needs(made, outcomes, intake, _programmes(db, found, made))


def _supports(session: Session, case_id: str, plan: Plan) -> tuple[PlanSupports, Decimal | None]:
    roster = records.latest(session, case_id, Kind.roster)
    allocation = records.latest(session, case_id, Kind.allocation)
    verdict = records.standing(session, allocation) if allocation else None
    agreed = json.loads(verdict.body) if verdict else None
    return (
        supports_by_goal(
            plan,
            (roster.number, RosterResult.model_validate_json(roster.output)) if roster else None,
            (
                allocation.number,
                Allocation.model_validate_json(allocation.output),
                agreed.get("method") if agreed else None,
            )
            if allocation
            else None,
        ),
        Decimal(agreed["weekly"]) if agreed else None,
    )


def _with_levels(plan: Plan, needs: list[Need]) -> Plan:
    """A condition linked to ASAM dimensions takes the decision's recommended level."""
    levels = sorted({n.level_of_care for n in needs if n.level_of_care})
    if len(levels) != 1:
        return plan
    conditions = [
        c.model_copy(update={"level_of_care": levels[0]})
        if c.asam_dimensions and c.level_of_care is None
        else c
        for c in plan.conditions
    ]
    return plan.model_copy(update={"conditions": conditions})


def _check_plan(plan: Plan, needs: list[Need], at: tuple[str, ...]) -> None:
    _refuse(checks.plan_problems(plan, needs) + checks.dates_in_the_past(plan, date.today()), at)


# --- views ------------------------------------------------------------------------------


def _plan_url(request: Request, case_id: str, number: int) -> str:
    return str(request.url_for("read_plan", case_id=case_id, number=number))


def _version_view(
    db: Database, found: Engines, session: Session, request: Request, version: PlanVersion
) -> PlanVersionView:
    plan = Plan.model_validate_json(version.plan)
    decision = session.get_one(CaseRecord, version.decision_id)
    needs = _needs(db, found, session, decision)
    covers = coverage(plan, needs)
    review = session.get(PlanReview, version.review_id) if version.review_id else None
    return PlanVersionView(
        case_id=version.case_id,
        number=version.number,
        url=_plan_url(request, version.case_id, version.number),
        plan=plan,
        changes=[PlanChange.model_validate(c) for c in json.loads(version.changes)],
        reason=version.reason,
        review=review.number if review else None,
        decision=decision.number,
        content_hash=version.content_hash,
        created_by=version.created_by,
        created_at=version.created_at,
        needs=covers,
        flagged=[c.need.id for c in covers if c.flagged],
        supports=_supports(session, version.case_id, plan)[0],
    )


def _review_view(session: Session, request: Request, row: PlanReview, plan: Plan) -> PlanReviewView:
    review = NewPlanReview.model_validate_json(row.body)
    made = store.revision_from(session, row.id)
    reruns = []
    for rerun in store.reruns(session, [row.id]):
        record = session.get(CaseRecord, rerun.record_id) if rerun.record_id else None
        job = session.get(Job, rerun.job_id) if rerun.job_id else None
        if job is not None and job.record_id is not None:
            record = session.get(CaseRecord, job.record_id)
        reruns.append(
            RerunView(
                kind=rerun.kind,
                record_url=cases.record_url(request, record) if record else None,
                job=job_view(request, job) if job else None,
                created_by=rerun.created_by,
                created_at=rerun.created_at,
            )
        )
    return PlanReviewView(
        case_id=row.case_id,
        number=row.number,
        url=str(request.url_for("read_plan_review", case_id=row.case_id, number=row.number)),
        plan_version=row.plan_number,
        revised_to=made.number if made else None,
        review=review,
        met=[f"{g}.{o}" for g, o in sorted(met_objectives(review, plan))],
        unsatisfactory=[f"{p.goal}.{p.objective}" for p in review.unsatisfactory()],
        next_review_on=date.fromisoformat(row.next_review_on),
        reruns=reruns,
        created_by=row.created_by,
        created_at=row.created_at,
    )


# --- plan versions ----------------------------------------------------------------------


@router.post("/cases/{case_id}/plans", status_code=201, responses=ERRORS)
async def add_plan(
    case_id: str,
    body: NewPlan,
    request: Request,
    response: Response,
    who: Caller = Depends(CASEWORKER),
    db: Database = Depends(database),
    found: Engines = Depends(engines),
) -> PlanVersionView:
    """The case's plan, or its next revision (a revision gives its `reason`): a new
    version with what changed; the earlier versions stay."""

    def make() -> PlanVersionView:
        with db.write() as session:
            cases.case_or_404(session, case_id, lock=True)
            decision = cases.settled_decision(session, case_id)
            needs = _needs(db, found, session, decision)
            plan = _with_levels(body.plan, needs)
            _check_plan(plan, needs, ("plan",))
            before = store.latest_version(session, case_id)
            if before is not None and body.reason is None:
                _refuse([(("reason",), "a revision says why the plan changes")])
            old = Plan.model_validate_json(before.plan) if before else None
            version = store.add_version(
                session, case_id, plan, changes(old, plan), decision.id, who.name, body.reason
            )
            view = _version_view(db, found, session, request, version)
        response.headers["Location"] = view.url
        return view

    return await run_in_threadpool(make)


@router.get("/cases/{case_id}/plans", responses=ERRORS)
def plan_history(
    case_id: str,
    request: Request,
    _who: Caller = Depends(CASEWORKER),
    db: Database = Depends(database),
) -> list[PlanHistoryEntry]:
    """Every version of the plan, oldest first, each with what changed and why."""
    with db.read() as session:
        cases.case_or_404(session, case_id)
        reviews = {r.id: r.number for r in store.reviews(session, case_id)}
        return [
            PlanHistoryEntry(
                number=v.number,
                url=_plan_url(request, case_id, v.number),
                changes=[PlanChange.model_validate(c) for c in json.loads(v.changes)],
                reason=v.reason,
                review=reviews.get(v.review_id) if v.review_id else None,
                content_hash=v.content_hash,
                created_by=v.created_by,
                created_at=v.created_at,
            )
            for v in store.versions(session, case_id)
        ]


def _version(session: Session, case_id: str, number: int) -> PlanVersion:
    cases.case_or_404(session, case_id)
    found = store.version(session, case_id, number)
    if found is None:
        raise not_found(f"plan version {number} of case {case_id}")
    return found


@router.get("/cases/{case_id}/plans/reviews", responses=ERRORS)
def plan_reviews(
    case_id: str,
    request: Request,
    _who: Caller = Depends(CASEWORKER),
    db: Database = Depends(database),
) -> list[PlanReviewView]:
    """Every review of the case's plan, oldest first."""
    with db.read() as session:
        cases.case_or_404(session, case_id)
        plans = {
            v.number: Plan.model_validate_json(v.plan) for v in store.versions(session, case_id)
        }
        return [
            _review_view(session, request, row, plans[row.plan_number])
            for row in store.reviews(session, case_id)
        ]


@router.get("/cases/{case_id}/plans/{number}", name="read_plan", responses=ERRORS)
def read_plan(
    case_id: str,
    number: int,
    request: Request,
    _who: Caller = Depends(CASEWORKER),
    db: Database = Depends(database),
    found: Engines = Depends(engines),
) -> PlanVersionView:
    """A version of the plan, with how it answers each need and, per goal, the hours
    and cost of support from the case's current week and agreed budget."""
    with db.read() as session:
        return _version_view(db, found, session, request, _version(session, case_id, number))


def _document(db: Database, found: Engines, case_id: str, number: int) -> document.PlanDocument:
    with db.read() as session:
        version = _version(session, case_id, number)
        case = session.get_one(Case, case_id)  # read by _version: no second query
        plan = Plan.model_validate_json(version.plan)
        needs = _needs(db, found, session, session.get_one(CaseRecord, version.decision_id))
        supports, weekly = _supports(session, case_id, plan)
        return document.build(
            case.person,
            case_id,
            version.number,
            version.created_at.date(),
            plan,
            coverage(plan, needs),
            supports,
            weekly,
        )


@router.get(
    "/cases/{case_id}/plans/{number}/document",
    responses={**ERRORS, 200: {"content": {"text/html": {}}}},
)
def plan_document(
    case_id: str,
    number: int,
    _who: Caller = Depends(CASEWORKER),
    db: Database = Depends(database),
    found: Engines = Depends(engines),
) -> Response:
    """The plan as one printable page in plain words (print stylesheet included)."""
    return Response(document.html(_document(db, found, case_id, number)), media_type="text/html")


@router.get(
    "/cases/{case_id}/plans/{number}/document.pdf",
    responses={**ERRORS, 200: {"content": {"application/pdf": {}}}},
)
def plan_pdf(
    case_id: str,
    number: int,
    _who: Caller = Depends(CASEWORKER),
    db: Database = Depends(database),
    found: Engines = Depends(engines),
) -> Response:
    """The same document as PDF."""
    made = _document(db, found, case_id, number)
    try:
        pdf = document.pdf(made)
    except document.FontMissing as error:
        raise ApiError(503, f"the PDF cannot be made on this server: {error}") from None
    name = f"support-plan-{case_id[:8]}-v{number}.pdf"
    return Response(
        pdf,
        media_type="application/pdf",
        headers={"Content-Disposition": f'inline; filename="{name}"'},
    )


# --- reviews ------------------------------------------------------------------------------


@router.post("/cases/{case_id}/plans/reviews", status_code=201, responses=ERRORS)
async def add_plan_review(
    case_id: str,
    body: NewPlanReview,
    request: Request,
    response: Response,
    who: Caller = Depends(CASEWORKER),
    db: Database = Depends(database),
    found: Engines = Depends(engines),
) -> PlanReviewView:
    """A review of the plan's current version: progress on every objective, who took part
    (the person always), the person-centred questions; unsatisfactory progress needs a
    revision (stored as the next version, linked here) or a reason."""

    def make() -> PlanReviewView:
        with db.write() as session:
            cases.case_or_404(session, case_id, lock=True)
            current = store.latest_version(session, case_id)
            if current is None:
                raise ApiError(409, "the case has no plan to review yet")
            plan = Plan.model_validate_json(current.plan)
            _refuse(review_problems(body, plan, date.today()))
            decision = cases.settled_decision(session, case_id)
            needs = _needs(db, found, session, decision)
            revision = body.revision
            if revision is not None:
                revision = _with_levels(revision, needs)
                _check_plan(revision, needs, ("revision",))
            row = store.add_review(session, case_id, current, body, who.name)
            if revision is not None:
                made = changes(plan, revision, met_objectives(body, plan))
                reason = f"review {row.number} of {body.held_on}"
                store.add_version(
                    session, case_id, revision, made, decision.id, who.name, reason, row.id
                )
            view = _review_view(session, request, row, plan)
        response.headers["Location"] = view.url
        return view

    return await run_in_threadpool(make)


def _review(session: Session, case_id: str, number: int) -> tuple[PlanReview, Plan]:
    cases.case_or_404(session, case_id)
    row = store.review(session, case_id, number)
    if row is None:
        raise not_found(f"plan review {number} of case {case_id}")
    version = store.version(session, case_id, row.plan_number)
    assert version is not None  # a review is of a stored version
    return row, Plan.model_validate_json(version.plan)


@router.get("/cases/{case_id}/plans/reviews/{number}", name="read_plan_review", responses=ERRORS)
def read_plan_review(
    case_id: str,
    number: int,
    request: Request,
    _who: Caller = Depends(CASEWORKER),
    db: Database = Depends(database),
) -> PlanReviewView:
    with db.read() as session:
        row, plan = _review(session, case_id, number)
        return _review_view(session, request, row, plan)


@router.post(
    "/cases/{case_id}/plans/reviews/{number}/allocation", status_code=201, responses=ERRORS
)
async def rerun_allocation(
    case_id: str,
    number: int,
    request: Request,
    body: BudgetAsk | None = None,
    who: Caller = Depends(allow(Role.budget)),
    db: Database = Depends(database),
    found: Engines = Depends(engines),
) -> PlanReviewView:
    """The allocation made again after a review (the latest allocation's answers unless
    new ones are given): the case's next allocation record, linked to the review. A
    person then agrees its budget as for any allocation."""
    with db.read() as session:
        _review(session, case_id, number)
        latest = records.latest(session, case_id, Kind.allocation)
    if body is None:
        if latest is None:
            raise ApiError(409, "the case has no allocation to make again: give the answers")
        stored = json.loads(latest.inputs)
        stored.pop("intake_version", None)
        body = BudgetAsk.model_validate({**stored, "as_of": None})
    made = await cases.add_allocation(case_id, body, request, who, db, found)
    with db.write() as session:
        row, plan = _review(session, case_id, number)
        record = records.find_record(session, case_id, Kind.allocation, made.number)
        assert record is not None
        store.add_rerun(session, row, "allocation", who.name, record_id=record.id)
        return _review_view(session, request, row, plan)


@router.post("/cases/{case_id}/plans/reviews/{number}/roster", status_code=202, responses=ERRORS)
def rerun_roster(
    case_id: str,
    number: int,
    body: RosterRerun,
    request: Request,
    response: Response,
    who: Caller = Depends(allow(Role.rota)),
    db: Database = Depends(database),
    runner: JobRunner = Depends(job_runner),
    limits: Settings = Depends(settings),
) -> PlanReviewView:
    """The perfect week solved again after a review, within the case's agreed budget
    (the latest week unless a changed one is given): a job whose roster record is
    linked to the review."""
    with db.read() as session:
        _review(session, case_id, number)
        latest = records.latest(session, case_id, Kind.roster)
    week = body.week
    if week is None:
        if latest is None:
            raise ApiError(409, "the case has no week to solve again: give one")
        stored = json.loads(latest.inputs)["week"]
        week = CaseWeek.model_validate({**stored, "budget": None})
    job = cases.add_roster(
        case_id,
        CaseRosterBody(week=week, time_limit=body.time_limit),
        request,
        response,
        who,
        db,
        runner,
        limits,
    )
    with db.write() as session:
        row, plan = _review(session, case_id, number)
        store.add_rerun(session, row, "roster", who.name, job_id=job.id)
        return _review_view(session, request, row, plan)


# --- across cases -------------------------------------------------------------------------


@router.get("/plans/due", responses=ERRORS)
def plans_due(
    before: date = Query(description="List what is due on or before this date."),
    worker: str | None = Query(default=None, max_length=200, description="Only this worker's."),
    _who: Caller = Depends(CASEWORKER),
    db: Database = Depends(database),
) -> list[due.WorkerDue]:
    """Plan reviews and objective follow-ups due or overdue, by worker."""
    with db.read() as session:
        current = store.current_plans(session)
    return [w for w in due.due(current, before, date.today()) if worker in (None, w.worker)]


@router.get("/plans/themes", responses=ERRORS)
def plan_themes(
    start: date = Query(alias="from"),
    end: date = Query(alias="to"),
    service: str | None = Query(default=None, max_length=80),
    period: themes.Period = "quarter",
    top: int = Query(default=10, ge=1, le=100),
    _who: Caller = Depends(allow(Role.policy)),
    db: Database = Depends(database),
) -> list[themes.ThemeCount]:
    """The most frequent "not working" themes (tags) by service and period, from the
    person's view and others': counts only, no personal details."""
    if end < start:
        _refuse([(("query", "to"), "must be on or after from")])
    with db.read() as session:
        tagged = store.themes(session, start, end, service)
    return themes.most_frequent(tagged, period, top)
