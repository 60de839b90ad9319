"""Carers' support needs: Care and Support (Eligibility Criteria) Regulations 2015, reg. 3.

A carer is eligible when (a) the needs arise from providing necessary care to an adult,
(b) the carer's health is deteriorating or at risk, or the carer is unable to achieve any one
carer outcome, "unable" in only three senses (reg. 3(3)), and (c) a significant impact on
wellbeing follows.
"""

from __future__ import annotations

from typing import Any

import pytest

from tests.rulesets.conftest import ENGLAND_2025_26, Screen, england

CARER = "england.care_act.carer"


def carer(
    *outcomes: tuple[str, str | None],
    necessary: bool | None = True,
    health_at_risk: bool | None = False,
    impact: str | None = "significant",
) -> Any:
    section: dict[str, Any] = {
        "provides_necessary_care": necessary,
        "health_at_risk": health_at_risk,
        "wellbeing_impact": impact,
    }
    if outcomes:
        section["outcomes"] = [{"outcome": o, "manages": m} for o, m in outcomes]
    return england(carer=section)


def test_carer_unable_to_achieve_one_outcome_is_eligible__reg_3_1_b_ii(screen: Screen) -> None:
    case = carer(("recreation", "needs_assistance"), ("nutrition", "unaided"))
    decision = screen(case, as_of=ENGLAND_2025_26)
    assert decision.met(CARER, "outcomes") is True
    assert decision.outcome(CARER) == "eligible"


def test_carer_whose_health_is_at_risk_is_eligible_without_any_outcome__reg_3_1_b_i(
    screen: Screen,
) -> None:
    case = carer(("recreation", "unaided"), health_at_risk=True)
    decision = screen(case, as_of=ENGLAND_2025_26)
    assert decision.met(CARER, "outcomes") is False
    assert decision.outcome(CARER) == "eligible"


@pytest.mark.parametrize(
    "manages", ["needs_assistance", "significant_pain_or_distress", "endangers"]
)
def test_each_of_the_three_meanings_of_unable_counts_for_carers__reg_3_3(
    screen: Screen, manages: str
) -> None:
    case = carer(("work_education_volunteering", manages))
    assert screen(case, as_of=ENGLAND_2025_26).outcome(CARER) == "eligible"


def test_taking_significantly_longer_is_not_unable_for_a_carer__reg_3_3(screen: Screen) -> None:
    """Only adults have the fourth meaning (reg. 2(3)(d)); carers have three."""
    case = carer(("habitable_home", "takes_significantly_longer"), ("caring_for_others", "unaided"))
    decision = screen(case, as_of=ENGLAND_2025_26)
    assert decision.met(CARER, "outcomes") is False
    assert decision.outcome(CARER) == "not_eligible"


def test_care_that_is_not_necessary_is_not_eligible__reg_3_1_a(screen: Screen) -> None:
    case = carer(("recreation", "needs_assistance"), necessary=False, health_at_risk=True)
    decision = screen(case, as_of=ENGLAND_2025_26)
    assert decision.met(CARER, "necessary_care") is False
    assert decision.outcome(CARER) == "not_eligible"


def test_impact_on_wellbeing_that_is_not_significant_is_not_eligible__reg_3_1_c(
    screen: Screen,
) -> None:
    case = carer(("recreation", "needs_assistance"), impact="some")
    assert screen(case, as_of=ENGLAND_2025_26).outcome(CARER) == "not_eligible"


def test_one_limb_of_reg_3_1_b_is_enough_when_the_other_is_unknown(screen: Screen) -> None:
    case = carer(("caring_for_child", "endangers"), health_at_risk=None)
    decision = screen(case, as_of=ENGLAND_2025_26)
    assert decision.met(CARER, "health_at_risk") is None
    assert decision.outcome(CARER) == "eligible"


def test_unassessed_outcomes_need_information_when_health_is_not_at_risk__reg_3_1_b(
    screen: Screen,
) -> None:
    decision = screen(carer(), as_of=ENGLAND_2025_26)
    assert decision.outcome(CARER) == "needs_information"
    assert "carer.outcomes" in decision.ask_next
