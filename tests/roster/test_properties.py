"""Invariants of every roster, on random small weeks (hypothesis).

The checks read the WEEK as written (windows, skills, budget) and the roster
JSON, not the solver's own data, so a fault in the model cannot hide itself.
"""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal
from typing import Any

from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from allocation.roster.assemble import slot_supports
from allocation.roster.greedy import RosterState, greedy_cover
from allocation.roster.improve import fill_unmet, natural_swaps
from allocation.roster.instance import Instance, compile_week
from allocation.roster.model import RosterModel
from allocation.roster.output import RosterResult, SlotSupport
from allocation.roster.plan import plan_week
from allocation.roster.slots import DAYS, parse_clock
from allocation.roster.solver import SolveOptions, StagedSolver
from allocation.roster.units import to_pounds
from allocation.roster.week import Week
from allocation.roster.week_costs import Cover, accounts
from tests.roster.conftest import ONE_WORKER, paid_breaches

SETTINGS = settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.too_slow])
QUICK = SolveOptions(time_limit=4)
SKILLS = ["personal_care", "medication"]


def _clock(half_hours: int) -> str:
    return f"{half_hours // 2:02d}:{half_hours % 2 * 30:02d}"


@st.composite
def weeks(draw: st.DrawFn) -> dict[str, Any]:
    """One or two people over Monday and Tuesday, up to five supporters."""
    people = []
    for p in range(draw(st.integers(1, 2))):
        blocks = []
        for day in ("mon", "tue"):
            # Disjoint stretches between 06:00 and 22:00, in half hours.
            cuts = sorted(draw(st.sets(st.integers(12, 44), min_size=2, max_size=4)))
            for start, end in zip(cuts[::2], cuts[1::2], strict=False):
                blocks.append(
                    {
                        "day": day,
                        "start": _clock(start),
                        "end": _clock(end),
                        "activity": draw(st.sampled_from(["home", "out"])),
                        "ratio": draw(st.sampled_from([1, 1, 1, 2])),
                        "skills": draw(st.lists(st.sampled_from(SKILLS), max_size=1, unique=True)),
                        "priority": draw(st.sampled_from(["essential", "desirable"])),
                        "shareable": draw(st.booleans()),
                    }
                )
        if draw(st.booleans()):
            blocks.append(
                {
                    "day": "mon",
                    "start": "22:00",
                    "end": "06:00",
                    "activity": "night",
                    "support": draw(st.sampled_from(["awake", "sleep_in"])),
                }
            )
        people.append({"id": f"p{p}", "blocks": blocks})
    supporters = [_supporter(draw, i) for i in range(draw(st.integers(1, 5)))]
    return {
        "budget": draw(st.sampled_from(["0.00", "25.00", "120.00", "2000.00"])),
        "rules": {
            "min_shift_hours": draw(st.sampled_from([1, 2])),
            "max_shift_hours": draw(st.sampled_from([6, 12])),
            "max_consecutive_days": 1,
        },
        "people": people,
        "supporters": supporters,
    }


def _supporter(draw: st.DrawFn, i: int) -> dict[str, Any]:
    kind = draw(st.sampled_from(["family", "friend", "community", "technology", "paid", "paid"]))
    supporter: dict[str, Any] = {
        "id": f"s{i}",
        "kind": kind,
        "skills": draw(st.lists(st.sampled_from(SKILLS), max_size=2, unique=True)),
        "available": [
            {"day": draw(st.sampled_from(["mon", "tue"])), "start": _clock(a), "end": _clock(b)}
            for a, b in [sorted(draw(st.sets(st.integers(0, 48), min_size=2, max_size=2)))]
        ],
    }
    if draw(st.booleans()):
        supporter["max_hours"] = draw(st.sampled_from([1, 3, 8]))
    if kind == "technology":
        supporter["covers"] = ["night", "home"]
        supporter["weekly_cost"] = "5.00"
        supporter.pop("available")
    if kind == "community":
        supporter["session_fee"] = "4.00"
    if kind == "paid":
        supporter["hourly_rate"] = draw(st.sampled_from(["12.21", "13.87", "24.10"]))
        if draw(st.booleans()):
            supporter["sleep_in_rate"] = "77.95"
        if draw(st.booleans()):
            supporter["contracted_hours"] = 1
            supporter["max_hours"] = 8
    return supporter


def _minute_of_week(slot: SlotSupport) -> int:
    return DAYS.index(slot.day) * 1440 + parse_clock(slot.start)


def _in_window(minute: int, window: dict[str, Any]) -> bool:
    start = DAYS.index(window["day"]) * 1440 + parse_clock(window["start"])
    end_clock = parse_clock(window["end"])
    length = (end_clock - parse_clock(window["start"])) % 1440 or 1440
    return (minute - start) % (7 * 1440) < length


def _busy(result: RosterResult) -> dict[str, list[SlotSupport]]:
    busy: dict[str, list[SlotSupport]] = defaultdict(list)
    for slot in result.slots:
        for s in slot.supporters:
            busy[s].append(slot)
    return busy


def _blocks(data: dict[str, Any]) -> dict[tuple[str, int], dict[str, Any]]:
    return {(p["id"], b): block for p in data["people"] for b, block in enumerate(p["blocks"])}


