"""The Decision (docs/design.md, "Decision JSON"): one case's answer, as pydantic models.

The one copy of the contract: `engine.decisions` builds it, the command line
prints it, the allocator reads it, the service stores and serves it. The JSON
(`model_dump(mode="json")`) is the documented contract; reading that JSON back
(`model_validate_json`) gives an equal model.
"""

from __future__ import annotations

from datetime import date
from typing import Literal

from pydantic import Field, JsonValue

from engine.common import Strict

Outcome = Literal["eligible", "not_eligible", "needs_information"]
OUTCOME: dict[bool | None, Outcome] = {
    True: "eligible",
    False: "not_eligible",
    None: "needs_information",  # the decision is unknown: a value it reads is missing
}


class RulesetStamp(Strict):
    """Which rules decided: a ruleset's id, version and content hash."""

    id: str
    version: str
    hash: str


class Criterion(Strict):
    """A criterion's verdict: `met` is None when the intake lacks what it needs."""

    id: str
    met: bool | None
    explain: str
    source: str


class CriterionResult(Criterion):
    inputs: dict[str, JsonValue] = Field(
        description="Each value the criterion read, by name (null when missing)."
    )


class NearMiss(Strict):
    """A numeric comparison that failed, and how far its input must move to pass."""

    input: str
    value: int | float
    needs: str
    gap: int | float
    relative_gap: float = Field(description="`gap` divided by the threshold.")
    criterion: str
    only_criterion_failing: bool = Field(
        description="This criterion alone stands between the person and eligibility."
    )


class ProgrammeResult(Strict):
    """A programme's named result (e.g. a level of care); `value` None when unknown."""

    name: str
    value: str | None
    explain: str
    source: str


class AmountStep(Strict):
    """One step of the arithmetic of a programme's amount."""

    name: str
    value: JsonValue
    explain: str


class ProgrammeAmount(Strict):
    """What the programme gives (e.g. a monthly benefit), step by step.

    `value` is None unless the programme is eligible and every step is known.
    """

    name: str
    value: int | float | None
    unit: str
    explain: str
    source: str
    steps: list[AmountStep]


class ProgrammeDecision(Strict):
    id: str
    ruleset: str
    title: str
    source: str
    outcome: Outcome
    relevant: bool = Field(
        default=True,
        description="False when the programme cannot apply to this person on what is known "
        "(its relevance criterion is not met): it is then not asked about.",
    )
    words: str | None = Field(default=None, description="The outcome in the programme's own words.")
    criteria: list[CriterionResult]
    near_misses: list[NearMiss]
    amount: ProgrammeAmount | None = Field(
        default=None, exclude_if=lambda value: value is None, description="Absent when none."
    )
    result: ProgrammeResult | None = Field(
        default=None, exclude_if=lambda value: value is None, description="Absent when none."
    )


class Question(Strict):
    """A field to ask for, and the programmes still undecided for want of it."""

    field: str
    settles: list[str] = Field(description="Programme ids it could decide.")


class Decision(Strict):
    """Every programme that applies to one intake, decided as on `as_of`."""

    rulesets: list[RulesetStamp]
    as_of: date
    programmes: list[ProgrammeDecision] = Field(description="Each after those it reads.")
    ask_next: list[str] = Field(description="Missing fields, those blocking most first.")
    questions: list[Question] = Field(
        default_factory=list,
        description="`ask_next` with, for each field, the programmes it could decide: "
        "relevant, undecided programmes (only those applied for, when the intake names them).",
    )

    def programme(self, programme_id: str) -> ProgrammeDecision | None:
        return next((p for p in self.programmes if p.id == programme_id), None)
