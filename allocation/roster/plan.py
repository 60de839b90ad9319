"""The perfect week, end to end: greedy start, staged CP-SAT, passes, explanations, report.

The stages and their order are one table (stages.py). The budget is a hard
limit throughout. After the search, two passes a rota manager would make by
hand (improve.py): unmet need someone could take is given to them, and paid
slots a natural supporter or technology could take are swapped to them.
When essential need is still unmet and money might be why, the model
without the budget, minimising cost after essential need, finds the least
budget that would meet it.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, replace
from typing import Literal

from allocation.roster.assemble import (
    person_weeks,
    slot_supports,
    stage_report,
    supporter_weeks,
    unmet_rows,
)
from allocation.roster.bounds import counting_floor
from allocation.roster.carer_met import carer_met_blocks
from allocation.roster.explain import unmet_runs
from allocation.roster.greedy import RosterState, greedy_cover
from allocation.roster.improve import fill_unmet, natural_first, natural_swaps
from allocation.roster.instance import Instance, compile_week
from allocation.roster.measure import stage_values
from allocation.roster.model import OutOfTime, RosterModel
from allocation.roster.output import (
    AfterSearch,
    LeastBudget,
    ModelReport,
    RosterResult,
    SolverReport,
)
from allocation.roster.scope import MAX_CHOICES, Scope, choices, model_scope
from allocation.roster.shift_cover import ShiftBound, worth_building
from allocation.roster.solver import SolveOptions, Stage, StagedSolver
from allocation.roster.stages import COVERAGE, NAMES, PREFERENCES, shares
from allocation.roster.timing import BUILD_SHARE, after_seconds, build_seconds
from allocation.roster.units import to_pounds
from allocation.roster.week import Week
from allocation.roster.week_costs import Cover, accounts

START_SHARE = 0.05  # of the time limit, to complete the greedy roster into a first solution
# Of the search time, what essential need may use (its floor-first search
# stops sooner, at a deterministic limit, when the floor is out of reach).
ESSENTIAL_SHARE = 0.8


@dataclass(frozen=True)
class Searched:
    """What the search gave: the stages, the least budget, the roster and where it came from."""

    stages: list[Stage]
    least: LeastBudget | None
    cover: Cover
    roster_from: Literal["cp-sat", "greedy"]
    shifts: ShiftBound | None = None


def plan_week(
    week: Week, options: SolveOptions, started: float | None = None, view: bool = False
) -> RosterResult:
    """The roster of a week within `options.time_limit` of `started` (time.monotonic()).

    The command passes when it started, so that reading the WEEK file and
    writing the result count against the limit too; by default it is now.
    `view`: the caller draws the terminal view after, which takes its time too.
    """
    started = time.monotonic() if started is None else started
    instance = compile_week(week)
    greedy = greedy_cover(instance)
    scope = model_scope(instance, greedy)
    search_end = started + options.time_limit - after_seconds(instance, options.time_limit, view)
    solver, note = _build(scope, options, search_end)
    if solver is None:
        searched = Searched([_not_run(name) for name in NAMES], None, greedy, "greedy")
    else:
        searched = _search(instance, scope, solver, greedy, options, search_end)
        if scope.each is not None:
            note = _limited_note(scope)
    state = RosterState(instance, searched.cover)
    filled = fill_unmet(state)
    swaps = natural_first(state)
    final = state.result()
    after = AfterSearch(
        filled_hours=instance.grid.hours(filled),
        natural_first_swaps=swaps,
        natural_first_check="failed" if natural_swaps(instance, final) else "passed",
    )
    model = ModelReport(
        built=solver is not None,
        choices=choices(scope.instance) if solver is not None else 0,
        week_choices=scope.week_choices,
        limited_to=scope.each,
        note=note,
    )
    result = _report(instance, final, searched, after, model, options, started)
    return result.model_copy(update={"left_out": carer_met_blocks(week)})


def _build(
    scope: Scope, options: SolveOptions, search_end: float
) -> tuple[StagedSolver | None, str | None]:
    """The model, unless building a cut week's would not leave the search time to use it.

    A week the model holds whole is always built: its size is bounded by
    MAX_CHOICES, and its essential stage's result must not depend on how busy
    the machine is (solver.py). A cut week's model is not built when the
    estimate from its size is over BUILD_SHARE of the time left, and the
    build stops if it runs over that share all the same (a busy machine);
    the greedy roster and the passes stand then.
    """
    if scope.each is None:
        return StagedSolver(RosterModel(scope.instance), options), None
    left = search_end - time.monotonic()
    estimate = build_seconds(scope.instance)
    if estimate > left * BUILD_SHARE:
        return None, (
            f"no time to build the model: about {estimate:.1f} s to build it, "
            f"{max(left, 0.0):.1f} s left for the search; the greedy roster and the passes"
        )
    try:
        model = RosterModel(scope.instance, give_up=time.monotonic() + left * BUILD_SHARE)
    except OutOfTime:
        return None, (
            f"no time to build the model: building it took over {left * BUILD_SHARE:.1f} s, "
            "half the time left for the search; the greedy roster and the passes"
        )
    return StagedSolver(model, options, whole_week=False), None


def _search(
    instance: Instance,
    scope: Scope,
    solver: StagedSolver,
    greedy: Cover,
    options: SolveOptions,
    search_end: float,
) -> Searched:
    """The staged search from the greedy roster, and the least budget when money may bind."""
    solver.start_from(greedy, options.time_limit * START_SHARE)
    # Essential need may take most of the time: it ends as soon as it is met.
    stages = solver.run(["essential"], max(search_end - time.monotonic(), 0.0) * ESSENTIAL_SHARE)
    _fill_between_stages(scope.instance, solver, options)
    stages += solver.run(["desirable"], _share(search_end, ("desirable",), NAMES[1:]))
    _fill_between_stages(scope.instance, solver, options)
    least = None
    # The least budget builds a second model: only when the time left would build it,
    # and only of the whole week (a cut week's least budget is not the week's).
    if (
        scope.each is None
        and search_end - time.monotonic() > build_seconds(instance)
        and stages[0].value > counting_floor(instance, "essential", {})
        and _budget_may_bind(instance, solver.cover())
    ):
        least = _least_budget(instance, solver.cover(), stages[0], options, search_end)
    first, *rest = PREFERENCES  # paid hours first (stages.py)
    reached = {s.name: s.value for s in stages}
    stages += solver.run([first], _share(search_end, (first,), PREFERENCES))
    # Paid hours unproven: the shift-cover bound, given the need met, beside the later
    # stages (beside paid hours itself it took the core that stage's search needed).
    # Not on a cut week: its relaxation of the whole week (over MAX_CHOICES choices)
    # would be built on the clock, unbounded (about 0.5 s for each 10,000).
    shifts = None
    if stages[-1].status != "solved" and scope.each is None and worth_building(instance):
        shifts = ShiftBound(instance, reached, max(search_end - time.monotonic(), 0.0))
    stages += solver.run(rest, _share(search_end, tuple(rest), tuple(rest)))
    if shifts is not None:
        shifts.finish(wait=True)  # it ends by search_end, or sooner at its work limit
    if scope.each is not None:
        # A bound proved on the cut model is not one for the week: counting floors only.
        stages = [_unproven(stage) for stage in stages]
    cover, roster_from = _never_worse(instance, solver, greedy)
    return Searched(stages, least, cover, roster_from, shifts)


def _not_run(name: str) -> Stage:
    return Stage(name, "unsolved", 0, None, None, 0.0)


def _unproven(stage: Stage) -> Stage:
    """The stage without the solver's and the LP's bounds (a cut model's)."""
    status = "improved" if stage.status == "solved" else stage.status
    return replace(stage, status=status, solver_bound=None, lp_bound=None)


def _limited_note(scope: Scope) -> str:
    return (
        f"the week has {scope.week_choices:,} (supporter, person, slot) choices, over the "
        f"model's {MAX_CHOICES:,}: each block kept the greedy roster's supporters and "
        f"{scope.each} more (natural first, preferred, cheapest); the bounds are the "
        "counting floors only, not the solver's on the cut model"
    )


def _fill_between_stages(instance: Instance, solver: StagedSolver, options: SolveOptions) -> None:
    """Start the next stage from the last roster with what anyone could still take filled in.

    Essential need's feasibility search does not look at desirable need, and
    left the desirable stage on the benchmark house (b) far from where the
    greedy roster was; the fill pass keeps every constraint, so the roster
    it gives is a whole solution of the model and only meets more need.
    """
    if solver.solution is None:
        return
    state = RosterState(instance, solver.cover())
    if fill_unmet(state):
        solver.start_from(state.result(), options.time_limit * START_SHARE)


def _share(deadline: float, stages: tuple[str, ...], of: tuple[str, ...]) -> float:
    """The time left, shared in proportion to the stages' weights."""
    return max(deadline - time.monotonic(), 0.0) * shares(stages) / shares(of)


def _never_worse(
    instance: Instance, solver: StagedSolver, greedy: Cover
) -> tuple[Cover, Literal["cp-sat", "greedy"]]:
    """The solver's roster, unless it found none or one worse on need than the greedy's."""
    if solver.solution is None:
        return greedy, "greedy"
    cover = solver.cover()
    found, start = stage_values(instance, cover), stage_values(instance, greedy)
    if [found[n] for n in COVERAGE] > [start[n] for n in COVERAGE]:
        return greedy, "greedy"
    return cover, "cp-sat"


def _budget_may_bind(instance: Instance, cover: Cover) -> bool:
    """Whether money could be what leaves need unmet.

    Not when nothing is unmet that someone could cover, nor when the budget
    left would pay for every such slot at the dearest way of covering it
    (hourly rate, session fee, weekly cost and sleep-in all at once).
    """
    dearest = 0
    for key, helpers in instance.eligible.items():
        ratio = instance.needs[instance.need_at[key]].ratio
        if key in cover or len(helpers) < ratio:
            continue
        most = max(
            h.hourly + h.session + h.weekly + (h.sleep_in or 0)
            for h in (instance.helpers[i] for i in helpers)
        )
        dearest += ratio * most
    left = instance.budget - sum(a.cost for a in accounts(instance, cover))
    return dearest > left


def _least_budget(
    instance: Instance, cover: Cover, essential: Stage, options: SolveOptions, deadline: float
) -> LeastBudget | None:
    """The least budget for the essential need, if more money would meet more of it."""
    try:
        model = RosterModel(instance, with_budget=False, give_up=deadline)
    except OutOfTime:
        return None
    cheapest = StagedSolver(model, options)
    cheapest.start_from(cover, options.time_limit * START_SHARE)
    names = ("essential", "cost")
    done = cheapest.run(list(names), _share(deadline, names, (*names, *PREFERENCES)))
    if any(s.status == "unsolved" for s in done) or done[0].value >= essential.value:
        return None
    least_cover = cheapest.cover()
    unmet = sum(
        1
        for key, k in instance.need_at.items()
        if instance.needs[k].essential and key not in least_cover
    )
    cost = stage_values(instance, least_cover)["cost"]
    bound = stage_report(instance, done[1], cost, 0)
    return LeastBudget(
        amount=to_pounds(cost, instance.units_per_penny),
        lower_bound=bound.bound,
        proven=bound.status == "solved",
        essential_unmet_hours=instance.grid.hours(unmet),
    )


def _report(
    instance: Instance,
    cover: Cover,
    searched: Searched,
    after: AfterSearch,
    model: ModelReport,
    options: SolveOptions,
    started: float,
) -> RosterResult:
    stages, least, shifts = searched.stages, searched.least, searched.shifts
    roster_from = searched.roster_from
    values = stage_values(instance, cover)
    reports = []
    reached: dict[str, int] = {}
    for stage in stages:
        if stage.name == "paid_hours" and shifts is not None:
            stage = replace(stage, shift_bound=shifts.bound_for(values))
        floor = counting_floor(instance, stage.name, reached)
        reports.append(stage_report(instance, stage, values[stage.name], floor))
        reached[stage.name] = values[stage.name]
    first_open = next((r for r in reports if r.status != "solved"), None)
    weeks = accounts(instance, cover)
    cost = values["cost"]
    return RosterResult(
        slot_minutes=instance.grid.slot_minutes,
        budget=to_pounds(instance.budget, instance.units_per_penny),
        total_cost=to_pounds(cost, instance.units_per_penny),
        within_budget=cost <= instance.budget,
        paid_hours=instance.grid.hours(values["paid_hours"]),
        unpaid_hours=instance.grid.hours(sum(len(a.busy) for a in weeks if not a.helper.paid)),
        least_budget_for_essential=least,
        slots=slot_supports(instance, cover),
        supporters=supporter_weeks(instance, cover),
        people=person_weeks(instance, cover),
        unmet=unmet_rows(instance, unmet_runs(instance, cover)),
        solver=SolverReport(
            status=(
                "unknown"
                if roster_from == "greedy"
                else "optimal"
                if first_open is None
                else "feasible"
            ),
            roster_from=roster_from,
            gap=first_open.gap if first_open else 0.0,
            gap_stage=first_open.name if first_open else None,
            unsolved_stages=[r.name for r in reports if r.status == "unsolved"],
            after_search=after,
            model=model,
            wall_seconds=round(time.monotonic() - started, 3),
            stages=reports,
            parameters=options.parameters(),
        ),
    )
