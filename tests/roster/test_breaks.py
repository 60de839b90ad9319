"""The in-work rest break (Working Time Regulations 1998 reg. 12, domain-facts.md §6.1).

The plain rule (rules.py) on hand-made weeks of work, the CP-SAT model
against the plain rule slot pattern by slot pattern, and rosters that must
keep it: a paid worker never works more than `break_after_hours` without a
break of `break_minutes`, unless a block allows the break or the reg. 21
derogation is recorded.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from icalendar import Calendar
from ortools.sat.python import cp_model

from allocation.roster.assemble import slot_supports
from allocation.roster.greedy import greedy_cover
from allocation.roster.instance import WorkRules, compile_week
from allocation.roster.model import RosterModel
from allocation.roster.plan import plan_week
from allocation.roster.rules import breaches
from allocation.roster.shifts import shifts
from allocation.roster.slots import DAYS, Grid, parse_clock
from allocation.roster.solver import SolveOptions
from allocation.roster.week import Week
from allocation.roster.week_file import week_problems
from api.cli.roster_files import calendars, shifts_csv
from benchmarks.roster_bench import shared_house_week
from tests.roster.conftest import ONE_WORKER, block, paid, paid_breaches, solve, week, who, window
from tests.roster.test_properties import QUICK, SETTINGS, weeks

LOOSE = WorkRules(
    min_shift=0,
    max_shift=7 * 48,
    daily_rest=0,
    weekly_cap=7 * 48,
    max_days=7,
    at_once=2,
    break_after=12,
    break_slots=1,
)


def _slots(grid: Grid, day: str, start: str, end: str) -> set[int]:
    return set(grid.window(DAYS.index(day), parse_clock(start), parse_clock(end)))


# --- the plain rule --------------------------------------------------------------


def test_six_hours_in_a_row_keep_the_rule_and_six_and_a_half_break_it() -> None:
    grid = Grid(30)
    assert not breaches(_slots(grid, "mon", "09:00", "15:00"), None, LOOSE, grid)
    found = breaches(_slots(grid, "mon", "09:00", "15:30"), None, LOOSE, grid)
    assert found == [
        "rest break: works 6.5 h from mon 09:00 without a 30-minute break (the most is 6 h)"
    ]


def test_one_idle_slot_is_the_break_when_the_break_fits_in_one_slot() -> None:
    grid = Grid(30)  # 20 minutes round up to one 30-minute slot
    shift = _slots(grid, "mon", "07:30", "15:00") - _slots(grid, "mon", "11:00", "11:30")
    assert not breaches(shift, None, LOOSE, grid)
    late = _slots(grid, "mon", "07:30", "15:00") - _slots(grid, "mon", "14:00", "14:30")
    assert breaches(late, None, LOOSE, grid)  # 07:30-14:00 is 6.5 h without one


def test_a_gap_shorter_than_the_break_is_time_at_work() -> None:
    grid = Grid(15)  # 20 minutes take two 15-minute slots
    rules = replace(LOOSE, break_after=24, break_slots=2)
    day = _slots(grid, "mon", "09:00", "15:30")
    short_gap = day - _slots(grid, "mon", "12:00", "12:15")
    assert breaches(short_gap, None, rules, grid) == [
        "rest break: works 6.5 h from mon 09:00 without a 30-minute break (the most is 6 h)"
    ]
    long_gap = day - _slots(grid, "mon", "12:00", "12:30")
    assert not breaches(long_gap, None, rules, grid)


def test_ten_minute_slots_take_a_twenty_minute_break() -> None:
    grid = Grid(10)
    rules = replace(LOOSE, break_after=36, break_slots=2)
    day = _slots(grid, "tue", "08:00", "16:00")
    assert not breaches(day - _slots(grid, "tue", "12:00", "12:20"), None, rules, grid)
    assert breaches(day - _slots(grid, "tue", "12:00", "12:10"), None, rules, grid)


def test_resting_slots_in_a_block_that_allows_it_are_the_break() -> None:
    grid = Grid(30)
    day = _slots(grid, "mon", "08:00", "16:00")
    assert breaches(day, None, LOOSE, grid)
    assert not breaches(day, None, LOOSE, grid, resting=_slots(grid, "mon", "12:00", "12:30"))


def test_short_gaps_do_not_hide_a_long_stretch_however_little_else_is_worked() -> None:
    """50 minutes on, 10 off, for 7 hours: 35 slots of work, under the 36 allowed, but
    the 10-minute gaps are no break, so the stretch is 6 h 50 min long."""
    grid = Grid(10)
    rules = replace(LOOSE, break_after=36, break_slots=2)
    day = _slots(grid, "tue", "08:00", "15:00")
    work = day - {t for t in day if grid.start_of(t) % 60 == 50}
    expected = [
        "rest break: works 6.83 h from tue 08:00 without a 20-minute break (the most is 6 h)"
    ]
    assert breaches(work, None, rules, grid) == expected
    # The same whether or not the worker works elsewhere in the week.
    friday = _slots(grid, "fri", "08:00", "08:30")
    assert breaches(work | friday, None, rules, grid) == expected


def test_the_rule_runs_across_the_end_of_the_week() -> None:
    grid = Grid(30)
    night = _slots(grid, "sun", "20:00", "03:00")
    assert breaches(night, None, LOOSE, grid) == [
        "rest break: works 7 h from sun 20:00 without a 30-minute break (the most is 6 h)"
    ]


def test_the_derogation_leaves_the_break_out() -> None:
    grid = Grid(30)
    derogated = replace(LOOSE, break_slots=0)
    assert not breaches(_slots(grid, "mon", "08:00", "20:00"), None, derogated, grid)


# --- the model states the same rule -----------------------------------------------


def _pattern_week(slot_minutes: int, resting_from: str | None) -> Week:
    """One worker who could support ada all Monday 06:00-22:00; only the break binds."""
    blocks = [block("mon", "06:00", "22:00", "home")]
    if resting_from is not None:  # a resting hour that allows the break, cut out of the day
        end = f"{int(resting_from[:2]) + 1:02d}:00"
        blocks = [
            block("mon", "06:00", resting_from, "home"),
            block("mon", resting_from, end, "rest", rest_break=True),
            block("mon", end, "22:00", "home"),
        ]
    return week(
        blocks,
        [paid("sam")],
        budget="10000.00",
        slot_minutes=slot_minutes,
        min_shift_hours=0,
        max_shift_hours=24,
        daily_rest_hours=0,
        max_consecutive_days=7,
    )


@given(
    st.sampled_from([10, 15, 30, 60]),
    st.sampled_from([None, "10:00", "13:00"]),
    st.data(),
)
@settings(max_examples=60, deadline=None)
def test_the_model_allows_exactly_the_weeks_the_plain_rule_allows(
    slot_minutes: int, resting_from: str | None, data: st.DataObject
) -> None:
    """Fix which slots the worker works; the model is feasible exactly when `breaches` is empty."""
    instance = compile_week(_pattern_week(slot_minutes, resting_from))
    grid = instance.grid
    day = sorted(t for _, t in instance.need_at)
    chosen = _work_pattern(data, day, instance.rules.break_after, instance.rules.break_slots)
    roster = RosterModel(instance)
    (sam,) = instance.helpers
    for t in day:
        roster.model.add(roster.x[(sam.index, 0, t)] == (t in chosen))
    solver = cp_model.CpSolver()
    solver.parameters.num_workers = 1
    status = solver.solve(roster.model)
    assert status in (cp_model.OPTIMAL, cp_model.INFEASIBLE)
    resting = {t for t in chosen if instance.needs[instance.need_at[(0, t)]].rest_break}
    plain = breaches(chosen, sam.cap, instance.rules, grid, resting)
    assert (status == cp_model.OPTIMAL) == (not plain), plain


def _work_pattern(data: st.DataObject, day: list[int], most: int, k: int) -> set[int]:
    """Runs of work and of rest in turn, of lengths at the rule's edges (or any slots)."""
    if data.draw(st.booleans()):
        return set(data.draw(st.lists(st.sampled_from(day), unique=True)))
    edges = sorted({n for n in (1, k - 1, k, k + 1, most - 1, most, most + 1, most + 2) if n > 0})
    lengths = data.draw(st.lists(st.sampled_from(edges), min_size=1, max_size=8))
    position, chosen = data.draw(st.integers(0, 3)), set()
    for i, length in enumerate(lengths):
        if i % 2 == 0:
            chosen |= set(day[position : position + length])
        position += length
    return chosen


