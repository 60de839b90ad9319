"""England charging figures for 2025/26 and 2026/27 (SI 2014/2672 reg. 7; LAC(DHSC)).

The 2026/27 working-age Minimum Income Guarantee rose 7 % (DHSC announcement: a single
person aged 18 to 24 from £89.15 to £95.40 a week); the other 2026/27 figures are derived
from 2025/26 and say so in their status.
"""

from __future__ import annotations

from datetime import date
from decimal import ROUND_HALF_UP, Decimal

import pytest

from allocation.budgets.methods import Method, load_all_methods
from allocation.budgets.methods_files import ChargingFile
from engine.loader import default_rulesets_root

TODAY = date(2026, 11, 28)
WORKING_AGE = [
    "mig_single_25_to_pension_age",
    "mig_couple_each_18_to_pension_age",
    "disability_premium_single",
    "disability_premium_couple_each",
    "enhanced_disability_premium_single",
    "enhanced_disability_premium_couple_each",
]


@pytest.fixture(scope="module")
def charging() -> Method[ChargingFile]:
    (methods,) = load_all_methods([default_rulesets_root() / "england"])
    assert methods.charging is not None
    return methods.charging


def test_the_single_18_24_mig_is_95_40_from_april_2026__DHSC_announcement(
    charging: Method[ChargingFile],
) -> None:
    assert charging.value("mig_single_18_24", date(2026, 3, 31)) == Decimal("89.15")
    assert charging.value("mig_single_18_24", TODAY) == Decimal("95.40")
    assert charging.dated("mig_single_18_24", TODAY).status == "checked"


@pytest.mark.parametrize("name", WORKING_AGE)
def test_working_age_2026_27_figures_are_7_percent_up_to_5p_and_marked_derived(
    charging: Method[ChargingFile],
    name: str,
) -> None:
    before = charging.value(name, date(2025, 6, 1))
    after = charging.dated(name, TODAY)
    twentieths = (before * Decimal("1.07") * 20).quantize(Decimal(1), rounding=ROUND_HALF_UP)
    assert after.value == twentieths / 20
    assert after.status == "derived"


def test_every_charging_figure_has_a_2026_27_value_or_does_not_change_by_year(
    charging: Method[ChargingFile],
) -> None:
    for name, parameter in charging.parameters.items():
        if parameter.unit == "GBP a week" and parameter.values[-1].status != "local":
            assert parameter.values[-1].starts >= date(2015, 4, 1)
            yearly = len(parameter.values) > 1 or name == "war_pension_disregard"
            assert yearly, f"{name} has one value only: add 2026/27 or say it does not change"
