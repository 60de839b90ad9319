"""A roster's shifts: each supporter's stretches of support in the week, with their breaks.

Read from the roster JSON (`RosterResult.slots`), so the CSV and calendar
files say exactly what the roster says. A stretch runs past midnight and
across the week's end as the week does (Sunday night into Monday). A gap of
at most `LONGEST_BREAK_MINUTES` between two stretches is a break within one
shift, as a rota shows a rest or meal break (07:30-15:00, break 11:00-11:30);
a longer gap ends the shift.
"""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal
from itertools import pairwise

from pydantic import BaseModel, ConfigDict

from allocation.roster.output import RosterResult
from allocation.roster.slots import DAYS, MINUTES_PER_DAY, Grid, clock, parse_clock

LONGEST_BREAK_MINUTES = 60


class Shift(BaseModel):
    model_config = ConfigDict(frozen=True)

    supporter: str
    name: str
    kind: str
    day: str
    start: str
    end: str
    minute_of_week: int
    minutes: int  # from start to end, breaks included
    hours: Decimal  # worked: breaks left out
    breaks: list[str]  # "HH:MM-HH:MM", in time order
    people: list[str]
    activities: list[str]


def shifts(result: RosterResult) -> list[Shift]:
    """Every supporter's shifts, in supporter order, then by time from Monday."""
    grid = Grid(result.slot_minutes)
    worked: dict[str, dict[int, list[tuple[str, str]]]] = defaultdict(lambda: defaultdict(list))
    for slot in result.slots:
        t = (DAYS.index(slot.day) * MINUTES_PER_DAY + parse_clock(slot.start)) // grid.slot_minutes
        for who in slot.supporters:
            worked[who][t].append((slot.person, slot.activity))
    found = []
    joinable = LONGEST_BREAK_MINUTES // grid.slot_minutes
    for supporter in result.supporters:
        slots = worked.get(supporter.id, {})
        for first, span, runs in grid.stretches(slots, joinable):
            stretch = [slots[t] for start, size in runs for t in grid.ring(start, size)]
            start = grid.start_of(first)
            found.append(
                Shift(
                    supporter=supporter.id,
                    name=supporter.name,
                    kind=supporter.kind,
                    day=DAYS[grid.day_of(first)],
                    start=clock(start),
                    end=clock((start + span * grid.slot_minutes) % MINUTES_PER_DAY),
                    minute_of_week=first * grid.slot_minutes,
                    minutes=span * grid.slot_minutes,
                    hours=grid.hours(sum(size for _, size in runs)),
                    breaks=[
                        f"{clock(grid.start_of(a + n))}-{clock(grid.start_of(b))}"
                        for (a, n), (b, _) in pairwise(runs)
                    ],
                    people=sorted({p for pairs in stretch for p, _ in pairs}),
                    activities=list(dict.fromkeys(a for pairs in stretch for _, a in pairs)),
                )
            )
    return found
