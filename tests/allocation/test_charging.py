"""England's financial assessment: the weekly charge, checked by hand (domain-facts §2)."""

from __future__ import annotations

import shutil
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from allocation.budgets.charging import Assessment, assess, tariff_income
from allocation.budgets.methods import Methods, load_methods
from engine.intake import Intake
from engine.screening import Screener
from tests.allocation.conftest import AS_OF, ENGLAND, intake

FINN = {
    "person": {"date_of_birth": "1947-09-03", "household": []},
    "finances": {
        "income": [
            {"kind": "state_pension", "amount": "230.25", "period": "week"},
            {"kind": "attendance_allowance", "amount": "110.40", "period": "week"},
        ],
        "capital": "15750.00",
        "housing_costs_weekly": "28.00",
    },
}


def assessed(methods: Methods, night_care: bool = False, **sections: Any) -> Assessment:
    assert methods.charging is not None
    return assess(
        methods.charging,
        methods.capital,
        Intake.model_validate(intake(**sections)),
        night_care,
        AS_OF,
    )


def charge(methods: Methods, **sections: Any) -> Decimal | None:
    return assessed(methods, **sections).weekly_charge


@pytest.mark.parametrize(
    ("capital", "tariff"),
    [
        ("0", "0.00"),
        ("14250.00", "0.00"),
        ("14250.01", "1.00"),
        ("14500.00", "1.00"),
        ("14500.01", "2.00"),
        ("15750.00", "6.00"),  # Cheshire West and Chester's worked example
        ("23250.00", "36.00"),
    ],
)
def test_tariff_income_is_1_pound_for_every_250_or_part_above_the_lower_limit(
    methods: Methods, capital: str, tariff: str
) -> None:
    assert tariff_income(Decimal(capital), methods.capital, AS_OF) == Decimal(tariff)


def test_capital_of_exactly_23250_is_within_the_limit_and_a_penny_more_is_full_cost(
    methods: Methods,
) -> None:
    # 200.00 income + 36.00 tariff - 112.50 MIG (single, 40) = 123.50
    income = [{"kind": "other", "amount": "200.00", "period": "week"}]
    at_limit = assessed(methods, finances={"capital": "23250.00", "income": income})
    assert not at_limit.full_cost and at_limit.weekly_charge == Decimal("123.50")
    above = assessed(methods, finances={"capital": "23250.01", "income": None})
    assert above.full_cost and above.ask == []
    assert above.contribution(Decimal("500.00")) == Decimal("500.00")


def test_a_council_that_charges_full_cost_at_the_limit_itself(tmp_path: Path) -> None:
    folder = tmp_path / "england"
    shutil.copytree(ENGLAND, folder)
    capital = folder / "charging_capital.yaml"
    text = capital.read_text()
    capital.write_text(text.replace("      value: false\n", "      value: true\n", 1))
    council = load_methods(folder)
    assert council.charging is not None
    person = Intake.model_validate(intake(finances={"capital": "23250.00"}))
    assert assess(council.charging, council.capital, person, False, AS_OF).full_cost


def test_finn_pays_38_70_a_week(methods: Methods) -> None:
    # 230.25 pension + 110.40 AA - 36.50 (higher rate, no night care) + 6.00 tariff
    # - 232.60 MIG at pension age - 28.00 housing - 10.85 standard DRE = 38.70
    result = assessed(methods, **FINN)
    assert [line.amount for line in result.lines] == [
        Decimal("230.25"),
        Decimal("110.40"),
        Decimal("-36.50"),
        Decimal("6.00"),
        Decimal("-232.60"),
        Decimal("-28.00"),
        Decimal("-10.85"),
    ]
    assert result.weekly_charge == Decimal("38.70")
    assert result.contribution(Decimal("20.00")) == Decimal("20.00")  # never more than the budget


def test_with_night_care_arranged_the_higher_rate_counts_in_full(methods: Methods) -> None:
    assert assessed(methods, night_care=True, **FINN).weekly_charge == Decimal("75.20")


