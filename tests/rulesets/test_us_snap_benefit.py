"""SNAP benefit: 7 USC 2017(a); 7 CFR 273.10(e)(2); FNS SNAP COLA FY2025 and FY2026.

The benefit is the maximum allotment for the household's size less 30 % of net income,
rounded up to a whole dollar, and never below the minimum benefit for households of one
or two. Each expected figure is worked by hand from the FNS tables named in snap.yaml.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.rulesets.conftest import Derived, Screen, member, monthly, us

SNAP = "us.snap"
FY2025 = date(2025, 1, 15)
FY2026 = date(2026, 1, 15)
FY2027 = date(2026, 11, 28)

# FNS COLA, maximum allotments, 48 states and DC (sizes 1-8, then each additional).
ALLOTMENTS = {
    FY2025: [292, 536, 768, 975, 1158, 1390, 1536, 1756, 1756 + 220],
    FY2026: [298, 546, 785, 994, 1183, 1421, 1571, 1789, 1789 + 218],
}


def case(size: int = 1, income: list[dict[str, Any]] | None = None, **extra: Any) -> Any:
    children = [member("child", 3) for _ in range(size - 1)]
    finances = {
        "income": income or [],
        "shelter_costs_monthly": "0",
        "dependent_care_costs_monthly": "0",
        "medical_costs_monthly": "0",
        **extra,
    }
    return us(person={"household": children}, finances=finances)


def amount(screen: Screen, intake: Any, on: date) -> dict[str, Any]:
    found: dict[str, Any] = screen(intake, as_of=on).programme(SNAP)["amount"]
    return found


@pytest.mark.parametrize("on", [FY2025, FY2026])
@pytest.mark.parametrize("size", range(1, 10))
def test_no_income_gets_the_maximum_allotment_for_its_size__FNS_COLA(
    derived: Derived, size: int, on: date
) -> None:
    assert derived(SNAP, "monthly_benefit", case(size), on) == ALLOTMENTS[on][size - 1]


def test_three_people_earning_1500_with_900_shelter_get_609__hand_checked(screen: Screen) -> None:
    """FY2026: $1,500 earned - 20 % ($300) - standard deduction $209 = $991; shelter $900
    exceeds half of $991 by $404.50, under the $744 cap: net $586.50. 30 % of that is
    $175.95, rounded up $176; the maximum for three, $785, less $176 is $609."""
    intake = case(3, [monthly("1500", "earnings")], capital="200", shelter_costs_monthly="900")
    found = amount(screen, intake, FY2026)
    steps = {s["name"]: s["value"] for s in found["steps"]}
    assert steps["income_before_costs"] == 991
    assert steps["excess_shelter_costs"] == 404.5
    assert steps["net_income"] == 586.5
    assert (steps["max_allotment"], steps["expected_contribution"]) == (785, 176)
    assert found["value"] == 609
    assert found["unit"] == "USD a month"
    assert "30 % of net income" in found["explain"]


@pytest.mark.parametrize(("on", "minimum"), [(FY2025, 23), (FY2026, 24), (FY2027, 24)])
def test_one_person_near_the_net_limit_gets_the_minimum_benefit__7_CFR_273_10_e_2_ii_C(
    screen: Screen, on: date, minimum: int
) -> None:
    """$1,150 unearned - $209 (or $204) = net about $941-946: 30 % is $283-284, so the
    $292-298 maximum leaves $8-15, below the minimum: the minimum is paid."""
    intake = case(1, [monthly("1150")])
    decision = screen(intake, as_of=on)
    assert decision.outcome(SNAP) == "eligible"
    assert decision.programme(SNAP)["amount"]["value"] == minimum


def test_three_people_with_a_small_computed_benefit_get_no_minimum(derived: Derived) -> None:
    """Three people, $2,221 net in FY2026 (the net limit): 30 % is $667 (rounded up from
    $666.30), $785 - $667 = $118: above zero, so paid as computed; with no minimum rule."""
    intake = case(3, [monthly(str(2221 + 209))])
    assert derived(SNAP, "net_income", intake, FY2026) == 2221
    assert derived(SNAP, "monthly_benefit", intake, FY2026) == 118
    assert derived(SNAP, "minimum_benefit", intake, FY2026) == 0


def test_no_amount_when_not_eligible(screen: Screen) -> None:
    decision = screen(case(1, [monthly("5000")]), as_of=FY2026)
    assert decision.outcome(SNAP) == "not_eligible"
    found = decision.programme(SNAP)["amount"]
    assert found["value"] is None
    assert found["explain"].startswith("No amount")


@pytest.mark.parametrize("state", ["AK", "hi", "GU", "VI"])
def test_alaska_hawaii_and_territories_are_refused_with_a_clear_reason(
    screen: Screen, state: str
) -> None:
    intake = us(
        person={"lives_in": {"country": "us", "region": state}},
        finances={"shelter_costs_monthly": "0", "dependent_care_costs_monthly": "0"},
    )
    decision = screen(intake, as_of=FY2026)
    assert decision.met(SNAP, "area_built") is False
    assert decision.programme(SNAP)["amount"]["value"] is None
    explain = next(
        c["explain"] for c in decision.programme(SNAP)["criteria"] if c["id"] == "area_built"
    )
    assert "not built" in explain


@settings(max_examples=60, deadline=None)
@given(
    size=st.integers(1, 10),
    earned=st.integers(0, 6000),
    unearned=st.integers(0, 3000),
    shelter=st.integers(0, 2500),
)
def test_the_benefit_is_the_allotment_less_30_percent_within_its_bounds(
    derived: Derived, size: int, earned: int, unearned: int, shelter: int
) -> None:
    intake = case(
        size,
        [monthly(str(earned), "earnings"), monthly(str(unearned))],
        shelter_costs_monthly=str(shelter),
    )
    benefit = derived(SNAP, "monthly_benefit", intake, FY2026)
    net = derived(SNAP, "net_income", intake, FY2026)
    maximum = Decimal(ALLOTMENTS[FY2026][min(size, 9) - 1] + 218 * max(size - 9, 0))
    assert 0 <= benefit <= maximum
    computed = max(maximum - (net * Decimal("0.3")).to_integral_value("ROUND_CEILING"), 0)
    assert benefit == max(computed, 24 if size <= 2 else 0)
    richer = case(
        size,
        [monthly(str(earned + 100), "earnings"), monthly(str(unearned))],
        shelter_costs_monthly=str(shelter),
    )
    assert derived(SNAP, "monthly_benefit", richer, FY2026) <= benefit
