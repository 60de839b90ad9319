"""Medicaid HCBS waiver, special income level: SSA ss.1902(a)(10)(A)(ii)(V)-(VI), 1915(c);
42 CFR 435.217, 435.236, 441.302(c); 20 CFR 416.1205.

An institutional level of care, own income at or below 300 % of the SSI federal benefit rate
($2,901 a month in 2025, $2,982 in 2026) and resources at or below $2,000.
"""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from tests.rulesets.conftest import Screen, monthly, us

HCBS = "us.medicaid_hcbs"


def applicant(
    income: str, level: str | None = "nursing_facility", capital: str = "1500", **extra: Any
) -> Any:
    finances = {"income": [monthly(income, "social_security"), *extra.get("more", [])]}
    return us(
        health={"institutional_level_of_care": level}, finances={**finances, "capital": capital}
    )


def test_special_income_level_rises_with_the_2026_ssi_rate__42_CFR_435_236(screen: Screen) -> None:
    """$2,950 a month: over 300 % of $967 (2025), within 300 % of $994 (2026)."""
    case = applicant("2950")
    in_2025 = screen(case, as_of=date(2025, 12, 31))
    assert in_2025.inputs(HCBS, "income")["special_income_level"] == 2901
    assert in_2025.outcome(HCBS) == "not_eligible"
    (miss,) = in_2025.near_misses(HCBS)
    assert (miss["criterion"], miss["gap"]) == ("income", 49)
    assert screen(case, as_of=date(2026, 1, 1)).outcome(HCBS) == "eligible"


def test_income_exactly_at_the_special_income_level_is_eligible__42_CFR_435_236(
    screen: Screen,
) -> None:
    assert screen(applicant("2982")).outcome(HCBS) == "eligible"
    assert screen(applicant("2982.01")).outcome(HCBS) == "not_eligible"


@pytest.mark.parametrize(
    ("level", "outcome"),
    [
        ("nursing_facility", "eligible"),
        ("hospital", "eligible"),
        ("icf_iid", "eligible"),
        ("none", "not_eligible"),
    ],
)
def test_an_institutional_level_of_care_is_required__42_CFR_441_302_c(
    screen: Screen, level: str, outcome: str
) -> None:
    assert screen(applicant("1000", level=level)).outcome(HCBS) == outcome


def test_resources_at_2000_pass_and_a_cent_more_fails__20_CFR_416_1205(screen: Screen) -> None:
    assert screen(applicant("1000", capital="2000")).outcome(HCBS) == "eligible"
    assert screen(applicant("1000", capital="2000.01")).outcome(HCBS) == "not_eligible"


def test_only_the_applicants_own_income_counts__42_CFR_435_236(screen: Screen) -> None:
    partner = monthly("5000", "earnings", owner="partner")
    assert screen(applicant("1000", more=[partner])).outcome(HCBS) == "eligible"


def test_unknown_level_of_care_needs_information__42_CFR_441_302_c(screen: Screen) -> None:
    decision = screen(applicant("1000", level=None))
    assert decision.outcome(HCBS) == "needs_information"
    assert "health.institutional_level_of_care" in decision.ask_next


def in_state(state: str, income: str) -> Any:
    return us(
        person={"lives_in": {"country": "us", "region": state}},
        health={"institutional_level_of_care": "nursing_facility"},
        finances={"income": [monthly(income, "social_security")], "capital": "1500"},
    )


@pytest.mark.parametrize("state", ["TX", "FL", "az"])
def test_over_the_level_in_an_income_cap_state_names_a_qualified_income_trust__1396p_d_4_B(
    screen: Screen, state: str
) -> None:
    """$3,100 in 2026 is over $2,982; Texas, Florida and Arizona cap income (Miller trusts)."""
    decision = screen(in_state(state, "3100"), as_of=date(2026, 3, 1))
    assert decision.outcome(HCBS) == "not_eligible"
    assert decision.result(HCBS) == "qualified income trust"
    assert "Miller trust" in decision.programme(HCBS)["result"]["explain"]


@pytest.mark.parametrize("state", ["NY", "CA", "PA"])
def test_over_the_level_elsewhere_names_medically_needy_spend_down__42_CFR_435_831(
    screen: Screen, state: str
) -> None:
    decision = screen(in_state(state, "3100"), as_of=date(2026, 3, 1))
    assert decision.result(HCBS) == "medically needy spend-down"
    assert decision.programme(HCBS)["result"]["source"].startswith("42 USC 1396a(a)(10)(C)")


def test_within_the_level_the_route_is_the_special_income_level_group(screen: Screen) -> None:
    decision = screen(in_state("TX", "2982"), as_of=date(2026, 3, 1))
    assert decision.outcome(HCBS) == "eligible"
    assert decision.result(HCBS) == "special income level"
