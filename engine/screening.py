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

from engine.decisions import CasePlan, decide
from engine.durable_compiler import compile_plan
from engine.durable_runner import process_runner
from engine.intake import Intake
from engine.loader import default_rulesets_root, dependency_order, load_rulesets
from engine.programmes import Ruleset
from engine.worker_pool import WorkerPool


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
        self._lock = threading.Lock()

    @classmethod
    def from_paths(
        cls, paths: Iterable[Path] | None = None, pool: WorkerPool | None = None
    ) -> Screener:
        """The shipped rulesets by jurisdiction, or exactly the folders named."""
        chosen = list(paths) if paths is not None else None
        rulesets = load_rulesets(chosen or [default_rulesets_root()])
        return cls(rulesets, pool, by_jurisdiction=chosen is None or _is_root(chosen))

    def applicable(self, intake: Intake) -> tuple[Ruleset, ...]:
        if not self.by_jurisdiction:
            return self.rulesets
        residence = intake.person.lives_in
        return tuple(
            r
            for r in self.rulesets
            if r.country == residence.country.value
            and (r.region is None or (residence.region or "").lower() == r.region.lower())
        )

    def plan(self, rulesets: Sequence[Ruleset], as_of: date) -> CasePlan:
        programmes = dependency_order([p for r in rulesets for p in r.programmes])
        snapshot = tuple(
            (p.id, name, parameter.at(as_of).starts)
            for p in programmes
            for name, parameter in sorted(p.parameters.items())
        )
        key = (tuple(r.hash for r in rulesets), snapshot, as_of)
        with self._lock:
            if key not in self._plans:
                durable = self._durable_for(rulesets, snapshot, programmes, as_of)
                self._plans[key] = CasePlan(tuple(rulesets), tuple(programmes), durable, as_of)
            return self._plans[key]

    def _durable_for(self, rulesets: Sequence[Ruleset], snapshot: Any, programmes: Any, as_of: date) -> Any:
        """One compiled durable-rules ruleset per snapshot, shared by every date in it."""
        for (hashes, other, _), plan in self._plans.items():
            if hashes == tuple(r.hash for r in rulesets) and other == snapshot:
                return plan.durable
        return compile_plan(programmes, as_of)

    def check(self, intake: Intake, as_of: date | None = None) -> dict[str, Any]:
        """The Decision JSON for one intake; CaseError if the engine failed on it."""
        plan = self.plan(self.applicable(intake), as_of or date.today())
        if self.pool is not None:
            return self.pool.decide(plan, intake)
        return decide(plan, intake, process_runner())


def _is_root(paths: Sequence[Path]) -> bool:
    """A folder of ruleset folders is screened by jurisdiction; a ruleset folder is not."""
    return all(not (path / "ruleset.yaml").is_file() for path in paths)
