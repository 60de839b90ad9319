"""Working rules for paid staff, checked on one worker's week of busy slots.

The CP-SAT model states these rules as constraints; this module states them
again plainly, so the greedy baseline can keep them, the explanations can
name the one that stops a worker, and the tests can check the solver.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping

from allocation.roster.instance import Helper, Instance, WorkRules
from allocation.roster.slots import DAYS, Grid


def breaches(
    busy: Collection[int],
    cap: int | None,
    rules: WorkRules,
    grid: Grid,
    resting: Collection[int] = frozenset(),
) -> list[str]:
    """Every rule the week breaks, in words; empty when it keeps them all.

    `resting`: busy slots in which the worker may take their rest break (every
    block they support then allows it).
    """
    chosen = set(busy)
    if not chosen:
        return []
    found = []
    if cap is not None and len(chosen) > cap:
        found.append(f"weekly hours: {grid.hours(len(chosen))} h, cap {grid.hours(cap)} h")
    for first, length in grid.runs(chosen):
        if length > rules.max_shift:
            found.append(f"longest shift: {_shift(grid, first, length)} is too long")
        if length < rules.min_shift:
            found.append(f"shortest shift: {_shift(grid, first, length)} is too short")
    found += _daily_rest(chosen, rules, grid)
    found += _consecutive_days(chosen, rules, grid)
    found += _rest_break(chosen - set(resting), rules, grid)
    return found


def worker_breaches(
    instance: Instance, helper: Helper, work: Mapping[int, Collection[int]]
) -> list[str]:
    """The rules a paid worker's week breaks, from the needs they support in each busy slot."""
    if not helper.paid:
        return []
    return breaches(work, helper.cap, instance.rules, instance.grid, _resting(instance, work))


def _resting(instance: Instance, work: Mapping[int, Collection[int]]) -> set[int]:
    """Busy slots in which every block the worker supports allows their rest break."""
    needs = instance.needs
    return {t for t, ks in work.items() if all(needs[k].rest_break for k in ks)}


def _shift(grid: Grid, first: int, length: int) -> str:
    return f"{grid.label(first)} for {grid.hours(length)} h"


def _daily_rest(busy: set[int], rules: WorkRules, grid: Grid) -> list[str]:
    """In the 24 hours from the start of each shift, a rest of daily_rest slots in a row.

    Reg. 10 gives the rest "in each 24-hour period during which he works";
    the period is reckoned from the start of work, as rotas do. (Checking
    every 24 hours from any slot would forbid a plain nine-to-five week.)
    A rest is a stretch of idle slots between two busy ones; one of `rest`
    slots fits the period when some idle gap holds `rest` slots in a row
    ending at most a day after the shift's start.
    """
    rest, day, count = rules.daily_rest, grid.per_day, grid.count
    if rest == 0:
        return []
    ordered = sorted(busy)
    # Idle gaps as (first idle slot, last idle slot), unwrapped past the week's end.
    gaps = [
        (b + 1, (ordered[(i + 1) % len(ordered)] - 1) + (count if i + 1 == len(ordered) else 0))
        for i, b in enumerate(ordered)
    ]
    gaps = [(a, z) for a, z in gaps if z - a + 1 >= rest]
    for first, _ in grid.runs(busy):
        if not any(
            max(first + rest, a + shift + rest) <= min(first + day, z + shift + 1)
            for a, z in gaps
            for shift in (-count, 0, count)
        ):
            return [
                f"daily rest: no {grid.hours(rest)} h rest in the 24 h from {grid.label(first)}"
            ]
    return []


def idle_runs_ending(busy: Collection[int], count: int) -> list[int]:
    """For each slot, how many idle slots in a row end there (cyclic, capped at a week)."""
    runs = [0] * count
    for _ in range(2):
        for t in range(count):
            runs[t] = 0 if t in busy else min(runs[t - 1] + 1, count)
    return runs


def _consecutive_days(busy: set[int], rules: WorkRules, grid: Grid) -> list[str]:
    if rules.max_days >= len(DAYS):
        return []
    worked = {grid.day_of(t) for t in busy}
    for first in range(len(DAYS)):
        if all((first + k) % len(DAYS) in worked for k in range(rules.max_days + 1)):
            return [
                f"consecutive days: works {rules.max_days + 1} days in a row from {DAYS[first]}"
            ]
    return []


def _rest_break(working: set[int], rules: WorkRules, grid: Grid) -> list[str]:
    """No stretch of work longer than `break_after` slots without a rest break.

    A break is `break_slots` restful slots in a row (idle, or in blocks that
    allow it); a shorter gap is time at work. So every stretch between two
    breaks, from its first working slot to its last, holds at most
    `break_after` slots (Working Time Regulations 1998 reg. 12, held for every
    stretch rather than once a day).
    """
    if not rules.break_may_bind(len(working)):
        return []
    k, most = rules.break_slots, rules.break_after
    for first, span, _ in grid.stretches(working, k - 1):
        if span > most:
            return [
                f"rest break: works {grid.hours(span)} h from {grid.label(first)} "
                f"without a {k * grid.slot_minutes}-minute break (the most is "
                f"{grid.hours(most)} h)"
            ]
    return []
