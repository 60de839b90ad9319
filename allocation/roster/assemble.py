"""Turning a solved roster into the roster JSON's pydantic form."""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal
from fractions import Fraction

from allocation.roster.explain import UnmetRun
from allocation.roster.instance import Instance, Need
from allocation.roster.output import (
    BoundSource,
    PersonWeek,
    SlotSupport,
    StageReport,
    SupporterWeek,
    Unmet,
)
from allocation.roster.slots import DAYS, MINUTES_PER_DAY, clock
from allocation.roster.solver import Stage
from allocation.roster.stages import BY_NAME
from allocation.roster.units import apportion, to_pounds
from allocation.roster.week_costs import Cover, accounts


def in_units(instance: Instance, name: str, value: int) -> Decimal:
    """A stage's integer objective in the unit it is reported in."""
    measure = BY_NAME[name].measure
    if measure == "hours":
        return instance.grid.hours(value)
    if measure == "pounds":
        return to_pounds(value, instance.units_per_penny)
    return Decimal(value)


def stage_report(instance: Instance, stage: Stage, value: int, counting: int) -> StageReport:
    """The stage measured on the roster returned, its best lower bound and its source, the gap.

    The gap is relative to the value, as solvers report it; for the coverage
    stages it is relative to the need covered (the same stage read as
    "cover the most need"), since unmet need near zero makes any bound look
    100 % away. A stage is `solved` only when its value meets a proven bound,
    so an unsolved stage never shows a gap of 0 unless a bound proves it.
    """
    # On a tie the first is named: the one a reader can check most easily.
    sources: list[tuple[int, BoundSource]] = [(counting, "counting")]
    if stage.shift_bound is not None:
        sources.append((stage.shift_bound, "shift_cover"))
    if stage.solver_bound is not None:
        sources.append((stage.solver_bound, "solver"))
    if stage.lp_bound is not None:
        sources.append((stage.lp_bound, "lp_relaxation"))
    bound, source = max(sources, key=lambda pair: pair[0])
    bound = min(bound, value)
    scale = value
    spec = BY_NAME[stage.name]
    if spec.coverage:
        essential = stage.name == "essential"
        scale = sum(n.weight for n in _needs_at(instance) if n.essential == essential) - value
    gap = 0.0 if value == bound else 1.0 if scale <= 0 else min((value - bound) / scale, 1.0)
    status = stage.status
    if value == bound:
        status = "solved"
    elif status == "solved":
        status = "improved"
    return StageReport(
        name=stage.name,
        unit=spec.unit,
        status=status,
        value=in_units(instance, stage.name, value),
        bound=in_units(instance, stage.name, bound),
        bound_source=source,
        gap=max(round(gap, 4), 0.0001) if gap > 0 else 0.0,
        seconds=round(stage.seconds, 3),
        repair_seconds=None if stage.repair_seconds is None else round(stage.repair_seconds, 3),
    )


def _needs_at(instance: Instance) -> list[Need]:
    """The need of every person-slot (a block counts once per slot)."""
    return [instance.needs[k] for k in instance.need_at.values()]


def slot_supports(instance: Instance, cover: Cover) -> list[SlotSupport]:
    grid = instance.grid
    rows = []
    for (p, t), k in sorted(instance.need_at.items(), key=lambda item: (item[0][1], item[0][0])):
        need = instance.needs[k]
        start = grid.start_of(t)
        rows.append(
            SlotSupport(
                day=DAYS[grid.day_of(t)],
                start=clock(start),
                end=clock(start + grid.slot_minutes),
                person=instance.people[p],
                block=need.block,
                activity=need.activity,
                supporters=[instance.helpers[h].id for h in cover.get((p, t), ())],
            )
        )
    return rows


def supporter_weeks(instance: Instance, cover: Cover) -> list[SupporterWeek]:
    weeks = accounts(instance, cover)
    costs = apportion({a.helper.index: Fraction(a.cost) for a in weeks}, instance.units_per_penny)
    return [
        SupporterWeek(
            id=a.helper.id,
            name=a.helper.label,
            kind=a.helper.kind,
            hours=instance.grid.hours(len(a.busy)),
            sleep_ins=a.sleep_ins,
            sleep_in_top_up=to_pounds(a.sleep_in_top_up, instance.units_per_penny),
            sessions=a.sessions,
            contracted_top_up_hours=instance.grid.hours(a.topup),
            cost=costs[a.helper.index],
            people=[instance.people[p] for p in sorted(a.people)],
        )
        for a in weeks
    ]


def person_weeks(instance: Instance, cover: Cover) -> list[PersonWeek]:
    shares: dict[int, Fraction] = {p: Fraction(0) for p in range(len(instance.people))}
    for a in accounts(instance, cover):
        for p, share in a.shares.items():
            shares[p] += share
    pounds = apportion(shares, instance.units_per_penny)
    needed: dict[int, int] = defaultdict(int)
    covered: dict[int, int] = defaultdict(int)
    paid: dict[int, int] = defaultdict(int)
    for p, t in instance.need_at:
        needed[p] += 1
        helpers = cover.get((p, t), ())
        covered[p] += bool(helpers)
        paid[p] += any(instance.helpers[h].paid for h in helpers)
    hours = instance.grid.hours
    return [
        PersonWeek(
            id=person,
            needed_hours=hours(needed[p]),
            covered_hours=hours(covered[p]),
            paid_hours=hours(paid[p]),
            cost_share=pounds[p],
        )
        for p, person in enumerate(instance.people)
    ]


def unmet_rows(instance: Instance, runs: list[UnmetRun]) -> list[Unmet]:
    grid = instance.grid
    rows = []
    for run in runs:
        need = instance.needs[run.need]
        start = grid.start_of(run.first)
        end = start + run.length * grid.slot_minutes
        rows.append(
            Unmet(
                person=instance.people[need.person],
                block=need.block,
                activity=need.activity,
                priority="essential" if need.essential else "desirable",
                day=DAYS[grid.day_of(run.first)],
                start=clock(start),
                end=clock(end if end <= MINUTES_PER_DAY else end - MINUTES_PER_DAY),
                hours=grid.hours(run.length),
                reason=run.why.reason,
                detail=run.why.detail,
            )
        )
    return rows
