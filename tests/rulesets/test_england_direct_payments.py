"""Direct payments: Care Act 2014 s.31 (adult with capacity) and s.32 (authorised person).

A personal budget exists for eligible needs the council meets (ss.18, 26), so direct payments
read programme.england.care_act.adult.eligible. Then either route:

- s.31, the adult asks: condition 1, capacity to ask and any nominee agrees (s.31(4));
- s.32, an authorised person asks for an adult who lacks capacity: condition 1, any person
  authorised under the Mental Capacity Act 2005 supports the request (s.32(5));

and, on both, condition 2, not excluded by the Schedule to SI 2014/1652 (s.31(5), s.32(6));
capable of managing the payments (s.31(6), s.32(8)); an appropriate way to meet the needs
(s.31(7), s.32(9)). Each condition failing alone refuses the payments; each unknown leaves
the request undecided and asks for that fact. s.32 condition 3 (best interests, s.32(7)) is
not in the intake and stays with the council.
"""

from __future__ import annotations

from typing import Any

import pytest

from engine.intake import Intake
from tests.rulesets.conftest import ENGLAND_2025_26, Decision, Screen, england

DIRECT = "england.care_act.direct_payments"
ELIGIBLE_NEEDS = {
    "arise_from_impairment": True,
    "wellbeing_impact": "significant",
    "outcomes": [
        {"outcome": "nutrition", "manages": "needs_assistance"},
        {"outcome": "personal_hygiene", "manages": "needs_assistance"},
    ],
}
SCHEDULE = [
    "drug_rehabilitation_requirement",
    "alcohol_treatment_requirement",
    "drug_or_alcohol_licence_condition",
    "rehabilitation_order_treatment",
    "drug_treatment_and_testing_order",
    "youth_drug_treatment_requirement",
    "youth_drug_testing_requirement",
]
NONE_EXCLUDED = dict.fromkeys(SCHEDULE, False)
SHARED_CONDITIONS = {
    "exclusions": NONE_EXCLUDED,
    "paid_person_relation": "unrelated",
    "paid_person_lives_with_adult": False,
    "capable_of_managing": True,
    "appropriate_way_to_meet_needs": True,
}
ADULT_ASKS = {"requested_by": "adult", "nominee_agrees": True, **SHARED_CONDITIONS}
AUTHORISED_PERSON_ASKS = {
    "requested_by": "authorised_person",
    "mca_authorised_person_supports": True,
    "acts_in_best_interests": True,
    **SHARED_CONDITIONS,
}


def request(capacity: bool | None, asks: dict[str, Any] | None, **needs: Any) -> Intake:
    """An adult with eligible needs (unless `needs` says otherwise) and a request, if any."""
    sections: dict[str, Any] = {
        "person": {"has_capacity": capacity},
        "needs": {**ELIGIBLE_NEEDS, **needs},
    }
    if asks is not None:
        sections["direct_payments"] = asks
    return england(**sections)


def decide(screen: Screen, case: Intake) -> Decision:
    return screen(case, as_of=ENGLAND_2025_26)


# --- the personal budget: s.31(1)(a), s.32(1)(a) ---------------------------------------------


def test_no_eligible_needs_means_no_personal_budget_and_no_direct_payments__s31_1_a(
    screen: Screen,
) -> None:
    decision = decide(screen, request(True, ADULT_ASKS, wellbeing_impact="none"))
    assert decision.outcome("england.care_act.adult") == "not_eligible"
    assert decision.met(DIRECT, "personal_budget") is False
    assert decision.outcome(DIRECT) == "not_eligible"


def test_undecided_care_eligibility_leaves_direct_payments_undecided__s31_1_a(
    screen: Screen,
) -> None:
    decision = decide(screen, request(True, ADULT_ASKS, wellbeing_impact=None))
    assert decision.outcome("england.care_act.adult") == "needs_information"
    assert decision.met(DIRECT, "personal_budget") is None
    assert decision.outcome(DIRECT) == "needs_information"


