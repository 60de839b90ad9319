"""The shapes the API reads and writes, beyond the engine's own models.

Requests are strict (an unknown field is a 422 naming it). A stored record is
served with the exact JSON it was stored with, parsed back into its model.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Generic, Literal, TypeVar

from pydantic import BaseModel, Field

from allocation.budgets.allocation_model import Allocation
from allocation.budgets.requests import PlanLine
from allocation.roster.output import RosterResult
from allocation.roster.week import Week
from engine.common import Money, Strict
from engine.decision_model import Decision, Outcome, RulesetStamp
from engine.intake import Intake
from engine.ruleset_files import Identifier, ProgrammeId

RecordKind = Literal["intake", "decision", "allocation", "roster", "review"]
MethodName = Literal["ras", "costing", "isf"]


# --- stateless requests -----------------------------------------------------------


class EligibilityRequest(Strict):
    intake: Intake
    as_of: date | None = Field(default=None, description="Decide as on this date; default today.")


class BudgetAsk(Strict):
    """What the budget methods need beyond the intake."""

    questionnaire: dict[Identifier, Identifier] | None = Field(
        default=None, description="RAS answers: question id to answer id."
    )
    support_plan: list[PlanLine] | None = None
    personal_control_weekly: Money | None = None
    as_of: date | None = None


class AllocationBody(BudgetAsk):
    intake: Intake


class RosterBody(Strict):
    week: Week
    time_limit: float = Field(default=10.0, gt=0, description="Seconds; capped by the server.")


class CaseWeek(Week):
    """A WEEK whose budget is the one agreed for the case (any budget given is refused)."""

    budget: Money | None = Field(
        default=None, description="Leave out: the case's agreed weekly budget is used."
    )


class RosterReview(Strict):
    """Make the week again as a review of roster `number`; the review lists what changed."""

    number: int = Field(ge=1)
    reason: str = Field(min_length=1, max_length=4000)


class CaseRosterBody(Strict):
    week: CaseWeek
    time_limit: float = Field(default=10.0, gt=0, description="Seconds; capped by the server.")
    review: RosterReview | None = None


class JobView(BaseModel):
    id: str
    kind: str
    status: Literal["queued", "running", "done", "failed"]
    status_url: str
    case_id: str | None = None
    record_url: str | None = None
    error: str | None = None
    created_by: str
    created_at: datetime
    finished_at: datetime | None = None
    result: RosterResult | None = None


# --- cases --------------------------------------------------------------------------


class NewCase(Strict):
    intake: Intake
    person: str | None = Field(
        default=None, max_length=200, description="A label for the case; default the intake's id."
    )


class NewIntake(Strict):
    intake: Intake


class NewDecision(Strict):
    as_of: date | None = None


class DecisionVerdict(Strict):
    """A person's word on an engine decision: confirm it, or override outcomes with a reason."""

    action: Literal["confirm", "override"]
    outcomes: dict[ProgrammeId, Outcome] | None = Field(
        default=None, description="override: the outcome decided for each programme changed."
    )
    reason: str | None = Field(default=None, max_length=4000)


class BudgetVerdict(Strict):
    """Agree a weekly budget: confirm one method's figure, or override it with a reason."""

    action: Literal["confirm", "override"]
    method: MethodName | None = Field(default=None, description="confirm: the method agreed.")
    weekly: Money | None = Field(default=None, description="override: the weekly budget agreed.")
    reason: str | None = Field(default=None, max_length=4000)


class RecordRef(Strict):
    kind: Literal["decision", "allocation"]
    number: int = Field(ge=1)


class ReviewedRef(Strict):
    kind: Literal["decision", "allocation", "roster"]
    number: int = Field(ge=1)


class NewReview(Strict):
    """Look again at a decision or allocation: it is made again (with a new intake, if
    given) and the review records what changed."""

    reviews: RecordRef
    reason: str = Field(min_length=1, max_length=4000)
    intake: Intake | None = None
    as_of: date | None = None


class Determined(BaseModel):
    """What a person decided: every programme's outcome, or the weekly budget agreed."""

    outcomes: dict[str, Outcome] | None = None
    method: MethodName | None = None
    weekly: Decimal | None = None


