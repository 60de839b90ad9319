"""Adults' care and support needs: Care and Support (Eligibility Criteria) Regulations 2015, reg. 2.

All three conditions of reg. 2(1) must be met: (a) needs arising from an impairment or
illness, (b) unable to achieve two or more of the ten outcomes of reg. 2(2), "unable" in any
of the four senses of reg. 2(3), and (c) a significant impact on wellbeing as a consequence.
"""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.rulesets.conftest import ENGLAND_2025_26, Screen, england

ADULT = "england.care_act.adult"


def needs(
    *outcomes: tuple[str, str | None], impairment: bool = True, impact: str = "significant"
) -> Any:
    return england(
        needs={
            "arise_from_impairment": impairment,
            "wellbeing_impact": impact,
            "outcomes": [{"outcome": o, "manages": m} for o, m in outcomes],
        }
    )


def test_adult_unable_to_achieve_two_outcomes_is_eligible__reg_2_1_b(screen: Screen) -> None:
    case = needs(("nutrition", "needs_assistance"), ("personal_hygiene", "needs_assistance"))
    decision = screen(case, as_of=ENGLAND_2025_26)
    assert decision.outcome(ADULT) == "eligible"
    assert decision.inputs(ADULT, "outcomes")["outcomes_unable"] == 2


def test_adult_unable_to_achieve_only_one_outcome_is_not_eligible__reg_2_1_b(
    screen: Screen,
) -> None:
    case = needs(("nutrition", "needs_assistance"), ("clothing", "unaided"))
    decision = screen(case, as_of=ENGLAND_2025_26)
    assert decision.met(ADULT, "outcomes") is False
    assert decision.outcome(ADULT) == "not_eligible"


@pytest.mark.parametrize(
    "manages",
    ["needs_assistance", "significant_pain_or_distress", "endangers", "takes_significantly_longer"],
)
def test_each_of_the_four_meanings_of_unable_counts__reg_2_3_a_to_d(
    screen: Screen, manages: str
) -> None:
    case = needs(("toilet_needs", manages), ("home_safety", manages))
    assert screen(case, as_of=ENGLAND_2025_26).outcome(ADULT) == "eligible"


def test_outcomes_achieved_unaided_do_not_count__reg_2_3(screen: Screen) -> None:
    case = needs(*[(o, "unaided") for o in ("nutrition", "personal_hygiene", "toilet_needs")])
    assert screen(case, as_of=ENGLAND_2025_26).met(ADULT, "outcomes") is False


def test_needs_not_arising_from_impairment_or_illness_are_not_eligible__reg_2_1_a(
    screen: Screen,
) -> None:
    case = needs(
        ("nutrition", "needs_assistance"), ("relationships", "endangers"), impairment=False
    )
    decision = screen(case, as_of=ENGLAND_2025_26)
    assert decision.met(ADULT, "impairment") is False
    assert decision.outcome(ADULT) == "not_eligible"


def test_impact_on_wellbeing_that_is_not_significant_is_not_eligible__reg_2_1_c(
    screen: Screen,
) -> None:
    case = needs(("nutrition", "needs_assistance"), ("clothing", "needs_assistance"), impact="some")
    assert screen(case, as_of=ENGLAND_2025_26).outcome(ADULT) == "not_eligible"


def test_unknown_wellbeing_impact_needs_information__reg_2_1_c(screen: Screen) -> None:
    case = england(
        needs={
            "arise_from_impairment": True,
            "outcomes": [
                {"outcome": "nutrition", "manages": "needs_assistance"},
                {"outcome": "clothing", "manages": "needs_assistance"},
            ],
        }
    )
    decision = screen(case, as_of=ENGLAND_2025_26)
    assert decision.outcome(ADULT) == "needs_information"
    assert decision.met(ADULT, "wellbeing") is None
    assert "needs.wellbeing_impact" in decision.ask_next


def test_an_outcome_not_yet_assessed_needs_information_when_it_could_decide__reg_2_1_b(
    screen: Screen,
) -> None:
    case = needs(("nutrition", "needs_assistance"), ("clothing", None))
    decision = screen(case, as_of=ENGLAND_2025_26)
    assert decision.outcome(ADULT) == "needs_information"
    assert "needs.outcomes.manages" in decision.ask_next


@settings(max_examples=40, deadline=None)
@given(
    carers=st.lists(
        st.tuples(st.one_of(st.none(), st.booleans()), st.one_of(st.none(), st.booleans())),
        min_size=3,
        max_size=3,
    )
)
def test_a_carer_meeting_a_need_never_changes_eligibility__s18_7(
    screen: Screen, carers: list[tuple[bool | None, bool | None]]
) -> None:
    """Eligibility is decided as if the needs were unmet (SCIE; domain-facts §1.1): whether a
    carer meets an outcome, and whether they are willing and able to go on, changes nothing."""
    outcomes = ["nutrition", "personal_hygiene", "toilet_needs"]
    plain = [{"outcome": o, "manages": "needs_assistance"} for o in outcomes]
    cared = [
        {**item, "met_by_carer": met, "carer_willing_and_able": willing}
        for item, (met, willing) in zip(plain, carers, strict=True)
    ]
    base = {"arise_from_impairment": True, "wellbeing_impact": "significant"}
    without = screen(england(needs={**base, "outcomes": plain}), as_of=ENGLAND_2025_26)
    with_carers = screen(england(needs={**base, "outcomes": cared}), as_of=ENGLAND_2025_26)
    assert with_carers.outcome(ADULT) == without.outcome(ADULT) == "eligible"
