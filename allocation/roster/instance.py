"""The week compiled to integers: slots, pence and indexes.

The solver, the greedy baseline, the costing and the explanations all read
this one form, so they agree on who may support whom and when.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from allocation.roster.slots import Grid
from allocation.roster.units import to_pence
from allocation.roster.week import KIND_ORDER, Kind, Supporter, Week

PersonSlot = tuple[int, int]


@dataclass(frozen=True)
class Need:
    """One block of one person on one day."""

    person: int
    block: int
    day: int
    slots: tuple[int, ...]
    ratio: int
    essential: bool
    weight: int
    shareable: bool
    sleep_in: bool
    rest_break: bool  # a paid worker may take their rest break while rostered here
    top_up: int  # a sleep-in's awake hours at the minimum wage, in units (see units.py)
    activity: str
    skills: frozenset[str]
    prefers: frozenset[int]
    refuses: frozenset[int]


@dataclass(frozen=True)
class Helper:
    """One supporter, with costs in units (see units.py) and hours in slots."""

    index: int
    id: str
    label: str
    kind: Kind
    people: frozenset[int] | None
    available: frozenset[int]
    cap: int | None
    skills: frozenset[str]
    covers: frozenset[str] | None
    hourly: int
    session: int
    weekly: int
    sleep_in: int | None
    contracted: int

    @property
    def paid(self) -> bool:
        return self.kind == "paid"

    @property
    def technology(self) -> bool:
        return self.kind == "technology"

    @property
    def rank(self) -> int:
        return KIND_ORDER.index(self.kind)


@dataclass(frozen=True)
class WorkRules:
    """The week's working rules for paid staff, in slots."""

    min_shift: int
    max_shift: int
    daily_rest: int
    weekly_cap: int
    max_days: int
    at_once: int
    break_after: int  # slots of work allowed without a rest break
    break_slots: int  # slots in a row a rest break takes; 0 under the reg. 21 derogation

    def break_may_bind(self, working: int) -> bool:
        """Whether `working` slots of work could make a stretch too long without a break.

        Gaps shorter than a break are time at work, so the slots may span up to
        `working` plus a gap of `break_slots - 1` between each two of them.
        """
        k = self.break_slots
        return k > 0 and working + (working - 1) * (k - 1) > self.break_after


@dataclass(frozen=True)
class Instance:
    grid: Grid
    people: tuple[str, ...]
    helpers: tuple[Helper, ...]
    needs: tuple[Need, ...]
    need_at: Mapping[PersonSlot, int]
    eligible: Mapping[PersonSlot, tuple[int, ...]]
    budget: int
    rules: WorkRules

    @property
    def units_per_penny(self) -> int:
        return self.grid.per_hour


