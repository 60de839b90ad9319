"""The week as a ring of equal time slots.

A perfect week repeats, so the grid is cyclic: Sunday 23:30 is followed by
Monday 00:00, a block from 22:00 to 07:00 runs past midnight, and working
rules (shift length, daily rest) are checked across the join.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from decimal import Decimal

DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
DAY_NAMES = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
MINUTES_PER_DAY = 24 * 60

Stretch = tuple[int, int, list[tuple[int, int]]]
"""Runs of slots grouped together: (first slot, span in slots, the runs as (first, length))."""


def parse_clock(value: object) -> int:
    """Minutes since midnight of "HH:MM" (00:00 to 24:00).

    YAML 1.1 reads an unquoted 10:30 as the base-60 integer 630, so an integer
    is taken as minutes, which is exactly what YAML made of the written time.
    """
    if isinstance(value, bool):
        raise ValueError("expected a time HH:MM")
    if isinstance(value, int):
        minutes = value
    elif isinstance(value, str):
        hours, sep, mins = value.strip().partition(":")
        if not sep or not hours.isdigit() or not mins.isdigit() or len(mins) != 2:
            raise ValueError(f"expected a time HH:MM, not {value!r}")
        if int(mins) >= 60:
            raise ValueError(f"{value} is not a time: minutes run from 00 to 59")
        minutes = int(hours) * 60 + int(mins)
    else:
        raise ValueError("expected a time HH:MM")
    if not 0 <= minutes <= MINUTES_PER_DAY:
        raise ValueError(f"{clock(minutes)} is outside the day: times run from 00:00 to 24:00")
    return minutes


def clock(minutes: int) -> str:
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


def span_minutes(start: int, end: int) -> int:
    """Length of a day's window; an end at or before the start runs past midnight."""
    return end - start if end > start else MINUTES_PER_DAY - start + end


class Grid:
    """Slot arithmetic for one slot length."""

    def __init__(self, slot_minutes: int) -> None:
        self.slot_minutes = slot_minutes
        self.per_day = MINUTES_PER_DAY // slot_minutes
        self.per_hour = 60 // slot_minutes
        self.count = 7 * self.per_day

    def on_grid(self, minutes: int) -> bool:
        return minutes % self.slot_minutes == 0

    def window(self, day: int, start: int, end: int) -> tuple[int, ...]:
        """The slots of a window starting on `day`, in time order, wrapping the week."""
        first = day * self.per_day + start // self.slot_minutes
        length = span_minutes(start, end) // self.slot_minutes
        return tuple((first + k) % self.count for k in range(length))

    def ring(self, first: int, length: int) -> Iterator[int]:
        return ((first + k) % self.count for k in range(length))

    def day_of(self, slot: int) -> int:
        return slot // self.per_day

    def start_of(self, slot: int) -> int:
        return (slot % self.per_day) * self.slot_minutes

    def label(self, slot: int) -> str:
        return f"{DAYS[self.day_of(slot)]} {clock(self.start_of(slot))}"

    def slots_of_hours(self, hours: Decimal) -> int:
        """Whole slots in a number of hours (the week file's checks make it exact)."""
        return int(hours * self.per_hour)

    def fits(self, hours: Decimal) -> bool:
        return (hours * self.per_hour) % 1 == 0

    def hours(self, slots: int) -> Decimal:
        """Hours in a number of slots, to the hundredth (20-minute slots are not exact)."""
        exact = (Decimal(slots * self.slot_minutes) / 60).quantize(Decimal("0.01"))
        return Decimal(format(exact.normalize(), "f"))

    def runs(self, slots: Iterable[int]) -> list[tuple[int, int]]:
        """Maximal cyclic runs of a slot set as (first slot, length)."""
        chosen = set(slots)
        if len(chosen) == self.count:
            return [(0, self.count)]
        runs = []
        for slot in sorted(chosen):
            if (slot - 1) % self.count in chosen:
                continue
            length = 1
            while (slot + length) % self.count in chosen:
                length += 1
            runs.append((slot, length))
        return runs

    def stretches(self, slots: Iterable[int], joinable: int) -> list[Stretch]:
        """The set's runs grouped across idle gaps of at most `joinable` slots.

        Each group as (first slot, span from its first slot to the end of its
        last, runs), in order of first slot. The week is a ring, so grouping
        starts after the longest gap; when every gap joins, one group spans
        the whole week.
        """
        runs = sorted(self.runs(slots))
        if not runs:
            return []
        n = len(runs)
        gap_after = [
            (runs[(i + 1) % n][0] - first - length) % self.count
            for i, (first, length) in enumerate(runs)
        ]
        longest = max(range(n), key=gap_after.__getitem__)
        groups: list[list[tuple[int, int]]] = []
        for i in ((longest + 1 + j) % n for j in range(n)):
            if groups and gap_after[(i - 1) % n] <= joinable:
                groups[-1].append(runs[i])
            else:
                groups.append([runs[i]])
        if gap_after[longest] <= joinable:
            return [(groups[0][0][0], self.count, groups[0])]
        return sorted(
            (g[0][0], (g[-1][0] + g[-1][1] - g[0][0]) % self.count or self.count, g) for g in groups
        )