class DeterminationView(BaseModel):
    action: Literal["confirm", "override"]
    decided: Determined
    reason: str | None
    created_by: str
    created_at: datetime


class Change(BaseModel):
    field: str
    before: str | None
    after: str | None


class ReviewSummary(BaseModel):
    """A review's record: why, which record it looked at, the one made, what changed."""

    reason: str
    reviewed: ReviewedRef
    redone: ReviewedRef
    changes: list[Change]


class AllocationInputs(BudgetAsk):
    intake_version: int = Field(description="The version of the case's intake it read.")


class RosterInputs(Strict):
    week: Week
    time_limit: float


In = TypeVar("In", bound=BaseModel)
Out = TypeVar("Out", bound=BaseModel)


class RecordView(BaseModel, Generic[In, Out]):
    """One stored step of a case: what it read, what it answered, under which rules."""

    case_id: str
    version: int
    kind: RecordKind
    number: int
    url: str
    based_on: int | None = Field(description="Version of the case this step was built on.")
    reviews: int | None = Field(description="For a review: the version it looks again at.")
    as_of: date | None
    rulesets: list[RulesetStamp]
    content_hash: str = Field(description="sha256 of the output exactly as stored.")
    created_by: str
    created_at: datetime
    inputs: In
    output: Out
    determinations: list[DeterminationView] = []
    status: Literal["recommendation", "confirmed", "overridden", "record"] = Field(
        description="decision/allocation: a recommendation until a person confirms or overrides."
    )


class IntakeRecord(RecordView[Intake, Intake]):
    pass


class DecisionRecord(RecordView[EligibilityRequest, Decision]):
    pass


class AllocationRecord(RecordView[AllocationInputs, Allocation]):
    pass


class RosterRecord(RecordView[RosterInputs, RosterResult]):
    pass


class ReviewRecord(RecordView[NewReview | RosterReview, ReviewSummary]):
    pass


class CurrentRecords(BaseModel):
    """The latest record of each kind."""

    intake: IntakeRecord
    decision: DecisionRecord | None = None
    allocation: AllocationRecord | None = None
    roster: RosterRecord | None = None
    review: ReviewRecord | None = None


class CaseView(BaseModel):
    id: str
    person: str
    created_by: str
    created_at: datetime
    version: int
    current: CurrentRecords
    agreed_weekly_budget: Decimal | None


class HistoryEntry(BaseModel):
    version: int
    kind: RecordKind
    number: int
    url: str
    content_hash: str
    rulesets: list[RulesetStamp]
    created_by: str
    created_at: datetime
    status: str


class CaseSummary(BaseModel):
    id: str
    person: str
    created_at: datetime
    url: str


class KindDiff(BaseModel):
    kind: RecordKind
    before: int | None = Field(description="The version holding this kind at `from`.")
    after: int | None
    changes: list[Change]


class CaseDiff(BaseModel):
    case_id: str
    from_version: int
    to_version: int
    kinds: list[KindDiff]


class ReviewView(BaseModel):
    review: ReviewRecord
    redone: DecisionRecord | AllocationRecord
    changes: list[Change]


class AuditView(BaseModel):
    at: datetime
    user: str
    role: str
    action: str
    method: str
    path: str
    status: int


# --- rulesets -----------------------------------------------------------------------


class DatedView(BaseModel):
    starts: date
    value: str
    source: str


class ParameterView(BaseModel):
    name: str
    values: list[DatedView]


class ProgrammeView(BaseModel):
    id: str
    title: str
    source: str
    parameters: list[ParameterView]
    criteria: list[str]


class MethodView(BaseModel):
    id: str
    method: str
    title: str
    source: str
    parameters: list[ParameterView]


class RulesetView(BaseModel):
    id: str
    title: str
    version: str
    hash: str
    country: str
    region: str | None
    effective_from: date | None = Field(description="The earliest date any value takes effect.")
    programmes: list[ProgrammeView]
    budget_methods: list[MethodView]


class StoredVersionView(BaseModel):
    id: str
    version: str
    hash: str
    title: str
    stored_at: datetime
    files: list[str] = []
