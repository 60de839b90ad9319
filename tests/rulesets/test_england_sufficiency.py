"""A sufficient budget and unpaid care: R (KM) v Cambridgeshire CC [2012] UKSC 23; Care Act
2014 ss.18(7), 26. The RAS figure is a starting point: a costed plan above it by more than the
local margin is flagged, with both shown; each need a carer meets is said line by line (what
the budgets leave out for it: tests/allocation/test_carer_met.py); a price per point not
uprated for the year says so."""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from allocation.budgets.allocation_model import Budget, Line
from allocation.budgets.sufficiency import sufficiency
from allocation.budgets.unpaid_care import carer_met_lines
from engine.decision_model import RulesetStamp
from engine.programmes import Dated
from tests.rulesets.conftest import england

STAMP = RulesetStamp(id="england", version="1", hash="sha256:0")
MARGIN = Dated(date(2009, 12, 1), Decimal("0.10"), "local")


def budget(method: str, weekly: Decimal) -> Budget:
    line = Line(label="figure", amount=weekly, source="test")
    return Budget.of(method, f"england.{method}", STAMP, [line])  # type: ignore[arg-type]


def allocate_ada() -> dict[str, Any]:
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "api.cli.main",
            "allocate",
            "examples/allocation-ada.yaml",
            "--as-of",
            "2026-11-28",
            "--json",
        ],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr
    found: dict[str, Any] = json.loads(done.stdout)
    return found


def test_ada_s_costed_plan_far_above_the_ras_figure_is_flagged_with_both_shown__KM() -> None:
    allocation = allocate_ada()
    enough = allocation["sufficiency"]
    ras, costed = allocation["methods"]["ras"]["weekly"], allocation["methods"]["costing"]["weekly"]
    assert (enough["ras_weekly"], enough["costed_weekly"]) == (ras, costed)
    assert Decimal(enough["shortfall_weekly"]) == Decimal(costed) - Decimal(ras)
    assert enough["flagged"] is True
    assert "[2012] UKSC 23" in enough["source"]
    assert "starting point" in enough["explain"] and "sufficient" in enough["explain"]
    first = allocation["methods"]["ras"]["lines"][0]["label"]
    assert "not uprated for 2026/27" in first


@settings(max_examples=80, deadline=None)
@given(
    ras=st.decimals(min_value=0, max_value=5000, places=2),
    costed=st.decimals(min_value=0, max_value=5000, places=2),
)
def test_flagged_exactly_when_the_plan_exceeds_the_ras_figure_by_more_than_the_margin(
    ras: Decimal, costed: Decimal
) -> None:
    found = sufficiency({"ras": budget("ras", ras), "costing": budget("costing", costed)}, MARGIN)
    assert found is not None
    assert found.flagged == (costed - ras > ras * Decimal("0.10"))
    assert found.shortfall_weekly == max(costed - ras, Decimal(0))
    assert (found.ras_weekly, found.costed_weekly) == (ras, costed)


def test_no_comparison_without_both_figures() -> None:
    assert sufficiency({"ras": budget("ras", Decimal(100))}, MARGIN) is None


@pytest.mark.parametrize(
    ("willing", "says"),
    [
        (True, "willing and able to go on: no budget method"),
        (False, "planned for"),
        (None, "carer_willing_and_able"),
    ],
)
def test_each_need_a_carer_meets_is_said_line_by_line__s18_7(
    willing: bool | None, says: str
) -> None:
    intake = england(
        needs={
            "outcomes": [
                {
                    "outcome": "nutrition",
                    "manages": "needs_assistance",
                    "met_by_carer": True,
                    "carer_willing_and_able": willing,
                },
                {"outcome": "clothing", "manages": "needs_assistance", "met_by_carer": False},
            ]
        }
    )
    (line,) = carer_met_lines(intake, None, None, {})  # what the methods did: tests/allocation
    assert line.label.startswith("nutrition: met by a carer")
    assert says in line.label
    assert (line.amount, line.source) == (Decimal(0), "Care Act 2014 s.18(7)")
