"""What a budget method returns: lines that add up to the weekly budget, or why not."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from allocation.money import ZERO, annual


@dataclass(frozen=True)
class Line:
    """One step of a calculation. `amount` is in whole pence; the others explain it."""

    label: str
    amount: Decimal
    source: str
    quantity: Decimal | None = None
    unit: str | None = None
    unit_cost: Decimal | None = None


@dataclass(frozen=True)
class Budget:
    """A method's indicative budget: the sum of its lines, a week."""

    method: str
    method_id: str
    ruleset: Mapping[str, str]
    lines: tuple[Line, ...]
    details: Mapping[str, Any] = field(default_factory=dict)

    @property
    def weekly(self) -> Decimal:
        return sum((line.amount for line in self.lines), ZERO)

    @property
    def annual(self) -> Decimal:
        return annual(self.weekly)


@dataclass(frozen=True)
class Unavailable:
    """A method that cannot give a budget for this person, and why."""

    method: str
    status: str  # "needs_information" or "not_applicable"
    reason: str
    ask: tuple[str, ...] = ()


Outcome = Budget | Unavailable
