"""Cases: one person's journey from intake to the perfect week, each step a new version.

Order: intake, decision (confirmed or overridden by a person), allocation
(a weekly budget agreed by a person), roster within that budget. A review
makes a step again and records what changed. Every request is in the audit log.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import replace
from datetime import date
from decimal import Decimal
from typing import Any, TypeVar

from fastapi import APIRouter, Depends, Query, Request, Response
from fastapi.concurrency import run_in_threadpool
from sqlalchemy import select
from sqlalchemy.orm import Session

from allocation.budgets.allocation_model import Allocation
from allocation.budgets.unpaid_care import carer_meets
from allocation.roster.carer_met import with_intake
from allocation.roster.week import Week
from api.auth import Caller, allow
from api.deps import database, engines, job_runner, settings
from api.engines import Engines, check_week, roster
from api.http_errors import ERRORS, ApiError, bad_field, not_found
from api.jobs import JobRunner
from api.jsontext import dumps
from api.record_changes import changes
from api.resources import (
    AllocationInputs,
    AllocationRecord,
    AuditView,
    BudgetAsk,
    BudgetVerdict,
    CaseDiff,
    CaseRosterBody,
    CaseSummary,
    CaseView,
    CurrentRecords,
    DecisionRecord,
    DecisionVerdict,
    DeterminationView,
    Determined,
    HistoryEntry,
    IntakeRecord,
    JobView,
    KindDiff,
    NewCase,
    NewDecision,
    NewIntake,
    NewReview,
    RecordView,
    ReviewedRef,
    ReviewRecord,
    ReviewSummary,
    ReviewView,
    RosterInputs,
    RosterRecord,
)
from api.routes.allocations import allocation_request
from api.routes.rosters import capped, job_view
from api.settings import Settings
from api.steps import decision_record, intake_record
from api.storage import records
from api.storage.accounts import Role
from api.storage.database import Database
from api.storage.records import Kind, NewRecord
from api.storage.tables import Case, CaseRecord, Determination, Job
from engine.decision_model import Decision
from engine.intake import Intake

router = APIRouter(prefix="/v1/cases", tags=["cases"])

ANY_CASEWORKER = allow(Role.intake, Role.budget, Role.rota)


# --- reading ------------------------------------------------------------------------


def case_or_404(session: Session, case_id: str, lock: bool = False) -> Case:
    """The case, or a 404 naming it (for every router under /v1/cases)."""
    case = records.get_case(session, case_id, lock=lock)
    if case is None:
        raise not_found(f"case {case_id}")
    return case


def _record(session: Session, case_id: str, kind: Kind, number: int) -> CaseRecord:
    case_or_404(session, case_id)
    found = records.find_record(session, case_id, kind, number)
    if found is None:
        raise not_found(f"{kind.value} {number} of case {case_id}")
    return found


def record_url(request: Request, record: CaseRecord) -> str:
    base = str(request.url_for("read_case", case_id=record.case_id))
    return f"{base}/{record.kind}s/{record.number}"


def _status(record: CaseRecord, verdicts: Sequence[Determination]) -> str:
    if record.kind not in (Kind.decision, Kind.allocation):
        return "record"
    if not verdicts:
        return "recommendation"
    return "confirmed" if verdicts[-1].action == "confirm" else "overridden"


R = TypeVar("R", bound=RecordView[Any, Any])
VIEWS: dict[Kind, type[RecordView[Any, Any]]] = {
    Kind.intake: IntakeRecord,
    Kind.decision: DecisionRecord,
    Kind.allocation: AllocationRecord,
    Kind.roster: RosterRecord,
    Kind.review: ReviewRecord,
}


def _view(view: type[R], session: Session, request: Request, record: CaseRecord) -> R:
    """A stored record as its typed view: the stored JSON read back into its models."""
    verdicts = records.determinations(session, [record.id])
    linked = (session.get(CaseRecord, i) for i in (record.based_on, record.reviews) if i)
    versions = {r.id: r.version for r in linked if r}
    return view.model_validate(
        {
            "case_id": record.case_id,
            "version": record.version,
            "kind": record.kind,
            "number": record.number,
            "url": record_url(request, record),
            "based_on": versions.get(record.based_on) if record.based_on else None,
            "reviews": versions.get(record.reviews) if record.reviews else None,
            "as_of": record.as_of,
            "rulesets": [s.model_dump() for s in records.stamps_of(record)],
            "content_hash": record.content_hash,
            "created_by": record.created_by,
            "created_at": record.created_at,
            "inputs": json.loads(record.inputs),
            "output": json.loads(record.output),
            "determinations": [
                DeterminationView(
                    action=v.action,
                    decided=Determined.model_validate_json(v.body),
                    reason=v.reason,
                    created_by=v.created_by,
                    created_at=v.created_at,
                )
                for v in verdicts
            ],
            "status": _status(record, verdicts),
        }
    )


def _any_view(session: Session, request: Request, record: CaseRecord) -> RecordView[Any, Any]:
    return _view(VIEWS[Kind(record.kind)], session, request, record)


def agreed_budget(session: Session, case_id: str) -> Decimal | None:
    """The weekly budget a person agreed on the latest allocation, if any."""
    allocation = records.latest(session, case_id, Kind.allocation)
    verdict = records.standing(session, allocation) if allocation else None
    if allocation is None or verdict is None:
        return None
    return Determined.model_validate_json(verdict.body).weekly


def _case_view(session: Session, request: Request, case: Case) -> CaseView:
    history = records.history(session, case.id)
    state = records.state_at(history, len(history))
    current = CurrentRecords.model_validate(
        {k.value: _any_view(session, request, r) for k, r in state.items()}
    )
    verdicts = current.allocation.determinations if current.allocation else []
    return CaseView(
        id=case.id,
        person=case.person,
        created_by=case.created_by,
        created_at=case.created_at,
        version=len(history),
        current=current,
        agreed_weekly_budget=verdicts[-1].decided.weekly if verdicts else None,
    )


# --- writing ------------------------------------------------------------------------


def _append(
    view: type[R], db: Database, case_id: str, new: NewRecord, who: Caller, request: Request
) -> R:
    with db.write() as session:
        case = case_or_404(session, case_id, lock=True)
        record = records.add_record(session, case, new, who.name)
        return _view(view, session, request, record)


def _intake_of(session: Session, case_id: str) -> tuple[CaseRecord, Intake]:
    record = records.latest(session, case_id, Kind.intake)
    assert record is not None  # a case is created with its intake
    return record, Intake.model_validate_json(record.output)


@router.post("", status_code=201, responses=ERRORS)
def create_case(
    body: NewCase,
    request: Request,
    response: Response,
    who: Caller = Depends(allow(Role.intake)),
    db: Database = Depends(database),
) -> CaseView:
    """A new case holding its intake, as version 1: both stored in one transaction."""
    person = body.person or body.intake.id or "unnamed"
    with db.write() as session:
        case = records.create_case(session, person, intake_record(body.intake), who.name)
        request.state.case_id = case.id
        view = _case_view(session, request, case)
    response.headers["Location"] = str(request.url_for("read_case", case_id=view.id))
    return view


@router.get("", responses=ERRORS)
def list_cases(
    request: Request,
    _who: Caller = Depends(ANY_CASEWORKER),
    db: Database = Depends(database),
    limit: int = Query(50, ge=1, le=500),
    offset: int = Query(0, ge=0),
) -> list[CaseSummary]:
    with db.read() as session:
        query = select(Case).order_by(Case.created_at, Case.id).limit(limit).offset(offset)
        return [
            CaseSummary(
                id=c.id,
                person=c.person,
                created_at=c.created_at,
                url=str(request.url_for("read_case", case_id=c.id)),
            )
            for c in session.scalars(query)
        ]


@router.get("/{case_id}", name="read_case", responses=ERRORS)
def read_case(
    case_id: str,
    request: Request,
    _who: Caller = Depends(ANY_CASEWORKER),
    db: Database = Depends(database),
) -> CaseView:
    with db.read() as session:
        return _case_view(session, request, case_or_404(session, case_id))


@router.post("/{case_id}/intakes", status_code=201, responses=ERRORS)
def add_intake(
    case_id: str,
    body: NewIntake,
    request: Request,
    who: Caller = Depends(allow(Role.intake)),
    db: Database = Depends(database),
) -> IntakeRecord:
    """A corrected or updated intake: the next version; the earlier ones stay."""
    return _append(IntakeRecord, db, case_id, intake_record(body.intake), who, request)


@router.get("/{case_id}/intakes/{number}", responses=ERRORS)
def read_intake(
    case_id: str,
    number: int,
    request: Request,
    _who: Caller = Depends(ANY_CASEWORKER),
    db: Database = Depends(database),
) -> IntakeRecord:
    with db.read() as session:
        return _view(IntakeRecord, session, request, _record(session, case_id, Kind.intake, number))


@router.post("/{case_id}/decisions", status_code=201, responses=ERRORS)
async def add_decision(
    case_id: str,
    body: NewDecision,
    request: Request,
    who: Caller = Depends(allow(Role.intake)),
    db: Database = Depends(database),
    found: Engines = Depends(engines),
) -> DecisionRecord:
    """The engine's decision on the case's latest intake: a recommendation until a
    person confirms or overrides it."""

    def make() -> DecisionRecord:
        with db.read() as session:
            case_or_404(session, case_id)
            latest_intake, intake = _intake_of(session, case_id)
        new = decision_record(found, latest_intake, intake, body.as_of)
        return _append(DecisionRecord, db, case_id, new, who, request)

    return await run_in_threadpool(make)


@router.get("/{case_id}/decisions/{number}", responses=ERRORS)
def read_decision(
    case_id: str,
    number: int,
    request: Request,
    _who: Caller = Depends(ANY_CASEWORKER),
    db: Database = Depends(database),
) -> DecisionRecord:
    with db.read() as session:
        record = _record(session, case_id, Kind.decision, number)
        return _view(DecisionRecord, session, request, record)


@router.post("/{case_id}/decisions/{number}/determination", status_code=201, responses=ERRORS)
def determine_decision(
    case_id: str,
    number: int,
    body: DecisionVerdict,
    request: Request,
    who: Caller = Depends(allow(Role.intake)),
    db: Database = Depends(database),
) -> DecisionRecord:
    """A person confirms the engine's decision, or overrides outcomes with a reason."""
    with db.write() as session:
        case_or_404(session, case_id, lock=True)
        record = _record(session, case_id, Kind.decision, number)
        decision = Decision.model_validate_json(record.output)
        programmes = {p.id: p.outcome for p in decision.programmes}
        if body.action == "confirm":
            if body.outcomes:
                raise bad_field("outcomes", "only an override changes outcomes")
            decided = Determined(outcomes=programmes)
        else:
            if not body.outcomes:
                raise bad_field("outcomes", "an override names the outcomes it changes")
            unknown = sorted(set(body.outcomes) - set(programmes))
            if unknown:
                raise bad_field(f"outcomes.{unknown[0]}", "this decision has no such programme")
            if not body.reason:
                raise bad_field("reason", "an override needs a reason")
            decided = Determined(outcomes={**programmes, **body.outcomes})
        records.determine(session, record, body.action, dumps(decided), body.reason, who.name)
        return _view(DecisionRecord, session, request, record)


