"""Roster: CP-SAT against the greedy "natural first" baseline on generated weeks.

(a) one person, 10 supporters, 30-minute slots: target proven optimal in
    under 2 s;
(b) a shared house of 6 people, 20 paid staff and 8 natural supporters:
    target (issue 7) essential need all met and desirable at its bound in
    10 s, paid hours within 2 % of the best bound in 60 s.

Each instance comes from a seeded generator, so the figures are repeatable
up to the solver's timing. Rates (domain-facts.md §6): National Living Wage
£12.21 from April 2025; PA pay with on-costs about £13.87; agency about
£24.10; a sleep-in £77.95. ROSTER_BENCH_SEED picks one week; the grid of
issue 7 is `ROSTER_BENCH_SEEDS=1-5 ROSTER_BENCH_LIMITS=10,60`, which ends
with one line per run; `ROSTER_BENCH_BUSY=2` runs it beside two processes
that burn a core each (stopped by their ids when it ends). Every run prints
the 1-minute load average before and after it, since the machine is shared.
"""

from __future__ import annotations

import os
import random
import subprocess
import sys
import time
from dataclasses import dataclass
from decimal import Decimal
from importlib.metadata import version
from typing import Any

from allocation.roster.greedy import greedy_cover
from allocation.roster.instance import Instance, compile_week
from allocation.roster.model import RosterModel
from allocation.roster.output import RosterResult
from allocation.roster.plan import plan_week
from allocation.roster.solver import SolveOptions, StagedSolver
from allocation.roster.stages import STAGES
from allocation.roster.units import to_pounds
from allocation.roster.week import Week
from allocation.roster.week_costs import Cover, accounts
from allocation.roster.week_file import week_problems

WEEKDAYS = ["mon", "tue", "wed", "thu", "fri"]
WEEKEND = ["sat", "sun"]
DAYS = WEEKDAYS + WEEKEND
PAID_RATES = ["12.21", "12.50", "13.00", "13.87", "14.50"]
AGENCY_RATE = "24.10"
SLEEP_IN = "77.95"
PATTERNS = {
    "early": ("07:00", "15:00"),
    "late": ("14:00", "23:00"),
    "long": ("07:00", "22:30"),
    "night": ("20:00", "10:00"),
}


def _clock(minutes: int) -> str:
    return f"{minutes // 60 % 24:02d}:{minutes % 60:02d}"


def _block(days: list[str], start: int, end: int, activity: str, **extra: Any) -> dict[str, Any]:
    return {"days": days, "start": _clock(start), "end": _clock(end), "activity": activity, **extra}


def _days(rng: random.Random, low: int, high: int) -> list[str]:
    return sorted(rng.sample(DAYS, rng.randint(low, high)), key=DAYS.index)


def checked(data: dict[str, Any]) -> Week:
    """The week as `justenough roster` would read it from a file: every check, or an error."""
    week = Week.model_validate(data)
    problems = week_problems(week)
    if problems:
        raise ValueError(f"generated week is not valid: {problems}")
    return week


def single_person_week(seed: int) -> Week:
    """(a): one person at home; family, a friend, a community group, a sensor, five paid."""
    rng = random.Random(seed)
    up = rng.choice([420, 450, 480])
    blocks = [
        _block(DAYS, up, up + 120, "getting up", skills=["personal_care"]),
        _block(DAYS, 720, 780, "lunch"),
        _block(DAYS, 1020, 1110, "tea"),
        _block(DAYS, 1260, 1320, "bedtime", skills=["personal_care", "medication"]),
        _block(DAYS, 1320, up, "night"),
    ]
    free = WEEKDAYS.copy()
    rng.shuffle(free)
    for day, activity in zip(free[:3], ["art class", "gardening", "library"], strict=True):
        start = rng.choice([570, 600, 840, 870])
        if start < up + 120:
            start = 840  # a morning class would overlap getting up: the afternoon instead
        blocks.append(_block([day], start, start + 90, activity, priority="desirable"))
    blocks.append(_block(["sat"], 840, 960, "swimming", ratio=2, priority="desirable"))
    supporters: list[dict[str, Any]] = [
        {
            "id": "mum",
            "kind": "family",
            "skills": ["personal_care", "medication"],
            "max_hours": rng.choice([8, 10, 12]),
            "available": [
                {"days": WEEKDAYS, "start": "16:30", "end": "22:00"},
                {"days": WEEKEND, "start": "09:00", "end": "22:00"},
            ],
        },
        {
            "id": "brother",
            "kind": "family",
            "max_hours": 5,
            "available": [{"days": WEEKEND, "start": "11:00", "end": "19:00"}],
        },
        {
            "id": "friend",
            "kind": "friend",
            "max_hours": 3,
            "available": [{"days": [rng.choice(WEEKDAYS)], "start": "08:00", "end": "20:00"}],
        },
        {
            "id": "community",
            "kind": "community",
            "session_fee": "6.00",
            "available": [{"days": free[:3], "start": "09:00", "end": "17:00"}],
        },
        {"id": "sensor", "kind": "technology", "covers": ["night"], "weekly_cost": "7.50"},
    ]
    for i in range(4):
        opens, closes = PATTERNS[rng.choice(["early", "late", "long"])]
        supporters.append(
            {
                "id": f"pa{i + 1}",
                "kind": "paid",
                "hourly_rate": rng.choice(PAID_RATES),
                "skills": rng.sample(
                    ["personal_care", "medication", "swimming"], rng.randint(1, 3)
                ),
                "max_hours": rng.choice([16, 20, 30]),
                "available": [{"days": _days(rng, 3, 6), "start": opens, "end": closes}],
            }
        )
    supporters.append(
        {
            "id": "agency",
            "kind": "paid",
            "hourly_rate": AGENCY_RATE,
            "skills": ["personal_care", "medication"],
        }
    )
    return checked(
        {"budget": "900.00", "people": [{"id": "ada", "blocks": blocks}], "supporters": supporters}
    )


