"""Properties of needs a carer meets: more met by a willing and able carer never raises a
budget, eligibility never moves, and no line says "left out" while the money was kept."""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from allocation.budgets.allocation_model import Allocation, Budget
from allocation.budgets.allocator import Allocator
from allocation.budgets.bottom_up_costing import costing_budget
from allocation.budgets.houses import read_house
from allocation.budgets.isf import isf_budget, price_house
from allocation.budgets.methods import Methods
from allocation.budgets.methods_files import SplitRule
from allocation.budgets.ras import ras_budget
from allocation.budgets.requests import PlanLine
from allocation.budgets.unpaid_care import LEFT_OUT, all_met, carer_meets
from engine.intake import Intake, Manages, Outcome
from tests.allocation.conftest import AS_OF, ELIGIBLE, EXAMPLES, loaded

OUTCOMES = list(Outcome)
SUPPORTS = ["one_to_one_day", "two_to_one", "waking_night", "community_access", "homecare_agency"]


@st.composite
def plan_lines(draw: Any) -> dict[str, Any]:
    shared = draw(st.booleans())
    return {
        "support": "shared_day" if shared else draw(st.sampled_from(SUPPORTS)),
        "per_week": str(draw(st.decimals(min_value=0, max_value=40, places=1))),
        "shared_by": draw(st.integers(2, 4)) if shared else 1,
        "outcomes": draw(st.lists(st.sampled_from(OUTCOMES), unique=True, max_size=3)),
    }


def questionnaires(methods: Methods) -> st.SearchStrategy[dict[str, str]]:
    assert methods.ras is not None
    spec = methods.ras.spec
    questions = [(d.id, [a.id for a in d.answers]) for d in spec.domains]
    questions += [(a.id, [x.id for x in a.answers]) for a in spec.adjustments]
    return st.fixed_dictionaries({q: st.sampled_from(answers) for q, answers in questions})


def nested() -> st.SearchStrategy[tuple[frozenset[Outcome], frozenset[Outcome]]]:
    """Outcomes a willing carer meets, and a superset of them."""
    sets = st.frozensets(st.sampled_from(OUTCOMES))
    return st.tuples(sets, sets).map(lambda p: (p[0], p[0] | p[1]))


def weekly(result: object) -> Decimal:
    assert isinstance(result, Budget)
    return result.weekly


@settings(max_examples=150, deadline=None)
@given(data=st.data(), met=nested())
def test_a_carer_meeting_more_never_raises_any_methods_budget(
    methods: Methods, data: st.DataObject, met: tuple[frozenset[Outcome], frozenset[Outcome]]
) -> None:
    assert methods.ras is not None and methods.costing is not None and methods.isf is not None
    fewer, more = met
    answers = data.draw(questionnaires(methods))
    plan = [PlanLine.model_validate(line) for line in data.draw(st.lists(plan_lines(), max_size=4))]
    assert weekly(ras_budget(methods.ras, answers, AS_OF, more)) <= weekly(
        ras_budget(methods.ras, answers, AS_OF, fewer)
    )
    assert weekly(costing_budget(methods.costing, plan, [], AS_OF, more)) <= weekly(
        costing_budget(methods.costing, plan, [], AS_OF, fewer)
    )
    house = price_house(
        read_house(EXAMPLES / "elm-house.yaml"), methods.costing, SplitRule.equal, AS_OF
    )

    def isf(meets: frozenset[Outcome]) -> Decimal:
        assert methods.isf is not None and methods.costing is not None
        return isf_budget(
            methods.isf, methods.costing, house, "ben", plan, None, AS_OF, meets
        ).weekly

    assert isf(more) <= isf(fewer)


MARKS = st.sampled_from(["none", "willing", "unwilling", "unknown"])
CARER = {
    "none": {},
    "willing": {"met_by_carer": True, "carer_willing_and_able": True},
    "unwilling": {"met_by_carer": True, "carer_willing_and_able": False},
    "unknown": {"met_by_carer": True},
}


def person(manages: dict[Outcome, Manages], marks: dict[Outcome, str]) -> dict[str, Any]:
    outcomes = [
        {"outcome": o.value, "manages": m.value} | CARER[marks[o]] for o, m in manages.items()
    ]
    return ELIGIBLE | {"needs": ELIGIBLE["needs"] | {"outcomes": outcomes}}


@settings(max_examples=40, deadline=None)
@given(
    data=st.data(),
    manages=st.fixed_dictionaries({o: st.sampled_from(list(Manages)) for o in OUTCOMES}),
    marks=st.fixed_dictionaries({o: MARKS for o in OUTCOMES}),
    more=st.frozensets(st.sampled_from(OUTCOMES)),
)
def test_through_the_allocator_eligibility_stays_and_the_lines_tell_what_happened(
    allocator: Allocator,
    methods: Methods,
    data: st.DataObject,
    manages: dict[Outcome, Manages],
    marks: dict[Outcome, str],
    more: frozenset[Outcome],
) -> None:
    plan = data.draw(st.lists(plan_lines(), max_size=4))
    answers = data.draw(questionnaires(methods))
    marked = marks | {o: "willing" for o in more}

    def allocation(chosen: dict[Outcome, str]) -> Allocation:
        body = {"intake": person(manages, chosen), "questionnaire": answers, "support_plan": plan}
        return allocator.allocate(loaded(body), AS_OF)

    unmarked = allocation(dict.fromkeys(OUTCOMES, "none"))
    before, after = allocation(marks), allocation(marked)
    assert before.eligibility == after.eligibility == unmarked.eligibility
    for method, budget in before.budgets().items():
        assert weekly(after.budget(method)) <= budget.weekly
    costed = after.budget("costing")
    if costed is None:
        return
    meets = carer_meets(Intake.model_validate(person(manages, marked)))
    for index, line in enumerate(plan):
        left_out = all_met(PlanLine.model_validate(line).outcomes, meets)
        assert (f": left out, {LEFT_OUT}" in costed.lines[index].label) == left_out
        if left_out:
            assert costed.lines[index].amount == 0
    for said in after.carer_met:
        clause = re.search(r"left out of the costed plan[^;]*", said.label)
        for index in re.findall(r"support_plan\[(\d+)\]", clause.group(0) if clause else ""):
            assert costed.lines[int(index)].amount == 0
