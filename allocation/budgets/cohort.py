"""Methods side by side across a cohort: totals by method, spreads, shared houses."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal

from allocation.budgets.allocation_model import (
    Allocation,
    Budget,
    CohortAllocation,
    HouseTotal,
    LargestSpread,
    MethodTotal,
)
from engine.common import ZERO, annual, penny


def cohort(allocations: Sequence[Allocation], methods: Sequence[str]) -> CohortAllocation:
    return CohortAllocation(
        as_of=allocations[0].as_of if allocations else None,
        people=list(allocations),
        totals={method: _total(allocations, method) for method in methods},
        largest_ras_costing_spread=_largest_ras_costing_spread(allocations),
        houses=_houses(allocations),
    )


def _total(allocations: Sequence[Allocation], method: str) -> MethodTotal:
    found = [b for a in allocations if (b := a.budget(method)) is not None]
    known = [b for b in found if b.contribution is not None and b.net_funded is not None]
    weekly = sum((b.weekly for b in found), ZERO)
    return MethodTotal(
        people=len(found),
        weekly=weekly,
        annual=annual(weekly),
        contribution=sum((b.contribution for b in known if b.contribution is not None), ZERO),
        net_funded=sum((b.net_funded for b in known if b.net_funded is not None), ZERO),
        unassessed=len(found) - len(known),
    )


def _largest_ras_costing_spread(allocations: Sequence[Allocation]) -> LargestSpread | None:
    """The person whose RAS and costing budgets differ most (either way), and by how much."""
    gaps: list[tuple[str, Decimal]] = [
        (a.person, a.spread.ras_minus_costing)
        for a in allocations
        if a.spread is not None and a.spread.ras_minus_costing is not None
    ]
    if not gaps:
        return None
    person, gap = max(gaps, key=lambda found: abs(found[1]))
    return LargestSpread(person=person, ras_minus_costing=gap)


def _houses(allocations: Sequence[Allocation]) -> list[HouseTotal]:
    """Each shared house whose tenants all have an ISF here: each ISF and the house total.

    A tenant's ISF is their fixed part of the house's costs plus their
    discretionary part, so the ISFs add up to the house total.
    """
    isfs: dict[str, dict[str, Budget]] = {}
    for allocation in allocations:
        isf = allocation.budget("isf")
        if isf is not None and isf.house is not None:
            isfs.setdefault(isf.house.id, {})[allocation.person] = isf
    result = []
    for house_id, by_tenant in isfs.items():
        house = next(iter(by_tenant.values())).house
        assert house is not None
        if set(by_tenant) != set(house.tenants):
            continue
        shares = {t: by_tenant[t].weekly for t in house.tenants}
        result.append(
            HouseTotal(
                id=house_id,
                tenants=house.tenants,
                fixed_weekly=house.fixed_costs_weekly,
                shares=shares,
                total_weekly=sum(shares.values(), ZERO),
            )
        )
    return result


def csv_header(methods: Sequence[str]) -> list[str]:
    """The cohort CSV's columns: `allocate --csv` and the cohort page write the same file."""
    columns = ["person", "allocated", "blocked_by"]
    for method in methods:
        columns += [f"{method}_{figure}" for figure in ("weekly", "annual", "contribution")]
        columns.append(f"{method}_net_funded")
    return [*columns, "spread_weekly", "ras_minus_costing"]


def csv_row(allocation: Allocation, methods: Sequence[str]) -> list[str]:
    blocked = allocation.eligibility.blocked_by
    row = [
        allocation.person,
        "yes" if allocation.allocated else "no",
        (blocked.programme if blocked else None) or "",
    ]
    for method in methods:
        budget = allocation.budget(method)
        if budget is None:
            row += ["", "", "", ""]
        else:
            figures = (budget.weekly, annual(budget.weekly), budget.contribution, budget.net_funded)
            row += [_cell(figure) for figure in figures]
    gap = allocation.spread
    row += [_cell(gap.weekly if gap else None), _cell(gap.ras_minus_costing if gap else None)]
    return row


def _cell(amount: Decimal | None) -> str:
    return "" if amount is None else f"{penny(amount):f}"
