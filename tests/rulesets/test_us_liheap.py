"""LIHEAP: 42 USC 8624(b)(2); ACF LIHEAP IM2025-02 (the 2025 poverty guidelines in FY2026).

A household qualifies through SNAP, TANF or SSI, or with income at or below 150 % of the
poverty guideline. SNAP eligibility is chained: programme.us.snap.eligible.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from tests.rulesets.conftest import Screen, monthly, us, yearly

LIHEAP = "us.liheap"


def elderly_with_high_costs(capital: str | None) -> Any:
    """Aged 67, $2,200 a month ($26,400 a year): over 150 % of the guideline ($23,475)."""
    return us(
        person={"age": 67},
        finances={
            "income": [monthly("2200", "social_security")],
            "capital": capital,
            "shelter_costs_monthly": "1200",
            "dependent_care_costs_monthly": "0",
            "medical_costs_monthly": "800",
        },
    )


def test_snap_eligible_household_is_eligible_above_the_income_limit__42_USC_8624_b_2_A(
    screen: Screen,
) -> None:
    decision = screen(elderly_with_high_costs(capital="1000"))
    assert decision.outcome("us.snap") == "eligible"
    assert decision.met(LIHEAP, "income") is False
    assert decision.met(LIHEAP, "snap_eligible") is True
    assert decision.outcome(LIHEAP) == "eligible"


def test_undecided_snap_leaves_liheap_undecided_above_the_income_limit(screen: Screen) -> None:
    decision = screen(elderly_with_high_costs(capital=None))
    assert decision.outcome("us.snap") == "needs_information"
    assert decision.outcome(LIHEAP) == "needs_information"
    assert "finances.capital" in decision.ask_next


def test_income_exactly_at_150_percent_of_the_2025_guideline_is_eligible__42_USC_8624_b_2_B(
    screen: Screen,
) -> None:
    decision = screen(us(finances={"income": [yearly("23475", "earnings")]}))
    assert decision.inputs(LIHEAP, "income")["income_limit"] == 23475
    assert decision.outcome(LIHEAP) == "eligible"


def test_income_a_cent_over_150_percent_is_not_eligible__42_USC_8624_b_2_B(
    screen: Screen,
) -> None:
    decision = screen(us(finances={"income": [yearly("23475.01", "earnings")]}))
    assert decision.outcome(LIHEAP) == "not_eligible"
    (miss,) = decision.near_misses(LIHEAP)
    assert (miss["criterion"], miss["gap"]) == ("income", 0.01)


def test_household_of_nine_adds_8250_to_the_eight_person_limit__IM2025_02(
    screen: Screen,
) -> None:
    members = [{"relation": "child", "age": age} for age in range(2, 10)]
    case = us(person={"household": members}, finances={"income": [yearly("89475", "earnings")]})
    assert screen(case).inputs(LIHEAP, "income")["income_limit"] == 89475


def test_the_2026_guidelines_apply_from_fy2027__liheapch_income_eligibility(
    screen: Screen,
) -> None:
    """$23,900 a year for one person: over 150 % of 2025 ($23,475), within 2026 ($23,940)."""
    case = us(finances={"income": [yearly("23900", "earnings")]})
    assert screen(case, as_of=date(2026, 9, 30)).outcome(LIHEAP) == "not_eligible"
    assert screen(case, as_of=date(2026, 10, 1)).outcome(LIHEAP) == "eligible"


def test_household_receiving_tanf_is_eligible_whatever_its_income__42_USC_8624_b_2_A_i(
    screen: Screen,
) -> None:
    case = us(finances={"income": [yearly("90000", "earnings")], "benefits": ["tanf"]})
    decision = screen(case)
    assert decision.met(LIHEAP, "receives_passport_benefit") is True
    assert decision.outcome(LIHEAP) == "eligible"
