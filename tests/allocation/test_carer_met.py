"""Needs a carer meets (Care Act 2014 s.18(7)): left out of every budget, line by line.

Figures by hand at 2025/26 unit costs: the National Living Wage £12.21, the HCA
minimum price £32.14, on-costs 26.08 %, management and overheads 10 % each of
staff cost; the example RAS price £5.10 a point.
"""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from allocation.budgets.allocation_model import Allocation, Budget
from allocation.budgets.allocator import Allocator
from allocation.budgets.bottom_up_costing import costing_budget
from allocation.budgets.houses import read_house
from allocation.budgets.isf import isf_budget, price_house
from allocation.budgets.methods import Methods
from allocation.budgets.methods_files import SplitRule
from allocation.budgets.ras import ras_budget
from allocation.budgets.requests import PlanLine
from allocation.budgets.unpaid_care import LEFT_OUT
from api.cli.main import main
from engine.intake import Outcome
from engine.sourcefiles import InputError
from tests.allocation.conftest import (
    AS_OF,
    ELIGIBLE,
    ENGLAND,
    EXAMPLES,
    SAVVA_22,
    intake,
    loaded,
)
from tests.allocation.test_method_files import edited, england_copy, line_of, problems

NUTRITION = frozenset({Outcome.nutrition})
# Personal care 10 h (£122.10), meals 5 h (£61.05), an agency's trips 3 h (£96.42).
PLAN = [
    {"support": "one_to_one_day", "per_week": 10, "outcomes": ["personal_hygiene"]},
    {"support": "one_to_one_day", "per_week": 5, "outcomes": ["nutrition"]},
    {"support": "community_access", "per_week": 3, "outcomes": ["community_facilities"]},
]


def plan(*lines: dict[str, Any]) -> list[PlanLine]:
    return [PlanLine.model_validate(line) for line in lines]


def carer(willing: bool | None, *outcomes: str) -> dict[str, Any]:
    """The eligible adult's needs, with a carer meeting `outcomes`."""
    assessed = [dict(o) for o in ELIGIBLE["needs"]["outcomes"]]
    known = {o["outcome"] for o in assessed}
    assessed += [{"outcome": o, "manages": "needs_assistance"} for o in outcomes if o not in known]
    for entry in assessed:
        if entry["outcome"] in outcomes:
            entry |= {"met_by_carer": True, "carer_willing_and_able": willing}
    return {"needs": {"outcomes": assessed}}


def costed(methods: Methods, meets: frozenset[Outcome], *lines: dict[str, Any]) -> Budget:
    assert methods.costing is not None
    result = costing_budget(methods.costing, plan(*lines), [], AS_OF, meets)
    assert isinstance(result, Budget)
    return result


# --- bottom-up costing --------------------------------------------------------------


def test_a_plan_line_a_willing_carer_meets_is_left_out_with_its_on_costs_and_overheads(
    methods: Methods,
) -> None:
    whole = costed(methods, frozenset(), *PLAN)
    # Pay £183.15; on-costs £47.77; staff cost £230.92; management and overheads £23.09 each.
    assert whole.weekly == Decimal("183.15") + Decimal("96.42") + Decimal("47.77") + 2 * Decimal(
        "23.09"
    )
    assert whole.weekly == Decimal("373.52")
    reduced = costed(methods, NUTRITION, *PLAN)
    # Pay £122.10; on-costs £31.84; staff cost £153.94; management and overheads £15.39 each.
    assert reduced.weekly == Decimal("122.10") + Decimal("96.42") + Decimal("31.84") + 2 * Decimal(
        "15.39"
    )
    # Exactly the line (£61.05) and its share of on-costs (£15.93) and overheads (2 x £7.70).
    assert whole.weekly - reduced.weekly == Decimal("61.05") + Decimal("15.93") + Decimal("15.40")
    left = reduced.lines[1]
    assert left.amount == Decimal(0) and left.quantity == Decimal(5)
    assert left.unit == "staff hour" and left.unit_cost == Decimal("12.21")
    assert left.label == (
        "One-to-one support (5 hours a week) for nutrition: left out, met by a carer willing "
        "and able to go on, Care Act 2014 s.18(7)"
    )
    assert left.source.startswith("Care Act 2014 s.18(7); rate: National Living Wage")
    assert reduced.lines[3].quantity == Decimal("122.10")  # the on-costs follow what is left