# --- s.31: the adult with capacity asks ------------------------------------------------------


def test_adult_with_capacity_who_meets_conditions_1_to_4_gets_direct_payments__s31_2(
    screen: Screen,
) -> None:
    decision = decide(screen, request(True, ADULT_ASKS))
    assert decision.met(DIRECT, "personal_budget") is True
    assert decision.met(DIRECT, "adult_route") is True
    assert decision.met(DIRECT, "authorised_route") is False
    assert decision.outcome(DIRECT) == "eligible"


@pytest.mark.parametrize(
    ("capacity", "change", "criterion"),
    [
        pytest.param(False, {}, "adult_route", id="s31_4_a_no_capacity_to_ask"),
        pytest.param(True, {"nominee_agrees": False}, "adult_route", id="s31_4_b_nominee_refuses"),
        pytest.param(
            True,
            {"exclusions": {**NONE_EXCLUDED, "alcohol_treatment_requirement": True}},
            "not_alcohol_treatment_requirement",
            id="s31_5_schedule_para_b",
        ),
        pytest.param(
            True, {"capable_of_managing": False}, "capable", id="s31_6_not_capable_of_managing"
        ),
        pytest.param(
            True,
            {"appropriate_way_to_meet_needs": False},
            "appropriate",
            id="s31_7_not_an_appropriate_way",
        ),
    ],
)
def test_each_condition_of_s31_failing_alone_refuses_direct_payments__s31_2(
    screen: Screen, capacity: bool, change: dict[str, Any], criterion: str
) -> None:
    decision = decide(screen, request(capacity, {**ADULT_ASKS, **change}))
    assert decision.met(DIRECT, criterion) is False
    assert decision.outcome(DIRECT) == "not_eligible"


@pytest.mark.parametrize(
    ("capacity", "unknown", "ask"),
    [
        pytest.param(None, None, "person.has_capacity", id="s31_4_a_capacity"),
        pytest.param(True, "nominee_agrees", "direct_payments.nominee_agrees", id="s31_4_b"),
        pytest.param(
            True,
            "exclusions",
            "direct_payments.exclusions.drug_rehabilitation_requirement",
            id="s31_5",
        ),
        pytest.param(
            True, "capable_of_managing", "direct_payments.capable_of_managing", id="s31_6"
        ),
        pytest.param(
            True,
            "appropriate_way_to_meet_needs",
            "direct_payments.appropriate_way_to_meet_needs",
            id="s31_7",
        ),
    ],
)
def test_each_condition_of_s31_unknown_leaves_the_request_undecided_and_asks_for_it__s31(
    screen: Screen, capacity: bool | None, unknown: str | None, ask: str
) -> None:
    asks = {**ADULT_ASKS, **({unknown: None} if unknown else {})}
    decision = decide(screen, request(capacity, asks))
    assert decision.outcome(DIRECT) == "needs_information"
    assert ask in decision.ask_next


# --- s.32: an authorised person asks for an adult who lacks capacity -------------------------


def test_authorised_person_for_an_adult_lacking_capacity_meeting_the_conditions__s32_2(
    screen: Screen,
) -> None:
    decision = decide(screen, request(False, AUTHORISED_PERSON_ASKS))
    assert decision.met(DIRECT, "adult_route") is False
    assert decision.met(DIRECT, "authorised_route") is True
    assert decision.outcome(DIRECT) == "eligible"