# --- rosters keep it ----------------------------------------------------------------


def _long_day(**rules: Any) -> Week:
    """A 7-hour essential block on Monday; Sam is free all of it, Kim only 12:00-13:00."""
    blocks = rules.pop("blocks", [block("mon", "09:00", "16:00")])
    return week(
        blocks,
        [paid("sam"), paid("kim", "13.87", available=[window("mon", "12:00", "13:00")])],
        **rules,
    )


def test_a_roster_never_has_more_than_six_hours_of_work_without_a_break() -> None:
    data = _long_day()
    result = solve(data, ONE_WORKER)
    assert not any(paid_breaches(data, result.slots).values())
    # Kim covers Sam's break, so the whole day is met.
    assert not result.unmet
    assert "kim" in {s for slot in result.slots for s in slot.supporters}


def test_the_shift_shows_its_break_in_the_csv_and_the_calendar() -> None:
    result = solve(_long_day(), ONE_WORKER)
    (sam,) = [s for s in shifts(result) if s.supporter == "sam"]
    assert (sam.day, sam.start, sam.end, sam.hours, sam.breaks) == (
        "mon",
        "09:00",
        "16:00",
        6,
        ["12:00-13:00"],
    )
    assert "sam,sam,paid,mon,09:00,16:00,6,12:00-13:00,ada,support" in shifts_csv(result)
    (event,) = Calendar.from_ical(calendars(result, date(2026, 11, 30))["sam.ics"]).walk("VEVENT")
    assert event.decoded("dtend") - event.decoded("dtstart") == timedelta(hours=7)
    assert event["description"] == "Breaks: 12:00-13:00"


