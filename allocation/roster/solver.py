"""Solving the roster model lexicographically, one objective at a time.

Each stage minimises one objective with every earlier stage held at the value
it reached (`<=`, which is the same as `==` at an optimum and still sound when
a stage ran out of time), and starts from the last solution as a full hint.
The time limit is shared out among the stages still to run, so a stage that
finishes early leaves its time to the next.
"""

from __future__ import annotations

import math
import time
from dataclasses import asdict, dataclass

from ortools.sat.python import cp_model

from allocation.roster.bounds import lp_relaxation_bound
from allocation.roster.costing import Cover
from allocation.roster.model import RosterModel

STATUS = {
    cp_model.OPTIMAL: "optimal",
    cp_model.FEASIBLE: "feasible",
    cp_model.INFEASIBLE: "infeasible",
    cp_model.UNKNOWN: "unknown",
}


@dataclass(frozen=True)
class SolveOptions:
    """CP-SAT's parameters, set explicitly: the defaults prove little on 2 cores.

    The values are the ones benchmarks/roster_bench.py measured best on a
    2-core machine; `workers=1` with a fixed seed makes a run reproducible.
    """

    time_limit: float = 10.0
    workers: int = 2
    seed: int = 0
    linearization_level: int = 1
    symmetry_level: int = 2
    subsolvers: tuple[str, ...] = ("core", "default_lp")
    log: bool = False

    def parameters(self) -> dict[str, object]:
        return asdict(self)


@dataclass(frozen=True)
class Stage:
    name: str
    status: str
    value: int
    solver_bound: int
    lp_bound: int | None
    seconds: float


class StagedSolver:
    """Runs stages on one model, remembering the last solution between calls."""

    def __init__(self, roster_model: RosterModel, options: SolveOptions) -> None:
        self.roster_model = roster_model
        self.options = options
        self.solution: list[int] | None = None

    def hint(self, cover: Cover) -> None:
        """Start from a known roster (the greedy one): its support variables only."""
        values = {
            var.index: int(h in cover.get((p, t), ()))
            for (h, p, t), var in self.roster_model.x.items()
        }
        proto = self.roster_model.model.proto
        proto.clear_solution_hint()
        proto.solution_hint.vars.extend(list(values))
        proto.solution_hint.values.extend(list(values.values()))

    def run(self, names: list[str], seconds: float) -> list[Stage]:
        """Solve the named stages in order within `seconds` in all.

        A stage that finds no solution in its time ends the run: the stages
        returned are the ones solved, and the last solution stands.
        """
        deadline = time.monotonic() + seconds
        stages = []
        for i, name in enumerate(names):
            share = max(deadline - time.monotonic(), 0.0) / (len(names) - i)
            stage = self._stage(name, share)
            if stage is None:
                break
            stages.append(stage)
        return stages

    def _stage(self, name: str, seconds: float) -> Stage | None:
        objective = self.roster_model.objectives[name]
        model = self.roster_model.model
        if objective.fixed:
            return Stage(name, "optimal", objective.constant, objective.constant, None, 0.0)
        model.minimize(objective.expr)
        if self.solution is not None:
            proto = model.proto
            proto.clear_solution_hint()
            proto.solution_hint.vars.extend(range(len(self.solution)))
            proto.solution_hint.values.extend(self.solution)
        solver = cp_model.CpSolver()
        params = solver.parameters
        params.max_time_in_seconds = max(seconds, 0.01)
        params.num_workers = self.options.workers
        params.random_seed = self.options.seed
        params.linearization_level = self.options.linearization_level
        params.symmetry_level = self.options.symmetry_level
        params.subsolvers.extend(self.options.subsolvers)
        params.log_search_progress = self.options.log
        started = time.monotonic()
        code = solver.solve(model)
        status = STATUS.get(code)
        if status is None:
            raise RuntimeError(f"CP-SAT rejected the roster model: {solver.status_name(code)}")
        if status not in ("optimal", "feasible"):
            return None
        value = round(solver.objective_value)
        bound = math.ceil(solver.best_objective_bound - 1e-6)
        lp = None if status == "optimal" else lp_relaxation_bound(model.proto, seconds)
        self.solution = list(solver.response_proto.solution)
        model.add(objective.expr <= value)
        return Stage(name, status, value, bound, lp, time.monotonic() - started)

    def cover(self) -> Cover:
        """The roster in the last solution."""
        if self.solution is None:
            return {}
        chosen: dict[tuple[int, int], list[int]] = {}
        for (h, p, t), var in self.roster_model.x.items():
            if self.solution[var.index]:
                chosen.setdefault((p, t), []).append(h)
        return {key: tuple(sorted(helpers)) for key, helpers in sorted(chosen.items())}
