"""Small weeks for the roster tests, written as a manager would write them."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from allocation.roster.instance import compile_week
from allocation.roster.output import RosterResult, SlotSupport
from allocation.roster.plan import plan_week
from allocation.roster.rules import breaches
from allocation.roster.slots import DAYS, Grid, parse_clock
from allocation.roster.solver import SolveOptions
from allocation.roster.week import Week

ONE_WORKER = SolveOptions(time_limit=5, workers=1, seed=7)


def block(
    day: str, start: str, end: str, activity: str = "support", **extra: Any
) -> dict[str, Any]:
    return {"day": day, "start": start, "end": end, "activity": activity, **extra}


def window(day: str, start: str, end: str) -> dict[str, Any]:
    return {"day": day, "start": start, "end": end}


def paid(id: str, rate: str = "12.21", **extra: Any) -> dict[str, Any]:
    """A paid worker at the National Living Wage from April 2025 (domain-facts.md §6.2)."""
    return {"id": id, "kind": "paid", "hourly_rate": rate, **extra}


def week(
    blocks: list[dict[str, Any]],
    supporters: list[dict[str, Any]],
    budget: str = "1000.00",
    **rules: Any,
) -> Week:
    """One person, ada, with these blocks; rules default to a 1-hour shortest shift."""
    return Week.model_validate(
        {
            "budget": budget,
            "rules": {"min_shift_hours": 1, **rules},
            "people": [{"id": "ada", "blocks": blocks}],
            "supporters": supporters,
        }
    )


def solve(data: Week, options: SolveOptions | None = None) -> RosterResult:
    return plan_week(data, options or SolveOptions(time_limit=10))


def who(result: RosterResult, person: str, day: str, start: str) -> list[str]:
    """Who supports `person` in the slot that starts at `day` `start`."""
    (slot,) = [s for s in result.slots if (s.person, s.day, s.start) == (person, day, start)]
    return slot.supporters


def paid_breaches(data: Week, slots: list[SlotSupport]) -> dict[str, list[str]]:
    """Each paid worker's broken rules, read from the roster's slots and the WEEK as written.

    A busy slot is resting when every block the worker supports in it allows
    the break (`rest_break`, or by default a sleep-in).
    """
    grid = Grid(data.rules.slot_minutes)
    blocks = {(p.id, b): blk for p in data.people for b, blk in enumerate(p.blocks)}
    busy: dict[str, set[int]] = defaultdict(set)
    at_work: dict[str, set[int]] = defaultdict(set)
    for slot in slots:
        t = (DAYS.index(slot.day) * 24 * 60 + parse_clock(slot.start)) // grid.slot_minutes
        blk = blocks[(slot.person, slot.block)]
        allows = blk.rest_break if blk.rest_break is not None else blk.support == "sleep_in"
        for name in slot.supporters:
            busy[name].add(t)
            if not allows:
                at_work[name].add(t)
    instance = compile_week(data)
    return {
        h.id: breaches(busy[h.id], h.cap, instance.rules, grid, busy[h.id] - at_work[h.id])
        for h in instance.helpers
        if h.paid
    }
