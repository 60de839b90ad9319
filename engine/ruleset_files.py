"""The schema of ruleset files: what policy staff write (docs/rulesets.md)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, field_validator

from engine.intake import Country

Identifier = Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9_]*$", max_length=60)]
ProgrammeId = Annotated[
    str, StringConstraints(pattern=r"^[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)+$", max_length=120)
]
Text = Annotated[str, StringConstraints(min_length=1, max_length=4000)]


class FileModel(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)


class TableValue(FileModel):
    """Values by a whole number (e.g. household size), with a step beyond the last row."""

    by: Text
    rows: dict[int, Decimal] = Field(min_length=1)
    each_additional: Decimal | None = None


ParameterValue = Decimal | bool | str | list[Decimal] | list[str] | TableValue


class DatedValue(FileModel):
    starts: date = Field(alias="from")
    value: ParameterValue
    source: Text


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


class ProgrammeFile(FileModel):
    id: ProgrammeId
    title: Text
    source: Text
    description: Text | None = None
    parameters: dict[Identifier, list[DatedValue]] = Field(default_factory=dict)
    derived: dict[Identifier, Text | Derived] = Field(default_factory=dict)
    criteria: list[CriterionSpec] = Field(min_length=1)
    eligible: Text
    result: ResultSpec | None = None

    @field_validator("parameters")
    @classmethod
    def _values_given(cls, value: dict[str, list[DatedValue]]) -> dict[str, list[DatedValue]]:
        for name, values in value.items():
            if not values:
                raise ValueError(f"parameter {name!r} has no values")
        return value


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
