"""Allocation: the example cohort's figures, and how fast a large cohort is allocated.

- the example cohort (examples/cohort.jsonl, as of 2025-10-01): each method's
  weekly total and the largest per-person spread between RAS and costing;
- speed: BENCH_PEOPLE requests (3,000 by default), the example people with
  random questionnaire answers and support hours, through the eligibility gate
  (one screening batch) and every method.
"""

from __future__ import annotations

import os
import random
import time
from dataclasses import replace
from datetime import date
from decimal import Decimal
from pathlib import Path

from allocation.budgets.allocator import METHODS, Allocator
from allocation.budgets.cohort import cohort as cohort_of
from allocation.budgets.methods import load_all_methods
from allocation.budgets.requests import LoadedRequest, PlanLine, read_cohort
from engine.common import pounds
from engine.loader import default_rulesets_root
from engine.screening import Screener

AS_OF = date(2025, 10, 1)
COHORT = Path(__file__).resolve().parent.parent / "examples" / "cohort.jsonl"


def varied(base: list[LoadedRequest], count: int, allocator: Allocator) -> list[LoadedRequest]:
    """`count` requests like the example people, each with other answers and hours."""
    ras = allocator.methods[0].ras
    assert ras is not None
    choices = {d.id: [a.id for a in d.answers] for d in ras.spec.domains}
    choices |= {a.id: [x.id for x in a.answers] for a in ras.spec.adjustments}
    rng = random.Random(11)
    people = []
    for index in range(count):
        template = base[index % len(base)]
        answers = {q: rng.choice(options) for q, options in choices.items()}
        plan = [
            PlanLine(support="one_to_one_day", per_week=Decimal(rng.randint(0, 60))),
            PlanLine(support="community_access", per_week=Decimal(rng.randint(0, 10))),
        ]
        request = template.request.model_copy(
            update={"questionnaire": answers, "support_plan": plan}
        )
        people.append(replace(template, request=request))
    return people


def main() -> None:
    screener = Screener.from_paths()
    allocator = Allocator(load_all_methods([default_rulesets_root()]), screener, METHODS)
    cohort = read_cohort(COHORT).requests
    whole = cohort_of(allocator.allocate_all(cohort, AS_OF), METHODS)
    for method, total in whole.totals.items():
        print(f"example cohort, {method}: {total.people} people, {pounds(total.weekly)} a week")
    largest = whole.largest_ras_costing_spread
    if largest is not None:
        print(
            f"largest RAS - costing spread: {largest.person}, "
            f"{pounds(largest.ras_minus_costing)} a week"
        )
    count = int(os.environ.get("BENCH_PEOPLE", "3000"))
    people = varied(cohort, count, allocator)
    started = time.perf_counter()
    allocator.allocate_all(people, AS_OF)
    elapsed = time.perf_counter() - started
    print(
        f"allocated {count} people by {len(METHODS)} methods with charging in {elapsed:.2f} s "
        f"({elapsed / count * 1000:.2f} ms a person)"
    )