def test_a_line_serving_a_met_and_an_unmet_outcome_stays_in_and_says_so(
    methods: Methods,
) -> None:
    line = {"support": "one_to_one_day", "per_week": 10, "outcomes": ["nutrition", "clothing"]}
    assert costed(methods, NUTRITION, line).weekly == costed(methods, frozenset(), line).weekly
    kept = costed(methods, NUTRITION, line).lines[0]
    assert kept.amount == Decimal("122.10")
    assert kept.label == (
        "One-to-one support (10 hours a week) for nutrition and clothing: kept in, as clothing "
        f"is planned for (nutrition is {LEFT_OUT})"
    )


def test_a_line_naming_no_outcome_is_never_left_out(methods: Methods) -> None:
    line = {"support": "one_to_one_day", "per_week": 10}
    assert costed(methods, frozenset(Outcome), line).weekly == Decimal("184.72")


def test_a_line_no_carer_meets_keeps_its_label(methods: Methods) -> None:
    named = costed(methods, NUTRITION, PLAN[0]).lines[0]
    assert named.label == "One-to-one support (10 hours a week)"  # a plan's goals link by label


def test_an_agency_line_left_out_carries_no_on_costs_either_way(methods: Methods) -> None:
    only = costed(methods, frozenset({Outcome.community_facilities}), PLAN[2])
    assert only.weekly == Decimal(0) and [line.amount for line in only.lines] == [Decimal(0)]


# --- RAS --------------------------------------------------------------------------


def ras(methods: Methods, answers: dict[str, str], meets: frozenset[Outcome]) -> Budget:
    assert methods.ras is not None
    result = ras_budget(methods.ras, answers, AS_OF, meets)
    assert isinstance(result, Budget)
    return result


def test_a_domain_a_willing_carer_meets_scores_nothing_and_says_what_it_would_have(
    methods: Methods,
) -> None:
    assert ras(methods, SAVVA_22, frozenset()).weekly == Decimal("112.20")  # 22 x £5.10
    reduced = ras(methods, SAVVA_22, NUTRITION)
    assert reduced.total_points == 19 and reduced.weekly == Decimal("96.90")  # 19 x £5.10
    eating = next(p for p in reduced.points or [] if p.question == "eating")
    assert (eating.points, eating.would_score) == (0, 3)
    assert eating.note == f"nutrition: {LEFT_OUT}"
    assert eating.source.startswith("Care Act 2014 s.18(7); SI 2015/313 reg. 2(2)(a)")
    assert "a local choice" in eating.source


def test_a_domain_with_an_outcome_still_planned_for_is_scored(methods: Methods) -> None:
    # Personal care scores hygiene, toilet needs and clothing: a carer meets clothing only.
    result = ras(methods, SAVVA_22, frozenset({Outcome.clothing}))
    assert result.total_points == 22 and result.weekly == Decimal("112.20")
    assert all(p.would_score is None for p in result.points or [])