def _allocation_record(
    found: Engines, intake_record: CaseRecord, decision: CaseRecord, intake: Intake, ask: BudgetAsk
) -> NewRecord:
    on = ask.as_of or date.fromisoformat(decision.as_of or date.today().isoformat())
    allocation = found.allocate(allocation_request(intake, ask), on)
    inputs = AllocationInputs.model_validate(
        {**ask.model_dump(), "as_of": on, "intake_version": intake_record.version}
    )
    return NewRecord(
        Kind.allocation,
        dumps(inputs),
        dumps(allocation),
        tuple(allocation.rulesets),
        on,
        based_on=decision.id,
    )


def settled_decision(session: Session, case_id: str) -> CaseRecord:
    """The case's latest decision, once a person has confirmed or overridden it."""
    decision = records.latest(session, case_id, Kind.decision)
    if decision is None or records.standing(session, decision) is None:
        raise ApiError(409, "a person must confirm or override the latest decision first")
    return decision


@router.post("/{case_id}/allocations", status_code=201, responses=ERRORS)
async def add_allocation(
    case_id: str,
    body: BudgetAsk,
    request: Request,
    who: Caller = Depends(allow(Role.budget)),
    db: Database = Depends(database),
    found: Engines = Depends(engines),
) -> AllocationRecord:
    """Indicative budgets by every method for the case's latest intake, once its
    decision has been confirmed or overridden."""

    def make() -> AllocationRecord:
        with db.read() as session:
            case_or_404(session, case_id)
            decision = settled_decision(session, case_id)
            latest_intake, intake = _intake_of(session, case_id)
        new = _allocation_record(found, latest_intake, decision, intake, body)
        return _append(AllocationRecord, db, case_id, new, who, request)

    return await run_in_threadpool(make)


