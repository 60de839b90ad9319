"""Budgets and charges in a diff, for the people whose rows carry what the methods need.

The allocation methods (rulesets/*/allocation-*.yaml) need a person's RAS
questionnaire answers and support plan, which an intake does not hold. A
population row may carry them in the optional `allocation` column: the
allocation request less the intake, as JSON text
(`{"questionnaire": {...}, "support_plan": [...]}`; no house file, since a
row has no folder). For those rows each version's budgets by method and
weekly charge are made by the same `Allocator` as `justenough allocate`
(gated by the rules engine on that version's rules); the others are counted
as unanswered, never guessed. Figures are exact: whole pence in the tables,
Decimal totals.
"""

from __future__ import annotations

import json
import tempfile
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING

import polars as pl
from pydantic import Field, ValidationError

from allocation.budgets.allocation_model import Allocation
from allocation.budgets.allocator import METHODS, Allocator
from allocation.budgets.methods import load_all_methods
from allocation.budgets.requests import AllocationRequest, LoadedRequest, PlanLine
from engine.bulk_schema import to_intakes
from engine.common import Money, Strict
from engine.ruleset_files import Identifier
from engine.screening import Screener
from engine.sourcefiles import Document, InputError, Problem
from scenarios.changes import parameter_changes
from scenarios.population_files import ALLOCATION
from scenarios.refs import materialise

if TYPE_CHECKING:
    from scenarios.diff import DiffTask

CHARGE = "charge"
MEASURES = (*METHODS, CHARGE)
PENCE = 100
SCHEMA = {
    "id": pl.String,
    "measure": pl.String,
    "before": pl.Int64,  # the weekly budget (or charge) in pence; null when none
    "after": pl.Int64,
    "net_before": pl.Int64,  # what the council funds of it a week, in pence
    "net_after": pl.Int64,
}


class RowRequest(Strict):
    """What a population row carries for the methods: a request less the intake and files."""

    questionnaire: dict[Identifier, Identifier] | None = None
    support_plan: list[PlanLine] | None = None
    personal_control_weekly: Money | None = Field(default=None)


@dataclass
class VersionAllocators:
    base: Allocator
    candidate: Allocator
    folders: list[tempfile.TemporaryDirectory[str]]  # kept while the allocators live


_ALLOCATORS: dict[tuple[object, ...], VersionAllocators] = {}


def _allocator(files: dict[str, str]) -> tuple[Allocator, tempfile.TemporaryDirectory[str]]:
    temp = tempfile.TemporaryDirectory(prefix="justenough-rules-")
    folder = materialise(files, Path(temp.name))
    return Allocator(load_all_methods([folder]), Screener.from_paths([folder])), temp


def allocators_for(task: DiffTask) -> VersionAllocators:
    """Each version's methods and screener, once per process (as the bulk plans are)."""
    key = task.key()
    if key not in _ALLOCATORS:
        base, base_folder = _allocator(task.base_files)
        candidate, candidate_folder = _allocator(task.candidate_files)
        _ALLOCATORS[key] = VersionAllocators(base, candidate, [base_folder, candidate_folder])
    return _ALLOCATORS[key]


def empty() -> pl.DataFrame:
    return pl.DataFrame(schema=SCHEMA)


def chunk_budgets(task: DiffTask, people: pl.DataFrame) -> tuple[pl.DataFrame, int]:
    """Per person with answers and measure: weekly figures in pence under both versions;
    and how many people of the chunk carry no answers."""
    if ALLOCATION not in people.columns:
        return empty(), people.height
    answered = people.filter(pl.col(ALLOCATION).is_not_null())
    unanswered = people.height - answered.height
    if answered.is_empty():
        return empty(), unanswered
    requests = _requests(answered)
    allocators = allocators_for(task)
    before = allocators.base.allocate_all(requests, task.as_of)
    after = allocators.candidate.allocate_all(requests, task.as_of)
    rows = [
        {
            "id": request.person,
            "measure": measure,
            "before": _pence(_figure(old, measure, "weekly")),
            "after": _pence(_figure(new, measure, "weekly")),
            "net_before": _pence(_figure(old, measure, "net_funded")),
            "net_after": _pence(_figure(new, measure, "net_funded")),
        }
        for request, old, new in zip(requests, before, after, strict=True)
        for measure in MEASURES
    ]
    return pl.DataFrame(rows, schema=SCHEMA), unanswered


