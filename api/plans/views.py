"""What the plan's endpoints read and answer, beyond the plan and review models."""

from __future__ import annotations

from datetime import date, datetime

from pydantic import BaseModel, Field

from api.plans.needs import NeedCover
from api.plans.plan_model import Plan, Words
from api.plans.review_model import NewPlanReview
from api.plans.revisions import PlanChange
from api.plans.supports import PlanSupports
from api.resources import CaseWeek, JobView
from engine.common import Strict


class NewPlan(Strict):
    plan: Plan
    reason: Words | None = Field(
        default=None, description="Why the plan is revised (needed for every version after 1)."
    )


class PlanVersionView(BaseModel):
    case_id: str
    number: int
    url: str
    plan: Plan
    changes: list[PlanChange]
    reason: str | None
    review: int | None = Field(description="The review this revision came from.")
    decision: int = Field(description="The decision (number) whose needs the plan answers.")
    content_hash: str
    created_by: str
    created_at: datetime
    needs: list[NeedCover]
    flagged: list[str] = Field(description="Eligible needs with no goal and no deferral reason.")
    supports: PlanSupports


class PlanHistoryEntry(BaseModel):
    number: int
    url: str
    changes: list[PlanChange]
    reason: str | None
    review: int | None
    content_hash: str
    created_by: str
    created_at: datetime


class RerunView(BaseModel):
    kind: str
    record_url: str | None = None
    job: JobView | None = None
    created_by: str
    created_at: datetime


class PlanReviewView(BaseModel):
    case_id: str
    number: int
    url: str
    plan_version: int = Field(description="The plan version reviewed.")
    revised_to: int | None = Field(description="The plan version this review made, if any.")
    review: NewPlanReview
    met: list[str] = Field(description="Objectives found met (goal.objective).")
    unsatisfactory: list[str] = Field(description="Objectives rated worse or no change.")
    next_review_on: date
    reruns: list[RerunView]
    created_by: str
    created_at: datetime


class RosterRerun(Strict):
    """The perfect week solved again from a review: the case's latest week unless given."""

    week: CaseWeek | None = None
    time_limit: float = Field(default=10.0, gt=0, description="Seconds; capped by the server.")