@router.get("/{case_id}/allocations/{number}", responses=ERRORS)
def read_allocation(
    case_id: str,
    number: int,
    request: Request,
    _who: Caller = Depends(ANY_CASEWORKER),
    db: Database = Depends(database),
) -> AllocationRecord:
    with db.read() as session:
        record = _record(session, case_id, Kind.allocation, number)
        return _view(AllocationRecord, session, request, record)


@router.post("/{case_id}/allocations/{number}/determination", status_code=201, responses=ERRORS)
def agree_budget(
    case_id: str,
    number: int,
    body: BudgetVerdict,
    request: Request,
    who: Caller = Depends(allow(Role.budget)),
    db: Database = Depends(database),
) -> AllocationRecord:
    """A person agrees the weekly budget: one method's figure, or another with a reason."""
    with db.write() as session:
        case_or_404(session, case_id, lock=True)
        record = _record(session, case_id, Kind.allocation, number)
        allocation = Allocation.model_validate_json(record.output)
        if body.action == "confirm":
            if body.method is None:
                raise bad_field("method", "name the method whose budget is agreed")
            if body.weekly is not None:
                raise bad_field("weekly", "only an override gives its own figure")
            chosen = allocation.budget(body.method)
            if chosen is None:
                raise bad_field("method", f"{body.method} gave no budget for this person")
            agreed = Determined(method=body.method, weekly=chosen.weekly)
        else:
            if body.weekly is None:
                raise bad_field("weekly", "an override gives the weekly budget agreed")
            if not body.reason:
                raise bad_field("reason", "an override needs a reason")
            agreed = Determined(method=body.method, weekly=body.weekly)
        records.determine(session, record, body.action, dumps(agreed), body.reason, who.name)
        return _view(AllocationRecord, session, request, record)


