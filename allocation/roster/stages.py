"""The roster's stages: one ordered table, read by the model, the solver and the report.

Each stage minimises one objective with every earlier stage held at the value
it reached. Order (issue 4): essential need, desirable need, paid hours
(natural supports first), the person's choices, continuity, cost, and,
since it can cost nothing, fewest visits. `share` is a stage's weight when
the time limit is shared out (measured with benchmarks/roster_bench.py:
covering need and paid hours are where more time still buys better rosters).
`floor_first`: the stage first asks for its counting floor as a feasibility
search, which for essential need found a roster meeting all of it in
0.2-2 s on the shared house where minimising stalled at 19-25 h unmet;
when the minimisation after it ends unproven, the work-bounded repair of
repair.py follows, within the stage (its `repair_seconds`).
Essential need is solved first with most of the time (plan.py), so that on
a busy machine its feasibility search still has it; it ends as soon as it
finds the roster, and what it leaves goes to the later stages.
`lp_search`: on a model small enough for an LP (solver.LP_MAX_CONSTRAINTS),
the stage searches on one worker with CP-SAT's LP and cuts at every node
(linearization level 2) and presolve. Measured on the shipped shared house
(load average 7-10): paid hours proven optimal at 206 h in 3.3-3.8 s, where
the two-worker default ended 10 s at the same roster with a bound of 180.5 h;
on the benchmark house (b) (37,000 constraints) it did not improve on the
start, so only small models have it. Cost has it too: on the shared house
at 20 s (load 3-3.5) its gap was 7.4 %, 1.4 % and 32.5 % (the last with 1.5 s
less time), against 18-21 % in four runs without; on choices, continuity
and the visits it found worse rosters.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Unit = Literal["hours", "pounds", "count"]


@dataclass(frozen=True)
class StageSpec:
    name: str
    objective: str
    unit: str
    measure: Unit
    share: int
    floor_first: bool = False
    coverage: bool = False
    lp_search: bool = False


STAGES: tuple[StageSpec, ...] = (
    StageSpec(
        "essential",
        "essential need left unmet, weighted",
        "weighted hours unmet",
        "hours",
        share=12,
        floor_first=True,
        coverage=True,
    ),
    StageSpec(
        "desirable",
        "desirable need left unmet, weighted",
        "weighted hours unmet",
        "hours",
        share=2,
        coverage=True,
    ),
    StageSpec(
        "paid_hours",
        "hours worked by paid staff",
        "paid staff hours",
        "hours",
        share=2,
        lp_search=True,
    ),
    StageSpec(
        "choices",
        "supporter-hours not with a preferred supporter",
        "supporter-hours not with a preferred supporter",
        "hours",
        share=1,
    ),
    StageSpec(
        "continuity",
        "different paid staff per person, summed",
        "paid staff per person, summed",
        "count",
        share=1,
    ),
    StageSpec("cost", "the week's cost", "GBP", "pounds", share=2, lp_search=True),
    StageSpec(
        "handovers",
        "visits: unbroken stretches of one supporter with one person",
        "visits (unbroken stretches of one supporter with one person)",
        "count",
        share=1,
    ),
)

BY_NAME = {stage.name: stage for stage in STAGES}
NAMES = tuple(stage.name for stage in STAGES)
COVERAGE = tuple(stage.name for stage in STAGES if stage.coverage)
PREFERENCES = tuple(stage.name for stage in STAGES if not stage.coverage)


def shares(names: tuple[str, ...] | list[str]) -> int:
    """The stages' weights added up."""
    return sum(BY_NAME[name].share for name in names)
