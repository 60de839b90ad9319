"""The schema of `allocation-*.yaml` files: budget methods that policy staff write.

Every figure that changes over time (a price per point, a unit cost, an
allowance) is a dated parameter, written as in eligibility rulesets
(`{from, value, source}`); the structure (domains, support types, bands)
names the parameters it uses. Which parameters each method must have, and of
what kind, is declared here beside its model (`REQUIRED`).
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from enum import StrEnum
from typing import ClassVar, Literal

from pydantic import Field, model_validator

from engine.common import refuse_repeats
from engine.intake import Outcome
from engine.ruleset_files import FileModel, Identifier, ParameterSpec, ProgrammeId, Status, Text


class Kind(StrEnum):
    """What a parameter's values must be."""

    number = "a number of 0 or more"
    flag = "true or false"
    names = "a list of names"


class MethodFile(FileModel):
    id: ProgrammeId
    title: Text
    source: Text
    description: Text | None = None
    requires_eligible: list[ProgrammeId] = Field(
        min_length=1, description="Programmes whose decision must be eligible before an allocation."
    )
    method: str
    parameters: dict[Identifier, ParameterSpec] = Field(default_factory=dict)

    REQUIRED: ClassVar[dict[str, Kind]] = {}

    def references(self) -> list[tuple[tuple[str | int, ...], str]]:
        """(location, parameter name) of every number parameter the structure names."""
        return []


# --- RAS ----------------------------------------------------------------------


class RasQuestion(FileModel):
    """A questionnaire item: what it asks, and the source it asks it under."""

    id: Identifier
    title: Text
    question: Text
    source: Text


class Answer(FileModel):
    id: Identifier
    points: int = Field(ge=0, le=1000)
    explain: Text


class Domain(RasQuestion):
    """A questionnaire domain; its answers run from least to most need."""

    answers: list[Answer] = Field(min_length=2)
    outcomes: list[Outcome] = Field(
        default_factory=list,
        description="The specified outcomes (SI 2015/313 reg. 2(2)) it scores: it scores 0 when "
        "a carer willing and able to go on meets them all (Care Act 2014 s.18(7)).",
    )

    @model_validator(mode="after")
    def _need_rises_with_points(self) -> Domain:
        refuse_repeats([a.id for a in self.answers], "answer")
        refuse_repeats([o.value for o in self.outcomes], "outcome")
        for lower, higher in zip(self.answers, self.answers[1:], strict=False):
            if higher.points < lower.points:
                raise ValueError(
                    f"answers run from least to most need, so points never fall: "
                    f"{higher.id!r} ({higher.points}) comes after {lower.id!r} ({lower.points})"
                )
        return self


class AdjustmentAnswer(FileModel):
    id: Identifier
    explain: Text
    points: int = Field(default=0, ge=-1000, le=1000)
    percent: Decimal = Field(default=Decimal(0), ge=-100, le=100)


class Adjustment(RasQuestion):
    """A question that moves the budget without being a need (e.g. unpaid support)."""

    answers: list[AdjustmentAnswer] = Field(min_length=1)
    unpaid_care: bool = Field(
        default=False,
        description="It moves the budget for care family or friends give: the same care as the "
        "domains a willing and able carer meets, so only the larger reduction is taken.",
    )

    @model_validator(mode="after")
    def _answers_once(self) -> Adjustment:
        refuse_repeats([a.id for a in self.answers], "answer")
        return self


class Band(FileModel):
    """From `min_points` up to the next band: the budget is held between floor and cap."""

    id: Identifier
    min_points: int = Field(ge=0)
    explain: Text
    floor: Identifier | None = None
    cap: Identifier | None = None


class Citation(FileModel):
    """Where a choice written into a file's structure comes from, and how far it was checked."""

    source: Text
    status: Status
    reviewed: date


class RasFile(MethodFile):
    method: Literal["ras"]
    domains: list[Domain] = Field(min_length=1)
    domain_outcomes: Citation | None = Field(
        default=None, description="Whose mapping of domains to outcomes it is (given with one)."
    )
    bands: list[Band] = Field(min_length=1)
    adjustments: list[Adjustment] = Field(default_factory=list)

    REQUIRED: ClassVar[dict[str, Kind]] = {
        "price_per_point": Kind.number,
        "sufficiency_margin": Kind.number,
    }

    @model_validator(mode="after")
    def _structure(self) -> RasFile:
        refuse_repeats(
            [d.id for d in self.domains] + [a.id for a in self.adjustments], "question id"
        )
        refuse_repeats([b.id for b in self.bands], "band")
        if any(d.outcomes for d in self.domains) and self.domain_outcomes is None:
            raise ValueError("domains name outcomes: cite the mapping (domain_outcomes)")
        starts = [b.min_points for b in self.bands]
        if starts[0] != 0 or starts != sorted(set(starts)):
            raise ValueError(
                "bands start at 0 points and rise, each from a different number of points"
            )
        return self

    def references(self) -> list[tuple[tuple[str | int, ...], str]]:
        found: list[tuple[tuple[str | int, ...], str]] = []
        for index, band in enumerate(self.bands):
            for name in ("floor", "cap"):
                value = getattr(band, name)
                if value is not None:
                    found.append((("bands", index, name), value))
        return found