@router.post("/{case_id}/rosters", status_code=202, responses=ERRORS)
def add_roster(
    case_id: str,
    body: CaseRosterBody,
    request: Request,
    response: Response,
    who: Caller = Depends(allow(Role.rota)),
    db: Database = Depends(database),
    runner: JobRunner = Depends(job_runner),
    found: Settings = Depends(settings),
) -> JobView:
    """The perfect week within the case's agreed budget, solved as a job; when done it
    is the case's next roster record (and, with `review`, a review of an earlier
    roster listing what changed: hours, cost, unmet need)."""
    limit = capped(body.time_limit, found)
    if body.week.budget is not None:
        raise bad_field("week.budget", "the case's agreed budget is used: leave this out")
    with db.read() as session:
        case_or_404(session, case_id)
        budget = agreed_budget(session, case_id)
        _, intake = _intake_of(session, case_id)
        allocation = records.latest(session, case_id, Kind.allocation)
        reviewed = (
            _record(session, case_id, Kind.roster, body.review.number) if body.review else None
        )
    if budget is None or allocation is None:
        raise ApiError(409, "a person must agree the budget (an allocation's determination) first")
    week = Week.model_validate({**body.week.model_dump(), "budget": budget})
    if carer_meets(intake):  # left out of the week (Care Act 2014 s.18(7))
        try:
            week = with_intake(week, intake)
        except ValueError as error:
            raise bad_field("week.people", str(error)) from error
    check_week(week, ("week",))
    inputs = dumps(RosterInputs(week=week, time_limit=limit))
    based_on = allocation.id

    def finish(session: Session, job: Job, result: str) -> None:
        case = case_or_404(session, case_id, lock=True)
        new = NewRecord(Kind.roster, inputs, result, based_on=based_on)
        made = records.add_record(session, case, new, job.created_by)
        job.record_id = made.id
        if body.review is not None and reviewed is not None:
            summary = ReviewSummary(
                reason=body.review.reason,
                reviewed=ReviewedRef(kind="roster", number=reviewed.number),
                redone=ReviewedRef(kind="roster", number=made.number),
                changes=changes("roster", reviewed.output, made.output),
            )
            review = NewRecord(
                Kind.review,
                dumps(body.review),
                dumps(summary),
                based_on=made.id,
                reviews=reviewed.id,
            )
            records.add_record(session, case, review, job.created_by)

    job = runner.submit(
        "roster", inputs, who.name, lambda: dumps(roster(week, limit)), finish, case_id
    )
    view = job_view(request, job)
    response.headers["Location"] = view.status_url
    return view


