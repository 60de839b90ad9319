"""The staged solver's own behaviour, beyond the rosters it finds."""

from __future__ import annotations

from allocation.roster.greedy import greedy_cover
from allocation.roster.instance import compile_week
from allocation.roster.model import RosterModel
from allocation.roster.solver import StagedSolver
from tests.roster.conftest import ONE_WORKER, block, paid, week


def test_a_stage_that_adds_variables_starts_from_a_whole_solution() -> None:
    # Continuity's pairs are built at its stage, after the last solution was found.
    blocks = [block(day, "09:00", "12:00") for day in ("mon", "tue", "wed")]
    instance = compile_week(week(blocks, [paid("sam"), paid("kim", "13.00")]))
    solver = StagedSolver(RosterModel(instance), ONE_WORKER)
    assert solver.start_from(greedy_cover(instance), 1)
    solver.run(["essential", "desirable", "paid_hours"], 2)
    (continuity,) = solver.run(["continuity"], 2)
    proto = solver.roster_model.model.proto
    assert continuity.status == "solved"
    assert sorted(proto.solution_hint.vars) == list(range(len(proto.variables)))
