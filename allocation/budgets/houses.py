"""House files: a shared house's tenants, core costs and shared costs.

Core costs (night cover, the household's running costs) are shared by every
tenant equally. Shared costs (a group activity, a vehicle) are shared by the
tenants who use them, equally or by the hours each uses. Each cost is either
staff time of a support type of the costing method (`support`, `per_week`)
or a weekly sum (`amount`). A house file is read once however many of its
tenants a cohort holds.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from pydantic import Field, ValidationError, field_validator, model_validator

from allocation.budgets.methods_files import SplitRule
from engine.common import Money, Strict
from engine.ruleset_files import Identifier
from engine.sourcefiles import Document, InputError, read_document


class HouseCost(Strict):
    label: str = Field(min_length=1)
    support: Identifier | None = None
    per_week: Decimal | None = Field(default=None, ge=0)
    amount: Money | None = Field(default=None, description="A weekly sum, when not staff time.")
    source: str | None = None

    @model_validator(mode="after")
    def _staff_time_or_sum(self) -> HouseCost:
        staff_time = self.support is not None and self.per_week is not None
        if staff_time == (self.amount is not None) or (self.support is None) != (
            self.per_week is None
        ):
            raise ValueError(
                "give either support and per_week (staff time) or amount (a weekly sum)"
            )
        return self


class SharedCost(HouseCost):
    users: list[str] = Field(min_length=1)
    split: SplitRule | None = Field(
        default=None, description="Default: the ISF method's shared_split."
    )
    hours_used: dict[str, Decimal] | None = Field(
        default=None, description="Hours a week each user uses it, for split: hours."
    )

    @model_validator(mode="after")
    def _users(self) -> SharedCost:
        twice = sorted({u for u in self.users if self.users.count(u) > 1})
        if twice:
            raise ValueError(f"users given twice: {', '.join(twice)}")
        if self.hours_used is not None:
            strangers = sorted(set(self.hours_used) - set(self.users))
            if strangers:
                raise ValueError(
                    f"hours_used names people who are not users: {', '.join(strangers)}"
                )
            if any(h < 0 for h in self.hours_used.values()):
                raise ValueError("hours_used must be 0 or more")
        return self


class House(Strict):
    id: str = Field(min_length=1)
    title: str | None = None
    tenants: list[str] = Field(min_length=1)
    core: list[HouseCost] = Field(default_factory=list)
    shared: list[SharedCost] = Field(default_factory=list)

    @field_validator("tenants")
    @classmethod
    def _each_once(cls, tenants: list[str]) -> list[str]:
        twice = sorted({t for t in tenants if tenants.count(t) > 1})
        if twice:
            raise ValueError(f"given twice: {', '.join(twice)}")
        return tenants


@dataclass(frozen=True)
class LoadedHouse:
    doc: Document
    house: House


def read_house(path: Path) -> LoadedHouse:
    doc = read_document(path)
    try:
        return LoadedHouse(doc, House.model_validate(doc.data))
    except ValidationError as error:
        raise InputError(doc.validation_problems(error)) from None


@dataclass
class HouseFiles:
    """House files by path, each read once."""

    read: dict[Path, LoadedHouse] = field(default_factory=dict)

    def get(self, path: Path) -> LoadedHouse:
        key = path.resolve()
        if key not in self.read:
            self.read[key] = read_house(path)
        return self.read[key]