@pytest.mark.parametrize(
    ("capacity", "change", "criterion"),
    [
        pytest.param(True, {}, "authorised_route", id="s32_1_b_adult_has_capacity"),
        pytest.param(
            False,
            {"mca_authorised_person_supports": False},
            "authorised_route",
            id="s32_5_mca_authorised_person_objects",
        ),
        pytest.param(
            False,
            {"acts_in_best_interests": False},
            "authorised_route",
            id="s32_7_not_in_the_adults_best_interests",
        ),
        pytest.param(
            False,
            {"exclusions": {**NONE_EXCLUDED, "drug_treatment_and_testing_order": True}},
            "not_drug_treatment_and_testing_order",
            id="s32_6_schedule_para_e",
        ),
        pytest.param(
            False, {"capable_of_managing": False}, "capable", id="s32_8_not_capable_of_managing"
        ),
        pytest.param(
            False,
            {"appropriate_way_to_meet_needs": False},
            "appropriate",
            id="s32_9_not_an_appropriate_way",
        ),
    ],
)
def test_each_condition_of_s32_failing_alone_refuses_direct_payments__s32_2(
    screen: Screen, capacity: bool, change: dict[str, Any], criterion: str
) -> None:
    decision = decide(screen, request(capacity, {**AUTHORISED_PERSON_ASKS, **change}))
    assert decision.met(DIRECT, criterion) is False
    assert decision.outcome(DIRECT) == "not_eligible"


@pytest.mark.parametrize(
    ("capacity", "unknown", "ask"),
    [
        pytest.param(None, None, "person.has_capacity", id="s32_1_b_capacity"),
        pytest.param(
            False,
            "mca_authorised_person_supports",
            "direct_payments.mca_authorised_person_supports",
            id="s32_5",
        ),
        pytest.param(
            False, "acts_in_best_interests", "direct_payments.acts_in_best_interests", id="s32_7"
        ),
        pytest.param(
            False,
            "exclusions",
            "direct_payments.exclusions.youth_drug_testing_requirement",
            id="s32_6",
        ),
        pytest.param(
            False, "capable_of_managing", "direct_payments.capable_of_managing", id="s32_8"
        ),
        pytest.param(
            False,
            "appropriate_way_to_meet_needs",
            "direct_payments.appropriate_way_to_meet_needs",
            id="s32_9",
        ),
    ],
)
def test_each_condition_of_s32_unknown_leaves_the_request_undecided_and_asks_for_it__s32(
    screen: Screen, capacity: bool | None, unknown: str | None, ask: str
) -> None:
    asks = {**AUTHORISED_PERSON_ASKS, **({unknown: None} if unknown else {})}
    decision = decide(screen, request(capacity, asks))
    assert decision.outcome(DIRECT) == "needs_information"
    assert ask in decision.ask_next


def test_an_adult_lacking_capacity_who_asks_in_person_is_refused__s31_4_a_s32_1_c(
    screen: Screen,
) -> None:
    """s.31 needs capacity to ask; s.32 needs an authorised person to ask."""
    decision = decide(screen, request(False, ADULT_ASKS))
    assert decision.met(DIRECT, "adult_route") is False
    assert decision.met(DIRECT, "authorised_route") is False
    assert decision.outcome(DIRECT) == "not_eligible"


# --- which route: none recorded yet, and only the route taken is asked about -----------------


@pytest.mark.parametrize("capacity", [True, False])
def test_no_request_recorded_yet_is_undecided_never_refused__s31_1_b_s32_1_c(
    screen: Screen, capacity: bool
) -> None:
    """Capacity decides which route is open; with no request recorded, neither is refused."""
    decision = decide(screen, request(capacity, None))
    assert decision.outcome(DIRECT) == "needs_information"
    assert "direct_payments.requested_by" in decision.ask_next


@pytest.mark.parametrize(
    ("capacity", "asks", "other_routes_condition_1"),
    [
        pytest.param(
            True, ADULT_ASKS, "direct_payments.mca_authorised_person_supports", id="s31_asks"
        ),
        pytest.param(
            False, AUTHORISED_PERSON_ASKS, "direct_payments.nominee_agrees", id="s32_asks"
        ),
    ],
)
def test_a_request_is_only_asked_about_the_condition_1_of_its_own_route__s31_4_s32_5(
    screen: Screen, capacity: bool, asks: dict[str, Any], other_routes_condition_1: str
) -> None:
    """Undecided for want of one shared fact; the other route's condition 1 is no question."""
    decision = decide(screen, request(capacity, {**asks, "capable_of_managing": None}))
    assert decision.outcome(DIRECT) == "needs_information"
    assert "direct_payments.capable_of_managing" in decision.ask_next
    assert other_routes_condition_1 not in decision.ask_next