def shared_house_week(seed: int) -> Week:
    """(b): six people sharing a house and its staff team, each with their own network.

    Two people need a sleep-in (one worker covers both), two have night-time
    monitoring, two need no one at night; three go to college on weekdays;
    two go out two to one once a week.
    """
    rng = random.Random(seed)
    people = []
    ups = rng.sample(range(390, 570, 30), 6)
    beds = rng.sample(range(1200, 1380, 30), 6)
    for p, (up, bed) in enumerate(zip(ups, beds, strict=True)):
        at_home = DAYS if p >= 3 else WEEKEND
        blocks = [
            _block(DAYS, up, up + 60, "getting up", skills=["personal_care"]),
            _block(DAYS, 1020, 1140, "tea", shareable=True),
            _block(DAYS, 1140, bed, "evening", shareable=True, priority="desirable"),
            _block(DAYS, bed, bed + 60, "bedtime", skills=["personal_care", "medication"]),
        ]
        if p < 4:
            support = "sleep_in" if p < 2 else "awake"
            blocks.append(_block(DAYS, bed + 60, up, "night", support=support, shareable=True))
        if p in (0, 3):
            out = rng.choice(WEEKDAYS if p == 3 else WEEKEND)
            at_home = [d for d in at_home if d != out]
            blocks.append(
                _block(
                    [out],
                    up + 60,
                    960,
                    "day out",
                    ratio=2,
                    skills=["driving"],
                    priority="desirable",
                )
            )
        if at_home:
            blocks.append(
                _block(at_home, up + 60, 960, "day at home", shareable=True, priority="desirable")
            )
        people.append({"id": f"p{p + 1}", "blocks": blocks})
    supporters: list[dict[str, Any]] = []
    for n, kind in enumerate(["family"] * 4 + ["friend"] * 2):
        start = rng.choice([600, 840, 1020, 1140])
        supporters.append(
            {
                "id": f"{kind}{n + 1}",
                "kind": kind,
                "people": [people[n]["id"]],
                "max_hours": rng.choice([3, 4, 6]),
                "skills": ["personal_care"] if rng.random() < 0.5 else [],
                "available": [
                    {"days": _days(rng, 1, 3), "start": _clock(start), "end": _clock(start + 240)}
                ],
            }
        )
    supporters.append(
        {
            "id": "community",
            "kind": "community",
            "people": ["p4", "p5", "p6"],
            "session_fee": "5.00",
            "available": [{"days": ["tue", "thu"], "start": "10:00", "end": "15:00"}],
        }
    )
    supporters.append(
        {
            "id": "monitoring",
            "kind": "technology",
            "people": ["p3", "p4"],
            "covers": ["night"],
            "weekly_cost": "12.00",
        }
    )
    patterns = ["early", "late", "night", "long"] * 5
    for i in range(20):
        agency = i >= 18
        opens, closes = PATTERNS[patterns[i]]
        skills = ["personal_care"] if rng.random() < 0.9 else []
        skills += ["medication"] if rng.random() < 0.6 else []
        skills += ["driving"] if rng.random() < 0.35 else []
        supporters.append(
            {
                "id": f"{'agency' if agency else 'staff'}{i + 1}",
                "kind": "paid",
                "hourly_rate": AGENCY_RATE if agency else rng.choice(PAID_RATES),
                "sleep_in_rate": None if agency else SLEEP_IN,
                "skills": skills,
                "max_hours": 48 if agency else rng.choice([24, 30, 37.5, 40]),
                "contracted_hours": 0 if agency else rng.choice([0, 16, 20]),
                "available": [{"days": _days(rng, 4, 6), "start": opens, "end": closes}],
            }
        )
    return checked(
        {
            "budget": "6000.00",
            "rules": {"min_shift_hours": 3, "max_shift_hours": 13},
            "people": people,
            "supporters": supporters,
        }
    )


