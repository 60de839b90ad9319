"""WIC: 42 USC 1786; 7 CFR 246.2, 246.7; FR 2025-03576 (income guidelines 2025/2026).

Categorically a pregnant woman, a woman up to six months after the birth, a breastfeeding
woman up to a year, an infant or a child under five; an income at or below 185 % of the
poverty guideline, or SNAP, Medicaid or TANF (adjunctive eligibility); and a nutritional risk
found by a competent professional authority (7 CFR 246.7(e)). A pregnant woman's household
counts each baby she expects. An applicant recorded as male is in none of the women's
categories, and is asked no maternity question.
"""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from tests.rulesets.conftest import Derived, Screen, member, us, yearly

WIC = "us.wic"


def mother(
    income: str,
    benefits: list[str] | None = None,
    nutritional_risk: bool | None = True,
    **maternity: Any,
) -> Any:
    """A woman living alone, found at nutritional risk unless told, with these maternity facts."""
    person = {
        "sex": "female",
        "maternity": {"pregnant": False, "breastfeeding": False, **maternity},
    }
    finances = {"income": [yearly(income, "earnings")], "benefits": benefits or []}
    return us(person=person, finances=finances, health={"nutritional_risk": nutritional_risk})


def test_pregnant_woman_counts_each_expected_baby_in_her_household__7_CFR_246_7_d(
    screen: Screen, derived: Derived
) -> None:
    """Alone and expecting twins: a household of three, limit $49,303 (not $28,953)."""
    case = mother("49303", pregnant=True, babies_expected=2)
    assert derived(WIC, "household_size", case) == 3
    decision = screen(case)
    assert decision.met(WIC, "income") is True
    assert decision.outcome(WIC) == "eligible"
    assert screen(mother("49303.01", pregnant=True, babies_expected=2)).outcome(WIC) == (
        "not_eligible"
    )


def test_pregnancy_of_unknown_multiples_counts_one_baby__7_CFR_246_7_d(derived: Derived) -> None:
    assert derived(WIC, "household_size", mother("0", pregnant=True)) == 2


@pytest.mark.parametrize(
    ("maternity", "category"),
    [
        ({"months_since_birth": 5}, True),
        ({"months_since_birth": 6}, False),
        ({"months_since_birth": 11, "breastfeeding": True}, True),
        ({"months_since_birth": 12, "breastfeeding": True}, False),
    ],
)
def test_postpartum_up_to_six_months_and_breastfeeding_up_to_a_year__7_CFR_246_2(
    screen: Screen, maternity: dict[str, Any], category: bool
) -> None:
    assert screen(mother("20000", **maternity)).met(WIC, "woman") is category


@pytest.mark.parametrize(("age", "category"), [(0, True), (4, True), (5, False)])
def test_infants_and_children_up_to_their_fifth_birthday__7_CFR_246_2(
    screen: Screen, age: int, category: bool
) -> None:
    case = us(person={"household": [member("child", age)]})
    assert screen(case).met(WIC, "infant_or_child") is category


def test_snap_medicaid_or_tanf_meets_the_income_test__7_CFR_246_7_d_2_vi(screen: Screen) -> None:
    decision = screen(mother("200000", ["medicaid"], pregnant=True))
    assert decision.met(WIC, "income") is False
    assert decision.met(WIC, "adjunctive") is True
    assert decision.outcome(WIC) == "eligible"


def test_household_of_ten_adds_10175_a_person_beyond_eight__FR_2025_03576(
    screen: Screen,
) -> None:
    """A father with a child of three in a household of ten: $100,178 + 2 x $10,175.

    He is recorded as male, so no pregnancy is asked about or counted: the household is ten.
    """
    members = [member("child", 3), *[member("other_relative", 30 + n) for n in range(8)]]
    case = us(
        person={"sex": "male", "household": members},
        finances={"income": [yearly("120528", "earnings")]},
        health={"nutritional_risk": True},
    )
    decision = screen(case)
    assert decision.met(WIC, "woman") is False
    assert decision.met(WIC, "infant_or_child") is True
    assert decision.inputs(WIC, "income")["income_limit"] == 120528
    assert decision.outcome(WIC) == "eligible"
    assert not [field for field in decision.ask_next if field.startswith("person.maternity")]


def test_unknown_pregnancy_and_sex_need_information_without_a_young_child__7_CFR_246_7_c(
    screen: Screen,
) -> None:
    """Neither the maternity facts nor the sex are recorded: either may settle the category."""
    decision = screen(us(finances={"income": [yearly("10000", "earnings")]}))
    assert decision.met(WIC, "woman") is None
    assert decision.outcome(WIC) == "needs_information"
    assert "person.maternity.pregnant" in decision.ask_next
    assert "person.sex" in decision.ask_next


def test_a_man_without_a_young_child_is_not_eligible_without_maternity_questions__7_CFR_246_2(
    screen: Screen,
) -> None:
    """Recorded as male, nothing known of maternity, low income: in no category."""
    case = us(
        person={"sex": "male"},
        finances={"income": [yearly("10000", "earnings")]},
        health={"nutritional_risk": True},
    )
    decision = screen(case)
    assert decision.met(WIC, "woman") is False
    assert decision.met(WIC, "infant_or_child") is False
    assert decision.outcome(WIC) == "not_eligible"
    assert not [field for field in decision.ask_next if field.startswith("person.maternity")]


@pytest.mark.parametrize("sex", ["female", "intersex"])
def test_a_pregnant_applicant_not_recorded_as_male_is_in_the_women_categories__7_CFR_246_2(
    screen: Screen, sex: str
) -> None:
    case = us(
        person={"sex": sex, "maternity": {"pregnant": True}},
        finances={"income": [yearly("20000", "earnings")]},
        health={"nutritional_risk": True},
    )
    decision = screen(case)
    assert decision.met(WIC, "woman") is True
    assert decision.outcome(WIC) == "eligible"


def test_a_pregnancy_counts_once_the_sex_is_recorded__7_CFR_246_2(screen: Screen) -> None:
    """Pregnant, sex not recorded: the category waits for the sex; it is never presumed."""
    case = us(
        person={"maternity": {"pregnant": True}},
        finances={"income": [yearly("20000", "earnings")]},
        health={"nutritional_risk": True},
    )
    decision = screen(case)
    assert decision.met(WIC, "woman") is None
    assert decision.outcome(WIC) == "needs_information"
    assert "person.sex" in decision.ask_next


@pytest.mark.parametrize(
    ("finding", "outcome"),
    [(True, "eligible"), (False, "not_eligible"), (None, "needs_information")],
)
def test_a_competent_professional_authority_must_find_a_nutritional_risk__7_CFR_246_7_e(
    screen: Screen, finding: bool | None, outcome: str
) -> None:
    """Pregnant, $20,000 a year: within the limit. Eligible only with the risk found."""
    decision = screen(mother("20000", nutritional_risk=finding, pregnant=True))
    assert decision.met(WIC, "nutritional_risk") is finding
    assert decision.outcome(WIC) == outcome
    assert ("health.nutritional_risk" in decision.ask_next) is (finding is None)


def test_the_2026_27_limits_apply_from_1_july_2026__7_CFR_246_7_d_1(screen: Screen) -> None:
    """Pregnant and alone (a household of two), $39,500: over $39,128, within $40,034."""
    case = mother("39500", pregnant=True)
    assert screen(case, as_of=date(2026, 6, 30)).outcome(WIC) == "not_eligible"
    assert screen(case, as_of=date(2026, 7, 1)).outcome(WIC) == "eligible"
