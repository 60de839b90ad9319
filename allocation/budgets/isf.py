"""Individual Service Funds for a shared house: who pays what share, and who controls it.

Each tenant's ISF has a fixed part (an equal share of the house's core costs,
and a share of each shared cost they use, split equally or by hours used)
and a discretionary part (their own support, at the costing method's unit
costs, and the personal control funding they decide how to spend). Shares
are split to the penny, so the ISFs add up to the house total exactly.

When a tenant leaves, the house's fixed costs stay and are shared among the
others; a shared cost nobody left uses is shared by all as a core cost. So
the house total falls by exactly the leaver's discretionary part. The ISF
rules are ours (domain-facts §3.4), not a published standard.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date
from decimal import Decimal

from allocation.budgets.allocation_model import Budget, IfLeaves, IsfHouse, Line, total
from allocation.budgets.bottom_up_costing import full_cost, support_lines
from allocation.budgets.houses import HouseCost, LoadedHouse
from allocation.budgets.methods import Method
from allocation.budgets.methods_files import CostingFile, IsfFile, SplitRule
from allocation.budgets.requests import PlanLine
from engine.common import ZERO, split
from engine.intake import Outcome


class HouseError(ValueError):
    """A house whose shares cannot be computed."""


@dataclass(frozen=True)
class PricedCost:
    label: str
    amount: Decimal
    source: str
    users: tuple[str, ...] = ()  # none for a core cost
    weights: tuple[Decimal, ...] = ()
    split: SplitRule = SplitRule.equal
    night: bool = False  # staff time of a night-time support type


@dataclass(frozen=True)
class PricedHouse:
    id: str
    file: str
    tenants: tuple[str, ...]
    core: tuple[PricedCost, ...]
    shared: tuple[PricedCost, ...]

    @property
    def fixed_total(self) -> Decimal:
        return sum((c.amount for c in self.core + self.shared), ZERO)


@dataclass(frozen=True)
class HouseSplit:
    """Each tenant's ISF a week and the house total."""

    shares: Mapping[str, Decimal]
    total: Decimal


def price_house(
    loaded: LoadedHouse, costing: Method[CostingFile], default_split: SplitRule, on: date
) -> PricedHouse:
    """The house's costs in money; shared costs with their users' weights."""
    house = loaded.house
    core = tuple(_priced(cost, costing, on) for cost in house.core)
    shared = []
    for cost in house.shared:
        rule = cost.split or default_split
        used = cost.hours_used or {}
        weights = tuple(Decimal(1) if rule is SplitRule.equal else used[u] for u in cost.users)
        priced = _priced(cost, costing, on)
        shared.append(replace(priced, users=tuple(cost.users), weights=weights, split=rule))
    return PricedHouse(house.id, loaded.doc.path, tuple(house.tenants), core, tuple(shared))


def _priced(cost: HouseCost, costing: Method[CostingFile], on: date) -> PricedCost:
    if cost.amount is not None:
        return PricedCost(cost.label, cost.amount, cost.source or "the house file")
    assert cost.support is not None and cost.per_week is not None
    kind = costing.spec.support_types[cost.support]
    per_week = f"{cost.per_week.normalize():f} {kind.unit.value}s a week"
    cited = cost.source or f"{per_week} of {kind.label.lower()}"
    return PricedCost(
        cost.label,
        full_cost(costing, cost.support, cost.per_week, on),
        f"{cited}, at {costing.spec.id} unit costs",
        night=kind.night and cost.per_week > 0,
    )


