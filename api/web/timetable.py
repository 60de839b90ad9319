"""The perfect week as a weekly timetable: days across, hours down, each run of slots a
block saying who covers it and of what kind (family, friend, community, technology,
paid), and each unmet run with its reason. Pure functions over a RosterResult."""

from __future__ import annotations

from dataclasses import dataclass

from allocation.roster.output import RosterResult
from allocation.roster.slots import DAY_NAMES, DAYS
from allocation.roster.week import KIND_ORDER

REASONS = {
    "over_budget": "the budget cannot pay for it",
    "nobody_available": "nobody is available then",
    "skill_missing": "nobody available has the skills",
    "working_rule": "it would break a working-time rule",
}


@dataclass(frozen=True)
class Run:
    day: str
    start: str
    end: str
    person: str
    activity: str
    who: str  # the supporters' names, or the reason it is unmet
    kind: str  # a supporter kind, "mixed", or "unmet"


@dataclass(frozen=True)
class Timetable:
    days: tuple[tuple[str, str], ...]  # (code, name)
    hours: tuple[str, ...]  # "07:00"
    cells: dict[tuple[str, str], list[Run]]  # (day, hour) to the runs starting then
    kinds: tuple[str, ...]  # the kinds shown, in the legend's order


def _merge(runs: list[Run]) -> list[Run]:
    merged: list[Run] = []
    for run in runs:
        last = merged[-1] if merged else None
        if (
            last is not None
            and (last.day, last.person, last.activity, last.who, last.kind)
            == (run.day, run.person, run.activity, run.who, run.kind)
            and last.end == run.start
        ):
            merged[-1] = Run(
                last.day, last.start, run.end, last.person, last.activity, last.who, last.kind
            )
        else:
            merged.append(run)
    return merged


def runs(result: RosterResult) -> list[Run]:
    """Covered and unmet time as runs: consecutive slots alike are one block."""
    by_id = {s.id: s for s in result.supporters}
    found = []
    for slot in result.slots:
        if not slot.supporters:
            continue  # in `unmet`, with its reason
        names = [by_id[i].name if i in by_id else i for i in slot.supporters]
        kinds = {by_id[i].kind for i in slot.supporters if i in by_id}
        kind = kinds.pop() if len(kinds) == 1 else "mixed"
        found.append(
            Run(slot.day, slot.start, slot.end, slot.person, slot.activity, ", ".join(names), kind)
        )
    for unmet in result.unmet:
        why = REASONS.get(unmet.reason, unmet.reason.replace("_", " "))
        found.append(
            Run(
                unmet.day,
                unmet.start,
                unmet.end,
                unmet.person,
                unmet.activity,
                f"unmet: {why}",
                "unmet",
            )
        )
    order = {day: index for index, day in enumerate(DAYS)}
    found.sort(key=lambda r: (r.kind == "unmet", r.person, r.activity, order[r.day], r.start))
    merged = _merge(found)
    merged.sort(key=lambda r: (order[r.day], r.start, r.person))
    return merged


def timetable(result: RosterResult) -> Timetable:
    cells: dict[tuple[str, str], list[Run]] = {}
    for run in runs(result):
        cells.setdefault((run.day, run.start[:2] + ":00"), []).append(run)
    used = sorted({hour for _, hour in cells})
    hours = (
        tuple(f"{h:02d}:00" for h in range(int(used[0][:2]), int(used[-1][:2]) + 1)) if used else ()
    )
    shown = {r.kind for rs in cells.values() for r in rs}
    kinds = tuple(k for k in (*KIND_ORDER, "mixed", "unmet") if k in shown)
    return Timetable(tuple(zip(DAYS, DAY_NAMES, strict=True)), hours, cells, kinds)