def _requests(answered: pl.DataFrame) -> list[LoadedRequest]:
    intakes = to_intakes(answered.drop(ALLOCATION))
    loaded, problems = [], []
    for intake, row_id, text in zip(intakes, answered["id"], answered[ALLOCATION], strict=True):
        where = f"population row {row_id}"
        try:
            given = RowRequest.model_validate(json.loads(text))
        except json.JSONDecodeError as error:
            problems.append(Problem(where, None, ALLOCATION, f"not JSON: {error.msg}"))
            continue
        except ValidationError as error:
            doc = Document(where, text)
            problems += doc.validation_problems(error, (ALLOCATION,))
            continue
        request = AllocationRequest(
            id=str(row_id), intake=intake, **given.model_dump(exclude_none=True)
        )
        loaded.append(LoadedRequest(Document(where, text), request, intake, Path(".")))
    if problems:
        raise InputError(problems)
    return loaded


def _figure(allocation: Allocation, measure: str, name: str) -> Decimal | None:
    if measure == CHARGE:
        charging = allocation.charging
        if name != "weekly" or charging is None:
            return None
        return charging.weekly_charge
    budget = allocation.budget(measure)
    return None if budget is None else getattr(budget, name)


def _pence(value: Decimal | None) -> int | None:
    return None if value is None else int(value * PENCE)


@dataclass
class BudgetSummary:
    """One method's budgets (or the charge) over the people with answers, exact."""

    measure: str
    people_before: int
    people_after: int
    total_before: Decimal
    total_after: Decimal
    net_before: Decimal | None  # None for the charge
    net_after: Decimal | None
    rose: int  # people whose weekly figure is larger after (none counts as nothing)
    fell: int

    @property
    def change(self) -> Decimal:
        return self.total_after - self.total_before

    @property
    def net_change(self) -> Decimal | None:
        if self.net_before is None or self.net_after is None:
            return None
        return self.net_after - self.net_before


def summaries(budgets: pl.DataFrame) -> list[BudgetSummary]:
    found = []
    for measure in MEASURES:
        rows = budgets.filter(pl.col("measure") == measure)
        if rows["before"].null_count() == rows.height and rows["after"].null_count() == rows.height:
            continue
        old, new = pl.col("before").fill_null(0), pl.col("after").fill_null(0)
        net = measure != CHARGE
        found.append(
            BudgetSummary(
                measure=measure,
                people_before=rows.height - rows["before"].null_count(),
                people_after=rows.height - rows["after"].null_count(),
                total_before=_pounds(rows["before"].sum()),
                total_after=_pounds(rows["after"].sum()),
                net_before=_pounds(rows["net_before"].sum()) if net else None,
                net_after=_pounds(rows["net_after"].sum()) if net else None,
                rose=rows.filter(new > old).height,
                fell=rows.filter(new < old).height,
            )
        )
    return found


def changes(budgets: pl.DataFrame) -> pl.DataFrame:
    """Per person and measure whose weekly figure changed: before, after and the change,
    in pounds as exact text."""
    moved = budgets.filter(pl.col("before").ne_missing(pl.col("after"))).sort("measure", "id")
    rows = [
        {
            "id": row["id"],
            "measure": row["measure"],
            "before": _money(row["before"]),
            "after": _money(row["after"]),
            "change": _money((row["after"] or 0) - (row["before"] or 0)),
        }
        for row in moved.iter_rows(named=True)
    ]
    names = ("id", "measure", "before", "after", "change")
    return pl.DataFrame(rows, schema=dict.fromkeys(names, pl.String))


def method_changes(base_files: dict[str, str], candidate_files: dict[str, str]) -> list[str]:
    """Every dated parameter of the budget methods that differs, in words."""
    with (
        tempfile.TemporaryDirectory(prefix="justenough-rules-") as old,
        tempfile.TemporaryDirectory(prefix="justenough-rules-") as new,
    ):
        before = load_all_methods([materialise(base_files, Path(old))])
        after = load_all_methods([materialise(candidate_files, Path(new))])
    lines = []
    for kind in (*METHODS, "charging"):
        olds = {m.ruleset.id: getattr(m, kind) for m in before if getattr(m, kind)}
        news = {m.ruleset.id: getattr(m, kind) for m in after if getattr(m, kind)}
        for ruleset in sorted(olds.keys() | news.keys()):
            a, b = olds.get(ruleset), news.get(ruleset)
            some = b if b is not None else a
            assert some is not None
            title = some.spec.title
            names = sorted(
                (a.parameters.keys() if a else set()) | (b.parameters.keys() if b else set())
            )
            for name in names:
                lines += parameter_changes(
                    title,
                    a.parameters.get(name) if a else None,
                    b.parameters.get(name) if b else None,
                )
    return lines


def _money(pence: int | None) -> str | None:
    return None if pence is None else f"{Decimal(pence) / PENCE:.2f}"


def _pounds(total: object) -> Decimal:
    assert total is None or isinstance(total, int)
    return Decimal(total or 0) / PENCE
