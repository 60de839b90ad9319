"""SNAP: 7 USC 2014; 7 CFR 273.2(j), 273.8, 273.9; FNS SNAP COLA FY2026 (48 states and DC).

Categorical eligibility through TANF or SSI; otherwise the resource limit ($3,000, or $4,500
with a member aged 60+ or disabled), the gross income test (130 % of the poverty guideline,
waived for elderly or disabled households) and the net income test (100 %).
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from tests.rulesets.conftest import Derived, Screen, member, monthly, us

SNAP = "us.snap"


def household(*members: dict[str, Any], **finances: Any) -> Any:
    return us(person={"household": list(members)}, finances=finances)


def test_gross_income_exactly_at_130_percent_passes__7_CFR_273_9_a_1(screen: Screen) -> None:
    decision = screen(household(income=[monthly("1696", "earnings")]))
    assert decision.inputs(SNAP, "gross_income")["gross_income_limit"] == 1696
    assert decision.met(SNAP, "gross_income") is True
    assert decision.outcome(SNAP) == "eligible"


def test_a_cent_over_the_gross_limit_fails_with_the_gap_shown__7_CFR_273_9_a_1(
    screen: Screen,
) -> None:
    decision = screen(household(income=[monthly("1696.01", "earnings")]))
    assert decision.outcome(SNAP) == "not_eligible"
    (miss,) = decision.near_misses(SNAP)
    assert (miss["criterion"], miss["gap"]) == ("gross_income", 0.01)


def test_elderly_household_over_the_gross_limit_needs_only_the_net_test__7_CFR_273_9_a(
    screen: Screen,
) -> None:
    """$1,800 unearned, aged 65: medical costs over $35 and excess shelter bring net to $1,289."""
    case = us(
        person={"age": 65},
        finances={
            "income": [monthly("1800", "social_security")],
            "capital": "4000",
            "shelter_costs_monthly": "1000",
            "dependent_care_costs_monthly": "0",
            "medical_costs_monthly": "100",
        },
    )
    decision = screen(case)
    assert decision.met(SNAP, "gross_income") is False
    assert decision.met(SNAP, "elderly_or_disabled") is True
    assert decision.inputs(SNAP, "net_income")["net_income"] == 1289
    assert decision.outcome(SNAP) == "eligible"


def test_household_beyond_the_table_adds_596_and_459_a_person__FNS_COLA_FY2026(
    screen: Screen, derived: Derived
) -> None:
    """Ten people: gross limit $5,867 + 2 x $596 = $7,059; net limit $4,513 + 2 x $459."""
    members = [member("partner", 40), *[member("child", age) for age in range(4, 12)]]
    at_limit = household(*members, income=[monthly("7059", "earnings")])
    assert derived(SNAP, "household_size", at_limit) == 10
    assert derived(SNAP, "net_income_limit", at_limit) == 5431
    assert screen(at_limit).outcome(SNAP) == "eligible"
    over = household(*members, income=[monthly("7059.01", "earnings")])
    assert screen(over).outcome(SNAP) == "not_eligible"


def test_excess_shelter_deduction_can_bring_net_income_within_the_limit__7_CFR_273_9_d_6(
    screen: Screen,
) -> None:
    """$1,600 unearned, alone: $1,391 after the $209 deduction; $1,000 shelter leaves $1,086.50."""
    costs = {"shelter_costs_monthly": "1000", "dependent_care_costs_monthly": "0"}
    decision = screen(household(income=[monthly("1600", "unemployment")], **costs))
    assert decision.met(SNAP, "net_income_before_costs") is False
    assert decision.inputs(SNAP, "net_income")["net_income"] == 1086.5
    assert decision.outcome(SNAP) == "eligible"


def test_unknown_shelter_costs_need_information_when_they_could_decide__7_CFR_273_9_d(
    screen: Screen,
) -> None:
    decision = screen(household(income=[monthly("1600", "unemployment")]))
    assert decision.met(SNAP, "net_income") is None
    assert decision.outcome(SNAP) == "needs_information"
    assert "finances.shelter_costs_monthly" in decision.ask_next


def test_costs_need_not_be_asked_when_income_passes_before_them__7_CFR_273_9_a_2(
    screen: Screen,
) -> None:
    decision = screen(household(income=[monthly("1200", "unemployment")]))
    assert decision.met(SNAP, "net_income") is None
    assert decision.outcome(SNAP) == "eligible"


def test_shelter_deduction_is_capped_at_744_unless_a_member_is_elderly__7_CFR_273_9_d_6_ii(
    screen: Screen,
) -> None:
    """Seven people, $5,271 unearned, $3,500 shelter: $1,014 excess; capped, net is $4,228."""
    children = [member("child", age) for age in (3, 5, 8, 11)]
    finances: dict[str, Any] = {
        "income": [monthly("5271", "unemployment")],
        "shelter_costs_monthly": "3500",
        "dependent_care_costs_monthly": "0",
        "medical_costs_monthly": "0",
    }

    def with_grandparent(age: int) -> Any:
        grandparent = member("grandparent", age, shares_meals=True)
        return household(member("partner", 38), *children, grandparent, **finances)

    younger = screen(with_grandparent(59))
    assert younger.inputs(SNAP, "net_income")["net_income"] == 4228
    assert younger.outcome(SNAP) == "not_eligible"
    elderly = screen(with_grandparent(60))
    assert elderly.inputs(SNAP, "net_income")["net_income"] == 3958
    assert elderly.outcome(SNAP) == "eligible"


def test_resources_at_the_3000_limit_pass_and_a_cent_more_fails__7_CFR_273_8_b(
    screen: Screen,
) -> None:
    earnings = [monthly("1000", "earnings")]
    assert screen(household(income=earnings, capital="3000")).outcome(SNAP) == "eligible"
    over = screen(household(income=earnings, capital="3000.01"))
    assert over.met(SNAP, "resources") is False
    assert over.outcome(SNAP) == "not_eligible"


def test_a_member_aged_60_raises_the_resource_limit_to_4500__7_CFR_273_8_b(
    screen: Screen,
) -> None:
    earnings = [monthly("1000", "earnings")]
    parent = member("parent", 60, shares_meals=True)
    costs = {"medical_costs_monthly": "0"}
    at_limit = screen(household(parent, income=earnings, capital="4500", **costs))
    assert at_limit.inputs(SNAP, "resources")["resource_limit"] == 4500
    assert at_limit.outcome(SNAP) == "eligible"
    over = screen(household(parent, income=earnings, capital="4500.01", **costs))
    assert over.outcome(SNAP) == "not_eligible"


def test_tanf_household_is_categorically_eligible_whatever_its_income__7_CFR_273_2_j_2(
    screen: Screen,
) -> None:
    case = household(income=[monthly("5000", "earnings")], capital="10000", benefits=["tanf"])
    decision = screen(case)
    assert decision.met(SNAP, "gross_income") is False
    assert decision.met(SNAP, "categorical") is True
    assert decision.outcome(SNAP) == "eligible"


def test_ssi_household_is_categorically_eligible__7_CFR_273_2_j_2(screen: Screen) -> None:
    case = household(income=[monthly("2500", "ssi")], capital="9000", benefits=["ssi"])
    assert screen(case).outcome(SNAP) == "eligible"


def test_ffy2026_limits_replace_ffy2025_on_1_october_2025__FNS_COLA(screen: Screen) -> None:
    """$1,650 gross for one person: over the FFY2025 limit ($1,632), within FFY2026 ($1,696)."""
    case = household(income=[monthly("1650", "earnings")])
    before = screen(case, as_of=date(2025, 9, 30))
    assert before.inputs(SNAP, "gross_income")["gross_income_limit"] == 1632
    assert before.outcome(SNAP) == "not_eligible"
    assert screen(case, as_of=date(2025, 10, 1)).outcome(SNAP) == "eligible"


def test_unknown_resources_need_information__7_CFR_273_8(screen: Screen) -> None:
    decision = screen(household(income=[monthly("1000", "earnings")], capital=None))
    assert decision.outcome(SNAP) == "needs_information"
    assert "finances.capital" in decision.ask_next


def test_partner_and_young_children_always_count_and_a_lodger_only_if_sharing_meals__7_CFR_273_1(
    derived: Derived,
) -> None:
    partner = {"relation": "partner", "age": 40}  # shares_meals not recorded
    lodger = member("unrelated", 30, shares_meals=False)
    case = household(partner, member("child", 21), lodger, income=[])
    assert derived(SNAP, "household_size", case) == 3


def test_unknown_meal_sharing_of_a_relative_needs_information__7_CFR_273_1(
    screen: Screen,
) -> None:
    cousin = {"relation": "other_relative", "age": 30, "disabled": False}
    decision = screen(household(cousin, income=[monthly("1000", "earnings")]))
    assert decision.outcome(SNAP) == "needs_information"
    assert "person.household.shares_meals" in decision.ask_next


def test_medical_costs_count_above_35_dollars_only__7_CFR_273_9_d_3(derived: Derived) -> None:
    elderly = us(person={"age": 70}, finances={"medical_costs_monthly": "135"})
    assert derived(SNAP, "medical_deduction", elderly) == Decimal(100)
    younger = us(finances={"medical_costs_monthly": "135"})
    assert derived(SNAP, "medical_deduction", younger) == Decimal(0)
