"""The essential repair (allocation/roster/repair.py): it meets coverable essential need a
weak search left, and never makes essential need or the working rules worse."""

from __future__ import annotations

from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from allocation.roster import repair
from allocation.roster.assemble import slot_supports
from allocation.roster.greedy import greedy_cover
from allocation.roster.instance import compile_week
from allocation.roster.model import RosterModel
from allocation.roster.repair import clusters, essential_value, repair_essential, window
from allocation.roster.solver import StagedSolver
from allocation.roster.week import Week
from allocation.roster.week_costs import accounts
from tests.roster.conftest import ONE_WORKER, block, paid, paid_breaches, week
from tests.roster.test_properties import SETTINGS, weeks


def _started(data: Week, cover: dict[tuple[int, int], tuple[int, ...]]) -> StagedSolver:
    """A solver holding the whole solution that this roster completes to."""
    solver = StagedSolver(RosterModel(compile_week(data)), ONE_WORKER)
    assert solver.start_from(cover, 5)
    return solver


def test_the_repair_meets_the_essential_gap_a_weak_search_left() -> None:
    """Tuesday morning left unmet, though bea could work it: the repair gives it to her,
    and keeps Monday (outside its window) as it was."""
    data = week(
        [
            block("mon", "09:00", "12:00", priority="essential"),
            block("tue", "09:00", "12:00", priority="essential"),
            block("wed", "09:00", "11:00", priority="desirable"),
        ],
        [paid("bea", max_hours=6), paid("cal", rate="13.87")],
        min_shift_hours=2,
    )
    instance = compile_week(data)
    greedy = greedy_cover(instance)
    per_day = instance.grid.per_day
    monday = {key: helpers for key, helpers in greedy.items() if key[1] < per_day}
    solver = _started(data, monday)  # the weak search: Tuesday and Wednesday left
    before = essential_value(solver.roster_model, solver.solution or [])
    assert before == 6  # three hours in half-hour slots

    repaired = repair_essential(solver.roster_model, solver.solution or [], seed=0)

    assert repaired.value == 0
    solver.solution = repaired.solution
    cover = solver.cover()
    assert {key: h for key, h in cover.items() if key[1] < per_day} == monday
    assert not any(paid_breaches(data, slot_supports(instance, cover)).values())


def test_the_repair_does_no_more_work_than_its_bound(monkeypatch: Any) -> None:
    """With no work allowed in all, the repair leaves the roster as it was."""
    monkeypatch.setattr(repair, "REPAIR_DETERMINISTIC", 0.0)
    data = week([block("mon", "09:00", "12:00", priority="essential")], [paid("bea")])
    solver = _started(data, {})
    repaired = repair.repair_essential(solver.roster_model, solver.solution or [], seed=0)
    assert repaired.value == 6
    assert repaired.solution == solver.solution


def test_clusters_join_near_slots_and_wrap_the_week() -> None:
    count = 336
    assert clusters([], 8, count) == []
    assert clusters([10, 14, 40], 8, count) == [(10, 14), (40, 40)]
    assert clusters([2, 100, 333], 8, count) == [(333, 2), (100, 100)]
    assert window(333, 2, 2, count) == {331, 332, 333, 334, 335, 0, 1, 2, 3, 4}
    assert window(0, 300, 30, count) == set(range(count))


@given(weeks(), st.randoms(use_true_random=False))
@SETTINGS
def test_the_repair_never_meets_less_and_keeps_every_rule(data: dict[str, Any], rng: Any) -> None:
    """From the greedy roster with some of its slots dropped (a weak search's), the repair's
    roster meets at least as much essential need, within the budget and the working rules."""
    week_data = Week.model_validate(data)
    instance = compile_week(week_data)
    greedy = greedy_cover(instance)
    kept = {key: helpers for key, helpers in greedy.items() if rng.random() < 0.5}
    solver = StagedSolver(RosterModel(instance), ONE_WORKER)
    if not solver.start_from(kept, 5):  # dropping slots can leave a shift too short
        assert solver.start_from({}, 5)  # nobody working is always a roster
    start = solver.solution or []
    before = essential_value(solver.roster_model, start)

    repaired = repair_essential(solver.roster_model, start, seed=0)

    assert repaired.value <= before
    assert repaired.value == essential_value(solver.roster_model, repaired.solution)
    solver.solution = repaired.solution
    cover = solver.cover()
    assert not any(paid_breaches(week_data, slot_supports(instance, cover)).values())
    assert sum(a.cost for a in accounts(instance, cover)) <= instance.budget