# --- the Schedule: each excluded group its own fact, with its paragraph ------------------------


@pytest.mark.parametrize(("field", "paragraph"), list(zip(SCHEDULE, "abcdefg", strict=True)))
def test_each_group_of_the_schedule_excludes_alone_citing_its_paragraph__s31_5(
    screen: Screen, field: str, paragraph: str
) -> None:
    asks = {**ADULT_ASKS, "exclusions": {**NONE_EXCLUDED, field: True}}
    decision = decide(screen, request(True, asks))
    assert decision.outcome(DIRECT) == "not_eligible"
    failing = [
        c
        for c in decision.programme(DIRECT)["criteria"]
        if c["met"] is False and c["id"] != "authorised_route"  # the other route, not taken
    ]
    assert [c["id"] for c in failing] == [f"not_{field}"]
    assert failing[0]["source"].endswith(f"Schedule para. ({paragraph})")


def test_one_group_unknown_asks_for_that_group_only__s31_5(screen: Screen) -> None:
    unknown = {**NONE_EXCLUDED, "youth_drug_testing_requirement": None}
    decision = decide(screen, request(True, {**ADULT_ASKS, "exclusions": unknown}))
    assert decision.outcome(DIRECT) == "needs_information"
    assert "direct_payments.exclusions.youth_drug_testing_requirement" in decision.ask_next
    assert "direct_payments.exclusions.drug_rehabilitation_requirement" not in decision.ask_next


# --- reg. 3: paying a close relative who lives with the adult needs the council's decision -----


@pytest.mark.parametrize("relation", ["partner", "parent", "child", "sibling", "grandparent"])
def test_paying_a_close_relative_at_home_needs_the_councils_decision__reg_3(
    screen: Screen, relation: str
) -> None:
    asks = {**ADULT_ASKS, "paid_person_relation": relation, "paid_person_lives_with_adult": True}
    decision = decide(screen, request(True, asks))
    assert decision.met(DIRECT, "payee_allowed") is None
    assert decision.outcome(DIRECT) == "needs_information"
    assert "direct_payments.council_determined_necessary" in decision.ask_next
    payee = next(c for c in decision.programme(DIRECT)["criteria"] if c["id"] == "payee_allowed")
    assert payee["source"].endswith("reg. 3")


@pytest.mark.parametrize(("determined", "outcome"), [(True, "eligible"), (False, "not_eligible")])
def test_the_councils_determination_decides_paying_a_relative_at_home__reg_3(
    screen: Screen, determined: bool, outcome: str
) -> None:
    asks = {
        **ADULT_ASKS,
        "paid_person_relation": "parent",
        "paid_person_lives_with_adult": True,
        "council_determined_necessary": determined,
    }
    assert decide(screen, request(True, asks)).outcome(DIRECT) == outcome


@pytest.mark.parametrize(
    ("relation", "lives_with"),
    [("parent", False), ("unrelated", True), ("grandchild", True)],
)
def test_no_decision_is_needed_for_others__reg_3(
    screen: Screen, relation: str, lives_with: bool
) -> None:
    """A relative living elsewhere, a personal assistant at home, or a grandchild (not a close
    relative in reg. 3) can be paid without the council's determination."""
    asks = {
        **ADULT_ASKS,
        "paid_person_relation": relation,
        "paid_person_lives_with_adult": lives_with,
    }
    decision = decide(screen, request(True, asks))
    assert decision.met(DIRECT, "payee_allowed") is True
    assert decision.outcome(DIRECT) == "eligible"
