"""Reviews and follow-ups due or overdue, by worker: for `plans due` and GET /v1/plans/due.

For each case's current plan version: the plan review is due on the date the
last review of this version set (`next_review_on`), or else the version's own
`review_on`; each objective's follow-up is due on its date until a review of
this version records progress on it. Pure: stored rows in, a list out.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Literal

from pydantic import Field

from api.plans.plan_model import Plan
from api.plans.review_model import NewPlanReview
from engine.common import Strict


class DueItem(Strict):
    case_id: str
    person: str
    plan_version: int
    what: Literal["plan_review", "follow_up"]
    goal: str | None = None
    objective: str | None = None
    due_on: date
    overdue: bool = Field(description="Due before today.")


class WorkerDue(Strict):
    worker: str
    items: list[DueItem]


class CurrentPlan(Strict):
    """A case's current plan version and the reviews made of it, as stored."""

    case_id: str
    person: str
    version: int
    plan: Plan
    reviews: list[NewPlanReview]
    next_review_on: date | None = Field(description="Set by the last review of this version.")


def due(plans: Sequence[CurrentPlan], before: date, today: date) -> list[WorkerDue]:
    """Everything due on or before `before`, grouped by worker, earliest first."""
    by_worker: dict[str, list[DueItem]] = {}
    for current in plans:
        items = by_worker.setdefault(current.plan.worker, [])
        review_on = current.next_review_on or current.plan.review_on
        common = {
            "case_id": current.case_id,
            "person": current.person,
            "plan_version": current.version,
        }
        if review_on <= before:
            items.append(
                DueItem(**common, what="plan_review", due_on=review_on, overdue=review_on < today)
            )
        looked_at = {(p.goal, p.objective) for r in current.reviews for p in r.progress}
        for goal, objective in current.plan.objectives():
            if (goal.id, objective.id) in looked_at or objective.follow_up > before:
                continue
            items.append(
                DueItem(
                    **common,
                    what="follow_up",
                    goal=goal.id,
                    objective=objective.id,
                    due_on=objective.follow_up,
                    overdue=objective.follow_up < today,
                )
            )
    return [
        WorkerDue(worker=worker, items=sorted(items, key=lambda i: (i.due_on, i.case_id, i.what)))
        for worker, items in sorted(by_worker.items())
        if items
    ]
