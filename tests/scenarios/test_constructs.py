"""Every construct of the condition language runs in bulk as in durable-rules.

`constructs/` is a made-up programme (not policy) with min, max and all over
lists, floor, ceil, negation, division (also by a zero parameter), a table
lookup with keys that are not whole numbers, a table by text (a state; empty before
a date, then some states listed and others not), numbers in a list parameter,
nested conditionals, results and a parameter that changes on a date.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from engine.bulk import BulkPlan
from engine.bulk_schema import to_frame
from engine.intake import Intake
from engine.loader import load_rulesets
from engine.screening import Screener
from tests.scenarios.test_bulk_agrees import disagreements, intakes

FOLDER = Path(__file__).parent / "constructs"


@pytest.fixture(scope="module")
def constructs() -> Screener:
    return Screener.from_paths([FOLDER])


@settings(max_examples=40, deadline=None)
@given(
    st.lists(intakes(), min_size=1, max_size=8),
    st.sampled_from([date(2026, 1, 1), date(2026, 7, 1)]),
)
def test_every_construct_in_bulk_equals_durable_rules(
    constructs: Screener, people: list[Intake], on: date
) -> None:
    bulk = BulkPlan(tuple(load_rulesets([FOLDER])), on, by_jurisdiction=False)
    outcome = bulk.evaluate(to_frame(people))
    found: list[str] = []
    for person, row in zip(people, outcome.iter_rows(named=True), strict=True):
        found += disagreements(constructs.check(person, on), row, person.id or "?")
    assert not found, "\n".join(found)
