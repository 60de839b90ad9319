"""One person or a cohort through the gate and every method, with the real rules engine."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from allocation.budgets.allocation_model import (
    Allocation,
    Budget,
    CohortAllocation,
    LargestSpread,
    Unavailable,
)
from allocation.budgets.allocator import Allocator
from allocation.budgets.cohort import cohort as cohort_of
from allocation.budgets.requests import read_cohort
from engine.sourcefiles import InputError
from tests.allocation.conftest import AS_OF, EXAMPLES, SAVVA_22, intake, loaded

PLAN = [{"support": "one_to_one_day", "per_week": 10}]


def test_no_allocation_without_eligible_needs_and_the_decision_in_the_way_is_named(
    allocator: Allocator,
) -> None:
    person = intake(needs={"wellbeing_impact": "some"})
    result = allocator.allocate(loaded({"intake": person, "questionnaire": SAVVA_22}), AS_OF)
    assert not result.allocated and result.methods == {}
    blocked = result.eligibility.blocked_by
    assert blocked is not None and blocked.criteria is not None
    assert blocked.programme == "england.care_act.adult" and blocked.outcome == "not_eligible"
    assert [c.id for c in blocked.criteria] == ["wellbeing"]
    assert result.rulesets[0].hash.startswith("sha256:")


def test_missing_needs_information_is_not_an_allocation_and_says_what_to_ask(
    allocator: Allocator,
) -> None:
    person = intake(needs={"wellbeing_impact": None})
    result = allocator.allocate(loaded({"intake": person}), AS_OF)
    blocked = result.eligibility.blocked_by
    assert blocked is not None and blocked.ask_next is not None
    assert blocked.outcome == "needs_information"
    assert "needs.wellbeing_impact" in blocked.ask_next


def test_a_person_where_no_method_applies_gets_no_allocation(allocator: Allocator) -> None:
    person = intake(person={"lives_in": {"country": "us", "region": "TX"}})
    result = allocator.allocate(loaded({"intake": person}), AS_OF)
    assert result.eligibility.blocked_by is not None
    assert result.eligibility.blocked_by.reason == "no allocation method applies in us (TX)"


def test_an_eligible_person_gets_every_method_and_the_charge(allocator: Allocator) -> None:
    request = {"intake": intake(), "questionnaire": SAVVA_22, "support_plan": PLAN}
    result = allocator.allocate(loaded(request), AS_OF)
    assert result.allocated
    ras, costing, isf = (result.methods[m] for m in ("ras", "costing", "isf"))
    assert isinstance(ras, Budget) and ras.weekly == Decimal("112.20")
    assert isinstance(costing, Budget) and costing.weekly == Decimal("184.72")
    assert isinstance(isf, Unavailable) and isf.status == "not_applicable"
    assert result.charging is not None and result.charging.weekly_charge == Decimal("0.00")
    gap = result.spread
    assert gap is not None and gap.ras_minus_costing == Decimal("-72.52")
    assert (gap.highest, gap.lowest) == ("costing", "ras")


def test_a_bare_intake_is_a_request_the_methods_ask_more_of(allocator: Allocator) -> None:
    result = allocator.allocate(loaded(intake()), AS_OF)
    ras, costing = result.methods["ras"], result.methods["costing"]
    assert isinstance(ras, Unavailable) and ras.ask[0] == "questionnaire.personal_care"
    assert isinstance(costing, Unavailable) and costing.ask == ["support_plan"]


@pytest.fixture(scope="module")
def cohort(allocator: Allocator) -> list[Allocation]:
    return allocator.allocate_all(read_cohort(EXAMPLES / "cohort.jsonl").requests, AS_OF)


@pytest.fixture(scope="module")
def whole(cohort: list[Allocation]) -> CohortAllocation:
    return cohort_of(cohort, ("ras", "costing", "isf"))


def test_every_budget_is_the_sum_of_its_lines_and_contributions_stay_within_it(
    cohort: list[Allocation],
) -> None:
    for person in cohort:
        for budget in person.budgets().values():
            assert budget.weekly == sum(line.amount for line in budget.lines)
            assert budget.contribution is not None and budget.net_funded is not None
            assert 0 <= budget.contribution <= budget.weekly
            assert budget.contribution + budget.net_funded == budget.weekly


def test_the_example_cohorts_totals(cohort: list[Allocation], whole: CohortAllocation) -> None:
    assert [p.person for p in cohort] == ["ana", "ben", "cal", "dee", "eve", "finn"]
    weekly = {method: t.weekly for method, t in whole.totals.items()}
    assert weekly == {
        "ras": Decimal("1179.38"),
        "costing": Decimal("6316.46"),
        "isf": Decimal("5382.55"),
    }
    assert whole.largest_ras_costing_spread == LargestSpread(
        person="ben", ras_minus_costing=Decimal("-1610.55")
    )


def test_the_house_total_is_the_sum_of_its_tenants_isfs(
    cohort: list[Allocation], whole: CohortAllocation
) -> None:
    (house,) = whole.houses
    isfs = {p.person: b.weekly for p in cohort if (b := p.budget("isf")) is not None}
    assert house.shares == isfs
    assert house.total_weekly == sum(isfs.values()) == Decimal("5382.55")


def test_when_ana_leaves_elm_house_its_total_falls_by_her_discretionary_part(
    cohort: list[Allocation],
) -> None:
    ana = cohort[0].budget("isf")
    assert ana is not None and ana.house is not None
    house = ana.house
    # Her own support 427.35 + 192.84 + 111.45 + 53.88 + 53.88, and £20 personal control.
    assert house.discretionary_part == Decimal("859.40")
    assert house.if_leaves.house_total_falls_by == Decimal("859.40")
    before, after = house.if_leaves.fixed_part_before, house.if_leaves.fixed_part_after
    assert after is not None and set(after) == {"ben", "cal", "dee"}
    assert all(after[t] > before[t] for t in after)
    assert sum(after.values()) == sum(before.values()) + house.fixed_part


def test_dee_above_the_upper_capital_limit_pays_the_full_cost(cohort: list[Allocation]) -> None:
    dee = cohort[3]
    assert dee.charging is not None and dee.charging.full_cost
    for method in ("ras", "costing", "isf"):
        budget = dee.budget(method)
        assert budget is not None and budget.net_funded == Decimal("0.00")


def test_bad_requests_are_reported_together_by_file_and_field(
    allocator: Allocator, tmp_path: Path
) -> None:
    house = tmp_path / "house.yaml"
    house.write_text(
        "id: h\ntenants: [pat, sam]\nshared:\n"
        "  - {label: Outings, support: one_to_one_day, per_week: 4, users: [pat, sam],\n"
        "     split: hours, hours_used: {pat: 0, sam: 0}}\n"
    )
    request = {
        "intake": intake(),
        "questionnaire": {"personal_care": "lots", "moods": "low"},
        "support_plan": [
            {"support": "juggling", "per_week": 2},
            {"support": "sleep_in", "per_week": 8},
        ],
        "house": "house.yaml",
    }
    with pytest.raises(InputError) as caught:
        allocator.allocate_all([loaded(request, tmp_path)], AS_OF)
    found = [str(p) for p in caught.value.problems]
    where = f"{tmp_path}/request.yaml:1"
    assert found == [
        f"{where}: questionnaire.personal_care: 'lots' is not an answer to it "
        "(known: none, prompting, some_help, full_help, two_people)",
        f"{where}: questionnaire.moods: no such question in england.allocation.ras (known: "
        "personal_care, eating, home, relationships, work_learning, community, staying_safe, "
        "nights, caring, unpaid_support)",
        f"{where}: support_plan[0].support: unknown support type 'juggling' (known: "
        "one_to_one_day, two_to_one, shared_day, waking_night, sleep_in, community_access, "
        "homecare_agency)",
        f"{where}: support_plan[1].per_week: 8 nights is more than a week holds (7)",
        f"{house}:5: shared[0].hours_used: the users' hours add up to 0: no share can be computed",
    ]