def test_the_unpaid_support_adjustment_and_the_domains_a_carer_meets_count_once(
    methods: Methods,
) -> None:
    # "A little" unpaid support: £112.20 less 5 % = £106.59; leaving out eating: £96.90.
    little = ras(methods, SAVVA_22 | {"unpaid_support": "a_little"}, NUTRITION)
    assert little.weekly == Decimal("96.90")
    adjustment = little.lines[-1]
    assert adjustment.amount == Decimal(0) and adjustment.unit_cost == Decimal("-0.05")
    assert "not applied" in adjustment.label and "not counted twice" in adjustment.label
    # "Most" unpaid support: £112.20 less 20 % = £89.76, more than leaving out eating.
    most = ras(methods, SAVVA_22 | {"unpaid_support": "most"}, NUTRITION)
    assert most.weekly == Decimal("89.76") and most.total_points == 22
    eating = next(p for p in most.points or [] if p.question == "eating")
    assert eating.points == 3 and eating.would_score is None
    assert eating.note is not None and "counted by the unpaid-support adjustment" in eating.note


def test_every_ras_domain_names_the_outcomes_it_scores_and_the_mapping_is_cited(
    methods: Methods,
) -> None:
    assert methods.ras is not None
    spec = methods.ras.spec
    assert all(d.outcomes for d in spec.domains)
    assert {o for d in spec.domains for o in d.outcomes} == set(Outcome)
    assert spec.domain_outcomes is not None and spec.domain_outcomes.status == "local"


# --- ISF --------------------------------------------------------------------------


def test_an_isf_leaves_out_the_tenants_own_support_a_carer_meets_not_the_house_costs(
    methods: Methods,
) -> None:
    assert methods.isf is not None and methods.costing is not None
    house = price_house(
        read_house(EXAMPLES / "elm-house.yaml"), methods.costing, SplitRule.equal, AS_OF
    )
    own = plan(PLAN[0], PLAN[1])

    def isf(meets: frozenset[Outcome]) -> Budget:
        assert methods.isf is not None and methods.costing is not None
        return isf_budget(methods.isf, methods.costing, house, "ana", own, None, AS_OF, meets)

    whole, reduced = isf(frozenset()), isf(NUTRITION)
    assert reduced.house is not None and whole.house is not None
    assert reduced.house.fixed_part == whole.house.fixed_part
    # Own support £277.10 (pay £183.15, on-costs £47.77, 2 x £23.09) -> £184.72.
    assert whole.weekly - reduced.weekly == Decimal("277.10") - Decimal("184.72")
    assert whole.house.discretionary_part - reduced.house.discretionary_part == Decimal("92.38")
    assert reduced.house.if_leaves.house_total_falls_by == reduced.house.discretionary_part


# --- the allocation -----------------------------------------------------------------


def allocate(allocator: Allocator, person: dict[str, Any], **request: Any) -> Allocation:
    body = {"intake": person, "questionnaire": SAVVA_22, "support_plan": PLAN} | request
    return allocator.allocate(loaded(body), AS_OF)


def weekly(allocation: Allocation, method: str) -> Decimal:
    budget = allocation.budget(method)
    assert budget is not None
    return budget.weekly


def test_the_allocation_its_sufficiency_and_charge_follow_the_reduced_figures(
    allocator: Allocator,
) -> None:
    rich = {"finances": {"income": [], "capital": 30000, "housing_costs_weekly": 0}}
    before = allocate(allocator, intake(**rich))
    after = allocate(allocator, intake(**rich, **carer(True, "nutrition")))
    assert after.eligibility == before.eligibility
    assert (weekly(before, "costing"), weekly(after, "costing")) == (
        Decimal("373.52"),
        Decimal("281.14"),
    )
    assert (weekly(before, "ras"), weekly(after, "ras")) == (Decimal("112.20"), Decimal("96.90"))
    assert after.sufficiency is not None
    assert after.sufficiency.costed_weekly == Decimal("281.14")
    assert after.sufficiency.shortfall_weekly == Decimal("281.14") - Decimal("96.90")
    # Capital above the upper limit: the whole (reduced) budget is the charge.
    assert after.charge() == Decimal("281.14") and before.charge() == Decimal("373.52")
    assert after.spread is not None and after.spread.ras_minus_costing == Decimal("-184.24")
    (line,) = after.carer_met
    assert line.amount == Decimal(0)
    assert line.label == (
        "nutrition: met by a carer willing and able to go on: left out of the costed plan: "
        "support_plan[1] one_to_one_day; RAS eating scores 0 points (would be 3)"
    )


