"""The financial assessment's capital test: Care Act 2014 ss.17-18; SI 2014/2672 regs. 12, 25.

Upper capital limit £23,250, lower £14,250 (2025/26); tariff income £1 a week for every
£250, or part of £250, above the lower limit. Capital exactly at the upper limit is within
it ("at or below", s.18(3)); a council that charges full cost "at or above" sets a parameter.
"""

from __future__ import annotations

import shutil
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from engine.intake import Intake
from engine.screening import Screener
from tests.rulesets.conftest import ENGLAND_2025_26, Derived, Screen, england

CAPITAL = "england.charging.capital"
ROOT = Path(__file__).resolve().parents[2]


def savings(amount: str) -> Intake:
    return england(finances={"capital": amount})


@pytest.mark.parametrize(
    ("capital", "band", "tariff"),
    [
        ("0", "at or below lower limit", "0"),
        ("14250.00", "at or below lower limit", "0"),
        ("14250.01", "tariff", "1"),
        ("14500.00", "tariff", "1"),
        ("14500.01", "tariff", "2"),
        ("15750.00", "tariff", "6"),
        ("23250.00", "tariff", "36"),
        ("23250.01", "full cost", None),
        ("250000.00", "full cost", None),
    ],
)
def test_capital_band_and_tariff_income_of_1_pound_per_250_or_part__reg_25(
    screen: Screen, derived: Derived, capital: str, band: str, tariff: str | None
) -> None:
    case = savings(capital)
    assert screen(case, as_of=ENGLAND_2025_26).result(CAPITAL) == band
    if tariff is not None:
        weekly = derived(CAPITAL, "tariff_income_weekly", case, ENGLAND_2025_26)
        assert weekly == Decimal(tariff)


def test_capital_exactly_at_the_upper_limit_gets_council_funding__s18_3(screen: Screen) -> None:
    decision = screen(savings("23250.00"), as_of=ENGLAND_2025_26)
    assert decision.met(CAPITAL, "within_upper_limit") is True
    assert decision.outcome(CAPITAL) == "eligible"


def test_capital_above_the_upper_limit_pays_full_cost_with_the_gap_shown__reg_12(
    screen: Screen,
) -> None:
    decision = screen(savings("24000.00"), as_of=ENGLAND_2025_26)
    assert decision.outcome(CAPITAL) == "not_eligible"
    (miss,) = decision.near_misses(CAPITAL)
    assert (miss["input"], miss["gap"]) == ("finances.capital", 750)


def test_unknown_capital_needs_information__reg_9(screen: Screen) -> None:
    decision = screen(england(), as_of=ENGLAND_2025_26)
    assert decision.outcome(CAPITAL) == "needs_information"
    assert decision.result(CAPITAL) is None
    assert "finances.capital" in decision.ask_next


def test_a_council_charging_full_cost_at_the_upper_limit_sets_the_parameter(
    tmp_path: Path,
) -> None:
    """Reading and Darlington publish "at or above £23,250": one parameter changes the edge."""
    folder = tmp_path / "england"
    shutil.copytree(ROOT / "rulesets" / "england", folder)
    file = folder / "charging_capital.yaml"
    text = file.read_text()
    assert "      value: false\n" in text
    file.write_text(text.replace("      value: false\n", "      value: true\n"))
    local = Screener.from_paths([folder])
    decision = local.check(savings("23250.00"), as_of=date(2025, 11, 1))
    capital = decision.programme(CAPITAL)
    assert capital is not None and capital.result is not None
    assert capital.outcome == "not_eligible"
    assert capital.result.value == "full cost"
