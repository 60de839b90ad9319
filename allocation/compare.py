"""Methods side by side: per person, across a cohort, and per shared house."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from allocation.allocate import PersonAllocation
from allocation.isf import PricedHouse, split_house
from allocation.money import ZERO, annual
from allocation.results import Budget


@dataclass(frozen=True)
class Spread:
    """The gap between the highest and lowest weekly budget a person's methods give."""

    weekly: Decimal
    highest: str
    lowest: str
    ras_minus_costing: Decimal | None


@dataclass(frozen=True)
class Funding:
    """One method's budget for one person, with the person's contribution to it."""

    weekly: Decimal
    contribution: Decimal | None  # None until the financial assessment has what it needs
    net_funded: Decimal | None


@dataclass(frozen=True)
class MethodTotal:
    method: str
    people: int
    weekly: Decimal
    contribution: Decimal
    net_funded: Decimal
    unassessed: int  # people whose contribution is not known yet

    @property
    def annual(self) -> Decimal:
        return annual(self.weekly)


@dataclass(frozen=True)
class HouseTotal:
    id: str
    tenants: tuple[str, ...]
    fixed_weekly: Decimal
    shares: dict[str, Decimal]
    total: Decimal


def budgets(allocation: PersonAllocation) -> dict[str, Budget]:
    return {m: o for m, o in allocation.outcomes.items() if isinstance(o, Budget)}


def funding(allocation: PersonAllocation, method: str) -> Funding | None:
    budget = budgets(allocation).get(method)
    if budget is None:
        return None
    if allocation.charging is None:
        return Funding(budget.weekly, None, None)
    contribution = allocation.charging.contribution(budget.weekly)
    net = None if contribution is None else budget.weekly - contribution
    return Funding(budget.weekly, contribution, net)


def spread(allocation: PersonAllocation) -> Spread | None:
    weekly = {m: b.weekly for m, b in budgets(allocation).items()}
    if len(weekly) < 2:
        return None
    highest = max(weekly, key=lambda m: weekly[m])
    lowest = min(weekly, key=lambda m: weekly[m])
    both = "ras" in weekly and "costing" in weekly
    return Spread(
        weekly[highest] - weekly[lowest],
        highest,
        lowest,
        weekly["ras"] - weekly["costing"] if both else None,
    )


def totals(allocations: Sequence[PersonAllocation], methods: Sequence[str]) -> list[MethodTotal]:
    result = []
    for method in methods:
        found = [f for a in allocations if (f := funding(a, method)) is not None]
        known = [f for f in found if f.contribution is not None and f.net_funded is not None]
        result.append(
            MethodTotal(
                method,
                len(found),
                sum((f.weekly for f in found), ZERO),
                sum((f.contribution for f in known if f.contribution is not None), ZERO),
                sum((f.net_funded for f in known if f.net_funded is not None), ZERO),
                len(found) - len(known),
            )
        )
    return result


def largest_ras_costing_spread(
    allocations: Sequence[PersonAllocation],
) -> tuple[str, Decimal] | None:
    """The person whose RAS and costing budgets differ most (either way), and by how much."""
    gaps = [
        (a.person, s.ras_minus_costing)
        for a in allocations
        if (s := spread(a)) and s.ras_minus_costing is not None
    ]
    if not gaps:
        return None
    return max(gaps, key=lambda gap: abs(gap[1]))


def house_totals(allocations: Sequence[PersonAllocation]) -> list[HouseTotal]:
    """Each shared house whose tenants all have an ISF here: every share and the house total."""
    houses: dict[str, PricedHouse] = {}
    discretionary: dict[str, dict[str, Decimal]] = {}
    for allocation in allocations:
        isf = budgets(allocation).get("isf")
        if isf is None or allocation.house is None:
            continue
        houses[allocation.house.id] = allocation.house
        part = isf.details["house"]["discretionary_part"]
        discretionary.setdefault(allocation.house.id, {})[allocation.person] = part
    result = []
    for house_id, house in houses.items():
        parts = discretionary[house_id]
        if set(parts) != set(house.tenants):
            continue
        whole = split_house(house, parts)
        result.append(
            HouseTotal(house.id, house.tenants, house.fixed_total, dict(whole.shares), whole.total)
        )
    return result
