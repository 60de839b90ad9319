"""The bulk backend decides as durable-rules does, criterion by criterion.

Random intakes (the seeded generator, then random answers forgotten, household
members' answers included) go through `Screener.check` (durable-rules, held
equal to the reference evaluator inside `decide`) and through the bulk
backend over the same people as one population. A disagreement names the
person, the programme and the criterion.
"""

from __future__ import annotations

import json
import random
from datetime import date
from decimal import Decimal
from typing import Any

import polars as pl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from engine.bulk import BulkPlan, amount_column, criterion_column, result_column
from engine.bulk_schema import to_frame, to_intakes
from engine.decision_model import Decision
from engine.intake import Intake
from engine.loader import default_rulesets_root, load_rulesets
from engine.screening import Screener
from scenarios.population import person_data

AS_OF = date(2026, 1, 1)
FORGETTABLE = [
    ("person", "date_of_birth"),
    ("person", "disabled"),
    ("person", "household"),
    ("person", "maternity"),
    ("person", "sex"),
    ("person", "has_capacity"),
    ("needs",),
    ("needs", "outcomes"),
    ("needs", "wellbeing_impact"),
    ("needs", "arise_from_impairment"),
    ("carer", "outcomes"),
    ("carer", "provides_necessary_care"),
    ("carer", "health_at_risk"),
    ("finances",),
    ("finances", "income"),
    ("finances", "capital"),
    ("finances", "benefits"),
    ("finances", "shelter_costs_monthly"),
    ("finances", "dependent_care_costs_monthly"),
    ("finances", "medical_costs_monthly"),
    ("health",),
    ("health", "institutional_level_of_care"),
    ("health", "nutritional_risk"),
    ("health", "substance_use", "withdrawal"),
    ("health", "substance_use", "readiness"),
    ("direct_payments", "requested_by"),
    ("direct_payments", "capable_of_managing"),
    ("direct_payments", "nominee_agrees"),
]


def _forget(data: dict[str, Any], path: tuple[str, ...]) -> None:
    node: Any = data
    for name in path[:-1]:
        node = node.get(name) if isinstance(node, dict) else None
    if isinstance(node, dict):
        node.pop(path[-1], None)


@st.composite
def intakes(draw: st.DrawFn) -> Intake:
    seed = draw(st.integers(0, 10**9))
    rng = random.Random(seed)
    data = person_data(rng, f"p{seed}", AS_OF)
    for member in data["person"].get("household") or []:
        member["shares_meals"] = rng.choice([True, False, None])
        if rng.random() < 0.15:
            member.pop("age")
        if rng.random() < 0.1:
            member.pop("disabled")
    if data["person"]["lives_in"]["country"] == "us":  # states in a table by text, or not
        data["person"]["lives_in"]["region"] = rng.choice(["NY", "CA", "TX", "OH", None])
    if rng.random() < 0.2:  # the age instead of the date of birth
        born = date.fromisoformat(data["person"].pop("date_of_birth"))
        data["person"]["age"] = AS_OF.year - born.year
    for path in draw(st.lists(st.sampled_from(FORGETTABLE), max_size=6)):
        _forget(data, path)
    return Intake.model_validate(json.loads(json.dumps(data)))


@pytest.fixture(scope="module")
def bulk() -> BulkPlan:
    return BulkPlan(tuple(load_rulesets([default_rulesets_root()])), AS_OF)


def disagreements(decision: Decision, row: dict[str, Any], person: str) -> list[str]:
    found = []
    for programme in decision.programmes:
        pid = programme.id
        if row[pid] != programme.outcome:
            found.append(f"{person}: {pid}: outcome {row[pid]} != {programme.outcome}")
        for criterion in programme.criteria:
            bulk_met = row[criterion_column(pid, criterion.id)]
            if bulk_met != criterion.met:
                found.append(f"{person}: {pid}: {criterion.id}: {bulk_met} != {criterion.met}")
        if programme.result is not None and row[result_column(pid)] != programme.result.value:
            found.append(f"{person}: {pid}: result {row[result_column(pid)]}")
        if programme.amount is not None:
            cents, expected = row[amount_column(pid)], programme.amount.value
            if (None if cents is None else Decimal(cents) / 100) != (
                None if expected is None else Decimal(str(expected))
            ):
                found.append(f"{person}: {pid}: amount {cents} hundredths != {expected}")
    return found


@settings(max_examples=40, deadline=None)
@given(st.lists(intakes(), min_size=1, max_size=8))
def test_bulk_equals_durable_rules_criterion_by_criterion(
    screener: Screener, bulk: BulkPlan, people: list[Intake]
) -> None:
    outcome = bulk.evaluate(to_frame(people))
    found: list[str] = []
    for person, row in zip(people, outcome.iter_rows(named=True), strict=True):
        found += disagreements(screener.check(person, AS_OF), row, person.id or "?")
    assert not found, "\n".join(found)


def test_every_default_programme_is_decided_in_bulk(bulk: BulkPlan) -> None:
    """Each default programme is compiled and gets all three outcomes over a sample (US
    people in New York and California: LIHEAP refuses only where a state's limit or
    median income is loaded, California's in FY2026)."""
    rng = random.Random(5)
    data = [person_data(rng, f"s{n}", AS_OF) for n in range(400)]
    for person in data:
        if person["person"]["lives_in"]["country"] == "us":
            person["person"]["lives_in"]["region"] = rng.choice(["NY", "CA"])
    people = [Intake.model_validate(person) for person in data]
    outcome = bulk.evaluate(to_frame(people))
    for programme in bulk.programmes:
        seen = set(outcome[programme.id].drop_nulls().cast(pl.String))
        assert seen >= {"eligible", "not_eligible"}, (programme.id, seen)


def test_a_frame_round_trips_to_the_same_intakes() -> None:
    rng = random.Random(9)
    people = [Intake.model_validate(person_data(rng, f"r{n}", AS_OF)) for n in range(50)]
    assert to_intakes(to_frame(people)) == people
