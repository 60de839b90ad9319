"""What to ask next, in order of use: programmes that cannot apply are marked not relevant
and not asked about; fields are ranked by how many relevant, undecided programmes they
could decide, and each says which; an intake may name the programmes applied for; a
programme may word its outcomes in its own terms."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from engine.loader import load_rulesets
from engine.sourcefiles import InputError
from tests.hardening.support import ruleset_folder
from tests.rulesets.conftest import FFY2026, Screen, england, member, us

WIC = "us.wic"


def questions(decision: Any) -> list[dict[str, Any]]:
    found: list[dict[str, Any]] = decision.json["questions"]
    return found


def test_a_man_of_70_living_alone_is_not_asked_about_wic__7_CFR_246_7_c(screen: Screen) -> None:
    case = us(person={"age": 70, "sex": "male"}, finances={"income": None, "capital": None})
    decision = screen(case)
    wic = decision.programme(WIC)
    assert wic["relevant"] is False
    assert wic["words"].startswith("not relevant")
    assert all(WIC not in q["settles"] for q in questions(decision))
    assert "health.nutritional_risk" not in decision.ask_next


def test_a_man_with_a_child_under_five_at_home_may_apply_for_the_child(screen: Screen) -> None:
    case = us(person={"age": 40, "sex": "male", "household": [member("child", 3)]})
    assert screen(case).programme(WIC)["relevant"] is True


def test_a_pregnant_woman_is_asked_her_income_before_any_substance_use_question(
    screen: Screen,
) -> None:
    case = us(
        person={"age": 24, "sex": "female", "maternity": {"pregnant": True}},
        finances={"income": None, "capital": None, "benefits": None},
    )
    decision = screen(case)
    first = questions(decision)[0]
    assert first["field"] == "finances.income"
    assert {"us.snap", "us.liheap", "us.wic"} <= set(first["settles"])
    substance = [f for f in decision.ask_next if f.startswith("health.substance_use")]
    assert substance
    assert decision.ask_next.index("finances.income") < decision.ask_next.index(substance[0])


def test_naming_the_programmes_applied_for_asks_only_for_them(screen: Screen) -> None:
    case = us(
        applying_for=["us.wic"],
        person={"age": 24, "sex": "female", "maternity": {"pregnant": True}},
        finances={"income": None, "capital": None, "benefits": None},
    )
    decision = screen(case)
    assert questions(decision)
    assert all(q["settles"] == [WIC] for q in questions(decision))
    assert decision.outcome("us.snap") == "needs_information"  # still decided


def test_a_capital_test_over_the_limit_reads_pays_the_full_cost(screen: Screen) -> None:
    decision = screen(england(finances={"capital": "30000"}))
    capital = decision.programme("england.charging.capital")
    assert capital["outcome"] == "not_eligible"
    assert capital["words"].startswith("pays the full cost")


def test_snap_in_alaska_is_marked_not_decided_here(screen: Screen) -> None:
    decision = screen(us(person={"lives_in": {"country": "us", "region": "AK"}}))
    snap = decision.programme("us.snap")
    assert snap["relevant"] is False
    assert "Alaska" in snap["words"]


def test_relevant_must_name_a_criterion(tmp_path: Path) -> None:
    rules = ruleset_folder(
        tmp_path,
        p="id: t.p\ntitle: P\nsource: s.1\nrelevant: nope\ncriteria:\n"
        "  - {id: a, when: person.disabled, explain: Disabled., source: s.1}\neligible: a\n",
    )
    with pytest.raises(InputError) as caught:
        load_rulesets([rules])
    assert [p.reason for p in caught.value.problems] == ["'nope' is not a criterion"]


@settings(max_examples=25, deadline=None)
@given(
    age=st.one_of(st.none(), st.integers(0, 90)),
    sex=st.one_of(st.none(), st.sampled_from(["female", "male"])),
    income=st.one_of(st.none(), st.integers(0, 5000)),
    capital=st.one_of(st.none(), st.integers(0, 10000)),
)
def test_questions_rank_by_programmes_settled_and_never_name_a_decided_one(
    screen: Screen, age: int | None, sex: str | None, income: int | None, capital: int | None
) -> None:
    finances = {
        "income": None
        if income is None
        else [{"kind": "other", "amount": income, "period": "month"}],
        "capital": capital,
    }
    decision = screen(us(person={"age": age, "sex": sex}, finances=finances), as_of=FFY2026)
    asked = questions(decision)
    assert [q["field"] for q in asked] == decision.ask_next
    sizes = [len(q["settles"]) for q in asked]
    assert sizes == sorted(sizes, reverse=True)
    open_ = {
        p["id"]
        for p in decision.json["programmes"]
        if p["outcome"] == "needs_information" and p["relevant"]
    }
    assert all(set(q["settles"]) <= open_ for q in asked)