def large_week(people: int, supporters: int, seed: int = 1) -> Week:
    """A week far larger than a house: the time limit must still hold (issue 8).

    Each person gets up, has lunch and tea and goes to bed, every day; the
    supporters are a mix of family (each for one person), community and paid
    staff, each available on a few days.
    """
    rng = random.Random(seed)
    names = [f"p{i + 1}" for i in range(people)]
    blocks = [
        _block(DAYS, 480, 540, "getting up", skills=["personal_care"]),
        _block(DAYS, 720, 780, "lunch", shareable=True),
        _block(DAYS, 1020, 1110, "tea", shareable=True),
        _block(DAYS, 1260, 1320, "bedtime", skills=["personal_care"]),
    ]
    crowd: list[dict[str, Any]] = []
    for i in range(supporters):
        kind = rng.choice(["family", "community", "paid", "paid"])
        opens, closes = PATTERNS[rng.choice(["early", "late", "long"])]
        supporter: dict[str, Any] = {
            "id": f"s{i + 1}",
            "kind": kind,
            "skills": ["personal_care"] if rng.random() < 0.7 else [],
            "available": [{"days": _days(rng, 2, 5), "start": opens, "end": closes}],
        }
        if kind == "family":
            supporter["people"] = [rng.choice(names)]
            supporter["max_hours"] = rng.choice([4, 8])
        if kind == "paid":
            supporter["hourly_rate"] = rng.choice(PAID_RATES)
            supporter["max_hours"] = rng.choice([16, 24, 37.5])
        crowd.append(supporter)
    return checked(
        {
            "budget": str(450 * people),
            "rules": {"min_shift_hours": 1},
            "people": [{"id": name, "blocks": blocks} for name in names],
            "supporters": crowd,
        }
    )


@dataclass(frozen=True)
class Figures:
    label: str
    status: str
    seconds: float
    gap: str
    paid_hours: Decimal
    cost: Decimal
    covered: Decimal
    unmet_essential: Decimal
    unmet_desirable: Decimal

    def line(self) -> str:
        return (
            f"  {self.label:<26} {self.status:<9} {self.seconds:6.2f} s  gap {self.gap:<8} "
            f"paid {self.paid_hours:>6} h  cost £{self.cost:>8}  "
            f"need met {self.covered:>6} h  essential unmet {self.unmet_essential} h  "
            f"desirable unmet {self.unmet_desirable} h"
        )


def greedy_figures(instance: Instance) -> tuple[Figures, Cover]:
    started = time.monotonic()
    cover = greedy_cover(instance)
    seconds = time.monotonic() - started
    weeks = accounts(instance, cover)
    unmet = {True: 0, False: 0}
    for key, k in instance.need_at.items():
        if key not in cover:
            unmet[instance.needs[k].essential] += 1
    figures = Figures(
        label="greedy",
        status="-",
        seconds=seconds,
        gap="-",
        paid_hours=instance.grid.hours(sum(len(a.busy) for a in weeks if a.helper.paid)),
        cost=to_pounds(sum(a.cost for a in weeks), instance.units_per_penny),
        covered=instance.grid.hours(len(cover)),
        unmet_essential=instance.grid.hours(unmet[True]),
        unmet_desirable=instance.grid.hours(unmet[False]),
    )
    return figures, cover


def solver_figures(week: Week, label: str, options: SolveOptions) -> tuple[Figures, RosterResult]:
    started = time.monotonic()
    result = plan_week(week, options)
    seconds = time.monotonic() - started
    unmet = {
        priority: sum((u.hours for u in result.unmet if u.priority == priority), Decimal(0))
        for priority in ("essential", "desirable")
    }
    figures = Figures(
        label=label,
        status=result.solver.status,
        seconds=seconds,
        gap=f"{result.solver.gap:.2%}",
        paid_hours=result.paid_hours,
        cost=result.total_cost,
        covered=sum((p.covered_hours for p in result.people), Decimal(0)),
        unmet_essential=unmet["essential"],
        unmet_desirable=unmet["desirable"],
    )
    return figures, result


def stage_line(result: RosterResult) -> str:
    """Each stage's value, best bound (and its source) and gap."""
    parts = [
        f"{s.name} {s.status} {s.value}/{s.bound} ({s.bound_source}) {s.gap:.2%}"
        for s in result.solver.stages
    ]
    after = result.solver.after_search
    return (
        "      stages: "
        + "; ".join(parts)
        + f"\n      after the search: filled {after.filled_hours} h, "
        + f"natural-first swaps {after.natural_first_swaps} (check {after.natural_first_check}), "
        + f"roster from {result.solver.roster_from}"
    )