def test_a_gap_over_an_hour_ends_the_shift_and_a_break_runs_across_the_week_end() -> None:
    blocks = [
        block("wed", "09:00", "12:00"),
        block("wed", "13:30", "16:00"),
        block("sun", "22:00", "01:00"),
        block("mon", "01:30", "03:00"),
    ]
    result = solve(week(blocks, [paid("sam")]), ONE_WORKER)
    assert [(s.day, s.start, s.end, s.hours, s.breaks) for s in shifts(result)] == [
        ("wed", "09:00", "12:00", 3, []),
        ("wed", "13:30", "16:00", 2.5, []),
        ("sun", "22:00", "03:00", 4.5, ["01:00-01:30"]),
    ]


def test_a_worker_alone_for_seven_hours_leaves_need_unmet_naming_the_rule() -> None:
    data = _long_day(blocks=[block("tue", "09:00", "16:00")])  # Kim is not free on Tuesday
    result = solve(data, ONE_WORKER)
    assert not any(paid_breaches(data, result.slots).values())
    assert result.unmet  # 7 hours in a row is more than one worker may work
    for unmet in result.unmet:
        assert unmet.reason == "working_rule"
        assert "sam: rest break: works" in unmet.detail


def test_a_worker_free_only_between_short_gaps_still_gets_a_break() -> None:
    """Seven 50-minute blocks an hour apart in 10-minute slots: 35 slots Sam may work,
    under the 36 allowed, yet working all of them is 6 h 50 min without a break."""
    blocks = [block("tue", f"{h:02d}:00", f"{h:02d}:50") for h in range(8, 15)]
    data = week(blocks, [paid("sam")], slot_minutes=10, min_shift_hours="0.5")
    result = solve(data, ONE_WORKER)
    assert not any(paid_breaches(data, result.slots).values())
    assert result.unmet
    for unmet in result.unmet:
        assert unmet.reason == "working_rule"
        assert "sam: rest break: works" in unmet.detail


