"""Invariants of screening, over random intakes from the seeded population generator."""

from __future__ import annotations

import json
import random
from collections import Counter
from datetime import date
from decimal import Decimal
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from engine.decision_model import Decision
from engine.intake import Intake
from engine.screening import Screener
from engine.worker_pool import WorkerPool
from scenarios.population import SOMETIMES_UNKNOWN, generate, person_data

AS_OF = date(2026, 1, 1)
OPTIONAL_PATHS = [
    *SOMETIMES_UNKNOWN,
    ("finances", "shelter_costs_monthly"),
    ("finances", "medical_costs_monthly"),
    ("person", "has_capacity"),
    ("person", "date_of_birth"),
    ("person", "sex"),
    ("health", "institutional_level_of_care"),
    ("health", "nutritional_risk"),
    ("carer", "provides_necessary_care"),
    ("carer", "health_at_risk"),
    ("direct_payments", "requested_by"),
    ("direct_payments", "capable_of_managing"),
]

intakes = st.builds(
    lambda seed: person_data(random.Random(seed), f"p{seed}", AS_OF), st.integers(0, 10**9)
)


def without(data: dict[str, Any], path: tuple[str, str]) -> dict[str, Any]:
    copy = json.loads(json.dumps(data))
    section, field = path
    if isinstance(copy.get(section), dict):
        copy[section].pop(field, None)
    return copy


def criteria_of(decision: Decision) -> dict[tuple[str, str], bool | None]:
    return {(p.id, c.id): c.met for p in decision.programmes for c in p.criteria}


@settings(max_examples=150, deadline=None)
@given(intakes, st.sampled_from(OPTIONAL_PATHS))
def test_a_missing_field_never_decides_a_criterion_it_did_not_decide_before(
    screener: Screener, data: dict[str, Any], path: tuple[str, str]
) -> None:
    """Knowing less can only turn an answer into 'unknown', never into another answer."""
    full = screener.check(Intake.model_validate(data), AS_OF)
    partial = screener.check(Intake.model_validate(without(data, path)), AS_OF)
    before, after = criteria_of(full), criteria_of(partial)
    for key, met in after.items():
        assert met is None or met == before[key], (key, path)
    outcomes = {p.id: p.outcome for p in full.programmes}
    for programme in partial.programmes:
        assert programme.outcome in ("needs_information", outcomes[programme.id])


@settings(max_examples=100, deadline=None)
@given(intakes)
def test_the_same_intake_gives_the_same_decision_byte_for_byte(
    screener: Screener, data: dict[str, Any]
) -> None:
    first = screener.check(Intake.model_validate(data), AS_OF).model_dump_json()
    again = screener.check(Intake.model_validate(json.loads(json.dumps(data))), AS_OF)
    assert first == again.model_dump_json()
    assert Decision.model_validate_json(first) == again


@settings(max_examples=100, deadline=None)
@given(intakes, st.integers(0, 500_000))
def test_more_income_never_turns_snap_from_not_eligible_to_eligible(
    screener: Screener, data: dict[str, Any], extra_cents: int
) -> None:
    data["person"]["lives_in"] = {"country": "us", "region": "NY"}
    finances = data.setdefault("finances", {})
    richer = json.loads(json.dumps(data))
    richer["finances"]["income"] = [
        *finances.get("income", []),
        {"kind": "earnings", "amount": str(Decimal(extra_cents) / 100), "period": "month"},
    ]
    snap = {p.id: p.outcome for p in screener.check(Intake.model_validate(data), AS_OF).programmes}
    richer_snap = {
        p.id: p.outcome for p in screener.check(Intake.model_validate(richer), AS_OF).programmes
    }
    if "income" in finances and snap["us.snap"] == "not_eligible":
        assert richer_snap["us.snap"] != "eligible"


def test_durable_rules_agree_with_the_reference_evaluator_over_5000_cases(pool: WorkerPool) -> None:
    """Every case decided in worker processes; decide() raises if the two backends differ."""
    screener = Screener.from_paths(pool=pool)
    outcomes: Counter[str] = Counter()
    for person in generate(5000, seed=2026):
        decision = screener.check(person, AS_OF)
        assert decision.programmes, person.id
        outcomes.update(p.outcome for p in decision.programmes)
    assert set(outcomes) == {"eligible", "not_eligible", "needs_information"}