def paid_hours_for_the_same_need(instance: Instance, cover: Cover, seconds: float) -> str:
    """CP-SAT's least paid hours when it must meet exactly the need the greedy roster meets."""
    model = RosterModel(instance)
    for key, covered in model.cover.items():
        model.model.add(covered == int(key in cover))
    solver = StagedSolver(model, SolveOptions(time_limit=seconds))
    solver.start_from(cover, seconds / 10)
    (stage,) = solver.run(["paid_hours"], seconds)
    hours = instance.grid.hours
    bound = "none" if stage.solver_bound is None else f"{hours(stage.solver_bound)} h"
    paid = "none found" if stage.status == "unsolved" else f"{hours(stage.value)} h"
    return (
        f"  cp-sat, the greedy's need   {stage.status:<9} {stage.seconds:6.2f} s  "
        f"paid {paid} (bound {bound})"
    )


@dataclass(frozen=True)
class GridRow:
    """One run of the grid: what issue 7 asks to measure, with the load beside it."""

    size: str
    seed: int
    limit: float
    load: str
    figures: Figures
    result: RosterResult
    greedy: Figures

    def line(self) -> str:
        paid = next(s for s in self.result.solver.stages if s.name == "paid_hours")
        gaps = " ".join(f"{s.gap:.1%}" for s in self.result.solver.stages)
        after = self.result.solver.after_search
        return (
            f"  {self.size} {self.seed:>4} {self.limit:>5g} {self.load:>11}  "
            f"{self.figures.unmet_essential:>5} {self.figures.unmet_desirable:>6}  "
            f"{self.figures.paid_hours:>6} {paid.bound:>6} {paid.bound_source:<13} "
            f"{paid.gap:>6.1%}  {after.natural_first_swaps:>5}  "
            f"{self.greedy.unmet_essential:>5} {self.greedy.unmet_desirable:>6} "
            f"{self.greedy.paid_hours:>6}  {gaps}"
        )


GRID_HEADER = (
    "  size seed limit load before→after  ess   des     paid  bound  source"
    "         gap    swaps  greedy: ess  des   paid  gap per stage ("
    + ", ".join(s.name for s in STAGES)
    + ")"
)


def _load() -> float:
    return os.getloadavg()[0]


def _seeds() -> list[int]:
    """ROSTER_BENCH_SEEDS as `1-5` or `1,3`; else ROSTER_BENCH_SEED; else 1."""
    spec = os.environ.get("ROSTER_BENCH_SEEDS") or os.environ.get("ROSTER_BENCH_SEED", "1")
    seeds: list[int] = []
    for part in spec.split(","):
        first, _, last = part.partition("-")
        seeds += range(int(first), int(last or first) + 1)
    return seeds


def _limits(default: list[float]) -> list[float]:
    spec = os.environ.get("ROSTER_BENCH_LIMITS")
    return [float(x) for x in spec.split(",")] if spec else default


def main() -> None:
    busy = [
        subprocess.Popen([sys.executable, "-c", "while True: pass"])
        for _ in range(int(os.environ.get("ROSTER_BENCH_BUSY", "0")))
    ]
    try:
        _grid(len(busy))
    finally:
        for process in busy:
            process.kill()
            process.wait()


def _grid(busy: int) -> None:
    print(f"CP-SAT {version('ortools')}, {os.cpu_count()} cores, {busy} busy processes beside")
    grid: list[GridRow] = []
    for seed in _seeds():
        print(f"seed {seed}")
        instances = [
            ("(a)", "(a) one person, 10 supporters", single_person_week(seed), _limits([10.0])),
            (
                "(b)",
                "(b) shared house, 6 people, 28 supporters",
                shared_house_week(seed),
                _limits([10.0, 60.0]),
            ),
        ]
        for size, title, week, limits in instances:
            instance = compile_week(week)
            print(f"{title}: {len(instance.needs)} blocks, {len(instance.need_at)} person-slots")
            greedy, cover = greedy_figures(instance)
            print(greedy.line(), flush=True)
            for limit in limits:
                before = _load()
                figures, result = solver_figures(
                    week, f"cp-sat, limit {limit:g} s", SolveOptions(time_limit=limit)
                )
                load = f"{before:.1f}→{_load():.1f}"
                print(f"{figures.line()}  load {load}", flush=True)
                print(stage_line(result), flush=True)
                grid.append(GridRow(size, seed, limit, load, figures, result, greedy))
            if os.environ.get("ROSTER_BENCH_SEEDS") is None:
                print(paid_hours_for_the_same_need(instance, cover, limits[0]), flush=True)
    print("grid (hours; gap of the paid_hours stage; swaps by the natural-first pass):")
    print(GRID_HEADER)
    for row in grid:
        print(row.line())


if __name__ == "__main__":
    main()
