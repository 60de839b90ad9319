"""A review of a plan: progress on each objective, who took part, and the person-centred
questions that start the cycle again (what is working and not working, from the person's
view and others', whether the allocation should change, outcomes for next year, changes
to the perfect week).

`review_problems` checks a review against the plan it reviews, each problem with its field.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated, Literal

from pydantic import Field, StringConstraints

from api.plans.checks import Found
from api.plans.plan_model import MAX_ITEMS, Label, Measure, Plan, Words
from engine.common import Strict
from engine.ruleset_files import Identifier

# Progress, worst first; the first two are not satisfactory and need a revision or a reason.
Rating = Literal["worse", "no_change", "some_progress", "good_progress", "met"]
UNSATISFACTORY: frozenset[str] = frozenset({"worse", "no_change"})
Role = Literal["person", "family", "friend", "worker", "provider", "advocate", "clinician", "other"]
# A theme's tag carries no personal detail: lower-case words joined by hyphens.
Tag = Annotated[str, StringConstraints(pattern=r"^[a-z]+(-[a-z]+)*$", max_length=40)]


class Progress(Strict):
    goal: Identifier
    objective: Identifier
    rating: Rating
    value: Measure = Field(description="The indicator's value now.")
    note: Words | None = None


class Participant(Strict):
    name: Label
    role: Role = Field(description="`person`: the person the plan is for (always there).")


class Theme(Strict):
    said: Words = Field(description="What was said (kept in the case only).")
    tags: list[Tag] = Field(min_length=1, max_length=10, description="For the aggregate report.")


class Views(Strict):
    person: list[Theme] = Field(default_factory=list, max_length=MAX_ITEMS)
    others: list[Theme] = Field(default_factory=list, max_length=MAX_ITEMS)


class AllocationQuestion(Strict):
    needs_change: bool
    why: Words | None = None


class NewPlanReview(Strict):
    held_on: date
    participants: list[Participant] = Field(min_length=1, max_length=MAX_ITEMS)
    progress: list[Progress] = Field(max_length=1000)
    changes: list[Words] = Field(default_factory=list, max_length=MAX_ITEMS)
    working: Views
    not_working: Views
    allocation: AllocationQuestion
    outcomes_next_year: list[Words] = Field(min_length=1, max_length=MAX_ITEMS)
    perfect_week_changes: list[Words] = Field(default_factory=list, max_length=MAX_ITEMS)
    revision: Plan | None = Field(default=None, description="The revised plan, if revised.")
    not_revised_because: Words | None = None
    next_review_on: date | None = Field(
        default=None, description="Without a revision: when the plan is next reviewed."
    )

    def unsatisfactory(self) -> list[Progress]:
        return [p for p in self.progress if p.rating in UNSATISFACTORY]


def review_problems(review: NewPlanReview, plan: Plan, today: date) -> Found:
    """The review against the plan version it reviews."""
    found: Found = []
    if not any(p.role == "person" for p in review.participants):
        found.append((("participants",), "the person always takes part in their review"))
    if review.held_on > today:
        found.append((("held_on",), f"{review.held_on} is after today ({today})"))
    expected = {(g.id, o.id) for g, o in plan.objectives()}
    seen: set[tuple[str, str]] = set()
    for i, progress in enumerate(review.progress):
        key = (progress.goal, progress.objective)
        if key not in expected:
            found.append(
                (("progress", i), f"the plan has no objective {key[1]!r} in goal {key[0]!r}")
            )
        elif key in seen:
            found.append((("progress", i), "progress on this objective is given twice"))
        seen.add(key)
    for goal_id, objective_id in sorted(expected - seen):
        found.append((("progress",), f"no progress given for {goal_id}.{objective_id}"))
    revised = review.revision is not None
    if review.unsatisfactory() and not revised and review.not_revised_because is None:
        found.append(
            (
                ("not_revised_because",),
                "progress is not satisfactory: revise the plan or say why not",
            )
        )
    if revised and review.not_revised_because is not None:
        found.append((("not_revised_because",), "the plan is revised: leave this out"))
    if revised and review.next_review_on is not None:
        found.append((("next_review_on",), "the revision's review_on is the next review"))
    if not revised and review.next_review_on is None:
        found.append((("next_review_on",), "say when the plan is next reviewed"))
    if review.next_review_on is not None and review.next_review_on <= review.held_on:
        found.append((("next_review_on",), "must be after the review (held_on)"))
    if review.allocation.needs_change and review.allocation.why is None:
        found.append((("allocation", "why"), "say why the allocation needs to change"))
    return found


def met_objectives(review: NewPlanReview, plan: Plan) -> set[tuple[str, str]]:
    """Objectives the review found met: rated met, or the new value reaches the target."""
    targets = {(g.id, o.id): o for g, o in plan.objectives()}
    return {
        (p.goal, p.objective)
        for p in review.progress
        if (p.goal, p.objective) in targets
        and (p.rating == "met" or targets[(p.goal, p.objective)].met_by(p.value))
    }
