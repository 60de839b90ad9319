"""The rules engine, the budget methods and the roster solver as the server runs them.

Loaded once per server: the rulesets, their compiled plans and a pool of
rules-engine processes are shared by every request (the pool is thread-safe).
"""

from __future__ import annotations

import tempfile
from collections.abc import Iterable
from datetime import date
from pathlib import Path

from allocation.budgets.allocation_model import Allocation
from allocation.budgets.allocator import Allocator
from allocation.budgets.methods import Methods, load_all_methods
from allocation.budgets.requests import AllocationRequest, LoadedRequest
from allocation.roster.output import RosterResult
from allocation.roster.plan import plan_week
from allocation.roster.solver import SolveOptions
from allocation.roster.week import Week
from allocation.roster.week_file import week_problems
from api.jsontext import dumps
from api.storage import ruleset_store
from api.storage.database import Database
from engine.decision_model import Decision, RulesetStamp
from engine.intake import Intake
from engine.loader import default_rulesets_root, load_rulesets
from engine.programmes import Ruleset
from engine.screening import Screener
from engine.sourcefiles import Document, InputError, Problem, dotted
from engine.worker_pool import WorkerPool


class Engines:
    """The rules as loaded now; `reloaded()` reads the folders again into a new one
    that shares the rules-engine processes (their compiled plans are keyed by hash)."""

    def __init__(self, rulesets: tuple[Path, ...] | None, pool: WorkerPool) -> None:
        self.folders = rulesets
        self.paths = list(rulesets) if rulesets else [default_rulesets_root()]
        self.pool = pool
        self.screener = Screener.from_paths(rulesets, pool=pool)
        self.methods: list[Methods] = load_all_methods(self.paths)
        self.allocator = Allocator(self.methods, self.screener)

    def reloaded(self) -> Engines:
        """InputError, with every problem of every file, if the folders do not load."""
        return Engines(self.folders, self.pool)

    @property
    def rulesets(self) -> tuple[Ruleset, ...]:
        return self.screener.rulesets

    def keep_rulesets(self, db: Database) -> None:
        """Store the text of every ruleset folder this server decides with."""
        with db.write() as session:
            for ruleset in self.rulesets:
                ruleset_store.keep(session, ruleset)

    def decide(self, intake: Intake, as_of: date) -> Decision:
        """InputError for a date the rules have no values for, CaseError when the
        rules engine failed on the case."""
        return self.screener.check(intake, as_of)

    def allocate(
        self, request: AllocationRequest, as_of: date, at: tuple[str | int, ...] = ()
    ) -> Allocation:
        """One person's indicative budgets. The request holds its intake; files
        cannot be named over HTTP (no input may name a file outside its folder)."""
        named = [name for name in ("intake_file", "house") if getattr(request, name) is not None]
        if named:
            raise InputError(
                [
                    Problem("request", None, dotted((*at, n)), "files cannot be named here")
                    for n in named
                ]
            )
        assert request.intake is not None
        document = Document("request", request.model_dump(mode="json"))
        loaded = LoadedRequest(document, request, request.intake, Path("."))
        try:
            return self.allocator.allocate(loaded, as_of)
        except InputError as error:
            raise InputError([_within(p, at) for p in error.problems]) from None


def _within(problem: Problem, at: tuple[str | int, ...]) -> Problem:
    field = ".".join(part for part in (dotted(at), problem.field) if part)
    return Problem(problem.file, None, field, problem.reason)


def check_week(week: Week, at: tuple[str | int, ...] = ()) -> None:
    """The whole-week checks of a WEEK file (overlaps, names, slot grid), by field."""
    found = week_problems(week)
    if found:
        raise InputError(
            [Problem("week", None, dotted((*at, *location)), reason) for location, reason in found]
        )


def roster(week: Week, time_limit: float) -> RosterResult:
    """One solve, reproducible: one CP-SAT worker and a fixed seed."""
    return plan_week(week, SolveOptions(time_limit=time_limit, workers=1))


def stored_rulesets(db: Database, hashes: Iterable[str]) -> list[Ruleset]:
    """Rulesets loaded from their stored text, as they were when a record used them."""
    with tempfile.TemporaryDirectory(prefix="justenough-stored-") as folder:
        with db.read() as session:
            folders = [ruleset_store.write_folder(session, h, Path(folder)) for h in hashes]
        return load_rulesets(folders)


def rerun_decision(
    db: Database, used: tuple[RulesetStamp, ...], intake: Intake, as_of: date
) -> str:
    """A stored decision made again from the stored text of the rulesets it used."""
    rulesets = stored_rulesets(db, [s.hash for s in used])
    with WorkerPool(workers=1) as pool:
        screener = Screener(rulesets, pool, by_jurisdiction=False)
        return dumps(screener.check(intake, as_of))
