"""Per goal: the hours and cost of support, natural and paid, from the stored week and budget.

Hours come from the roster's slots: each slot a supporter gives to one of the
person's blocks counts for the goal that block serves (the plan links blocks
to goals by person and activity). A supporter's weekly cost is shared among
the goals they serve in proportion to those slots, by the project's one
rule for shares (engine.common.split), so the goals' costs add up to the
roster's total to the penny. Budget lines count for the goal they name, from
the method whose budget a person agreed.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from decimal import Decimal

from pydantic import Field

from allocation.budgets.allocation_model import Allocation, Pounds
from allocation.roster.output import RosterResult
from api.plans.plan_model import Plan
from engine.common import ZERO, Strict, split

NOT_LINKED = "(not linked to a goal)"
MINUTES_PER_HOUR = Decimal(60)


class SupporterOnGoal(Strict):
    id: str
    name: str
    kind: str
    natural: bool
    hours: Decimal
    cost: Pounds
    activities: list[str]


class GoalSupport(Strict):
    goal: str = Field(description=f"A goal's id, or {NOT_LINKED!r}.")
    natural_hours: Decimal
    paid_hours: Decimal
    natural_cost: Pounds = Field(description="Family, friends, community and technology.")
    paid_cost: Pounds
    roster_cost: Pounds = Field(description="The week's cost of the support given to this goal.")
    budget_weekly: Pounds = Field(description="The agreed budget's lines linked to this goal.")
    supporters: list[SupporterOnGoal]


class PlanSupports(Strict):
    roster: int | None = Field(description="The roster record these hours come from.")
    allocation: int | None
    method: str | None = Field(description="The method whose budget was agreed.")
    goals: list[GoalSupport]


def supports_by_goal(
    plan: Plan,
    roster: tuple[int, RosterResult] | None,
    allocation: tuple[int, Allocation, str | None] | None,
) -> PlanSupports:
    """`roster`: (number, result); `allocation`: (number, allocation, agreed method)."""
    served = {(b.person, b.activity): b.goal for b in plan.blocks}
    order = [g.id for g in plan.goals] + [NOT_LINKED]
    slots: Counter[tuple[str, str]] = Counter()  # (goal, supporter) -> slots
    activities: defaultdict[tuple[str, str], set[str]] = defaultdict(set)
    result = roster[1] if roster else None
    for slot in result.slots if result else []:
        goal = served.get((slot.person, slot.activity), NOT_LINKED)
        for giver in slot.supporters:
            slots[(goal, giver)] += 1
            activities[(goal, giver)].add(slot.activity)
    on_goal: defaultdict[str, list[SupporterOnGoal]] = defaultdict(list)
    for supporter in result.supporters if result else []:
        counts = [slots[(goal, supporter.id)] for goal in order]
        if sum(counts) == 0:
            shares = [ZERO] * (len(order) - 1) + [supporter.cost]
        else:
            shares = split(supporter.cost, [Decimal(c) for c in counts])
        assert result is not None
        for goal, count, share in zip(order, counts, shares, strict=True):
            if count == 0 and share == ZERO:
                continue
            on_goal[goal].append(
                SupporterOnGoal(
                    id=supporter.id,
                    name=supporter.name,
                    kind=supporter.kind,
                    natural=supporter.kind != "paid",
                    hours=count * result.slot_minutes / MINUTES_PER_HOUR,
                    cost=share,
                    activities=sorted(activities[(goal, supporter.id)]),
                )
            )
    lines = _budget_lines(plan, allocation)
    goals = []
    for goal in order:
        people = on_goal.get(goal, [])
        if goal == NOT_LINKED and not people and lines[goal] == ZERO:
            continue
        goals.append(
            GoalSupport(
                goal=goal,
                natural_hours=sum((p.hours for p in people if p.natural), Decimal(0)),
                paid_hours=sum((p.hours for p in people if not p.natural), Decimal(0)),
                natural_cost=sum((p.cost for p in people if p.natural), ZERO),
                paid_cost=sum((p.cost for p in people if not p.natural), ZERO),
                roster_cost=sum((p.cost for p in people), ZERO),
                budget_weekly=lines[goal],
                supporters=people,
            )
        )
    return PlanSupports(
        roster=roster[0] if roster else None,
        allocation=allocation[0] if allocation else None,
        method=allocation[2] if allocation else None,
        goals=goals,
    )


def _budget_lines(
    plan: Plan, allocation: tuple[int, Allocation, str | None] | None
) -> defaultdict[str, Decimal]:
    lines: defaultdict[str, Decimal] = defaultdict(lambda: ZERO)
    if allocation is None or allocation[2] is None:
        return lines
    budget = allocation[1].budget(allocation[2])
    if budget is None:
        return lines
    serves = {(b.method, b.label): b.goal for b in plan.budget_lines}
    for line in budget.lines:
        lines[serves.get((budget.method, line.label), NOT_LINKED)] += line.amount
    return lines
