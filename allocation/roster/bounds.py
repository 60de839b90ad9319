"""Lower bounds on a stage's optimum, from independent sources.

CP-SAT's own bound can be weak when it runs out of time on 2 cores, so the
result reports the best of: the solver's bound, the LP relaxation of the model
as it stands (every boolean relaxed to [0, 1]; constraints with no linear form
are dropped, which only loosens it), counting floors that follow from the
week alone, and for paid hours the shift-cover relaxation (shift_cover.py).
Each is a valid lower bound, so the largest is.
"""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from collections.abc import Callable, Mapping
from fractions import Fraction
from typing import Any

from ortools.linear_solver import pywraplp

from allocation.roster.instance import Instance

INFINITY = float("inf")
INT64_MAX = 2**63 - 1


def lp_relaxation_bound(proto: Any, seconds: float) -> int | None:
    """The LP relaxation's optimum of a CpModelProto, rounded up; None if GLOP gives up."""
    lp = pywraplp.Solver.CreateSolver("GLOP")
    lp.SetTimeLimit(max(int(seconds * 1000), 100))
    variables = []
    for v in proto.variables:
        domain = list(v.domain)
        variables.append(lp.NumVar(domain[0], domain[-1], ""))
    lower = [var.lb() for var in variables]
    upper = [var.ub() for var in variables]

    def add(terms: dict[int, float], offset: float, lo: float, hi: float) -> None:
        row = lp.Constraint(lo - offset, hi - offset)
        for index, coeff in terms.items():
            row.SetCoefficient(variables[index], coeff)

    def literals(lits: list[int]) -> tuple[dict[int, float], float]:
        """Sum of literals as linear terms plus a constant (a negated x is 1 - x)."""
        terms: dict[int, float] = defaultdict(float)
        offset = 0.0
        for lit in lits:
            if lit >= 0:
                terms[lit] += 1
            else:
                terms[-lit - 1] -= 1
                offset += 1
        return terms, offset

    for c in proto.constraints:
        enforcement = list(c.enforcement_literal)
        slack_terms, slack_offset = literals([-lit - 1 for lit in enforcement])
        if c.has_bool_or():
            terms, offset = literals(list(c.bool_or.literals))
            _merge(terms, slack_terms)
            add(terms, offset + slack_offset, 1, INFINITY)
        elif c.has_bool_and():
            for lit in c.bool_and.literals:
                terms, offset = literals([lit])
                _merge(terms, slack_terms)
                add(terms, offset + slack_offset, 1, INFINITY)
        elif c.has_at_most_one() and not enforcement:
            terms, offset = literals(list(c.at_most_one.literals))
            add(terms, offset, -INFINITY, 1)
        elif c.has_linear():
            _add_linear(c.linear, slack_terms, slack_offset, add, lower, upper)
    objective = lp.Objective()
    for index, coeff in zip(proto.objective.vars, proto.objective.coeffs, strict=True):
        objective.SetCoefficient(variables[index], coeff)
    objective.SetMinimization()
    if lp.Solve() != pywraplp.Solver.OPTIMAL:
        return None
    scale = proto.objective.scaling_factor or 1
    value = scale * (objective.Value() + proto.objective.offset)
    return math.ceil(value - 1e-6 * max(1.0, abs(value)))


def _merge(terms: dict[int, float], more: dict[int, float]) -> None:
    for index, coeff in more.items():
        terms[index] = terms.get(index, 0.0) + coeff


AddRow = Callable[[dict[int, float], float, float, float], None]