def test_the_derogation_lets_one_worker_cover_the_seven_hours() -> None:
    data = _long_day(blocks=[block("tue", "09:00", "16:00")], break_derogation=True)
    result = solve(data, ONE_WORKER)
    assert not result.unmet
    assert {s for slot in result.slots for s in slot.supporters} == {"sam"}


@pytest.mark.parametrize(
    "blocks",
    [
        [block("tue", "09:00", "16:00", rest_break=True)],
        [
            block("tue", "09:00", "12:00"),
            block("tue", "12:00", "13:00", "quiet time", rest_break=True),
            block("tue", "13:00", "16:00"),
        ],
    ],
)
def test_a_block_that_allows_the_break_lets_a_seven_hour_shift_run_unbroken(
    blocks: list[dict[str, Any]],
) -> None:
    data = _long_day(blocks=blocks)
    result = solve(data, ONE_WORKER)
    assert not result.unmet
    assert all(who(result, "ada", "tue", f"{h:02d}:00") == ["sam"] for h in range(9, 16))


def test_a_sleep_in_allows_the_break_unless_its_block_says_not() -> None:
    night = block("mon", "22:00", "07:00", "night", support="sleep_in")
    sleeper = [paid("sam", sleep_in_rate="77.95")]
    result = solve(week([night], sleeper, max_shift_hours=12))
    assert not result.unmet
    awake_all_night = week([{**night, "rest_break": False}], sleeper, max_shift_hours=12)
    result = solve(awake_all_night)
    assert [u.reason for u in result.unmet] == ["working_rule"]
    assert "rest break" in result.unmet[0].detail


@given(weeks(), st.data())
@SETTINGS
def test_every_roster_keeps_the_rest_break(data: dict[str, Any], more: st.DataObject) -> None:
    """CP-SAT's and the greedy roster: no paid worker works too long without a break."""
    for blk in (b for p in data["people"] for b in p["blocks"]):
        blk["rest_break"] = more.draw(st.sampled_from([None, None, True, False]))
    data["rules"]["break_after_hours"] = more.draw(st.sampled_from([2, 3.5, 6]))
    data["rules"]["break_minutes"] = more.draw(st.sampled_from([20, 45]))
    written = Week.model_validate(data)
    instance = compile_week(written)
    for slots in (plan_week(written, QUICK).slots, slot_supports(instance, greedy_cover(instance))):
        assert not any(paid_breaches(written, slots).values())


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_the_greedy_roster_of_a_benchmark_house_keeps_the_break_it_would_otherwise_break(
    seed: int,
) -> None:
    """Under the derogation the greedy roster works someone too long; under the rule, nobody."""
    strict = shared_house_week(seed)
    derogated = strict.model_copy(
        update={"rules": strict.rules.model_copy(update={"break_derogation": True})}
    )
    for written, broken in ((strict, False), (derogated, True)):
        instance = compile_week(written)
        slots = slot_supports(instance, greedy_cover(instance))
        found = [b for bs in paid_breaches(strict, slots).values() for b in bs]
        assert any(b.startswith("rest break") for b in found) == broken, found


def test_a_roster_of_a_benchmark_house_keeps_the_break_whatever_the_search_reached() -> None:
    """The search, the fill pass and the natural-first pass all keep the rule."""
    written = shared_house_week(1)
    result = plan_week(written, SolveOptions(time_limit=5, workers=1))
    assert not any(paid_breaches(written, result.slots).values())


def test_a_break_after_off_the_slot_grid_is_named() -> None:
    data = week([block("mon", "09:00", "12:00")], [paid("sam")], break_after_hours="6.25")
    assert week_problems(data) == [
        (("rules", "break_after_hours"), "6.25 hours is not a whole number of 30-minute slots")
    ]
