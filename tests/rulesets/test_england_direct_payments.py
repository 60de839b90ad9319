"""Direct payments: Care Act 2014 s.31 (adult with capacity), chained to reg. 2 eligibility.

A personal budget exists for eligible needs the council meets (ss.18, 26), so direct payments
read programme.england.care_act.adult.eligible; condition 1 is capacity to request (s.31(4)).
"""

from __future__ import annotations

from typing import Any

from tests.rulesets.conftest import ENGLAND_2025_26, Screen, england

DIRECT = "england.care_act.direct_payments"
ELIGIBLE_NEEDS = {
    "arise_from_impairment": True,
    "wellbeing_impact": "significant",
    "outcomes": [
        {"outcome": "nutrition", "manages": "needs_assistance"},
        {"outcome": "personal_hygiene", "manages": "needs_assistance"},
    ],
}


def adult(capacity: bool | None, **needs: Any) -> Any:
    return england(person={"has_capacity": capacity}, needs={**ELIGIBLE_NEEDS, **needs})


def test_adult_with_eligible_needs_and_capacity_can_have_direct_payments__s31(
    screen: Screen,
) -> None:
    decision = screen(adult(True), as_of=ENGLAND_2025_26)
    assert decision.met(DIRECT, "personal_budget") is True
    assert decision.outcome(DIRECT) == "eligible"


def test_no_eligible_needs_means_no_personal_budget_and_no_direct_payments__s31_1_a(
    screen: Screen,
) -> None:
    decision = screen(adult(True, wellbeing_impact="none"), as_of=ENGLAND_2025_26)
    assert decision.outcome("england.care_act.adult") == "not_eligible"
    assert decision.outcome(DIRECT) == "not_eligible"


def test_adult_lacking_capacity_does_not_meet_condition_1_of_s31__s31_4_a(screen: Screen) -> None:
    decision = screen(adult(False), as_of=ENGLAND_2025_26)
    assert decision.met(DIRECT, "capacity") is False
    assert decision.outcome(DIRECT) == "not_eligible"


def test_unknown_capacity_needs_information__s31_4_a(screen: Screen) -> None:
    decision = screen(adult(None), as_of=ENGLAND_2025_26)
    assert decision.outcome(DIRECT) == "needs_information"
    assert "person.has_capacity" in decision.ask_next


def test_undecided_care_eligibility_leaves_direct_payments_undecided(screen: Screen) -> None:
    decision = screen(adult(True, wellbeing_impact=None), as_of=ENGLAND_2025_26)
    assert decision.outcome("england.care_act.adult") == "needs_information"
    assert decision.met(DIRECT, "personal_budget") is None
    assert decision.outcome(DIRECT) == "needs_information"
