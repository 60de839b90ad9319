"""England charging by setting: SI 2014/2672 regs. 3, 6, 8 and Sch. 2; Care and Support
Statutory Guidance Annexes B and C.

A permanent care-home resident keeps the personal expenses allowance and the rest of their
counted income goes to the fee; their main home counts as capital after the first 12 weeks
unless a partner or qualifying relative lives there; a short stay is charged as at home;
reablement in its first six weeks and s.117 after-care are free. Figures worked by hand.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

import pytest

from allocation.budgets.allocation_model import Assessment
from allocation.budgets.charging import assess
from allocation.budgets.methods import Methods, load_all_methods
from engine.loader import default_rulesets_root
from tests.rulesets.conftest import england

Y2025 = date(2025, 11, 1)
TODAY = date(2026, 11, 28)
# £230.25 state pension + £50 private pension a week, both counted in full.
INCOME = [
    {"kind": "state_pension", "amount": "230.25", "period": "week"},
    {"kind": "private_pension", "amount": "50.00", "period": "week"},
]


@pytest.fixture(scope="module")
def methods() -> Methods:
    (found,) = load_all_methods([default_rulesets_root() / "england"])
    return found


def charge(methods: Methods, on: date = Y2025, capital: str = "10000", **care: Any) -> Assessment:
    intake = england(
        person={"age": 80, "household": []},
        finances={"income": INCOME, "capital": capital, "housing_costs_weekly": "0"},
        care=care,
    )
    assert methods.charging is not None
    return assess(methods.charging, methods.capital, intake, False, on)


def resident(**care: Any) -> dict[str, Any]:
    return {
        "setting": "care_home",
        "main_home_value": "0",
        "qualifying_relative_in_home": False,
        "weeks_in_care_home": 30,
        **care,
    }


def test_a_care_home_resident_keeps_the_personal_expenses_allowance__reg_6(
    methods: Methods,
) -> None:
    """£280.25 counted income, capital under the lower limit, less the £30.65 PEA (2025/26):
    £249.60 a week; no MIG, housing costs or DRE."""
    found = charge(methods, **resident())
    assert found.weekly_charge == Decimal("249.60")
    labels = [line.label for line in found.lines]
    assert any(label.startswith("Personal expenses allowance") for label in labels)
    assert not any("Minimum Income Guarantee" in label for label in labels)


def test_the_2026_27_personal_expenses_allowance_applies_today(methods: Methods) -> None:
    """£280.25 less £31.80 (2026/27, derived): £248.45."""
    assert charge(methods, TODAY, **resident()).weekly_charge == Decimal("248.45")


@pytest.mark.parametrize("weeks", [0, 5, 11])
def test_the_main_home_is_disregarded_for_the_first_12_weeks__sch_2_para_2(
    methods: Methods, weeks: int
) -> None:
    found = charge(methods, **resident(weeks_in_care_home=weeks, main_home_value="150000"))
    assert found.weekly_charge == Decimal("249.60")
    assert any(f"week {weeks + 1} of the first 12" in line.label for line in found.lines)


def test_after_12_weeks_the_home_counts_and_the_resident_pays_the_full_cost(
    methods: Methods,
) -> None:
    """£10,000 savings + £150,000 home = £160,000, above the £23,250 upper limit."""
    found = charge(methods, **resident(weeks_in_care_home=12, main_home_value="150000"))
    assert found.full_cost is True
    assert "160,000.00" in found.reason


def test_a_home_worth_little_adds_tariff_income_after_12_weeks(methods: Methods) -> None:
    """£10,000 + £6,000 home = £16,000: £1,750 over £14,250 is 7 steps of £250, £7 a week;
    £280.25 + £7 - £30.65 = £256.60."""
    found = charge(methods, **resident(weeks_in_care_home=20, main_home_value="6000"))
    assert found.weekly_charge == Decimal("256.60")


def test_a_partner_in_the_home_keeps_it_disregarded__sch_2_para_4(methods: Methods) -> None:
    found = charge(
        methods,
        **resident(
            weeks_in_care_home=40, main_home_value="150000", qualifying_relative_in_home=True
        ),
    )
    assert found.weekly_charge == Decimal("249.60")


def test_unknown_home_facts_are_asked_for(methods: Methods) -> None:
    found = charge(methods, setting="care_home")
    assert found.status == "needs_information"
    assert {"care.weeks_in_care_home", "care.main_home_value"} <= set(found.ask)


def test_a_short_stay_is_charged_as_at_home__reg_8(methods: Methods) -> None:
    at_home = charge(methods, setting="own_home")
    short = charge(methods, setting="short_stay")
    assert short.weekly_charge == at_home.weekly_charge
    assert any("Short stay" in line.label for line in short.lines)


@pytest.mark.parametrize("week", [1, 6])
def test_reablement_in_its_first_six_weeks_is_free_with_the_reason__reg_3(
    methods: Methods, week: int
) -> None:
    found = charge(methods, setting="own_home", reablement_week=week)
    assert found.weekly_charge == Decimal(0)
    assert f"week {week} of the first 6" in found.reason


def test_reablement_from_week_seven_is_charged_as_usual(methods: Methods) -> None:
    usual = charge(methods, setting="own_home")
    assert charge(methods, setting="own_home", reablement_week=7).weekly_charge == (
        usual.weekly_charge
    )
    assert usual.weekly_charge is not None and usual.weekly_charge > 0


def test_s117_after_care_is_free_even_with_capital_above_the_limit(methods: Methods) -> None:
    found = charge(methods, capital="90000", setting="care_home", section_117_aftercare=True)
    assert (found.weekly_charge, found.full_cost) == (Decimal(0), False)
    assert "s.117" in found.reason
