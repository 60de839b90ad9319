"""A seeded generator of plausible intakes, for population runs and benchmarks.

Each person gets a jurisdiction, a household, needs, finances and, at random,
some fields left unknown, so that runs exercise every outcome including
"needs information". The same seed gives the same population.
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from engine.intake import (
    Benefit,
    CarerOutcome,
    Impact,
    IncomeKind,
    Intake,
    LevelOfCare,
    Manages,
    Outcome,
    Period,
    Relation,
    Requester,
    ScheduleExclusions,
    Sex,
    StageOfChange,
    SubstanceUse,
)

UNKNOWN_RATE = 0.08
SOMETIMES_UNKNOWN = (
    ("needs", "arise_from_impairment"),
    ("needs", "wellbeing_impact"),
    ("needs", "outcomes"),
    ("finances", "capital"),
    ("finances", "income"),
    ("finances", "benefits"),
    ("person", "disabled"),
    ("person", "household"),
)
DIMENSIONS = [name for name in SubstanceUse.model_fields if name != "stage_of_change"]
ENGLAND_SHARE = 0.5


def generate(count: int, seed: int = 0, as_of: date = date(2026, 1, 1)) -> Iterator[Intake]:
    rng = random.Random(seed)
    for number in range(count):
        yield Intake.model_validate(person_data(rng, f"gen-{seed}-{number}", as_of))


def person_data(rng: random.Random, case_id: str, as_of: date) -> dict[str, Any]:
    england = rng.random() < ENGLAND_SHARE
    age = rng.choice([rng.randint(18, 64), rng.randint(65, 95), rng.randint(16, 40)])
    data: dict[str, Any] = {
        "id": case_id,
        "person": {
            "date_of_birth": (
                as_of - timedelta(days=int(age * 365.25) + rng.randint(0, 364))
            ).isoformat(),
            "lives_in": {
                "country": "england" if england else "us",
                "region": None if england else "NY",
            },
            "household": _household(rng),
            "sex": rng.choice(list(Sex)).value,
            "disabled": rng.random() < 0.4,
            "has_capacity": rng.random() < 0.85,
        },
        "needs": {
            "arise_from_impairment": rng.random() < 0.7,
            "wellbeing_impact": rng.choice(list(Impact)).value,
            "outcomes": [
                {"outcome": outcome.value, "manages": rng.choice(list(Manages)).value}
                for outcome in rng.sample(list(Outcome), rng.randint(0, len(Outcome)))
            ],
        },
        "finances": _finances(rng, england),
        "health": {
            "institutional_level_of_care": rng.choice(list(LevelOfCare)).value,
            "nutritional_risk": rng.random() < 0.5,
            "substance_use": {name: rng.choice([0, 0, 1, 2, 3, 4]) for name in DIMENSIONS}
            | {"stage_of_change": rng.choice(list(StageOfChange)).value},
        },
    }
    if rng.random() < 0.3:
        data["carer"] = {
            "provides_necessary_care": rng.random() < 0.8,
            "health_at_risk": rng.random() < 0.3,
            "wellbeing_impact": rng.choice(list(Impact)).value,
            "outcomes": [
                {"outcome": outcome.value, "manages": rng.choice(list(Manages)).value}
                for outcome in rng.sample(list(CarerOutcome), rng.randint(0, 3))
            ],
        }
    if data["person"]["household"] and rng.random() < 0.2:
        data["person"]["maternity"] = {
            "pregnant": rng.random() < 0.5,
            "babies_expected": 1,
            "breastfeeding": rng.random() < 0.4,
            "months_since_birth": rng.randint(0, 24),
        }
    if rng.random() < 0.5:
        data["direct_payments"] = {
            "requested_by": rng.choice(list(Requester)).value,
            "nominee_agrees": rng.random() < 0.9,
            "mca_authorised_person_supports": rng.random() < 0.9,
            "acts_in_best_interests": rng.random() < 0.9,
            **_payee_and_exclusions(random.Random(rng.random())),
            "capable_of_managing": rng.random() < 0.85,
            "appropriate_way_to_meet_needs": rng.random() < 0.9,
        }
    _forget_some(rng, data)
    return data


def _payee_and_exclusions(rng: random.Random) -> dict[str, Any]:
    """Who would be paid and the Schedule's groups, from a stream of their own (one draw of
    the population's stream, as the single exclusion flag they replace took)."""
    return {
        "exclusions": {name: rng.random() < 0.01 for name in ScheduleExclusions.model_fields},
        "paid_person_relation": rng.choice(list(Relation)).value,
        "paid_person_lives_with_adult": rng.random() < 0.3,
        "council_determined_necessary": rng.random() < 0.5,
    }


def _household(rng: random.Random) -> list[dict[str, Any]]:
    members = []
    for _ in range(rng.choice([0, 0, 1, 1, 2, 3, 4, 6, 8])):
        relation = rng.choice(list(Relation))
        age = rng.randint(0, 17) if relation is Relation.child else rng.randint(18, 90)
        members.append({"relation": relation.value, "age": age, "disabled": rng.random() < 0.1})
    return members


def _finances(rng: random.Random, england: bool) -> dict[str, Any]:
    kinds = [
        IncomeKind.earnings,
        IncomeKind.state_pension,
        IncomeKind.pip_daily_living,
        IncomeKind.universal_credit,
    ]
    if not england:
        kinds = [
            IncomeKind.earnings,
            IncomeKind.social_security,
            IncomeKind.ssi,
            IncomeKind.unemployment,
        ]
    income = [
        {
            "kind": rng.choice(kinds).value,
            "amount": str(Decimal(rng.randint(0, 90000)) / 100),
            "period": rng.choice([Period.week, Period.month, Period.fortnight]).value,
        }
        for _ in range(rng.randint(0, 3))
    ]
    benefits = rng.sample(list(Benefit), rng.choice([0, 0, 1, 2]))
    return {
        "income": income,
        "capital": str(
            Decimal(rng.choice([0, rng.randint(0, 3_000_000), rng.randint(0, 600_000)])) / 100
        ),
        "benefits": [b.value for b in benefits],
        "housing_costs_weekly": str(Decimal(rng.randint(0, 30000)) / 100),
        "shelter_costs_monthly": str(Decimal(rng.randint(0, 200000)) / 100),
        "dependent_care_costs_monthly": str(Decimal(rng.choice([0, rng.randint(0, 80000)])) / 100),
        "medical_costs_monthly": str(Decimal(rng.choice([0, rng.randint(0, 40000)])) / 100),
    }


def _forget_some(rng: random.Random, data: dict[str, Any]) -> None:
    """Leave some answers unknown, as at a first contact."""
    for section, field in SOMETIMES_UNKNOWN:
        if rng.random() < UNKNOWN_RATE:
            data[section].pop(field, None)
    if rng.random() < UNKNOWN_RATE:
        data.pop("health")
