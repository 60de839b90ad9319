"""The shift-cover bound on paid hours (shift_cover.py): valid, stronger where shifts bind."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from hypothesis import assume, given

from allocation.roster.assemble import stage_report
from allocation.roster.bounds import counting_floor
from allocation.roster.greedy import greedy_cover
from allocation.roster.instance import compile_week
from allocation.roster.model import RosterModel
from allocation.roster.shift_cover import ShiftBound
from allocation.roster.solver import Stage, StagedSolver
from allocation.roster.week import Week
from tests.roster.conftest import ONE_WORKER, block, paid, week, window
from tests.roster.test_properties import SETTINGS, weeks

# The bound's own work limit (SHIFT_DETERMINISTIC) ends it; this wall time is only a net.
PLENTY = 120.0


def _bound(data: Week, reached: dict[str, int]) -> int | None:
    instance = compile_week(data)
    shifts = ShiftBound(instance, reached, PLENTY)
    shifts.finish(wait=True)
    return shifts.bound_for(reached)


def _partly_natural() -> Week:
    """Four essential hours; mum can take two of them, and paid shifts are at least 3 h.

    Counting sees 2 h that only paid staff can take; a paid worker's shift
    is at least 3 h of support, so paid hours are at least 3.
    """
    return week(
        [block("mon", "10:00", "14:00", skills=["personal_care"])],
        [
            {
                "id": "mum",
                "kind": "family",
                "skills": ["personal_care"],
                "max_hours": 2,
                "available": [window("mon", "10:00", "12:00")],
            },
            paid("pa", skills=["personal_care"]),
        ],
        min_shift_hours=3,
    )


def test_the_bound_counts_whole_shifts_where_counting_cannot() -> None:
    data = _partly_natural()
    instance = compile_week(data)
    reached = {"essential": 0, "desirable": 0}
    bound = _bound(data, reached)
    assert bound == instance.grid.slots_of_hours(Decimal(3))
    assert counting_floor(instance, "paid_hours", reached) == instance.grid.slots_of_hours(
        Decimal(2)
    )


def test_the_bound_holds_only_for_a_roster_meeting_the_need_it_assumed() -> None:
    instance = compile_week(_partly_natural())
    shifts = ShiftBound(instance, {"essential": 0, "desirable": 0}, PLENTY)
    shifts.finish(wait=True)
    # A roster leaving the block unmet needs no paid hours at all.
    assert shifts.bound_for({"essential": 8, "desirable": 0}) is None
    assert shifts.bound_for({"essential": 0, "desirable": 0}) == 6


def test_the_report_names_the_shift_cover_bound_when_it_is_the_best() -> None:
    instance = compile_week(_partly_natural())
    stage = Stage("paid_hours", "improved", 8, 4, None, 1.0, shift_bound=6)
    report = stage_report(instance, stage, 8, 4)
    assert (report.bound, report.bound_source) == (Decimal(3), "shift_cover")
    assert report.status == "improved" and report.gap == 0.25
    proven = stage_report(instance, stage, 6, 4)
    assert (proven.status, proven.gap, proven.bound_source) == ("solved", 0.0, "shift_cover")


@given(weeks())
@SETTINGS
def test_the_bound_never_exceeds_the_least_paid_hours_for_the_need_met(
    data: dict[str, Any],
) -> None:
    """On small weeks solved to optimality, the bound is at most the proven optimum,
    and so is the counting floor with its knapsack of the slack."""
    parsed = Week.model_validate(data)
    instance = compile_week(parsed)
    solver = StagedSolver(RosterModel(instance), ONE_WORKER)
    solver.start_from(greedy_cover(instance), 2)
    stages = solver.run(["essential", "desirable", "paid_hours"], 15)
    assume(all(s.status == "solved" for s in stages))
    reached = {s.name: s.value for s in stages[:2]}
    bound = _bound(parsed, reached)
    # The roster the solver found is a solution of the relaxation: it proves something.
    assert bound is not None
    assert bound <= stages[2].value
    assert counting_floor(instance, "paid_hours", reached) <= stages[2].value


def test_need_left_unmet_lowers_the_paid_floor_by_what_it_forces_not_twice_its_weight() -> None:
    """Four essential hours only a paid worker can take, an hour of it allowed unmet:
    the floor is the three hours that must be met (each half hour forces one worker)."""
    instance = compile_week(week([block("mon", "10:00", "14:00")], [paid("pa")]))
    hour = instance.grid.slots_of_hours(Decimal(1))
    floor = counting_floor(instance, "paid_hours", {"essential": hour, "desirable": 0})
    assert floor == 3 * hour