def compile_week(week: Week) -> Instance:
    """The integer form of a week that week_file.py has checked (so it has a budget)."""
    if week.budget is None:
        raise ValueError("the week has no budget")
    grid = Grid(week.rules.slot_minutes)
    per_hour = grid.per_hour
    rules = WorkRules(
        min_shift=grid.slots_of_hours(week.rules.min_shift_hours),
        max_shift=grid.slots_of_hours(week.rules.max_shift_hours),
        daily_rest=grid.slots_of_hours(week.rules.daily_rest_hours),
        weekly_cap=grid.slots_of_hours(week.rules.weekly_cap_hours),
        max_days=week.rules.max_consecutive_days,
        at_once=week.rules.max_people_at_once,
        break_after=grid.slots_of_hours(week.rules.break_after_hours),
        break_slots=0
        if week.rules.break_derogation
        else -(-week.rules.break_minutes // grid.slot_minutes),
    )
    person_index = {p.id: i for i, p in enumerate(week.people)}
    helper_index = {s.id: i for i, s in enumerate(week.supporters)}
    helpers = tuple(_helper(i, s, week, rules, person_index) for i, s in enumerate(week.supporters))
    needs: list[Need] = []
    for p, person in enumerate(week.people):
        for b, block in enumerate(person.blocks):
            if person.carer_meets_block(block):  # not rostered: listed by carer_met.py
                continue
            prefers = block.prefers if block.prefers is not None else person.prefers
            for day in block.day_indexes():
                needs.append(
                    Need(
                        person=p,
                        block=b,
                        day=day,
                        slots=grid.window(day, block.start, block.end),
                        ratio=block.ratio,
                        essential=block.priority == "essential",
                        weight=block.weight,
                        shareable=block.shareable,
                        sleep_in=block.support == "sleep_in",
                        rest_break=(
                            block.rest_break
                            if block.rest_break is not None
                            else block.support == "sleep_in"
                        ),
                        top_up=_top_up(week, block.awake_hours, grid),
                        activity=block.activity,
                        skills=frozenset(block.skills),
                        prefers=frozenset(helper_index[n] for n in prefers),
                        refuses=frozenset(
                            helper_index[n] for n in [*person.refuses, *block.refuses]
                        ),
                    )
                )
    need_at = {(n.person, t): k for k, n in enumerate(needs) for t in n.slots}
    eligible: dict[PersonSlot, tuple[int, ...]] = {}
    for need in needs:
        # Who suits the block and has its skills, asked once per block, then who
        # is free in each slot: a third of the time on a week of 1,000 supporters.
        fit = [h for h in helpers if suits(h, need) and skilled(h, need)]
        for t in need.slots:
            eligible[(need.person, t)] = tuple(h.index for h in fit if available(h, need, t))
    return Instance(
        grid=grid,
        people=tuple(p.id for p in week.people),
        helpers=helpers,
        needs=tuple(needs),
        need_at=need_at,
        eligible=eligible,
        budget=to_pence(week.budget) * per_hour,
        rules=rules,
    )


def _top_up(week: Week, awake_hours: Decimal, grid: Grid) -> int:
    """The minimum wage for a sleep-in's awake hours, in units (rounded to the penny)."""
    pence = (week.rules.minimum_wage * awake_hours * 100).quantize(Decimal(1), ROUND_HALF_UP)
    return int(pence) * grid.per_hour


def _average_cap(s: Supporter, week: Week, grid: Grid) -> int | None:
    """Slots left this week under the 48-hour average, unless the worker has opted out.

    The average is over the reference period: this week and the earlier weeks
    the WEEK file gives (at most reference_weeks - 1 of them).
    """
    if s.kind != "paid" or s.opted_out or not s.earlier_weeks_hours:
        return None
    earlier = s.earlier_weeks_hours[-(week.rules.reference_weeks - 1) :]
    if not earlier:
        return None
    allowed = week.rules.average_weekly_hours * (len(earlier) + 1) - sum(earlier, Decimal(0))
    return max(0, int(allowed * grid.per_hour))


def _helper(
    index: int, s: Supporter, week: Week, rules: WorkRules, person_index: dict[str, int]
) -> Helper:
    grid = Grid(week.rules.slot_minutes)
    per_hour = grid.per_hour
    cap = None if s.max_hours is None else grid.slots_of_hours(s.max_hours)
    if s.kind == "paid":
        cap = rules.weekly_cap if cap is None else min(cap, rules.weekly_cap)
        average = _average_cap(s, week, grid)
        if average is not None:
            cap = min(cap, average)
    windows = s.available
    available = (
        frozenset(range(grid.count))
        if windows is None
        else frozenset(
            t for w in windows for day in w.day_indexes() for t in grid.window(day, w.start, w.end)
        )
    )
    return Helper(
        index=index,
        id=s.id,
        label=s.name or s.id,
        kind=s.kind,
        people=None if s.people is None else frozenset(person_index[n] for n in s.people),
        available=available,
        cap=cap,
        skills=frozenset(s.skills),
        covers=None if s.covers is None else frozenset(s.covers),
        hourly=to_pence(s.hourly_rate),
        session=to_pence(s.session_fee) * per_hour,
        weekly=to_pence(s.weekly_cost) * per_hour,
        sleep_in=None if s.sleep_in_rate is None else to_pence(s.sleep_in_rate) * per_hour,
        contracted=grid.slots_of_hours(s.contracted_hours),
    )


def suits(helper: Helper, need: Need) -> bool:
    """The helper may support this person in this kind of block at all."""
    if helper.people is not None and need.person not in helper.people:
        return False
    if helper.index in need.refuses or helper.cap == 0:
        return False
    if helper.technology:
        return need.ratio == 1 and helper.covers is not None and need.activity in helper.covers
    return not (need.sleep_in and helper.paid and helper.sleep_in is None)


def skilled(helper: Helper, need: Need) -> bool:
    return need.skills <= helper.skills


def available(helper: Helper, need: Need, slot: int) -> bool:
    """Free at the slot; a sleep-in is one shift, so free for all of it."""
    if need.sleep_in:
        return all(t in helper.available for t in need.slots)
    return slot in helper.available