def _add_linear(
    linear: Any,
    slack_terms: dict[int, float],
    slack_offset: float,
    add: AddRow,
    lower: list[float],
    upper: list[float],
) -> None:
    """lo <= sum <= hi, loosened by big-M on the enforcement literals' slack."""
    terms: dict[int, float] = defaultdict(float)
    for index, coeff in zip(linear.vars, linear.coeffs, strict=True):
        terms[index] += coeff
    domain = list(linear.domain)
    lo = -INFINITY if domain[0] <= -INT64_MAX else domain[0]
    hi = INFINITY if domain[-1] >= INT64_MAX else domain[-1]
    least = sum(c * (lower[i] if c > 0 else upper[i]) for i, c in terms.items())
    most = sum(c * (upper[i] if c > 0 else lower[i]) for i, c in terms.items())
    if not slack_terms:
        add(terms, 0.0, lo, hi)
        return
    if lo > least:
        # sum + (lo - least) * slack >= lo
        low = dict(terms)
        _merge(low, {i: (lo - least) * c for i, c in slack_terms.items()})
        add(low, (lo - least) * slack_offset, lo, INFINITY)
    if hi < most:
        # sum - (most - hi) * slack <= hi
        high = dict(terms)
        _merge(high, {i: -(most - hi) * c for i, c in slack_terms.items()})
        add(high, -(most - hi) * slack_offset, -INFINITY, hi)


def counting_floor(instance: Instance, name: str, reached: Mapping[str, int]) -> int:
    """A floor on a stage's optimum from counting alone, given the earlier stages' values.

    Coverage stages: slots nobody can ever cover stay unmet. Later stages
    count what covering the coverable slots forces; the coverage stages'
    values say how many coverable slots may be left uncovered (each weighs at
    least 1), and each of those can lower a count by at most its ratio (for
    paid hours, a knapsack of what each lowers per weight, `_paid_slack`).
    """
    if name in ("essential", "desirable"):
        return _uncoverable(instance, name == "essential")
    slack = sum(
        reached.get(s, 0) - _uncoverable(instance, s == "essential")
        for s in ("essential", "desirable")
    )
    if name == "paid_hours":
        return max(0, _paid_floor(instance) - _paid_slack(instance, reached))
    if name == "choices":
        return max(0, _choices_floor(instance) - 2 * slack)
    if name == "cost":
        return _cost_floor(instance, reached.get("paid_hours", 0), slack)
    if slack:
        return 0
    if name == "continuity":
        return _continuity_floor(instance)
    if name == "handovers":
        return _handovers_floor(instance)
    return 0


def _uncoverable(instance: Instance, essential: bool) -> int:
    return sum(
        instance.needs[k].weight
        for key, k in instance.need_at.items()
        if instance.needs[k].essential == essential
        and len(instance.eligible[key]) < instance.needs[k].ratio
    )


def _coverable(instance: Instance) -> list[tuple[int, int, int]]:
    """(person, slot, paid supporters needed at least) for every coverable slot."""
    found = []
    for key, k in instance.need_at.items():
        helpers = instance.eligible[key]
        ratio = instance.needs[k].ratio
        if len(helpers) >= ratio:
            unpaid = sum(not instance.helpers[h].paid for h in helpers)
            found.append((key[0], key[1], max(0, ratio - unpaid)))
    return found


def _paid_floor(instance: Instance) -> int:
    """Paid worker-slots: alone with each unshared person, else `at_once` people each."""
    at_once = instance.rules.at_once
    alone: dict[int, int] = defaultdict(int)
    shared: dict[int, int] = defaultdict(int)
    for p, t, paid in _coverable(instance):
        if instance.needs[instance.need_at[(p, t)]].shareable:
            shared[t] += paid
        else:
            alone[t] += paid
    by_slot = sum(alone[t] + math.ceil(shared[t] / at_once) for t in {*alone, *shared})
    demand = sum(instance.needs[instance.need_at[(p, t)]].ratio for p, t, _ in _coverable(instance))
    supply = 0
    # Each supporter's eligible slots, counted in one pass (a pass per supporter
    # took 1.4 s of the report on a week of 1,000 supporters).
    slots_of = Counter(h for hs in instance.eligible.values() for h in hs)
    for helper in instance.helpers:
        if helper.paid:
            continue
        reach = slots_of[helper.index]
        if helper.cap is not None and not helper.technology:
            reach = min(reach, helper.cap * at_once)
        supply += reach
    return max(by_slot, math.ceil(max(0, demand - supply) / at_once))