def test_a_tenants_costing_and_isf_both_leave_out_the_line_and_the_line_says_so(
    allocator: Allocator,
) -> None:
    def ana(willing: bool) -> Allocation:
        person = intake(**carer(willing, "nutrition")) | {"id": "ana"}
        return allocate(allocator, person, id="ana", house="elm-house.yaml")

    before, after = ana(False), ana(True)
    # Her own support, £373.52 with the agency's trips, less the meals line with its share.
    for method in ("costing", "isf"):
        assert weekly(before, method) - weekly(after, method) == Decimal("92.38")
    (line,) = after.carer_met
    assert "left out of the costed plan and the ISF: support_plan[1] one_to_one_day" in line.label


def test_a_carer_who_cannot_go_on_or_may_not_changes_nothing_and_says_why(
    allocator: Allocator,
) -> None:
    before = allocate(allocator, intake())
    for willing, said in [
        (False, "nutrition: met by a carer who cannot or will not go on, planned for"),
        (
            None,
            "nutrition: met by a carer, planned for until it is known whether they are willing "
            "and able to go on (ask needs.outcomes[0].carer_willing_and_able)",
        ),
    ]:
        after = allocate(allocator, intake(**carer(willing, "nutrition")))
        assert [m.model_dump() for m in after.methods.values()] == [
            m.model_dump() for m in before.methods.values()
        ]
        assert [line.label for line in after.carer_met] == [said]


def test_no_line_says_left_out_when_no_plan_line_names_the_outcome(allocator: Allocator) -> None:
    unnamed = [{"support": "one_to_one_day", "per_week": 5}]
    after = allocate(allocator, intake(**carer(True, "nutrition")), support_plan=unnamed)
    assert weekly(after, "costing") == Decimal("92.37")  # 5 h: 61.05 + 15.92 + 2 x 7.70
    (line,) = after.carer_met
    assert "left out of the costed plan" not in line.label
    assert "no support plan line names it (support_plan[].outcomes): the costed plan left" in (
        line.label
    )


def test_a_night_line_left_out_is_not_night_care_the_council_arranges(
    allocator: Allocator,
) -> None:
    nights = [{"support": "sleep_in", "per_week": 7, "outcomes": ["home_safety"]}]
    income = {"income": [{"kind": "attendance_allowance", "amount": 110.40, "period": "week"}]}
    person = intake(finances=ELIGIBLE["finances"] | income)
    planned = allocate(allocator, person, support_plan=nights)
    met = allocate(allocator, merge_needs(person, carer(True, "home_safety")), support_plan=nights)
    assert weekly(met, "costing") == Decimal(0)
    assert planned.charging is not None and met.charging is not None
    # No night care arranged: AA above the standard rate (£110.40 - £73.90) is disregarded.
    assert met.charging.disposable_weekly is not None
    assert planned.charging.disposable_weekly is not None
    gap = planned.charging.disposable_weekly - met.charging.disposable_weekly
    assert gap == Decimal("36.50")
    assert any("no night care arranged" in line.label for line in met.charging.lines)


def merge_needs(person: dict[str, Any], needs: dict[str, Any]) -> dict[str, Any]:
    return person | {"needs": person["needs"] | needs["needs"]}


# --- request files ----------------------------------------------------------------


