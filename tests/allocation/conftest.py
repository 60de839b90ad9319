"""Helpers for the allocation tests: the shipped England methods and small requests."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import pytest

from allocation.budgets.allocator import Allocator
from allocation.budgets.methods import Methods, load_methods
from allocation.budgets.requests import LoadedRequest, request_from
from engine.screening import Screener
from engine.sourcefiles import Document
from tests.conftest import ROOT
from tests.rulesets.conftest import merge

ENGLAND = ROOT / "rulesets" / "england"
EXAMPLES = ROOT / "examples"
AS_OF = date(2025, 10, 1)  # 2025/26: every England figure checked for that year

ELIGIBLE: dict[str, Any] = {
    "id": "pat",
    "person": {"age": 40, "lives_in": {"country": "england"}, "household": []},
    "needs": {
        "arise_from_impairment": True,
        "wellbeing_impact": "significant",
        "outcomes": [
            {"outcome": "nutrition", "manages": "needs_assistance"},
            {"outcome": "clothing", "manages": "needs_assistance"},
        ],
    },
    "finances": {"income": [], "capital": 0, "housing_costs_weekly": 0},
}


@pytest.fixture(scope="session")
def methods() -> Methods:
    return load_methods(ENGLAND)


@pytest.fixture(scope="session")
def allocator(methods: Methods, screener: Screener) -> Allocator:
    return Allocator([methods], screener)


def intake(**sections: Any) -> dict[str, Any]:
    """The eligible adult above with `sections` laid over it."""
    return merge(ELIGIBLE, sections)


def loaded(data: dict[str, Any], folder: Path = EXAMPLES) -> LoadedRequest:
    """A request as if read from `folder`/request.yaml, line 1."""
    return request_from(Document(str(folder / "request.yaml"), data, {(): 1}), folder)


NOTHING = {
    "personal_care": "none",
    "eating": "none",
    "home": "none",
    "relationships": "none",
    "work_learning": "none",
    "community": "none",
    "staying_safe": "none",
    "nights": "none",
    "caring": "none",
    "unpaid_support": "none",
}
# 5 + 3 + 2 + 3 + 2 + 3 + 4 = 22 points, Savva's reassessment score.
SAVVA_22 = NOTHING | {
    "personal_care": "some_help",
    "eating": "some_help",
    "home": "some_help",
    "relationships": "some_help",
    "work_learning": "some_help",
    "community": "some_help",
    "staying_safe": "some_risk",
}
