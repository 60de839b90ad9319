"""The time limit holds on huge weeks (issue 8): the deadline logic, without timing anything.

Wall time and memory on the huge weeks are measured by `make bench`
(benchmarks/huge_week_bench.py); here the decisions are checked where they
cannot depend on how busy the machine is: a limit already spent, a build
already past its time, a model cut to a size.
"""

from __future__ import annotations

import time
from functools import cache
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from allocation.roster.greedy import greedy_cover
from allocation.roster.instance import compile_week
from allocation.roster.measure import stage_values
from allocation.roster.model import OutOfTime, RosterModel
from allocation.roster.output import RosterResult
from allocation.roster.plan import plan_week
from allocation.roster.scope import choices, model_scope
from allocation.roster.solver import SolveOptions
from allocation.roster.stages import NAMES
from allocation.roster.timing import AFTER_SHARE, MARGIN_SECONDS, MARGIN_SHARE, after_seconds
from allocation.roster.week import Week
from allocation.roster.week_file import read_week
from api.cli.main import main
from benchmarks.roster_bench import large_week, shared_house_week

EXAMPLES = Path(__file__).parents[2] / "examples"
SMALL_LARGE_WEEK = (4, 40)  # people, supporters: 2,448 choices, compiled in a blink


@cache
def huge_week() -> Week:
    """A week over the model's MAX_CHOICES (55,464 choices), so modelled cut."""
    return large_week(20, 200)


def test_with_the_time_already_spent_a_cut_week_is_not_modelled_and_the_report_says_so() -> None:
    week = huge_week()
    options = SolveOptions(time_limit=2)
    result = plan_week(week, options, started=time.monotonic() - options.time_limit)
    model = result.solver.model
    assert model is not None
    assert not model.built
    assert model.choices == 0
    assert model.limited_to is not None
    assert model.note is not None and model.note.startswith("no time to build the model")
    assert result.solver.roster_from == "greedy"
    assert result.solver.status == "unknown"
    assert [s.name for s in result.solver.stages] == list(NAMES)
    # Nothing searched: a stage is solved only where the counting floor proves it.
    for stage in result.solver.stages:
        assert stage.seconds == 0.0
        assert stage.bound_source == "counting"
        assert (stage.status == "solved") == (stage.value == stage.bound)
        if stage.status != "solved":
            assert stage.name in result.solver.unsolved_stages
    assert result.least_budget_for_essential is None


def test_the_roster_without_a_model_is_the_greedy_one_after_the_passes() -> None:
    week = huge_week()
    instance = compile_week(week)
    greedy = stage_values(instance, greedy_cover(instance))
    result = plan_week(week, SolveOptions(time_limit=1), started=time.monotonic() - 1)
    assert result.solver.model is not None and not result.solver.model.built
    essential = sum(u.hours for u in result.unmet if u.priority == "essential")
    # The passes only fill unmet need, never take any away.
    assert essential <= instance.grid.hours(greedy["essential"])
    assert result.within_budget


def test_with_the_time_already_spent_a_whole_week_still_meets_its_essential_need() -> None:
    """Issue 7's guarantee: a week the model holds whole is modelled and its essential
    stage's floor-first search runs, bounded by its work, however late it starts."""
    week = read_week(EXAMPLES / "week-shared-house.yaml")
    result = plan_week(week, SolveOptions(time_limit=10), started=time.monotonic() - 10)
    model = result.solver.model
    assert model is not None and model.built
    assert model.limited_to is None
    # A roster stored before the model was reported still reads back, with none.
    stored = result.model_dump(mode="json")
    del stored["solver"]["model"]
    assert RosterResult.model_validate(stored).solver.model is None
    assert not [u for u in result.unmet if u.priority == "essential"]


def test_the_terminal_view_is_given_its_time_after_the_search() -> None:
    instance = compile_week(huge_week())
    json_only = after_seconds(instance, 1)
    assert json_only > 1 * AFTER_SHARE  # the estimate, not the share, on a huge week
    assert after_seconds(instance, 1, view=True) > json_only


def test_a_build_past_its_time_stops() -> None:
    instance = compile_week(large_week(*SMALL_LARGE_WEEK))
    with pytest.raises(OutOfTime):
        RosterModel(instance, give_up=time.monotonic() - 1)


def test_a_week_that_fits_is_modelled_whole() -> None:
    instance = compile_week(shared_house_week(1))
    scope = model_scope(instance, greedy_cover(instance))
    assert scope.each is None
    assert scope.instance is instance
    assert scope.week_choices == choices(instance)


@given(most=st.integers(100, 2000))
@settings(max_examples=15, deadline=None)
def test_a_cut_week_keeps_the_greedy_roster_natural_supporters_first_and_its_size(
    most: int,
) -> None:
    instance = compile_week(large_week(*SMALL_LARGE_WEEK))
    greedy = greedy_cover(instance)
    scope = model_scope(instance, greedy, most)
    cut = scope.instance
    assert scope.week_choices == choices(instance) > most
    assert scope.each is not None
    # The greedy roster is still a roster of the cut week (the model's first solution).
    for key, helpers in greedy.items():
        assert set(helpers) <= set(cut.eligible[key])
    given_to = {p: {h for (q, _), hs in greedy.items() if q == p for h in hs} for p in range(4)}
    greedy_choices = sum(len(set(hs) & given_to[p]) for (p, _), hs in instance.eligible.items())
    assert choices(cut) <= max(most, greedy_choices + scope.each * len(instance.need_at))
    for need in instance.needs:
        kept: set[int] = set()
        dropped: set[int] = set()
        for t in need.slots:
            key = (need.person, t)
            assert set(cut.eligible[key]) <= set(instance.eligible[key])
            kept |= set(cut.eligible[key]) - given_to[need.person]
            dropped |= set(instance.eligible[key]) - set(cut.eligible[key])
        # None of a lower rank (paid after natural) is kept while one of a higher is dropped.
        if kept and dropped:
            worst_kept = max(instance.helpers[h].rank for h in kept)
            best_dropped = min(instance.helpers[h].rank for h in dropped)
            assert worst_kept <= best_dropped


def test_a_cut_week_reports_only_counting_floors_and_says_why() -> None:
    """Whatever the load: built or not in the time, a cut model proves nothing for the week."""
    week = huge_week()
    instance = compile_week(week)
    result = plan_week(week, SolveOptions(time_limit=5))
    model = result.solver.model
    assert model is not None
    assert model.week_choices == choices(instance)
    assert model.limited_to is not None
    assert model.note is not None
    if model.built:
        assert "the bounds are the counting floors only" in model.note
        assert 0 < model.choices < model.week_choices
    # The counting floors are the week's own; the solver's would be the cut's.
    assert all(stage.bound_source == "counting" for stage in result.solver.stages)
    assert result.least_budget_for_essential is None
    assert result.within_budget


def test_the_help_states_the_margin(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as done:
        main(["roster", "--help"])
    assert done.value.code == 0
    text = " ".join(capsys.readouterr().out.split())
    assert f"plus {MARGIN_SECONDS:g} s or {MARGIN_SHARE * 100:g}%, whichever is more" in text
