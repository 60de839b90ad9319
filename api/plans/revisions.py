"""What changed from one version of a plan to the next, in words a person would use.

Goals added, reworded or closed; objectives added, changed or met; supports
moved from one goal to another; needs deferred or taken up; a condition's
stage of change; the review date. Pure: two plans (and the objectives a
review found met) in, a list of changes out.
"""

from __future__ import annotations

from collections.abc import Collection
from typing import Literal

from api.plans.plan_model import Plan
from engine.common import Strict

What = Literal[
    "goal_added",
    "goal_closed",
    "goal_reworded",
    "objective_added",
    "objective_closed",
    "objective_changed",
    "objective_met",
    "support_linked",
    "support_unlinked",
    "support_moved",
    "supporter_added",
    "supporter_left",
    "need_deferred",
    "need_taken_up",
    "stage_of_change",
    "review_date",
]


class PlanChange(Strict):
    what: What
    goal: str | None = None
    objective: str | None = None
    detail: str


def changes(
    before: Plan | None, after: Plan, met: Collection[tuple[str, str]] = ()
) -> list[PlanChange]:
    """`met`: (goal, objective) pairs that the review behind this revision found met."""
    old = before.goals if before else []
    found: list[PlanChange] = []
    old_goals = {g.id: g for g in old}
    new_goals = {g.id: g for g in after.goals}
    for goal in after.goals:
        was = old_goals.get(goal.id)
        if was is None:
            found.append(PlanChange(what="goal_added", goal=goal.id, detail=goal.own_words))
            continue
        if was.own_words != goal.own_words:
            detail = f"{was.own_words!r} -> {goal.own_words!r}"
            found.append(PlanChange(what="goal_reworded", goal=goal.id, detail=detail))
        old_objectives = {o.id: o for o in was.objectives}
        for objective in goal.objectives:
            prior = old_objectives.get(objective.id)
            if prior is None:
                found.append(
                    PlanChange(
                        what="objective_added",
                        goal=goal.id,
                        objective=objective.id,
                        detail=objective.description,
                    )
                )
                continue
            moved = [
                f"{name} {getattr(prior, name)} -> {getattr(objective, name)}"
                for name in ("indicator", "baseline", "target", "by", "follow_up")
                if getattr(prior, name) != getattr(objective, name)
            ]
            if moved:
                found.append(
                    PlanChange(
                        what="objective_changed",
                        goal=goal.id,
                        objective=objective.id,
                        detail="; ".join(moved),
                    )
                )
        for objective in was.objectives:
            if objective.id not in {o.id for o in goal.objectives}:
                found.append(
                    PlanChange(
                        what="objective_closed",
                        goal=goal.id,
                        objective=objective.id,
                        detail=objective.description,
                    )
                )
    for goal in old:
        if goal.id not in new_goals:
            found.append(PlanChange(what="goal_closed", goal=goal.id, detail=goal.own_words))
    for goal_id, objective_id in sorted(met):
        found.append(
            PlanChange(
                what="objective_met",
                goal=goal_id,
                objective=objective_id,
                detail="the review found the target reached",
            )
        )
    found += _supports(before, after)
    found += _needs_and_dates(before, after)
    return found


def _supports(before: Plan | None, after: Plan) -> list[PlanChange]:
    found: list[PlanChange] = []
    pairs: list[tuple[str, dict[tuple[str, str], str], dict[tuple[str, str], str]]] = [
        ("block", _blocks(before), _blocks(after)),
        ("budget line", _lines(before), _lines(after)),
    ]
    for kind, old, new in pairs:
        for key in sorted(old.keys() | new.keys()):
            name = f"{kind} {key[0]}: {key[1]}"
            was, now = old.get(key), new.get(key)
            if was == now:
                continue
            if was is None:
                found.append(PlanChange(what="support_linked", goal=now, detail=name))
            elif now is None:
                found.append(PlanChange(what="support_unlinked", goal=was, detail=name))
            else:
                found.append(
                    PlanChange(what="support_moved", goal=now, detail=f"{name} from goal {was}")
                )
    old_people = {p.name for p in before.people} if before else set()
    new_people = {p.name for p in after.people}
    for name in sorted(new_people - old_people):
        found.append(PlanChange(what="supporter_added", detail=name))
    for name in sorted(old_people - new_people):
        found.append(PlanChange(what="supporter_left", detail=name))
    return found


def _blocks(plan: Plan | None) -> dict[tuple[str, str], str]:
    return {(b.person, b.activity): b.goal for b in plan.blocks} if plan else {}


def _lines(plan: Plan | None) -> dict[tuple[str, str], str]:
    return {(str(b.method), b.label): b.goal for b in plan.budget_lines} if plan else {}


def _needs_and_dates(before: Plan | None, after: Plan) -> list[PlanChange]:
    found: list[PlanChange] = []
    old_deferred = {d.need for d in before.deferred} if before else set()
    new_deferred = {d.need: d.reason for d in after.deferred}
    for need in sorted(new_deferred.keys() - old_deferred):
        found.append(PlanChange(what="need_deferred", detail=f"{need}: {new_deferred[need]}"))
    for need in sorted(old_deferred - new_deferred.keys()):
        found.append(PlanChange(what="need_taken_up", detail=need))
    if before is None:
        return found
    stages = {c.id: c.stage_of_change for c in before.conditions}
    for condition in after.conditions:
        was = stages.get(condition.id)
        if was is not None and was != condition.stage_of_change:
            detail = f"{condition.name}: {was.value} -> {condition.stage_of_change.value}"
            found.append(PlanChange(what="stage_of_change", detail=detail))
    if before.review_on != after.review_on:
        detail = f"{before.review_on} -> {after.review_on}"
        found.append(PlanChange(what="review_date", detail=detail))
    return found
