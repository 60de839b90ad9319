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
from typing import Literal

from ortools.sat.python import cp_model

from allocation.roster.bounds import counting_floor, lp_relaxation_bound
from allocation.roster.model import RosterModel
from allocation.roster.repair import repair_essential
from allocation.roster.stages import BY_NAME, shares
from allocation.roster.week_costs import Cover

# The feasibility try also stops at this much deterministic time (CP-SAT's
# load-independent measure of work): three times what it took to meet all
# of the shipped shared house's essential need (0.43-0.46), so on an idle
# machine a floor out of reach leaves its time to the minimisation. The try is
# bounded by this work alone, not by the clock: with one worker CP-SAT is then
# deterministic, so whether essential need is all met does not depend on how
# busy the machine is. On a busy machine the roster may take longer than its
# time limit by the wall time this work takes there (about 0.5-1.5 s of CPU).
FLOOR_DETERMINISTIC = 1.5
# A safety net only: the work bound above ends the try long before this. On a
# model of part of a huge week (scope.py), or over PRESOLVE_MAX_CONSTRAINTS,
# the stage's time bounds the try as well, so that the time limit holds (issue
# 8: 12 s for the work bound alone on a cut week of 50 people at load 7): the
# greedy roster and the passes stand for what it cannot reach in that time.
FLOOR_WALL_CAP = 300.0
EXTEND_SHARE = 0.2  # at most, of a stage's time, to extend the last solution to its new variables
SEARCH_SHARE = 0.8  # of a stage's time for the search; the rest for an LP bound if unproven
MIN_LP_SECONDS = 0.2
MIN_STAGE_SECONDS = 0.05
# Presolve of a week with 1,000 supporters (100k constraints) overran a 1 s
# limit by a second: above this size the floor-first search goes without it.
PRESOLVE_MAX_CONSTRAINTS = 50_000
# CP-SAT loads a model before it looks at the clock: on that same week about
# a second per 100k constraints on a busy machine, taken off each solve's time.
LOAD_SECONDS_PER_CONSTRAINT = 1e-5
# GLOP gave bounds on the example house (13k constraints) within a stage's
# time, and none in 30 s on the benchmark house (b) (37k): above this size the
# LP's share of the time goes to the search instead.
LP_MAX_CONSTRAINTS = 20_000


@dataclass(frozen=True)
class SolveOptions:
    """CP-SAT's parameters, set explicitly: the defaults prove little on 2 cores.

    Measured with benchmarks/roster_bench.py on 2 cores: with 2 workers CP-SAT
    runs one full search (LP-based) beside its LNS helpers, which suits the
    later stages but cannot prove the coverage stages, whose objectives are
    weighted sums of booleans: those get a core-based search (max-SAT style)
    beside the LP one (`coverage_subsolvers`; `optimize_with_core` when there
    is one worker). Presolve is off: every stage would presolve the whole
    model again, which on the shared house (b) took each stage's time before
    the search began, and off it the single-person week (a) solves twice as
    fast. linearization_level 2 and symmetry_level changes made no measurable
    difference, so they stay at 1 and 2, stated here. `workers=1` with a fixed
    seed makes a run reproducible.
    """

    time_limit: float = 10.0
    workers: int = 2
    seed: int = 0
    linearization_level: int = 1
    symmetry_level: int = 2
    coverage_subsolvers: tuple[str, ...] = ("core", "default_lp")
    presolve: bool = False
    log: bool = False

    def parameters(self) -> dict[str, object]:
        return asdict(self)


Status = Literal["solved", "improved", "unsolved"]


@dataclass(frozen=True)
class Stage:
    """What one stage reached: `solved` (proven), `improved` (a solution, unproven),
    or `unsolved` (nothing found in its time; held at the value it had)."""

    name: str
    status: Status
    value: int
    solver_bound: int | None
    lp_bound: int | None
    seconds: float
    shift_bound: int | None = None  # the shift-cover relaxation's (shift_cover.py), set by plan.py
    repair_seconds: float | None = None  # of `seconds`, the repair's (repair.py), when it ran