def _paid_slack(instance: Instance, reached: Mapping[str, int]) -> int:
    """The most that leaving coverable slots uncovered, as far as the reached values allow,
    lowers the paid floor.

    The floor is the larger of two counts; leaving a set of slots uncovered
    lowers the slot-by-slot count by at most the paid supporters they force,
    and the demand count by at most their ratios over `at_once`, rounded up.
    The slots left weigh at most the slack in each priority, so a fractional
    knapsack of each (most per weight first) bounds either from above. It is
    never more than the ratio-per-weight bound it replaces (2 per weight).
    """
    forced = _knapsack(instance, reached, lambda paid, ratio: paid)
    demand = math.ceil(
        _knapsack(instance, reached, lambda paid, ratio: ratio) / instance.rules.at_once
    )
    return max(math.floor(forced), demand)


def _knapsack(
    instance: Instance, reached: Mapping[str, int], value: Callable[[int, int], int]
) -> Fraction:
    """The most `value(paid, ratio)` the coverable slots the slack allows to leave can add up to."""
    total = Fraction(0)
    for essential, name in ((True, "essential"), (False, "desirable")):
        room = Fraction(max(0, reached.get(name, 0) - _uncoverable(instance, essential)))
        items = []
        for p, t, paid in _coverable(instance):
            need = instance.needs[instance.need_at[(p, t)]]
            if need.essential == essential:
                items.append((Fraction(value(paid, need.ratio), need.weight), need.weight))
        for per_weight, weight in sorted(items, reverse=True):
            if room <= 0 or per_weight <= 0:
                break
            taken = min(room, Fraction(weight))
            total += per_weight * taken
            room -= taken
    return total


def _choices_floor(instance: Instance) -> int:
    total = 0
    for p, t, _ in _coverable(instance):
        need = instance.needs[instance.need_at[(p, t)]]
        if need.prefers:
            wanted = sum(h in need.prefers for h in instance.eligible[(p, t)])
            total += max(0, need.ratio - wanted)
    return total


def _continuity_floor(instance: Instance) -> int:
    longest = max((h.cap or 0 for h in instance.helpers if h.paid), default=0)
    most: dict[int, int] = defaultdict(int)
    slots: dict[int, int] = defaultdict(int)
    for p, _, paid in _coverable(instance):
        most[p] = max(most[p], paid)
        slots[p] += paid
    if longest == 0:
        return 0
    return sum(max(most[p], math.ceil(slots[p] / longest)) for p in most)


def _cost_floor(instance: Instance, paid_slots: int, slack: int) -> int:
    """Awake paid slots at the cheapest rate, and the sleep-ins the nights force."""
    paid = [h for h in instance.helpers if h.paid]
    if not paid:
        return 0
    asleep = sum(
        instance.needs[k].ratio for k in instance.need_at.values() if instance.needs[k].sleep_in
    )
    awake = min(h.hourly for h in paid) * max(0, paid_slots - asleep)
    sleepers = [h.sleep_in for h in paid if h.sleep_in is not None]
    if not sleepers:
        return awake
    nights: dict[int, int] = defaultdict(int)
    for p, t, need in _coverable(instance):
        k = instance.need_at[(p, t)]
        if instance.needs[k].sleep_in and need and t == instance.needs[k].slots[0]:
            nights[instance.needs[k].day] += need
    forced = sum(math.ceil(n / instance.rules.at_once) for n in nights.values())
    return awake + min(sleepers) * max(0, forced - slack)


def _handovers_floor(instance: Instance) -> int:
    count = instance.grid.count
    covered = {(p, t) for p, t, _ in _coverable(instance)}
    total = 0
    for p, t in covered:
        if (p, (t - 1) % count) not in covered:
            total += instance.needs[instance.need_at[(p, t)]].ratio
    return total
