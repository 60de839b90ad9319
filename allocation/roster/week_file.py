"""Reading a WEEK file, with every problem named by file, line and field.

pydantic checks each value; `week_problems` checks what needs the whole week:
names that must exist, blocks that overlap, times off the slot grid, fields
that only make sense for one kind of supporter.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

from pydantic import ValidationError

from allocation.roster.slots import DAYS, Grid, clock
from allocation.roster.week import Block, Timed, Week
from engine.sourcefiles import InputError, Location, read_document

Finding = tuple[Location, str]


def read_week(path: Path, budget: Decimal | None = None) -> Week:
    """The week in a YAML or JSON file; InputError lists everything wrong with it.

    `budget`, when given, comes from an allocation (`--budget-from`): the file
    must then not name one of its own, since two budgets would be ambiguous.
    """
    doc = read_document(path)
    try:
        week = Week.model_validate(doc.data)
    except ValidationError as error:
        raise InputError(doc.validation_problems(error)) from None
    if budget is not None:
        if week.budget is not None:
            reason = "the week names a budget and --budget-from gives one: remove one of them"
            raise InputError([doc.problem(("budget",), reason)])
        week = week.model_copy(update={"budget": budget})
    findings = week_problems(week)
    if findings:
        raise InputError([doc.problem(location, reason) for location, reason in findings])
    return week


def week_problems(week: Week) -> list[Finding]:
    grid = Grid(week.rules.slot_minutes)
    missing: list[Finding] = (
        [(("budget",), "give the weekly budget, or take it from an allocation (--budget-from)")]
        if week.budget is None
        else []
    )
    return [
        *missing,
        *_rule_problems(week, grid),
        *_duplicate_ids(week),
        *_people_problems(week, grid),
        *_supporter_problems(week, grid),
    ]


def _rule_problems(week: Week, grid: Grid) -> list[Finding]:
    rules = week.rules
    found: list[Finding] = []
    for name in (
        "min_shift_hours",
        "max_shift_hours",
        "daily_rest_hours",
        "weekly_cap_hours",
        "break_after_hours",
    ):
        hours = getattr(rules, name)
        if not grid.fits(hours):
            found.append((("rules", name), _off_grid_hours(hours, grid)))
    if rules.min_shift_hours > rules.max_shift_hours:
        found.append((("rules", "min_shift_hours"), "is longer than max_shift_hours"))
    if rules.max_shift_hours == 0:
        found.append((("rules", "max_shift_hours"), "must be more than 0"))
    return found


def _duplicate_ids(week: Week) -> list[Finding]:
    found: list[Finding] = []
    groups = (
        ("people", [p.id for p in week.people]),
        ("supporters", [s.id for s in week.supporters]),
    )
    for group, ids in groups:
        seen: set[str] = set()
        for i, name in enumerate(ids):
            if name in seen:
                found.append(((group, i, "id"), f"{name!r} is used twice"))
            seen.add(name)
    return found


def _people_problems(week: Week, grid: Grid) -> list[Finding]:
    supporters = {s.id for s in week.supporters}
    found: list[Finding] = []
    for i, person in enumerate(week.people):
        at: Location = ("people", i)
        found += _names_exist(person.prefers, supporters, (*at, "prefers"))
        found += _names_exist(person.refuses, supporters, (*at, "refuses"))
        found += _both_wanted_and_refused(person.prefers, person.refuses, (*at, "refuses"))
        taken: dict[int, int] = {}
        for j, block in enumerate(person.blocks):
            where: Location = (*at, "blocks", j)
            found += _names_exist(block.prefers or [], supporters, (*where, "prefers"))
            found += _names_exist(block.refuses, supporters, (*where, "refuses"))
            found += _both_wanted_and_refused(
                block.prefers or person.prefers, [*block.refuses, *person.refuses], where
            )
            if block.awake_hours and block.support != "sleep_in":
                found.append(((*where, "awake_hours"), "only a sleep-in has awake hours"))
            off_grid = _off_grid_times(block, grid, where)
            found += off_grid
            if not off_grid:
                found += _overlaps(person.blocks, j, grid, taken, where)
    return found


def _overlaps(
    blocks: list[Block], j: int, grid: Grid, taken: dict[int, int], where: Location
) -> list[Finding]:
    """Blocks of one person may not share a slot: support would be counted twice."""
    for day in blocks[j].day_indexes():
        for slot in grid.window(day, blocks[j].start, blocks[j].end):
            other = taken.setdefault(slot, j)
            if other != j:
                return [(where, f"overlaps blocks[{other}] ({_describe(blocks[other])})")]
    return []


def _describe(block: Block) -> str:
    days = ", ".join(DAYS[d] for d in block.day_indexes())
    return f"{block.activity}, {days} {clock(block.start)} to {clock(block.end)}"


def _supporter_problems(week: Week, grid: Grid) -> list[Finding]:
    people = {p.id for p in week.people}
    found: list[Finding] = []
    for i, supporter in enumerate(week.supporters):
        at: Location = ("supporters", i)
        found += _names_exist(supporter.people or [], people, (*at, "people"), "person")
        for k, window in enumerate(supporter.available or []):
            found += _off_grid_times(window, grid, (*at, "available", k))
        for name in ("max_hours", "contracted_hours"):
            hours = getattr(supporter, name)
            if hours is not None and not grid.fits(hours):
                found.append(((*at, name), _off_grid_hours(hours, grid)))
        paid = supporter.kind == "paid"
        if not paid and supporter.sleep_in_rate is not None:
            found.append(((*at, "sleep_in_rate"), "only paid staff have a sleep-in rate"))
        if not paid and (supporter.opted_out or supporter.earlier_weeks_hours):
            name = "opted_out" if supporter.opted_out else "earlier_weeks_hours"
            found.append(((*at, name), "only paid staff have working-time records"))
        if not paid and supporter.contracted_hours:
            found.append(((*at, "contracted_hours"), "only paid staff have contracted hours"))
        if supporter.max_hours is not None and supporter.contracted_hours > supporter.max_hours:
            found.append(((*at, "contracted_hours"), "is more than max_hours"))
        if supporter.kind == "technology" and supporter.covers is None:
            found.append(((*at, "covers"), "technology must name the activities it covers"))
        if supporter.kind != "technology" and supporter.covers is not None:
            found.append(((*at, "covers"), "only technology has covers"))
    return found


def _names_exist(
    names: list[str], known: set[str], at: Location, what: str = "supporter"
) -> list[Finding]:
    return [
        ((*at, k), f"no {what} has the id {name!r}")
        for k, name in enumerate(names)
        if name not in known
    ]


def _both_wanted_and_refused(prefers: list[str], refuses: list[str], at: Location) -> list[Finding]:
    both = sorted(set(prefers) & set(refuses))
    return [(at, f"{name!r} is both preferred and refused") for name in both]


def _off_grid_times(timed: Timed, grid: Grid, at: Location) -> list[Finding]:
    return [
        ((*at, name), f"{clock(minutes)} is not on the {grid.slot_minutes}-minute slot grid")
        for name, minutes in (("start", timed.start), ("end", timed.end))
        if not grid.on_grid(minutes)
    ]


def _off_grid_hours(hours: Decimal, grid: Grid) -> str:
    return f"{hours} hours is not a whole number of {grid.slot_minutes}-minute slots"
