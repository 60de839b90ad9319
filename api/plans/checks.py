"""Checks that need the whole plan, the case's needs or today's date, each with its field.

Like the WEEK file's whole-week checks: the models check each value, these
check how values fit together, and return (location, reason) pairs that the
API turns into a 422 and the command line into `file:line: field: reason`.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date

from api.plans.needs import Need
from api.plans.plan_model import Plan
from engine.sourcefiles import Location

Found = list[tuple[Location, str]]


def _repeats(ids: Iterable[str], at: Sequence[Location], what: str) -> Found:
    seen: set[str] = set()
    found: Found = []
    for value, location in zip(ids, at, strict=True):
        if value in seen:
            found.append((location, f"{what} {value!r} is given twice"))
        seen.add(value)
    return found


def plan_problems(plan: Plan, needs: Sequence[Need] | None = None) -> Found:
    """How the plan's parts fit together; with `needs`, against the case's eligible needs."""
    goals = {g.id for g in plan.goals}
    conditions = {c.id for c in plan.conditions}
    found = _repeats(
        [g.id for g in plan.goals], [("goals", i, "id") for i in range(len(plan.goals))], "goal"
    )
    found += _repeats(
        [c.id for c in plan.conditions],
        [("conditions", i, "id") for i in range(len(plan.conditions))],
        "condition",
    )
    found += _repeats(
        [d.need for d in plan.deferred],
        [("deferred", i, "need") for i in range(len(plan.deferred))],
        "need",
    )
    for g, goal in enumerate(plan.goals):
        found += _repeats(
            [o.id for o in goal.objectives],
            [("goals", g, "objectives", i, "id") for i in range(len(goal.objectives))],
            "objective",
        )
        if goal.condition is not None and goal.condition not in conditions:
            found.append(
                (("goals", g, "condition"), f"no condition {goal.condition!r} in the plan")
            )
    for c, condition in enumerate(plan.conditions):
        if not any(g.condition == condition.id for g in plan.goals):
            found.append(
                (("conditions", c), "a condition needs its own goal set (no goal names it)")
            )
    linked = [("blocks", i, b.goal) for i, b in enumerate(plan.blocks)]
    linked += [("budget_lines", i, b.goal) for i, b in enumerate(plan.budget_lines)]
    for kind, i, goal_id in linked:
        if goal_id not in goals:
            found.append(((kind, i, "goal"), f"no goal {goal_id!r} in the plan"))
    addressed = {n for g in plan.goals for n in g.needs}
    for i, deferral in enumerate(plan.deferred):
        if deferral.need in addressed:
            found.append(
                (("deferred", i, "need"), "a goal addresses this need: it is not deferred")
            )
    if needs is not None:
        found += _against_needs(plan, needs)
    return found


def _against_needs(plan: Plan, needs: Sequence[Need]) -> Found:
    eligible = {n.id for n in needs}
    names = ", ".join(sorted(eligible)) or "none"
    found: Found = []
    for g, goal in enumerate(plan.goals):
        for n, need in enumerate(goal.needs):
            if need not in eligible:
                reason = f"not an eligible need of the case's decision (those are: {names})"
                found.append((("goals", g, "needs", n), reason))
    for i, deferral in enumerate(plan.deferred):
        if deferral.need not in eligible:
            reason = f"not an eligible need of the case's decision (those are: {names})"
            found.append((("deferred", i, "need"), reason))
    levels = {n.level_of_care for n in needs if n.level_of_care}
    for c, condition in enumerate(plan.conditions):
        if not condition.asam_dimensions or not levels or condition.level_of_care is None:
            continue
        if condition.level_of_care not in levels and condition.level_of_care_reason is None:
            reason = (
                f"the decision recommends level {', '.join(sorted(levels))}: "
                "give level_of_care_reason to differ"
            )
            found.append((("conditions", c, "level_of_care"), reason))
    return found


def dates_in_the_past(plan: Plan, today: date) -> Found:
    """A new plan or revision looks forward: no review, follow-up or target date before today."""
    found: Found = []
    if plan.review_on < today:
        found.append((("review_on",), f"{plan.review_on} is in the past (today is {today})"))
    for g, goal in enumerate(plan.goals):
        for o, objective in enumerate(goal.objectives):
            for name in ("follow_up", "by"):
                when: date = getattr(objective, name)
                if when < today:
                    reason = f"{when} is in the past (today is {today})"
                    found.append((("goals", g, "objectives", o, name), reason))
    return found