def _check_roster(data: dict[str, Any], slots: list[SlotSupport]) -> None:
    """Each supporter is free then, has the skills, and is as many as the ratio needs."""
    supporters = {s["id"]: s for s in data["supporters"]}
    blocks = _blocks(data)
    for slot in slots:
        block = blocks[(slot.person, slot.block)]
        assert len(slot.supporters) in (0, block.get("ratio", 1))
        for name in slot.supporters:
            supporter = supporters[name]
            windows = supporter.get("available")
            assert windows is None or any(_in_window(_minute_of_week(slot), w) for w in windows), (
                name,
                slot,
            )
            assert set(block.get("skills", [])) <= set(supporter["skills"]), (name, slot)


@given(weeks())
@SETTINGS
def test_every_assigned_supporter_is_available_and_has_the_skills(data: dict[str, Any]) -> None:
    week = Week.model_validate(data)
    _check_roster(data, plan_week(week, QUICK).slots)
    instance = compile_week(week)
    _check_roster(data, slot_supports(instance, greedy_cover(instance)))


@given(weeks())
@SETTINGS
def test_no_paid_worker_breaks_a_working_rule(data: dict[str, Any]) -> None:
    week = Week.model_validate(data)
    instance = compile_week(week)
    rosters = {"cp-sat": plan_week(week, QUICK).slots}
    rosters["greedy"] = slot_supports(instance, greedy_cover(instance))
    for slots in rosters.values():
        assert not any(paid_breaches(week, slots).values())


@given(weeks())
@SETTINGS
def test_cost_never_exceeds_the_budget(data: dict[str, Any]) -> None:
    week = Week.model_validate(data)
    result = plan_week(week, QUICK)
    assert week.budget is not None
    assert result.total_cost <= week.budget and result.within_budget
    instance = compile_week(week)
    greedy = sum(a.cost for a in accounts(instance, greedy_cover(instance)))
    assert to_pounds(greedy, instance.units_per_penny) <= week.budget


@given(weeks(), st.sampled_from(["family", "friend", "technology"]))
@SETTINGS
def test_adding_a_natural_supporter_never_increases_paid_hours_for_the_same_need_met(
    data: dict[str, Any], kind: str
) -> None:
    """More help can only meet more need; for the same need met, paid hours never rise."""
    before = plan_week(Week.model_validate(data), QUICK)
    helper: dict[str, Any] = {"id": "extra", "kind": kind, "skills": SKILLS}
    if kind == "technology":
        helper["covers"] = ["night", "home"]
    after = plan_week(
        Week.model_validate({**data, "supporters": [*data["supporters"], helper]}), QUICK
    )
    assume(before.solver.status == after.solver.status == "optimal")
    unmet = [[stage.value for stage in result.solver.stages[:2]] for result in (before, after)]
    assert unmet[1] <= unmet[0]
    if unmet[1] == unmet[0]:
        assert after.paid_hours <= before.paid_hours


@given(weeks())
@SETTINGS
def test_the_same_week_gives_the_same_roster_with_one_worker_and_a_fixed_seed(
    data: dict[str, Any],
) -> None:
    week = Week.model_validate(data)
    first = plan_week(week, ONE_WORKER)
    second = plan_week(week, ONE_WORKER)
    assume(first.solver.status == "optimal")
    assert first.slots == second.slots
    assert first.supporters == second.supporters and first.unmet == second.unmet


@given(weeks())
@SETTINGS
def test_the_cost_stage_is_the_cost_of_the_roster_reported(data: dict[str, Any]) -> None:
    result = plan_week(Week.model_validate(data), QUICK)
    cost = [s for s in result.solver.stages if s.name == "cost"]
    assert not cost or cost[0].value == result.total_cost
    assert sum((s.cost for s in result.supporters), Decimal(0)) == result.total_cost
    assert sum((p.cost_share for p in result.people), Decimal(0)) == result.total_cost


@given(weeks())
@SETTINGS
def test_the_greedy_roster_is_a_solution_of_the_model(data: dict[str, Any]) -> None:
    """The greedy baseline keeps every constraint, so it can start the solver."""
    instance = compile_week(Week.model_validate(data))
    solver = StagedSolver(RosterModel(instance), ONE_WORKER)
    assert solver.start_from(greedy_cover(instance), 5)


def _cover(instance: Instance, result: RosterResult) -> Cover:
    """The roster JSON's slots read back as the solver's cover."""
    people = {name: p for p, name in enumerate(instance.people)}
    helpers = {h.id: h.index for h in instance.helpers}
    grid = instance.grid
    return {
        (people[slot.person], _minute_of_week(slot) // grid.slot_minutes): tuple(
            sorted(helpers[s] for s in slot.supporters)
        )
        for slot in result.slots
        if slot.supporters
    }


@given(weeks())
@SETTINGS
def test_every_roster_is_one_swap_natural_first(data: dict[str, Any]) -> None:
    """No paid slot is left that a natural supporter or technology could take."""
    week = Week.model_validate(data)
    result = plan_week(week, QUICK)
    instance = compile_week(week)
    assert natural_swaps(instance, _cover(instance, result)) == []
    assert result.solver.after_search.natural_first_check == "passed"


@given(weeks())
@SETTINGS
def test_no_unmet_stretch_is_left_that_someone_could_take_within_budget(
    data: dict[str, Any],
) -> None:
    """An unmet stretch is over budget only if money is what stops its supporter."""
    week = Week.model_validate(data)
    result = plan_week(week, QUICK)
    instance = compile_week(week)
    state = RosterState(instance, _cover(instance, result))
    assert fill_unmet(state) == 0
    for stage in result.solver.stages:
        assert (stage.status == "solved") == (stage.gap == 0)
        assert stage.bound <= stage.value
