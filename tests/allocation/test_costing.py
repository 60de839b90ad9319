"""Bottom-up costing, checked by hand against the cited unit costs."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from allocation.budgets.allocation_model import Budget, Unavailable
from allocation.budgets.bottom_up_costing import costing_budget, support_lines
from allocation.budgets.methods import Methods
from allocation.budgets.requests import PlanLine
from tests.allocation.conftest import AS_OF


def amounts(methods: Methods, *plan: PlanLine, on: date = AS_OF) -> list[Decimal]:
    assert methods.costing is not None
    return [line.amount for line in support_lines(methods.costing, plan, on)]


def test_ten_hours_one_to_one_at_the_living_wage_with_on_costs_and_overheads(
    methods: Methods,
) -> None:
    # 10 h x £12.21 = £122.10; on-costs 26.08 % = £31.84; staff cost £153.94;
    # management 10 % = £15.39; overheads 10 % = £15.39.
    found = amounts(methods, PlanLine(support="one_to_one_day", per_week=Decimal(10)))
    assert found == [Decimal("122.10"), Decimal("31.84"), Decimal("15.39"), Decimal("15.39")]
    assert sum(found) == Decimal("184.72")


def test_the_pay_rate_follows_the_date(methods: Methods) -> None:
    line = PlanLine(support="one_to_one_day", per_week=Decimal(10))
    assert amounts(methods, line, on=date(2024, 6, 1))[0] == Decimal("114.40")  # NLW £11.44
    assert amounts(methods, line, on=date(2026, 5, 1))[0] == Decimal("127.10")  # NLW £12.71


def test_two_to_one_counts_both_workers(methods: Methods) -> None:
    found = amounts(methods, PlanLine(support="two_to_one", per_week=Decimal(4)))
    assert found[0] == Decimal("97.68")  # 8 staff hours x £12.21


def test_shared_support_is_divided_among_those_who_share_it(methods: Methods) -> None:
    found = amounts(methods, PlanLine(support="shared_day", per_week=Decimal(12), shared_by=3))
    assert found[0] == Decimal("48.84")  # 12 h / 3 = 4 staff hours x £12.21


def test_sleep_ins_are_costed_per_night_and_waking_nights_per_hour(methods: Methods) -> None:
    nights = amounts(methods, PlanLine(support="sleep_in", per_week=Decimal(7)))
    assert nights[0] == Decimal("545.65")  # 7 x £77.95 (Sheffield, 8-hour sleep-in)
    waking = amounts(methods, PlanLine(support="waking_night", per_week=Decimal(70)))
    assert waking[0] == Decimal("854.70")  # 70 h x £12.21


def test_an_agency_price_is_all_inclusive(methods: Methods) -> None:
    found = amounts(methods, PlanLine(support="community_access", per_week=Decimal(6)))
    assert found == [Decimal("192.84")]  # 6 h x £32.14, HCA minimum price 2025/26


def test_no_plan_and_no_house_asks_for_the_plan(methods: Methods) -> None:
    assert methods.costing is not None
    result = costing_budget(methods.costing, None, [], AS_OF)
    assert isinstance(result, Unavailable) and result.ask == ["support_plan"]


def test_the_budget_is_the_sum_of_its_lines(methods: Methods) -> None:
    assert methods.costing is not None
    plan = [
        PlanLine(support="one_to_one_day", per_week=Decimal("10.5")),
        PlanLine(support="community_access", per_week=Decimal(3)),
    ]
    result = costing_budget(methods.costing, plan, [], AS_OF)
    assert isinstance(result, Budget)
    # 10.5 x 12.21 = 128.205 -> 128.21; on-costs 33.44; staff 161.65; 16.17 + 16.17; 96.42
    assert result.weekly == Decimal("128.21") + Decimal("96.42") + Decimal("33.44") + 2 * Decimal(
        "16.17"
    )