@router.get("/{case_id}/rosters/{number}", responses=ERRORS)
def read_roster(
    case_id: str,
    number: int,
    request: Request,
    _who: Caller = Depends(ANY_CASEWORKER),
    db: Database = Depends(database),
) -> RosterRecord:
    with db.read() as session:
        record = _record(session, case_id, Kind.roster, number)
        return _view(RosterRecord, session, request, record)


@router.post("/{case_id}/reviews", status_code=201, responses=ERRORS)
async def add_review(
    case_id: str,
    body: NewReview,
    request: Request,
    who: Caller = Depends(ANY_CASEWORKER),
    db: Database = Depends(database),
    found: Engines = Depends(engines),
) -> ReviewView:
    """Look again at a decision or allocation: made again (on a new intake if one is
    given), then a review record points to both and lists what changed."""
    kind = Kind(body.reviews.kind)
    needs = Role.intake if kind is Kind.decision else Role.budget
    if who.role not in (needs, Role.admin):
        raise ApiError(403, f"the role {who.role.value} may not review a {kind.value}")

    def make() -> ReviewView:
        with db.read() as session:
            reviewed = _record(session, case_id, kind, body.reviews.number)
            latest_intake, intake = _intake_of(session, case_id)
            decision = records.latest(session, case_id, Kind.decision)
        intake = body.intake or intake
        if kind is Kind.decision:
            redo = decision_record(found, latest_intake, intake, body.as_of)
        else:
            assert decision is not None  # an allocation follows a decision
            stored = AllocationInputs.model_validate_json(reviewed.inputs)
            ask = BudgetAsk.model_validate(
                {
                    **stored.model_dump(exclude={"intake_version"}),
                    "as_of": body.as_of or stored.as_of,
                }
            )
            redo = _allocation_record(found, latest_intake, decision, intake, ask)
        with db.write() as session:
            case = case_or_404(session, case_id, lock=True)
            if body.intake is not None:
                fresh = records.add_record(session, case, intake_record(body.intake), who.name)
                if kind is Kind.decision:
                    redo = replace(redo, based_on=fresh.id)
                else:
                    inputs = AllocationInputs.model_validate_json(redo.inputs)
                    read = inputs.model_copy(update={"intake_version": fresh.version})
                    redo = replace(redo, inputs=dumps(read))
            made = records.add_record(session, case, redo, who.name)
            found_changes = changes(kind.value, reviewed.output, made.output)
            summary = ReviewSummary(
                reason=body.reason,
                reviewed=ReviewedRef(kind=body.reviews.kind, number=reviewed.number),
                redone=ReviewedRef(kind=body.reviews.kind, number=made.number),
                changes=found_changes,
            )
            review = records.add_record(
                session,
                case,
                NewRecord(
                    Kind.review,
                    dumps(body),
                    dumps(summary),
                    records.stamps_of(made),
                    based_on=made.id,
                    reviews=reviewed.id,
                ),
                who.name,
            )
            redone = DecisionRecord if kind is Kind.decision else AllocationRecord
            return ReviewView(
                review=_view(ReviewRecord, session, request, review),
                redone=_view(redone, session, request, made),
                changes=found_changes,
            )

    return await run_in_threadpool(make)


