"""The perfect week, end to end: greedy start, staged CP-SAT, explanations, report.

Order of the objectives (issue 4): essential need, desirable need, paid hours
(natural supports first), the person's choices, continuity (fewest paid staff
per person), cost; then, since it can cost nothing, fewest visits. The budget
is a hard limit throughout. When need is unmet and supporters were there to
meet it, the same model without the budget says which slots money would
cover, and, for essential need, a stage minimising cost finds the least
budget that covers it.
"""

from __future__ import annotations

import time
from typing import Literal

from allocation.roster.bounds import counting_floor
from allocation.roster.costing import Cover, accounts
from allocation.roster.explain import unmet_runs
from allocation.roster.greedy import greedy_cover
from allocation.roster.instance import Instance, compile_week
from allocation.roster.model import RosterModel
from allocation.roster.money import to_pounds
from allocation.roster.report import (
    person_weeks,
    slot_supports,
    stage_report,
    supporter_weeks,
    unmet_rows,
)
from allocation.roster.result import LeastBudget, RosterResult, SolverReport, StageReport
from allocation.roster.solver import COVERAGE, WEIGHTS, SolveOptions, Stage, StagedSolver
from allocation.roster.week import Week

PREFERENCES = ["paid_hours", "choices", "continuity", "cost", "handovers"]
START_SHARE = 0.05  # of the time limit, to complete the greedy roster into a first solution


def plan_week(week: Week, options: SolveOptions) -> RosterResult:
    started = time.monotonic()
    deadline = started + options.time_limit
    instance = compile_week(week)
    greedy = greedy_cover(instance)
    solver = StagedSolver(RosterModel(instance), options)
    solver.start_from(greedy, options.time_limit * START_SHARE)
    stages = solver.run(list(COVERAGE), _share(deadline, [*COVERAGE], [*COVERAGE, *PREFERENCES]))
    free_cover, least = None, None
    essential = next((s for s in stages if s.name == "essential"), None)
    if essential is not None and _budget_may_bind(instance, solver.cover()):
        free_cover, least = _without_budget(instance, solver.cover(), essential, options, deadline)
    stages += solver.run(PREFERENCES, _share(deadline, PREFERENCES, PREFERENCES))
    if not stages:
        return _report(instance, greedy, [], None, None, options, started, "greedy")
    return _report(instance, solver.cover(), stages, free_cover, least, options, started, "cp-sat")


def _share(deadline: float, stages: list[str], of: list[str]) -> float:
    """The time left, shared in proportion to the stages' weights."""
    weight = sum(WEIGHTS[name] for name in stages)
    return max(deadline - time.monotonic(), 0.0) * weight / sum(WEIGHTS[name] for name in of)


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


def _without_budget(
    instance: Instance, cover: Cover, essential: Stage, options: SolveOptions, deadline: float
) -> tuple[Cover | None, LeastBudget | None]:
    """What money would cover, and the least budget for the essential need."""
    free = StagedSolver(RosterModel(instance, with_budget=False), options)
    free.start_from(cover, options.time_limit * START_SHARE)
    free_stages = free.run(
        list(COVERAGE),
        _share(deadline, [*COVERAGE], [*COVERAGE, "essential", "cost", *PREFERENCES]),
    )
    free_cover = free.cover()
    if not free_stages or free_stages[0].name != "essential":
        return free_cover, None
    if free_stages[0].value >= essential.value:
        return free_cover, None
    cheapest = StagedSolver(RosterModel(instance, with_budget=False), options)
    cheapest.start_from(free_cover, options.time_limit * START_SHARE)
    names = ["essential", "cost"]
    least_stages = cheapest.run(names, _share(deadline, names, [*names, *PREFERENCES]))
    if [s.name for s in least_stages] != names:
        return free_cover, None
    cost = least_stages[1]
    bound = stage_report(instance, cost, 0)
    least_cover = cheapest.cover()
    unmet = sum(
        1
        for key, k in instance.need_at.items()
        if instance.needs[k].essential and key not in least_cover
    )
    least = LeastBudget(
        amount=to_pounds(cost.value, instance.units_per_penny),
        lower_bound=bound.bound,
        proven=cost.status == "optimal",
        essential_unmet_hours=instance.grid.hours(unmet),
    )
    return free_cover, least


def _report(
    instance: Instance,
    cover: Cover,
    stages: list[Stage],
    free_cover: Cover | None,
    least: LeastBudget | None,
    options: SolveOptions,
    started: float,
    roster_from: Literal["cp-sat", "greedy"],
) -> RosterResult:
    reports: list[StageReport] = []
    reached: dict[str, int] = {}
    for stage in stages:
        reports.append(stage_report(instance, stage, counting_floor(instance, stage.name, reached)))
        reached[stage.name] = stage.value
    unproven = next((r for r in reports if r.status != "optimal"), None)
    solved = {s.name for s in stages}
    unsolved = [name for name in [*COVERAGE, *PREFERENCES] if name not in solved]
    weeks = accounts(instance, cover)
    cost = sum(a.cost for a in weeks)
    paid = sum(len(a.busy) for a in weeks if a.helper.paid)
    unpaid = sum(len(a.busy) for a in weeks if not a.helper.paid)
    return RosterResult(
        slot_minutes=instance.grid.slot_minutes,
        budget=to_pounds(instance.budget, instance.units_per_penny),
        total_cost=to_pounds(cost, instance.units_per_penny),
        within_budget=cost <= instance.budget,
        paid_hours=instance.grid.hours(paid),
        unpaid_hours=instance.grid.hours(unpaid),
        least_budget_for_essential=least,
        slots=slot_supports(instance, cover),
        supporters=supporter_weeks(instance, cover),
        people=person_weeks(instance, cover),
        unmet=unmet_rows(instance, unmet_runs(instance, cover, free_cover)),
        solver=SolverReport(
            status=(
                "unknown"
                if roster_from == "greedy"
                else "optimal"
                if unproven is None and not unsolved
                else "feasible"
            ),
            roster_from=roster_from,
            gap=unproven.gap if unproven else 0.0,
            gap_stage=unproven.name if unproven else None,
            unsolved_stages=unsolved,
            wall_seconds=round(time.monotonic() - started, 3),
            stages=reports,
            parameters=options.parameters(),
        ),
    )
