"""The schema of ruleset files: what policy staff write (docs/rulesets.md)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from enum import StrEnum
from typing import Annotated, Any, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    StringConstraints,
    model_validator,
)

from engine.intake import Country

Identifier = Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9_]*$", max_length=60)]
ProgrammeId = Annotated[
    str, StringConstraints(pattern=r"^[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)+$", max_length=120)
]
Text = Annotated[str, StringConstraints(min_length=1, max_length=4000)]
TableKey = Annotated[str, StringConstraints(pattern=r"^[A-Za-z][A-Za-z0-9_]*$", max_length=60)]


class FileModel(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)


class TableValue(FileModel):
    """Values by a whole number (e.g. household size), with a step beyond the last row,
    or by a text such as a US state's two-letter code (no step: an unlisted key is
    unknown)."""

    by: Text
    keys: Literal["number", "text"] = "number"
    rows: dict[int, Decimal] | dict[TableKey, Decimal]
    each_additional: Decimal | None = None

    @model_validator(mode="after")
    def _rows_fit_keys(self) -> TableValue:
        if self.keys == "number":
            if not self.rows or not all(isinstance(k, int) for k in self.rows):
                raise ValueError("rows: a table by number needs rows keyed by whole numbers")
        elif not all(isinstance(k, str) for k in self.rows):
            raise ValueError("rows: a table with keys: text needs text keys")
        elif self.each_additional is not None:
            raise ValueError("each_additional needs a table by a whole number")
        return self


ParameterValue = Decimal | bool | str | list[Decimal] | list[str] | TableValue


class Status(StrEnum):
    """How far a figure was checked: against its source, copied from a secondary source,
    recalled, worked out, or set locally."""

    checked = "checked"
    secondary = "secondary"  # copied from a source that cites the primary; the primary not read
    recalled = "recalled"
    derived = "derived"
    local = "local"  # a council's own setting: the shipped value is an example


class Unit(StrEnum):
    """What a parameter's figure counts; money units say how it is printed in explanations."""

    gbp = "GBP"
    gbp_week = "GBP a week"
    gbp_year = "GBP a year"
    gbp_hour = "GBP an hour"
    gbp_point = "GBP a point"
    usd = "USD"
    usd_month = "USD a month"
    usd_year = "USD a year"
    percent = "percent"
    rate = "rate"  # a fraction: 0.2 prints as 20 %
    years = "years"
    months = "months"
    weeks = "weeks"
    days = "days"
    hours = "hours"
    people = "people"
    counted = "count"
    flag = "true or false"
    names = "names"
    text = "text"


class DatedValue(FileModel):
    starts: date = Field(alias="from")
    value: ParameterValue
    source: Text
    status: Status | None = None
    reviewed: date | None = Field(
        default=None, description="When the status was established (the figure last checked)."
    )

    @model_validator(mode="after")
    def _status_dated(self) -> DatedValue:
        if (self.status is None) != (self.reviewed is None):
            raise ValueError("status and reviewed are given together")
        return self


class ParameterSpec(FileModel):
    """A parameter: what it is, its unit and legal reference, and its dated values.

    A bare list of dated values (the older form) is read as a parameter without
    description, unit or reference."""

    description: Text | None = None
    unit: Unit | None = None
    reference: Text | None = None
    values: list[DatedValue] = Field(min_length=1)

    @model_validator(mode="before")
    @classmethod
    def _bare_list(cls, data: Any) -> Any:
        return {"values": data} if isinstance(data, list) else data


class Derived(FileModel):
    value: Text
    explain: Text | None = None


class CriterionSpec(FileModel):
    id: Identifier
    when: Text
    explain: Text
    source: Text


class ResultCase(FileModel):
    value: Text
    when: Text
    explain: Text
    source: Text


class ResultSpec(FileModel):
    """An outcome with a value (e.g. a level of care): the first case that holds."""

    name: Identifier
    explain: Text
    cases: list[ResultCase] = Field(min_length=1, max_length=15)
    otherwise: Text | None = None


class AmountSpec(FileModel):
    """An amount the programme pays or charges (e.g. a monthly benefit), shown step by step.

    `value` and each of `steps` name derived values; a decision shows each step with
    its value and explanation, then the amount, once the programme is eligible."""

    name: Identifier
    value: Identifier
    unit: Unit
    explain: Text
    source: Text
    steps: list[Identifier] = Field(default_factory=list, max_length=30)


class OutcomeWords(FileModel):
    """The programme's own words for its outcomes ("pays the full cost" for a capital test
    over the limit, not "not eligible")."""

    eligible: Text | None = None
    not_eligible: Text | None = None
    needs_information: Text | None = None
    not_relevant: Text | None = None


class ProgrammeFile(FileModel):
    id: ProgrammeId
    title: Text
    source: Text
    description: Text | None = None
    parameters: dict[Identifier, ParameterSpec] = Field(default_factory=dict)
    derived: dict[Identifier, Text | Derived] = Field(default_factory=dict)
    criteria: list[CriterionSpec] = Field(min_length=1)
    eligible: Text
    result: ResultSpec | None = None
    amount: AmountSpec | None = None
    relevant: Identifier | None = Field(
        default=None,
        description="A criterion: when it is not met the programme cannot apply to this "
        "person, and is marked not relevant instead of asked about.",
    )
    outcome_words: OutcomeWords | None = None


class Jurisdiction(FileModel):
    country: Country
    region: str | None = None


class RulesetMeta(FileModel):
    """`ruleset.yaml` in a ruleset folder."""

    id: Identifier
    title: Text
    version: Annotated[
        str, StringConstraints(pattern=r"^[0-9A-Za-z][0-9A-Za-z.\-]*$", max_length=40)
    ]
    jurisdiction: Jurisdiction
    description: Text | None = None
