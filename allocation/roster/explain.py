"""Why a stretch of need was left unmet, in the order a manager would ask.

1. nobody_available: nobody may support the person in this activity, or of
   those with the skills too few are available then;
2. skill_missing: too few of those who may support the person have the skills;
3. refused: enough are available with the skills, but only if the person's
   refused supporters are counted;
4. over_budget: a supporter who could take the stretch as the roster stands
   (free, within their cap and the working rules) costs more than the budget
   has left: more money would cover it with the people available;
5. working_rule: each supporter who could is stopped by a working rule, their
   hour cap or support they give someone else at the time; the detail names
   the worker and the rule.

Reasons are read from the roster returned, stretch by stretch, so they are
true of it; the fill pass (improve.py) has already given every stretch that
someone could take to them.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from allocation.roster.greedy import RosterState
from allocation.roster.instance import Helper, Instance, Need, available, skilled, suits
from allocation.roster.output import Reason
from allocation.roster.rules import worker_breaches
from allocation.roster.units import to_pounds
from allocation.roster.week_costs import Cover, account


@dataclass(frozen=True)
class Why:
    reason: Reason
    detail: str


@dataclass(frozen=True)
class UnmetRun:
    need: int
    first: int
    length: int
    why: Why


def unmet_runs(instance: Instance, cover: Cover) -> list[UnmetRun]:
    """Each unbroken stretch of a block left unmet for one reason, told for the stretch."""
    state = RosterState(instance, cover)
    runs: list[UnmetRun] = []
    count = instance.grid.count
    for k, need in enumerate(instance.needs):
        groups: list[tuple[list[int], Why | list[Helper]]] = []
        for t in need.slots:
            if (need.person, t) in cover:
                groups.append(([], []))
                continue
            found = _who_could(instance, need, t)
            last = groups[-1] if groups else None
            if last and last[0] and last[0][-1] == (t - 1) % count and last[1] == found:
                last[0].append(t)
            else:
                groups.append(([t], found))
        for slots, found in groups:
            if not slots:
                continue
            why = found if isinstance(found, Why) else _what_stops(state, k, slots, found)
            runs.append(UnmetRun(k, slots[0], len(slots), why))
    return runs


def _who_could(instance: Instance, need: Need, t: int) -> Why | list[Helper]:
    """Why nobody could, from the week alone; else those who could, as it is written."""
    person = instance.people[need.person]
    wanted = "one supporter" if need.ratio == 1 else f"{need.ratio} supporters at once"
    unrefused = replace(need, refuses=frozenset())
    allowed = [h for h in instance.helpers if suits(h, unrefused)]
    if len(allowed) < need.ratio:
        return Why("nobody_available", f"no supporter may support {person} in {need.activity!r}")
    with_skills = [h for h in allowed if skilled(h, need)]
    if len(with_skills) < need.ratio:
        missing = sorted(need.skills - set().union(*(h.skills for h in allowed)))
        if missing:
            return Why("skill_missing", f"nobody who may support {person} has {', '.join(missing)}")
        names = ", ".join(h.label for h in with_skills) or "nobody"
        return Why(
            "skill_missing",
            f"only {names} has all of {', '.join(sorted(need.skills))}; needs {wanted}",
        )
    free = [h for h in with_skills if available(h, need, t)]
    if len(free) < need.ratio:
        names = ", ".join(h.label for h in free) or "nobody"
        when = "for the whole sleep-in" if need.sleep_in else "then"
        return Why(
            "nobody_available",
            f"of those with the skills, only {names} available {when}; needs {wanted}",
        )
    willing = [h for h in free if h.index not in need.refuses]
    if len(willing) < need.ratio:
        refused = ", ".join(h.label for h in free if h.index in need.refuses)
        return Why("refused", f"{person} refuses {refused}; needs {wanted}")
    return willing


def _what_stops(state: RosterState, k: int, slots: list[int], could: list[Helper]) -> Why:
    """What stops the supporters who could take the stretch, as the roster stands.

    Over budget only when the supporters who could take it within the rules
    are enough for the ratio and money alone stops them.
    """
    instance = state.instance
    ratio = instance.needs[k].ratio
    run = [(k, t) for t in slots]
    left = instance.budget - sum(state.cost.values())
    stops: list[str] = []
    costs: list[tuple[int, Helper]] = []
    for helper in could:
        stop = _rule_or_engagement(state, helper, k, run)
        if stop is not None:
            stops.append(stop)
            continue
        extra = account(instance, helper, state.with_run(helper.index, run)).cost
        costs.append((extra - state.cost[helper.index], helper))
    costs.sort(key=lambda pair: (pair[0], pair[1].index))
    pounds = instance.units_per_penny
    if len(costs) >= ratio and sum(c for c, _ in costs[:ratio]) > left:
        named = "; ".join(f"{h.label} would cost £{to_pounds(c, pounds)}" for c, h in costs[:3])
        spare = to_pounds(max(left, 0), pounds)
        return Why("over_budget", f"{named}, and £{spare} of the budget is left")
    if costs:
        names = ", ".join(h.label for _, h in costs)
        stops.append(
            f"only {names} could take it within the rules; needs {ratio} at once"
            if ratio > 1
            else f"{names} could take part of it, not all of it, within the rules"
        )
    return Why("working_rule", "; ".join(stops[:4]))


def _rule_or_engagement(
    state: RosterState, helper: Helper, k: int, run: list[tuple[int, int]]
) -> str | None:
    instance = state.instance
    for _, t in run:
        if not state.free_for(helper.index, k, t):
            with_whom = sorted(
                {instance.people[instance.needs[j].person] for j in state.work[helper.index][t]}
            )
            return (
                f"{helper.label} is supporting {', '.join(with_whom)} at {instance.grid.label(t)}"
            )
    work = state.with_run(helper.index, run)
    if helper.cap is not None and len(work) > helper.cap:
        left = instance.grid.hours(max(helper.cap - len(state.work[helper.index]), 0))
        return f"{helper.label} has {left} h left of a {instance.grid.hours(helper.cap)} h cap"
    if broken := worker_breaches(instance, helper, work):
        return f"{helper.label}: {broken[0]}"
    return None
