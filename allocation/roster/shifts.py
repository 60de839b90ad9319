"""A roster's shifts: each supporter's unbroken stretches of support in the week.

Read from the roster JSON (`RosterResult.slots`), so the CSV and calendar
files say exactly what the roster says. A stretch runs past midnight and
across the week's end as the week does (Sunday night into Monday).
"""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal

from pydantic import BaseModel, ConfigDict

from allocation.roster.output import RosterResult
from allocation.roster.slots import DAYS, MINUTES_PER_DAY, Grid, clock, parse_clock


class Shift(BaseModel):
    model_config = ConfigDict(frozen=True)

    supporter: str
    name: str
    kind: str
    day: str
    start: str
    end: str
    minute_of_week: int
    minutes: int
    hours: Decimal
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
    for supporter in result.supporters:
        slots = worked.get(supporter.id, {})
        for first, length in sorted(grid.runs(slots)):
            stretch = [slots[t] for t in grid.ring(first, length)]
            start = grid.start_of(first)
            end = (start + length * grid.slot_minutes) % MINUTES_PER_DAY
            found.append(
                Shift(
                    supporter=supporter.id,
                    name=supporter.name,
                    kind=supporter.kind,
                    day=DAYS[grid.day_of(first)],
                    start=clock(start),
                    end=clock(end),
                    minute_of_week=first * grid.slot_minutes,
                    minutes=length * grid.slot_minutes,
                    hours=grid.hours(length),
                    people=sorted({p for pairs in stretch for p, _ in pairs}),
                    activities=list(dict.fromkeys(a for pairs in stretch for _, a in pairs)),
                )
            )
    return found
