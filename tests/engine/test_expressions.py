"""The condition language: what it accepts, what it refuses, and why."""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal

import pytest

from engine.evaluate import UNKNOWN, Env, evaluate
from engine.expressions import ExpressionError, Scope, parse
from engine.intake import Intake
from engine.ir import NUMBER, Kind, Type
from engine.schema import intake_type

SCOPE = Scope(
    intake_type(),
    parameters={"limit": NUMBER, "means": Type(Kind.list, element=Type(Kind.text))},
)


def value_of(text: str, intake: dict, parameters: dict | None = None) -> object:
    checked = parse(text, SCOPE)
    data = Intake.model_validate(intake).model_dump(mode="python")
    return evaluate(checked.expr, Env(data, date(2026, 1, 1), parameters or {}))


ENGLAND = {"person": {"lives_in": {"country": "england"}}}


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("__import__('os')", "not allowed"),
        ("().__class__", "only field paths"),
        ("person.lives_in.__class__", "has no field '__class__'"),
        ("lambda: 1", "Lambda is not allowed"),
        ("2 ** 64", "only + - * /"),
        ("[x for x in person.household]", "ListComp is not allowed"),
        ("open('/etc/passwd')", "open() is not allowed"),
        ("needs.wellbeing_impact == 'signficant'", "'signficant' is not a possible value"),
        ("needs.wellbeing_impact > 2", "compares a one of"),
        ("finances.capital + 'x'", "needs numbers"),
        ("param.nope > 1", "unknown parameter 'nope'"),
        ("nobody > 1", "unknown name 'nobody'"),
        ("needs", "is a group of fields"),
        ("count(o for o in needs.outcomes for p in needs.outcomes)", "one 'for' only"),
        ("sum(o.manages for o in needs.outcomes)", "needs number values"),
        ("programme.us.snap", "programme.<id>.eligible"),
        ("1 if needs.arise_from_impairment else 'a'", "both branches"),
    ],
)
def test_unsafe_or_ill_typed_expressions_are_refused_at_load(text: str, reason: str) -> None:
    with pytest.raises(ExpressionError, match=re.escape(reason)):
        parse(text, SCOPE)


def test_a_condition_must_be_a_condition_where_one_is_expected() -> None:
    with pytest.raises(ExpressionError, match="must be a boolean"):
        parse("finances.capital", SCOPE, Kind.boolean)


def test_oversized_expressions_are_refused() -> None:
    with pytest.raises(ExpressionError, match="too large"):
        parse(" + ".join(["finances.capital"] * 300), SCOPE)


def test_missing_values_are_unknown_never_false() -> None:
    assert value_of("finances.capital <= 23250", ENGLAND) is UNKNOWN
    assert value_of("not (finances.capital <= 23250)", ENGLAND) is UNKNOWN


def test_kleene_or_and_and() -> None:
    intake = {**ENGLAND, "needs": {"arise_from_impairment": True}}
    assert value_of("needs.arise_from_impairment or finances.capital < 1", intake) is True
    assert value_of("needs.arise_from_impairment and finances.capital < 1", intake) is UNKNOWN
    assert value_of("not needs.arise_from_impairment and finances.capital < 1", intake) is False


def test_aggregates_over_intake_lists() -> None:
    intake = {
        **ENGLAND,
        "finances": {
            "income": [
                {"kind": "earnings", "amount": "100.00", "period": "week"},
                {"kind": "state_pension", "amount": "520.00", "period": "year"},
            ]
        },
    }
    assert value_of("sum(i.weekly for i in finances.income)", intake) == Decimal("110")
    assert value_of("sum(i.weekly for i in finances.income if i.earned)", intake) == Decimal("100")
    assert value_of("count(i for i in finances.income if i.weekly > 50)", intake) == 1
    assert value_of("any(i.earned for i in finances.income)", intake) is True
    assert value_of("sum(i.weekly for i in finances.income)", ENGLAND) is UNKNOWN


def test_membership_in_a_parameter_list_and_an_intake_list() -> None:
    intake = {**ENGLAND, "finances": {"benefits": ["snap"]}}
    assert value_of('"snap" in finances.benefits', intake) is True
    assert value_of('"tanf" in finances.benefits', intake) is False
    assert value_of('"tanf" in finances.benefits', ENGLAND) is UNKNOWN
    assert (
        value_of(
            "needs.wellbeing_impact in param.means",
            {**ENGLAND, "needs": {"wellbeing_impact": "some"}},
            {"means": ("some",)},
        )
        is True
    )


def test_years_since_counts_whole_years_as_of_the_decision_date() -> None:
    born = {"person": {"lives_in": {"country": "england"}, "date_of_birth": "1961-01-02"}}
    assert value_of("years_since(person.date_of_birth)", born) == 64
    born["person"]["date_of_birth"] = "1961-01-01"
    assert value_of("years_since(person.date_of_birth)", born) == 65


def test_coalesce_takes_the_first_known_value() -> None:
    assert value_of("coalesce(person.age, 40)", ENGLAND) == 40
    assert value_of("coalesce(person.age, 40)", {"person": {**ENGLAND["person"], "age": 70}}) == 70


def test_division_by_zero_is_unknown_not_a_crash() -> None:
    assert (
        value_of(
            "1 / (finances.capital - finances.capital)", {**ENGLAND, "finances": {"capital": "5"}}
        )
        is UNKNOWN
    )
