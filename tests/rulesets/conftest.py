"""Helpers for the default rulesets' tests: build a small intake, screen it, read the answer.

Each test states a case (an intake with only what the rule reads), the expected
outcome and the source. Cases are decided by the shipped rulesets through the
Screener, as the command line and the API decide them.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

import pytest

from engine.evaluate import UNKNOWN, Env
from engine.intake import Intake
from engine.screening import Screener

FFY2026 = date(2026, 1, 1)  # SNAP FFY2026, LIHEAP FY2026, WIC 2025-26, SSI 2026
ENGLAND_2025_26 = date(2025, 11, 1)


def merge(base: Mapping[str, Any], extra: Mapping[str, Any]) -> dict[str, Any]:
    """`base` with `extra` laid over it, nested mappings merged key by key."""
    merged = dict(base)
    for key, value in extra.items():
        if isinstance(value, Mapping) and isinstance(merged.get(key), Mapping):
            merged[key] = merge(merged[key], value)
        else:
            merged[key] = value
    return merged


def england(**sections: Any) -> Intake:
    """An adult living in England; the sections given replace or extend the defaults."""
    base = {"person": {"age": 70, "lives_in": {"country": "england"}}}
    return Intake.model_validate(merge(base, sections))


def us(**sections: Any) -> Intake:
    """An adult of 35 living alone in a US state, not disabled, with no benefits."""
    base = {
        "person": {
            "age": 35,
            "disabled": False,
            "household": [],
            "lives_in": {"country": "us", "region": "OH"},
        },
        "finances": {"income": [], "capital": 0, "benefits": []},
    }
    return Intake.model_validate(merge(base, sections))


def monthly(amount: str, kind: str = "other", owner: str = "person") -> dict[str, Any]:
    return {"kind": kind, "amount": amount, "period": "month", "owner": owner}


def yearly(amount: str, kind: str = "other", owner: str = "person") -> dict[str, Any]:
    return {"kind": kind, "amount": amount, "period": "year", "owner": owner}


def member(relation: str, age: int, **fields: Any) -> dict[str, Any]:
    return {"relation": relation, "age": age, "disabled": False, **fields}


@dataclass(frozen=True)
class Decision:
    """The Decision JSON of one case, read by programme and criterion."""

    json: dict[str, Any]

    def programme(self, programme_id: str) -> dict[str, Any]:
        found = [p for p in self.json["programmes"] if p["id"] == programme_id]
        assert found, (
            f"{programme_id} was not screened: {[p['id'] for p in self.json['programmes']]}"
        )
        return found[0]

    def outcome(self, programme_id: str) -> str:
        outcome: str = self.programme(programme_id)["outcome"]
        return outcome

    def met(self, programme_id: str, criterion_id: str) -> bool | None:
        criteria = self.programme(programme_id)["criteria"]
        found = [c for c in criteria if c["id"] == criterion_id]
        assert found, f"{programme_id} has no criterion {criterion_id}"
        met: bool | None = found[0]["met"]
        return met

    def inputs(self, programme_id: str, criterion_id: str) -> dict[str, Any]:
        criteria = self.programme(programme_id)["criteria"]
        inputs: dict[str, Any] = next(c["inputs"] for c in criteria if c["id"] == criterion_id)
        return inputs

    def result(self, programme_id: str) -> str | None:
        value: str | None = self.programme(programme_id)["result"]["value"]
        return value

    def near_misses(self, programme_id: str) -> list[dict[str, Any]]:
        misses: list[dict[str, Any]] = self.programme(programme_id)["near_misses"]
        return misses

    @property
    def ask_next(self) -> list[str]:
        fields: list[str] = self.json["ask_next"]
        return fields


Screen = Callable[..., Decision]


@pytest.fixture(scope="session")
def screen(screener: Screener) -> Screen:
    """Decide an intake with the shipped rulesets: screen(intake, as_of=...)."""

    def decide(intake: Intake, as_of: date = FFY2026) -> Decision:
        return Decision(screener.check(intake, as_of=as_of).model_dump(mode="json"))

    return decide


Derived = Callable[..., Any]


@pytest.fixture(scope="session")
def derived(screener: Screener) -> Derived:
    """A programme's derived value for an intake: derived(programme, name, intake, as_of)."""
    programmes = {p.id: p for r in screener.rulesets for p in r.programmes}

    def value(programme_id: str, name: str, intake: Intake, as_of: date = FFY2026) -> Any:
        programme = programmes[programme_id]
        env = Env(
            intake.model_dump(mode="python"),
            as_of,
            programme.parameter_values(as_of),
            {d.name: d.expr for d in programme.derived.values()},
        )
        found = env.derived_value(name)
        return None if found is UNKNOWN else found

    return value


def money(text: str) -> Decimal:
    return Decimal(text)