class StagedSolver:
    """Runs stages on one model, remembering the last solution between calls.

    `whole_week=False`: the model holds a cut of a huge week (scope.py).
    """

    def __init__(
        self, roster_model: RosterModel, options: SolveOptions, whole_week: bool = True
    ) -> None:
        self.roster_model = roster_model
        self.options = options
        self.whole_week = whole_week
        self.solution: list[int] | None = None

    def start_from(self, cover: Cover, seconds: float) -> bool:
        """Start from a known roster (the greedy one), completed to every variable.

        The roster fixes the support variables; a feasibility solve of a copy
        fills in the rest (busy, rests, sessions...), so the first stage has a
        whole solution to start from. False when the roster does not fit the
        model (then only the support variables are hinted). `seconds` are for
        the solve, besides CP-SAT's loading of the model: on a week of 50 people
        cut to 40,000 choices (49,000 constraints) the loading estimate took all
        of a 0.5 s start, and the fill-in, done in 0.47 s given 2 s, found nothing.
        """
        values = {
            var.index: int(h in cover.get((p, t), ()))
            for (h, p, t), var in self.roster_model.x.items()
        }
        solution = self._fill_in(values, seconds + self._loading())
        if solution is not None:
            self.solution = solution
            return True
        proto = self.roster_model.model.proto
        proto.clear_solution_hint()
        proto.solution_hint.vars.extend(list(values))
        proto.solution_hint.values.extend(list(values.values()))
        return False

    def _fill_in(self, values: dict[int, int], seconds: float) -> list[int] | None:
        """A whole solution with these variables fixed, by a feasibility solve of a copy."""
        copy = self.roster_model.model.clone()
        copy.proto.clear_objective()
        for index, value in values.items():
            domain = copy.proto.variables[index].domain
            domain.clear()
            domain.extend([value, value])
        solver = self._solver(max(seconds, 0.01))
        if solver.solve(copy) in (cp_model.OPTIMAL, cp_model.FEASIBLE):
            return list(solver.response_proto.solution)
        return None

    def _extend(self, seconds: float) -> None:
        """Extend the last solution to the variables a stage has added.

        Continuity's pairs and the visits follow from the roster, so fixing it
        finds them at once; on the shared house (b) at 10 s the stages that
        started from a partial hint often found nothing in their time.
        """
        if self.solution is None:
            return
        if len(self.solution) < len(self.roster_model.model.proto.variables):
            solution = self._fill_in(dict(enumerate(self.solution)), seconds)
            if solution is not None:
                self.solution = solution

    def _loading(self) -> float:
        """CP-SAT's expected time to load the model before it looks at the clock."""
        return len(self.roster_model.model.proto.constraints) * LOAD_SECONDS_PER_CONSTRAINT

    def _solver(self, seconds: float) -> cp_model.CpSolver:
        solver = cp_model.CpSolver()
        params = solver.parameters
        params.max_time_in_seconds = max(seconds - self._loading(), 0.01)
        params.num_workers = self.options.workers
        params.random_seed = self.options.seed
        params.linearization_level = self.options.linearization_level
        params.symmetry_level = self.options.symmetry_level
        params.cp_model_presolve = self.options.presolve
        params.log_search_progress = self.options.log
        return solver

    def run(self, names: list[str], seconds: float) -> list[Stage]:
        """Solve the named stages in order within `seconds` in all, shared by their weights.

        A stage that finds no solution in its time (a large week can spend it
        all in presolve) is held at the value the last solution gives it, so
        the later stages still cannot trade it away, and reported unsolved.
        """
        deadline = time.monotonic() + seconds
        stages = []
        for i, name in enumerate(names):
            share = max(deadline - time.monotonic(), 0.0) * BY_NAME[name].share
            seconds = share / shares(names[i:])
            # A whole week's floor-first search is bounded by its work, not the clock:
            # it runs however little time is left (issue 7's guarantee).
            by_work = BY_NAME[name].floor_first and self.whole_week
            if seconds < MIN_STAGE_SECONDS and not by_work:
                # Too little time to load the model, let alone search: keep the limit,
                # and build no objective that is not built yet (the visits take a while).
                built = name in self.roster_model.objectives
                value = self._value_now(name) if built else None
                stage = Stage(name, "unsolved", value or 0, None, None, 0.0)
                if built and value is not None:
                    self.roster_model.model.add(self.roster_model.objective(name).expr <= value)
                stages.append(stage)
                continue
            stage = self._stage(name, seconds)
            if stage.status == "unsolved" and self.solution is not None:
                self._hold(name)
            stages.append(stage)
        return stages

    def _hold(self, name: str) -> None:
        """Keep an unsolved stage's objective at its value in the last solution."""
        value = self._value_now(name)
        if value is not None:
            self.roster_model.model.add(self.roster_model.objective(name).expr <= value)

    def _value_now(self, name: str) -> int | None:
        """The stage's objective in the last solution; None when it has none yet."""
        objective = self.roster_model.objective(name)
        if self.solution is None:
            return None
        scratch = cp_model.CpModel()
        scratch.minimize(objective.expr)
        goal = scratch.proto.objective
        if any(v >= len(self.solution) for v in goal.vars):
            return None  # built after the last solution (the visits)
        total = goal.offset + sum(
            c * self.solution[v] for v, c in zip(goal.vars, goal.coeffs, strict=True)
        )
        return round(total)

    def _hint(self, model: cp_model.CpModel) -> None:
        if self.solution is not None:
            model.proto.clear_solution_hint()
            model.proto.solution_hint.vars.extend(range(len(self.solution)))
            model.proto.solution_hint.values.extend(self.solution)

    def _at_floor(self, name: str, seconds: float) -> Stage | None:
        """The stage at its counting floor, if a feasibility search finds it within its work.

        Fixing the objective at its floor lets propagation do the work that
        the minimisation leaves to search; it only helps when the floor is
        usually reachable, as it is for essential need.
        """
        objective = self.roster_model.objective(name)
        floor = counting_floor(self.roster_model.instance, name, {})
        copy = self.roster_model.model.clone()
        copy.proto.clear_objective()
        copy.add(objective.expr <= floor)
        self._hint(copy)
        started = time.monotonic()
        small = len(copy.proto.constraints) <= PRESOLVE_MAX_CONSTRAINTS
        solver = self._solver(FLOOR_WALL_CAP if small and self.whole_week else seconds)
        # The floor fixes every coverable slot's cover, which presolve then
        # propagates through the model once: on the shipped shared house one
        # worker with presolve found the roster in 0.43-0.46 deterministic
        # seconds, against 0.9-1.4 without it and 0.9-1.0 with two workers.
        solver.parameters.cp_model_presolve = small
        solver.parameters.num_workers = 1
        solver.parameters.max_deterministic_time = FLOOR_DETERMINISTIC
        if solver.solve(copy) not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
            return None
        self.solution = list(solver.response_proto.solution)
        self.roster_model.model.add(objective.expr <= floor)
        return Stage(name, "solved", floor, floor, None, time.monotonic() - started)

    def _stage(self, name: str, seconds: float) -> Stage:
        objective = self.roster_model.objective(name)
        model = self.roster_model.model
        if objective.fixed:
            return Stage(name, "solved", objective.constant, objective.constant, None, 0.0)
        started = time.monotonic()
        if BY_NAME[name].floor_first:
            found = self._at_floor(name, seconds)
            if found is not None:
                return found
        self._extend((seconds - (time.monotonic() - started)) * EXTEND_SHARE)
        before = self._value_now(name)
        model.minimize(objective.expr)
        self._hint(model)
        small = len(model.proto.constraints) <= LP_MAX_CONSTRAINTS
        left = seconds - (time.monotonic() - started)
        solver = self._solver(max(left * (SEARCH_SHARE if small else 1.0), 0.01))
        params = solver.parameters
        if BY_NAME[name].lp_search and small:
            params.num_workers = 1
            params.linearization_level = 2
            params.cp_model_presolve = True
        if BY_NAME[name].coverage:
            if self.options.workers == 1:
                params.optimize_with_core = True
            else:
                params.subsolvers.extend(self.options.coverage_subsolvers)
        code = solver.solve(model)
        if code == cp_model.MODEL_INVALID:
            raise RuntimeError(f"CP-SAT rejected the roster model: {solver.status_name(code)}")
        if code not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
            held = before if before is not None else objective.constant
            if before is None or not self._repairs(name):
                return Stage(name, "unsolved", held, None, None, time.monotonic() - started)
            # The search found nothing in its time (a busy machine): repair the start.
            value, proven, seconds_repairing = self._repair(name, before, 0)
            held_status: Status = "solved" if proven else "improved"
            if value == before and not proven:
                held_status = "unsolved"  # run() holds it at its value
            else:
                model.add(objective.expr <= value)
            elapsed = time.monotonic() - started
            return Stage(
                name, held_status, value, None, None, elapsed, repair_seconds=seconds_repairing
            )
        value = round(solver.objective_value)
        bound = math.ceil(solver.best_objective_bound - 1e-6)
        if before is not None and before < value:
            # Never worse than the roster the stage started from.
            value = before
        else:
            self.solution = list(solver.response_proto.solution)
        lp_seconds = seconds - (time.monotonic() - started)
        lp = None
        proven = code == cp_model.OPTIMAL or bound >= value
        if not proven and small and lp_seconds >= MIN_LP_SECONDS:
            lp = lp_relaxation_bound(model.proto, lp_seconds)
        if lp is not None and lp >= value:
            proven = True
        repair_seconds: float | None = None
        if not proven and self._repairs(name):
            value, proven, repair_seconds = self._repair(name, value, max(bound, lp or 0))
        model.add(objective.expr <= value)
        status: Status = "solved" if proven else "improved"
        elapsed = time.monotonic() - started
        return Stage(name, status, value, bound, lp, elapsed, repair_seconds=repair_seconds)

    def _repairs(self, name: str) -> bool:
        """Whether an unproven stage gets the repair: essential need, on a whole week.

        Not on a cut week (scope.py), nor over PRESOLVE_MAX_CONSTRAINTS, where
        the floor search is bounded by the clock too: the deadline holds there
        (issue 8), and the greedy roster and the passes stand for what is left.
        """
        small = len(self.roster_model.model.proto.constraints) <= PRESOLVE_MAX_CONSTRAINTS
        return BY_NAME[name].floor_first and self.whole_week and small and self.solution is not None

    def _repair(self, name: str, value: int, bound: int) -> tuple[int, bool, float]:
        """The value after the repair (repair.py), whether it is proven, and its seconds.

        Bounded by work, not the clock, so that the need met does not depend
        on how busy the machine is; the solution is kept only when it meets more.
        """
        started = time.monotonic()
        floor = max(bound, counting_floor(self.roster_model.instance, name, {}))
        assert self.solution is not None
        repaired = repair_essential(self.roster_model, self.solution, self.options.seed, floor)
        if repaired.value < value:
            self.solution, value = repaired.solution, repaired.value
        return value, value <= floor, time.monotonic() - started

    def cover(self) -> Cover:
        """The roster in the last solution."""
        if self.solution is None:
            return {}
        chosen: dict[tuple[int, int], list[int]] = {}
        for (h, p, t), var in self.roster_model.x.items():
            if self.solution[var.index]:
                chosen.setdefault((p, t), []).append(h)
        return {key: tuple(sorted(helpers)) for key, helpers in sorted(chosen.items())}