@router.get("/{case_id}/history", name="case_history", responses=ERRORS)
def case_history(
    case_id: str,
    request: Request,
    _who: Caller = Depends(ANY_CASEWORKER),
    db: Database = Depends(database),
) -> list[HistoryEntry]:
    """Every version of the case, oldest first, with who made it and under which rules."""
    with db.read() as session:
        case_or_404(session, case_id)
        history = records.history(session, case_id)
        verdicts = records.determinations(session, [r.id for r in history])
        return [
            HistoryEntry(
                version=r.version,
                kind=r.kind,
                number=r.number,
                url=record_url(request, r),
                content_hash=r.content_hash,
                rulesets=list(records.stamps_of(r)),
                created_by=r.created_by,
                created_at=r.created_at,
                status=_status(r, [v for v in verdicts if v.record_id == r.id]),
            )
            for r in history
        ]


@router.get("/{case_id}/diff", responses=ERRORS)
def case_diff(
    case_id: str,
    _who: Caller = Depends(ANY_CASEWORKER),
    db: Database = Depends(database),
    from_version: int = Query(alias="from", ge=1),
    to_version: int = Query(alias="to", ge=1),
) -> CaseDiff:
    """What changed between two versions of the case, step by step."""
    with db.read() as session:
        case_or_404(session, case_id)
        history = records.history(session, case_id)
    for name, version in (("from", from_version), ("to", to_version)):
        if version > len(history):
            raise ApiError(404, f"case {case_id} has no version {version} (query {name})")
    before = records.state_at(history, from_version)
    after = records.state_at(history, to_version)
    kinds = []
    for kind in (Kind.intake, Kind.decision, Kind.allocation, Kind.roster):
        old, new = before.get(kind), after.get(kind)
        if old is new:
            continue
        kinds.append(
            KindDiff(
                kind=kind.value,
                before=old.version if old else None,
                after=new.version if new else None,
                changes=changes(
                    kind.value, old.output if old else None, new.output if new else None
                ),
            )
        )
    return CaseDiff(case_id=case_id, from_version=from_version, to_version=to_version, kinds=kinds)


@router.get("/{case_id}/audit", responses=ERRORS)
def case_audit(
    case_id: str,
    _who: Caller = Depends(allow()),
    db: Database = Depends(database),
) -> list[AuditView]:
    """Every read and write of the case: who, when, what, and the answer's status."""
    with db.read() as session:
        case_or_404(session, case_id)
        return [
            AuditView(
                at=e.at,
                user=e.user_name,
                role=e.role,
                action=e.action,
                method=e.method,
                path=e.path,
                status=e.status,
            )
            for e in records.audit_trail(session, case_id)
        ]
