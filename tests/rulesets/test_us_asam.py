"""ASAM-style level of care: our own simplified rules after The ASAM Criteria (3rd ed., 2013).

Dimensions 1-6 are rated 0-4. The most intensive level any dimension calls for decides the
placement (not an average); Level 4 is reachable only through dimensions 1-3.
"""

from __future__ import annotations

from typing import Any

import pytest

from tests.rulesets.conftest import Screen, us

ASAM = "us.asam_level_of_care"
DIMENSIONS = (
    "withdrawal",
    "biomedical",
    "emotional_behavioural",
    "readiness",
    "relapse_risk",
    "recovery_environment",
)


def rated(*ratings: int | None) -> Any:
    return us(health={"substance_use": dict(zip(DIMENSIONS, ratings, strict=True))})


@pytest.mark.parametrize(
    ("ratings", "level"),
    [
        ((4, 0, 0, 0, 0, 0), "4"),
        ((0, 0, 4, 0, 0, 0), "4"),
        ((2, 2, 2, 4, 4, 4), "3.5"),
        ((0, 3, 1, 1, 1, 1), "3.7"),
        ((1, 1, 1, 1, 1, 3), "3.1"),
        ((0, 0, 2, 0, 1, 1), "2.5"),
        ((1, 1, 1, 2, 1, 1), "2.1"),
        ((1, 0, 0, 0, 0, 0), "1"),
    ],
    ids=[
        "extreme_withdrawal_is_level_4",
        "extreme_emotional_is_level_4",
        "level_4_only_through_dimensions_1_to_3",
        "highest_dimension_drives_placement_not_the_average",
        "severe_environment_is_low_intensity_residential",
        "moderate_emotional_is_partial_hospitalization",
        "moderate_readiness_is_intensive_outpatient",
        "mild_ratings_only_is_outpatient",
    ],
)
def test_recommended_level_from_the_six_dimension_ratings(
    screen: Screen, ratings: tuple[int, ...], level: str
) -> None:
    decision = screen(rated(*ratings))
    assert decision.outcome(ASAM) == "eligible"
    assert decision.result(ASAM) == level


def test_no_risk_in_any_dimension_is_early_intervention_and_no_treatment(screen: Screen) -> None:
    decision = screen(rated(0, 0, 0, 0, 0, 0))
    assert decision.met(ASAM, "treatment_indicated") is False
    assert decision.outcome(ASAM) == "not_eligible"
    assert decision.result(ASAM) == "0.5"


def test_an_unrated_dimension_that_could_change_the_level_needs_information(
    screen: Screen,
) -> None:
    decision = screen(rated(None, 0, 0, 0, 4, 0))
    assert decision.result(ASAM) is None
    assert decision.outcome(ASAM) == "needs_information"
    assert "health.substance_use.withdrawal" in decision.ask_next


def test_an_extreme_biomedical_rating_recommends_level_4_before_the_rest_are_rated(
    screen: Screen,
) -> None:
    decision = screen(rated(None, 4, None, None, None, None))
    assert decision.result(ASAM) == "4"
    assert decision.met(ASAM, "all_dimensions_rated") is None
