"""Screening: one intake against every programme of the rulesets that apply.

The entry point for the command line, the API and the tests. Plans are
compiled once per ruleset selection and parameter snapshot, then cached;
cases run in this process or, with a WorkerPool, in workers that contain
durable-rules' crashes.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable, Sequence
from datetime import date
from pathlib import Path
from typing import Any

from engine.decision_model import Decision
from engine.decisions import CasePlan, decide
from engine.durable_compiler import Plan, compile_plan
from engine.durable_runner import EngineError, process_runner
from engine.intake import Intake
from engine.loader import (
    default_rulesets_root,
    dependency_order,
    load_rulesets,
    selection_problems,
)
from engine.programmes import Ruleset
from engine.sourcefiles import InputError
from engine.worker_pool import CaseError, WorkerPool


class Screener:
    def __init__(
        self,
        rulesets: Sequence[Ruleset],
        pool: WorkerPool | None = None,
        by_jurisdiction: bool = True,
    ) -> None:
        """`by_jurisdiction=False` screens every intake against every ruleset given."""
        self.rulesets = tuple(rulesets)
        self.pool = pool
        self.by_jurisdiction = by_jurisdiction
        self._plans: dict[tuple[Any, ...], CasePlan] = {}
        self._durable: dict[tuple[Any, ...], Plan] = {}
        self._lock = threading.Lock()

    @classmethod
    def from_paths(
        cls, paths: Iterable[Path] | None = None, pool: WorkerPool | None = None
    ) -> Screener:
        """The shipped rulesets by jurisdiction, or exactly the folders named."""
        chosen = list(paths) if paths is not None else None
        rulesets = load_rulesets(chosen or [default_rulesets_root()])
        by_jurisdiction = chosen is None or _is_root(chosen)
        if not by_jurisdiction:  # every ruleset named is compiled into one
            problems = selection_problems(rulesets, together=True)
            if problems:
                raise InputError(problems)
        return cls(rulesets, pool, by_jurisdiction=by_jurisdiction)

    def applicable(self, intake: Intake) -> tuple[Ruleset, ...]:
        if not self.by_jurisdiction:
            return self.rulesets
        return tuple(r for r in self.rulesets if r.serves(intake))

    def outside_jurisdiction(self, intake: Intake) -> tuple[Ruleset, ...]:
        """Rulesets screened although they do not serve where the person lives
        (`--rulesets` naming a ruleset folder): worth a warning, not an error."""
        if self.by_jurisdiction:
            return ()
        return tuple(r for r in self.rulesets if not r.serves(intake))

    def plan(self, rulesets: Sequence[Ruleset], as_of: date) -> CasePlan:
        """Cached per selection and date; the compiled durable-rules ruleset is shared by
        every date with the same parameter values."""
        hashes = tuple(r.hash for r in rulesets)
        with self._lock:
            if (hashes, as_of) not in self._plans:
                programmes = tuple(dependency_order([p for r in rulesets for p in r.programmes]))
                snapshot = tuple(
                    (p.id, name, parameter.at(as_of).starts)
                    for p in programmes
                    for name, parameter in sorted(p.parameters.items())
                )
                if (hashes, snapshot) not in self._durable:
                    self._durable[(hashes, snapshot)] = compile_plan(programmes, as_of)
                durable = self._durable[(hashes, snapshot)]
                self._plans[(hashes, as_of)] = CasePlan(tuple(rulesets), programmes, durable, as_of)
            return self._plans[(hashes, as_of)]

    def check(self, intake: Intake, as_of: date | None = None) -> Decision:
        """The Decision for one intake; CaseError if the engine failed on it."""
        (answer,) = self.check_many([intake], as_of)
        if isinstance(answer, CaseError):
            raise answer
        return answer

    def check_many(
        self, intakes: Sequence[Intake], as_of: date | None = None
    ) -> list[Decision | CaseError]:
        """Decisions in input order; a case the engine failed on is its CaseError."""
        on = as_of or date.today()
        plans = [self.plan(self.applicable(intake), on) for intake in intakes]
        answers: list[Decision | CaseError] = [CaseError("not decided")] * len(intakes)
        groups: dict[int, list[int]] = {}
        for index, plan in enumerate(plans):
            groups.setdefault(id(plan), []).append(index)
        for indexes in groups.values():
            plan = plans[indexes[0]]
            batch = [intakes[i] for i in indexes]
            for index, answer in zip(indexes, self._decide(plan, batch), strict=True):
                answers[index] = answer
        return answers

    def _decide(self, plan: CasePlan, intakes: list[Intake]) -> list[Decision | CaseError]:
        if self.pool is not None:
            return self.pool.decide_many(plan, intakes)
        answers: list[Decision | CaseError] = []
        for intake in intakes:
            try:
                answers.append(decide(plan, intake, process_runner()))
            except EngineError as error:
                answers.append(CaseError(str(error)))
        return answers


def _is_root(paths: Sequence[Path]) -> bool:
    """A folder of ruleset folders is screened by jurisdiction; a ruleset folder is not."""
    return all(not (path / "ruleset.yaml").is_file() for path in paths)
