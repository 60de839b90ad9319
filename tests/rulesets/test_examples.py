"""The README's example intakes: each is a valid Intake and gets the answer its comment states."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from engine.intake_files import read_intake
from tests.rulesets.conftest import ENGLAND_2025_26, FFY2026, Decision, Screen

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"


def example(name: str, screen: Screen, as_of: date = FFY2026) -> Decision:
    return screen(read_intake(EXAMPLES / f"{name}.yaml"), as_of=as_of)


def test_ada_has_eligible_needs_tariff_income_and_direct_payments(screen: Screen) -> None:
    ada = example("ada", screen, as_of=ENGLAND_2025_26)
    assert ada.outcome("england.care_act.adult") == "eligible"
    assert ada.inputs("england.care_act.adult", "outcomes")["outcomes_unable"] == 6
    assert ada.result("england.charging.capital") == "tariff"
    assert ada.met("england.care_act.direct_payments", "adult_route") is True  # s.31
    assert ada.outcome("england.care_act.direct_payments") == "eligible"
    assert ada.outcome("england.care_act.carer") == "not_eligible"
    assert ada.ask_next == []


def test_maria_gets_snap_and_through_it_wic_and_liheap(screen: Screen) -> None:
    """WIC also needs her nutritional risk, which her clinic has found (7 CFR 246.7(e))."""
    maria = example("maria", screen)
    assert maria.outcome("us.snap") == "eligible"
    assert maria.met("us.liheap", "snap_eligible") is True
    assert maria.outcome("us.liheap") == "eligible"
    assert maria.met("us.wic", "adjunctive") is True
    assert maria.inputs("us.wic", "income")["income_limit"] == 59478  # three and the baby
    assert maria.met("us.wic", "woman") is True
    assert maria.met("us.wic", "nutritional_risk") is True
    assert maria.outcome("us.wic") == "eligible"
    assert maria.outcome("us.medicaid_hcbs") == "not_eligible"


def test_joe_is_recommended_level_3_7_and_hcbs_under_the_special_income_level(
    screen: Screen,
) -> None:
    """A man with no young child: not WIC, and never asked about a pregnancy (7 CFR 246.2)."""
    joe = example("joe", screen)
    assert joe.result("us.asam_level_of_care") == "3.7"
    assert joe.outcome("us.medicaid_hcbs") == "eligible"
    assert joe.met("us.snap", "elderly_or_disabled") is True
    assert joe.outcome("us.snap") == "eligible"
    assert joe.outcome("us.liheap") == "eligible"
    assert joe.outcome("us.wic") == "not_eligible"
    assert not [field for field in joe.ask_next if field.startswith("person.maternity")]