# --- costing ------------------------------------------------------------------


class Unit(StrEnum):
    hour = "hour"
    night = "night"


class SupportType(FileModel):
    label: Text
    unit: Unit
    rate: Identifier = Field(
        description="Parameter: the pay (or price) per unit for one member of staff."
    )
    staff: int = Field(
        default=1, ge=1, le=4, description="Staff present in each unit (2 for two-to-one)."
    )
    employed: bool = Field(
        default=True,
        description="The rate is pay, so on-costs, management and overheads are added; "
        "false when it is an all-inclusive price (e.g. an agency's).",
    )
    shared: bool = Field(
        default=False,
        description="Group support: a plan line must say how many share it (2 or more).",
    )
    night: bool = Field(default=False, description="Night-time support (waking night, sleep-in).")


class CostingFile(MethodFile):
    method: Literal["costing"]
    support_types: dict[Identifier, SupportType] = Field(min_length=1)

    REQUIRED: ClassVar[dict[str, Kind]] = {
        "on_costs": Kind.number,
        "management": Kind.number,
        "overheads": Kind.number,
    }

    def references(self) -> list[tuple[tuple[str | int, ...], str]]:
        return [(("support_types", key, "rate"), t.rate) for key, t in self.support_types.items()]


# --- ISF ----------------------------------------------------------------------


class SplitRule(StrEnum):
    equal = "equal"
    hours = "hours"


class IsfFile(MethodFile):
    """Unit costs come from the costing method of the same folder."""

    method: Literal["isf"]
    shared_split: SplitRule = Field(
        default=SplitRule.equal,
        description="How a shared cost is split when the house does not say.",
    )

    REQUIRED: ClassVar[dict[str, Kind]] = {"personal_control_weekly": Kind.number}


# --- charging -----------------------------------------------------------------


class ChargingFile(MethodFile):
    """The financial assessment for care outside a care home (England)."""

    method: Literal["charging"]
    capital_test: ProgrammeId = Field(
        description="The eligibility programme whose parameters hold the capital limits and tariff."
    )

    CAPITAL_PARAMETERS: ClassVar[dict[str, Kind]] = {
        "upper_capital_limit": Kind.number,
        "lower_capital_limit": Kind.number,
        "tariff_step": Kind.number,
        "tariff_per_step": Kind.number,
        "full_cost_at_upper_limit": Kind.flag,
    }
    REQUIRED: ClassVar[dict[str, Kind]] = {
        "pension_credit_age": Kind.number,
        "mig_single_18_24": Kind.number,
        "mig_single_25_to_pension_age": Kind.number,
        "mig_single_pension_age": Kind.number,
        "mig_couple_each_18_to_pension_age": Kind.number,
        "mig_couple_each_pension_age": Kind.number,
        "disability_premium_single": Kind.number,
        "disability_premium_couple_each": Kind.number,
        "enhanced_disability_premium_single": Kind.number,
        "enhanced_disability_premium_couple_each": Kind.number,
        "carer_premium": Kind.number,
        "dependent_child": Kind.number,
        "dependent_child_under_age": Kind.number,
        "disability_premium_income": Kind.names,
        "enhanced_disability_premium_income": Kind.names,
        "standard_care_rate": Kind.number,
        "carer_premium_income": Kind.names,
        "disregarded_income": Kind.names,
        "war_pension_disregard": Kind.number,
        "joint_income_share": Kind.number,
        "night_care_income": Kind.names,
        "disability_benefit_income": Kind.names,
        "standard_dre_weekly": Kind.number,
        "taper": Kind.number,
        "minimum_charge": Kind.number,
        "personal_expenses_allowance": Kind.number,
        "property_disregard_weeks": Kind.number,
        "free_reablement_weeks": Kind.number,
    }


METHOD_FILES: dict[str, type[MethodFile]] = {
    "ras": RasFile,
    "costing": CostingFile,
    "isf": IsfFile,
    "charging": ChargingFile,
}