def test_earnings_and_mobility_are_disregarded_and_premiums_follow_disability_benefits(
    methods: Methods,
) -> None:
    # Aged 23: MIG 89.15 + disability premium 49.65 (PIP); PIP daily living counted with a
    # standard DRE of 10.85: 73.90 + 150.00 - 138.80 - 10.85 = 74.25.
    income = [
        {"kind": "pip_daily_living", "amount": "73.90", "period": "week"},
        {"kind": "pip_mobility", "amount": "29.20", "period": "week"},
        {"kind": "earnings", "amount": "120.00", "period": "week"},
        {"kind": "universal_credit", "amount": "650.00", "period": "month"},
    ]
    found = charge(methods, person={"age": 23}, finances={"income": income})
    assert found == Decimal("74.25")


def test_the_enhanced_rate_brings_the_enhanced_disability_premium(methods: Methods) -> None:
    # 110.40 - 112.50 - 49.65 - 24.25 - 10.85 < 0: nothing to pay.
    income = [{"kind": "pip_daily_living", "amount": "110.40", "period": "week"}]
    result = assessed(methods, finances={"income": income})
    assert [line.label for line in result.lines if line.label.startswith("MIG:")] == [
        "MIG: disability premium",
        "MIG: enhanced disability premium",
    ]
    assert result.weekly_charge == Decimal("0.00")


def test_a_couple_with_a_child_partner_income_apart_and_joint_income_halved(
    methods: Methods,
) -> None:
    # 200 own + 100 of 200 joint + war pension 30 - 10; MIG couple each 88.35 + child 103.00;
    # DRE given 5.00: 200 + 100 + 20 - 88.35 - 103.00 - 5.00 = 123.65.
    income = [
        {"kind": "private_pension", "amount": "200.00", "period": "week"},
        {"kind": "other", "amount": "200.00", "period": "week", "owner": "household"},
        {"kind": "earnings", "amount": "400.00", "period": "week", "owner": "partner"},
        {"kind": "war_pension", "amount": "30.00", "period": "week"},
    ]
    household = [{"relation": "partner", "age": 41}, {"relation": "child", "age": 9}]
    found = charge(
        methods,
        person={"household": household},
        finances={"income": income, "disability_related_expenditure_weekly": "5.00"},
    )
    assert found == Decimal("123.65")


def test_what_the_assessment_needs_is_asked_for(methods: Methods) -> None:
    unknown = assessed(
        methods, person={"household": None}, finances={"capital": None, "income": None}
    )
    assert unknown.ask == ["finances.capital", "finances.income", "person.household"]
    assert unknown.contribution(Decimal("100.00")) is None


people = st.fixed_dictionaries(
    {
        "age": st.integers(18, 99),
        "income": st.lists(
            st.fixed_dictionaries(
                {
                    "kind": st.sampled_from(
                        [
                            "state_pension",
                            "pip_daily_living",
                            "earnings",
                            "attendance_allowance",
                            "other",
                        ]
                    ),
                    "amount": st.decimals(min_value=0, max_value=2000, places=2),
                    "period": st.sampled_from(["week", "month", "four_weeks"]),
                }
            ),
            max_size=4,
        ),
        "capital": st.decimals(min_value=0, max_value=40000, places=2),
        "housing": st.decimals(min_value=0, max_value=300, places=2),
    }
)


@settings(max_examples=150, deadline=None)
@given(people, st.decimals(min_value=0, max_value=5000, places=2))
def test_the_contribution_never_exceeds_the_budget(
    methods: Methods, person: Any, budget: Decimal
) -> None:
    result = assessed(
        methods,
        person={"age": person["age"]},
        finances={
            "income": person["income"],
            "capital": person["capital"],
            "housing_costs_weekly": person["housing"],
        },
    )
    contribution = result.contribution(budget)
    assert contribution is not None and Decimal(0) <= contribution <= budget
    assert budget - contribution >= 0


@settings(max_examples=60, deadline=None)
@given(
    st.decimals(min_value=22000, max_value=24500, places=2) | st.sampled_from([Decimal("23250.00")])
)
def test_full_cost_agrees_with_the_eligibility_engines_capital_test(
    methods: Methods, screener: Screener, capital: Decimal
) -> None:
    person = Intake.model_validate(intake(finances={"capital": capital}))
    decision = screener.check(person, AS_OF)
    test = decision.programme("england.charging.capital")
    assert test is not None
    assert methods.charging is not None
    full = assess(methods.charging, methods.capital, person, False, AS_OF).full_cost
    assert full == (test.outcome == "not_eligible")