def test_an_unknown_outcome_in_a_plan_line_is_refused_by_file_line_and_field(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    request = tmp_path / "request.yaml"
    lines = [
        "intake_file: pat.json",
        "support_plan:",
        "  - {support: one_to_one_day, per_week: 5, outcomes: [nutrition]}",
        "  - {support: one_to_one_day, per_week: 5, outcomes: [clothing, dinner]}",
    ]
    request.write_text("\n".join(lines) + "\n")
    (tmp_path / "pat.json").write_text(json.dumps(intake()))
    code = main(["allocate", str(request), "--as-of", "2025-10-01"])
    out, err = capsys.readouterr()
    assert code == 2 and out == ""
    assert f"{request}:4: support_plan[1].outcomes[1]: Input should be 'nutrition'" in err


def test_an_outcome_named_twice_in_a_plan_line_is_refused(allocator: Allocator) -> None:
    twice = [{"support": "one_to_one_day", "per_week": 5, "outcomes": ["nutrition", "nutrition"]}]
    with pytest.raises(InputError) as caught:
        loaded({"intake": intake(), "support_plan": twice})
    assert [p.field for p in caught.value.problems] == ["support_plan[0].outcomes"]
    assert "outcome given twice: nutrition" in str(caught.value)


def test_the_allocation_json_keeps_what_a_domain_would_have_scored(allocator: Allocator) -> None:
    after = allocate(allocator, intake(**carer(True, "nutrition")))
    text = after.model_dump_json()
    assert '"would_score":3' in text
    assert Allocation.model_validate_json(text) == after


def run_json(capsys: pytest.CaptureFixture[str], request: Path) -> Any:
    code = main(["allocate", str(request), "--as-of", "2025-10-01", "--json"])
    out, err = capsys.readouterr()
    assert code == 0, err
    return json.loads(out)


def test_beas_example_runs_as_written_before_and_after_her_daughter(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    example = EXAMPLES / "allocation-bea.yaml"
    after = run_json(capsys, example)
    unwilling = tmp_path / "allocation-bea.yaml"
    unwilling.write_text(
        example.read_text().replace("carer_willing_and_able: true", "carer_willing_and_able: false")
    )
    before = run_json(capsys, unwilling)
    assert after["allocated"] is True and before["eligibility"] == after["eligibility"]
    # Costing: pay £256.41 (14 + 7 h at £12.21), on-costs £66.87, 2 x £32.33, agency £96.42;
    # her tea (7 h, £85.47) left out: pay £170.94, on-costs £44.58, 2 x £21.55.
    assert before["methods"]["costing"]["weekly"] == "484.36"
    assert after["methods"]["costing"]["weekly"] == "355.04"
    # RAS: 22 points £112.20 less 10 % unpaid support = £100.98; eating left out: 19 points,
    # £96.90, the unpaid-support adjustment not applied (the same care counted once).
    assert before["methods"]["ras"]["weekly"] == "100.98"
    assert after["methods"]["ras"]["weekly"] == "96.90"
    assert after["sufficiency"]["shortfall_weekly"] == "258.14"
    assert [line["label"] for line in after["carer_met"]] == [
        "nutrition: met by a carer willing and able to go on: left out of the costed plan: "
        "support_plan[1] one_to_one_day; RAS eating scores 0 points (would be 3)"
    ]


# --- the RAS file ---------------------------------------------------------------------


def test_a_domain_naming_an_unknown_outcome_is_refused_by_file_line_and_field(
    tmp_path: Path,
) -> None:
    ras = edited("ras", "outcomes: [nutrition]", "outcomes: [nutrition, meals]")
    folder = england_copy(tmp_path, ras=ras)
    where = f"{folder / 'allocation-ras.yaml'}:{line_of(ras, 'outcomes: [nutrition, meals]')}"
    (found,) = problems(folder)
    assert found.startswith(f"{where}: domains[1].outcomes[1]: Input should be 'nutrition'")


def test_domains_naming_outcomes_must_cite_the_mapping(tmp_path: Path) -> None:
    text = (ENGLAND / "allocation-ras.yaml").read_text()
    start = text.index("domain_outcomes:")
    ras = text[:start] + text[text.index("domains:", start) :]
    (found,) = problems(england_copy(tmp_path, ras=ras))
    assert "domains name outcomes: cite the mapping (domain_outcomes)" in found