def fixed_shares(house: PricedHouse) -> dict[str, list[Line]]:
    """Each tenant's lines for the fixed part: core costs equally, shared costs by use."""
    lines: dict[str, list[Line]] = {t: [] for t in house.tenants}
    core_total = sum((c.amount for c in house.core), ZERO)
    if house.core:
        count = len(house.tenants)
        sources = "; ".join(f"{c.label}: {c.source}" for c in house.core)
        for tenant, share in zip(
            house.tenants, split(core_total, [Decimal(1)] * count), strict=True
        ):
            lines[tenant].append(
                Line(
                    label=f"Core costs of {house.id}: an equal share among {count} tenants",
                    amount=share,
                    source=sources,
                    quantity=core_total,
                    unit="£ of core costs",
                )
            )
    for cost in house.shared:
        how = "equally" if cost.split is SplitRule.equal else "by hours used"
        for user, share in zip(cost.users, split(cost.amount, list(cost.weights)), strict=True):
            lines[user].append(
                Line(
                    label=f"{cost.label}: a share, {how}, among {len(cost.users)} users",
                    amount=share,
                    source=cost.source,
                    quantity=cost.amount,
                    unit="£ of shared cost",
                )
            )
    return lines


def split_house(house: PricedHouse, discretionary: Mapping[str, Decimal]) -> HouseSplit:
    """Every tenant's ISF, given each one's discretionary part."""
    fixed = fixed_shares(house)
    shares = {
        t: sum((line.amount for line in fixed[t]), ZERO) + discretionary[t] for t in house.tenants
    }
    total = house.fixed_total + sum((discretionary[t] for t in house.tenants), ZERO)
    return HouseSplit(shares, total)


def without(house: PricedHouse, leaver: str) -> PricedHouse:
    """The house after a tenant leaves: same costs, shared among those who stay."""
    tenants = tuple(t for t in house.tenants if t != leaver)
    if not tenants:
        raise HouseError(
            f"{leaver!r} is the last tenant of {house.id!r}: nobody is left to share its costs"
        )
    core = list(house.core)
    shared = []
    for cost in house.shared:
        kept = [(u, w) for u, w in zip(cost.users, cost.weights, strict=True) if u != leaver]
        if not kept or sum((w for _, w in kept), ZERO) <= 0:
            core.append(
                replace(
                    cost, label=f"{cost.label} (no user left: shared by all)", users=(), weights=()
                )
            )
        else:
            shared.append(
                replace(cost, users=tuple(u for u, _ in kept), weights=tuple(w for _, w in kept))
            )
    return replace(house, tenants=tenants, core=tuple(core), shared=tuple(shared))


def isf_budget(
    isf: Method[IsfFile],
    costing: Method[CostingFile],
    house: PricedHouse,
    tenant: str,
    plan: Sequence[PlanLine] | None,
    personal_control: Decimal | None,
    on: date,
    carer_meets: frozenset[Outcome] = frozenset(),
) -> Budget:
    """The tenant's fixed part and their own support, less what a willing and able carer
    meets (the house's core and shared costs serve the household, not one person's outcome)."""
    fixed = fixed_shares(house)[tenant]
    own = support_lines(costing, plan or [], on, carer_meets)
    default = isf.dated("personal_control_weekly", on)
    control = Line(
        label="Personal control funding (the person decides how it is spent)",
        amount=default.value if personal_control is None else personal_control,
        source=default.source if personal_control is None else "the allocation request",
    )
    discretionary = total(own) + control.amount
    return Budget.of(
        "isf",
        isf.spec.id,
        isf.ruleset,
        [*fixed, *own, control],
        house=_house(house, tenant, fixed, discretionary),
    )


def _house(house: PricedHouse, tenant: str, fixed: list[Line], discretionary: Decimal) -> IsfHouse:
    before = fixed_shares(house)
    after: dict[str, Decimal] | None = None
    note = None
    try:
        after = {t: total(lines) for t, lines in fixed_shares(without(house, tenant)).items()}
    except HouseError as error:
        note = str(error)
    return IsfHouse(
        id=house.id,
        file=house.file,
        tenants=list(house.tenants),
        fixed_costs_weekly=house.fixed_total,
        fixed_part=total(fixed),
        discretionary_part=discretionary,
        if_leaves=IfLeaves(
            house_total_falls_by=discretionary,
            fixed_part_before={t: total(before[t]) for t in house.tenants if t != tenant},
            fixed_part_after=after,
            note=note,
        ),
    )
