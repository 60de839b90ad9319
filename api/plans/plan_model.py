"""The support plan as agreed with the person: one model for the CLI, the API and storage.

Each value is checked here on its own (an objective without an indicator,
target or date, a goal without an objective); checks that need the whole
plan, the case's decision or today's date are in `request_checks.py`, where each
problem gets its own field path.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Annotated, Literal

from pydantic import Field, StringConstraints, model_validator

from allocation.roster.week import Name
from engine.common import Strict
from engine.intake import StageOfChange
from engine.ruleset_files import Identifier

Words = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=2000)]
Label = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)]
NeedId = Annotated[
    str, StringConstraints(pattern=r"^[a-z][a-z0-9_]*\.[a-z][a-z0-9_]*$", max_length=120)
]
Measure = Annotated[Decimal, Field(ge=-1_000_000, le=1_000_000, decimal_places=4)]
AsamDimension = Literal[
    "withdrawal",
    "biomedical",
    "emotional_behavioural",
    "readiness",
    "relapse_risk",
    "recovery_environment",
]
MethodName = Literal["ras", "costing", "isf"]
MAX_ITEMS = 100


class Objective(Strict):
    """A measurable step towards a goal: an indicator moved from baseline to target by a date."""

    id: Identifier
    description: Words = Field(description="What will be different, in plain words.")
    indicator: Label = Field(description="What is counted or measured.")
    unit: Label | None = Field(default=None, description="e.g. 'times a week'.")
    baseline: Measure = Field(description="The indicator's value when the plan was made.")
    target: Measure
    by: date = Field(description="When the target should be reached.")
    follow_up: date = Field(description="When progress on it is next looked at.")

    @model_validator(mode="after")
    def _measurable(self) -> Objective:
        if self.target == self.baseline:
            raise ValueError("target: must differ from the baseline, or nothing is measured")
        if self.follow_up > self.by:
            raise ValueError("follow_up: must be on or before the target date (by)")
        return self

    def met_by(self, value: Decimal) -> bool:
        """Whether `value` reaches the target, in the direction from baseline to target."""
        return value >= self.target if self.target > self.baseline else value <= self.target


class Goal(Strict):
    """What the person wants, in their own words, and how they and others will get there."""

    id: Identifier
    own_words: Words = Field(description="The person's goal as they said it.")
    worker_summary: Words | None = Field(
        default=None, description="The worker's summary beside it."
    )
    needs: list[NeedId] = Field(
        default_factory=list, max_length=MAX_ITEMS, description="Eligible needs it addresses."
    )
    condition: Identifier | None = Field(
        default=None, description="For co-occurring conditions: the condition's goal set."
    )
    objectives: list[Objective] = Field(min_length=1, max_length=MAX_ITEMS)
    strategies: list[Words] = Field(default_factory=list, max_length=MAX_ITEMS)
    person_will: list[Words] = Field(
        default_factory=list, max_length=MAX_ITEMS, description="What the person is willing to do."
    )


class Condition(Strict):
    """One of co-occurring conditions: its stage of change, ASAM links and discharge criteria."""

    id: Identifier
    name: Label
    stage_of_change: StageOfChange
    asam_dimensions: list[AsamDimension] = Field(default_factory=list)
    level_of_care: Label | None = Field(
        default=None, description="Filled from the case's decision when it recommends one."
    )
    level_of_care_reason: Words | None = Field(
        default=None, description="Why, when the level differs from the decision's."
    )
    discharge_criteria: list[Words] = Field(min_length=1, max_length=MAX_ITEMS)


class Supporter(Strict):
    """Someone who supports the person, and what they do (natural or paid, any agency)."""

    name: Label
    relationship: Label = Field(description="e.g. daughter, personal assistant, GP.")
    does: Words = Field(description="What they do, in plain words.")
    agency: Label | None = None
    roster_id: Name | None = Field(default=None, description="Their id in the perfect week.")


class Deferral(Strict):
    """An eligible need the plan does not address now, and why (recorded, never silent)."""

    need: NeedId
    reason: Words


class BlockLink(Strict):
    """Blocks of the perfect week that serve a goal: the person's blocks with this activity."""

    person: Name
    activity: Label
    goal: Identifier


class LineLink(Strict):
    """A budget line that serves a goal: the agreed method's line with this label."""

    method: MethodName
    label: Label
    goal: Identifier


class Plan(Strict):
    worker: Label = Field(description="The worker responsible (reviews due are listed by them).")
    service: Identifier = Field(description="The service, for reports across reviews.")
    about_me: Words | None = Field(default=None, description="What matters to the person.")
    strengths: list[Words] = Field(default_factory=list, max_length=MAX_ITEMS)
    people: list[Supporter] = Field(default_factory=list, max_length=MAX_ITEMS)
    conditions: list[Condition] = Field(default_factory=list, max_length=MAX_ITEMS)
    goals: list[Goal] = Field(min_length=1, max_length=MAX_ITEMS)
    deferred: list[Deferral] = Field(default_factory=list, max_length=MAX_ITEMS)
    blocks: list[BlockLink] = Field(default_factory=list, max_length=MAX_ITEMS)
    budget_lines: list[LineLink] = Field(default_factory=list, max_length=MAX_ITEMS)
    review_on: date = Field(description="When the whole plan is next reviewed.")

    def goal(self, goal_id: str) -> Goal | None:
        return next((g for g in self.goals if g.id == goal_id), None)

    def objectives(self) -> list[tuple[Goal, Objective]]:
        return [(g, o) for g in self.goals for o in g.objectives]
