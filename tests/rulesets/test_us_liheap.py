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


# --- the state's choice: 60 % of state median income (45 CFR 96.85(b); IM2025-02 att. 4) ---

FOUR_IN_CALIFORNIA = {
    "lives_in": {"country": "us", "region": "CA"},
    "household": [
        {"relation": "partner", "age": 40},
        {"relation": "child", "age": 9},
        {"relation": "child", "age": 6},
    ],
}


def test_california_uses_60_percent_of_its_median_income__csd_2026_table(
    screen: Screen,
) -> None:
    """Hand-checked from California's 2026 table: four people, $6,407.16 a month.
    The ruleset's limit is 60 % of $128,143 = $76,885.80 a year ($6,407.15 a month)."""
    within = screen(us(person=FOUR_IN_CALIFORNIA, finances={"income": [monthly("6407")]}))
    assert within.inputs(LIHEAP, "income")["income_limit"] == 76885.8
    assert within.outcome(LIHEAP) == "eligible"
    over = screen(us(person=FOUR_IN_CALIFORNIA, finances={"income": [monthly("6408")]}))
    assert over.met(LIHEAP, "income") is False  # (SNAP, undecided here, could still pass)


def test_one_person_in_california_takes_52_percent_of_the_four_person_median__45_CFR_96_85_b(
    screen: Screen,
) -> None:
    """CSD's 2026 table: one person $3,331.66 a month; 60 % x 52 % x $128,143 = $39,980.62 a
    year ($3,331.72 a month, within 10 cents of the table)."""
    alone = {"lives_in": {"country": "us", "region": "CA"}}
    decision = screen(us(person=alone, finances={"income": [monthly("3331")]}))
    assert decision.inputs(LIHEAP, "income")["income_limit"] == 39980.616
    assert decision.outcome(LIHEAP) == "eligible"


def test_a_state_not_listed_keeps_the_poverty_guideline_ceiling__42_USC_8624_b_2_B_i(
    screen: Screen,
) -> None:
    """Ohio is not on the list: four people, 150 % of $32,150 = $48,225."""
    ohio = {**FOUR_IN_CALIFORNIA, "lives_in": {"country": "us", "region": "OH"}}
    decision = screen(us(person=ohio, finances={"income": [yearly("50000")]}))
    assert decision.inputs(LIHEAP, "income")["income_limit"] == 48225
    assert decision.met(LIHEAP, "income") is False
    california = screen(us(person=FOUR_IN_CALIFORNIA, finances={"income": [yearly("50000")]}))
    assert california.met(LIHEAP, "income") is True


def test_no_state_median_income_before_fy2026_so_california_used_the_guideline(
    screen: Screen,
) -> None:
    case = us(person=FOUR_IN_CALIFORNIA, finances={"income": [yearly("50000")]})
    assert screen(case, as_of=date(2025, 9, 30)).met(LIHEAP, "income") is False
    assert screen(case, as_of=date(2025, 10, 1)).met(LIHEAP, "income") is True


def test_a_household_whose_state_is_unknown_is_asked_for_it(screen: Screen) -> None:
    unknown = {"lives_in": {"country": "us", "region": None}}
    decision = screen(us(person=unknown, finances={"income": [yearly("20000")]}))
    assert decision.met(LIHEAP, "income") is None
    assert decision.outcome(LIHEAP) == "needs_information"
    assert "person.lives_in.region" in decision.ask_next
