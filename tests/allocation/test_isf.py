"""ISF split for a shared house: shares add up to the house total to the penny, and a
tenant who leaves takes exactly their discretionary part with them."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from allocation.budgets.houses import read_house
from allocation.budgets.isf import (
    HouseError,
    PricedCost,
    PricedHouse,
    fixed_shares,
    price_house,
    split_house,
    without,
)
from allocation.budgets.methods import Methods
from allocation.budgets.methods_files import SplitRule
from tests.allocation.conftest import AS_OF, EXAMPLES

money = st.decimals(min_value=0, max_value=3000, places=2)


@st.composite
def houses(draw: Any) -> tuple[PricedHouse, dict[str, Decimal]]:
    tenants = [f"t{i}" for i in range(draw(st.integers(1, 6)))]
    core = tuple(PricedCost(f"core {i}", draw(money), "s") for i in range(draw(st.integers(0, 3))))
    shared = []
    for i in range(draw(st.integers(0, 4))):
        users = draw(st.lists(st.sampled_from(tenants), min_size=1, unique=True))
        rule = draw(st.sampled_from(list(SplitRule)))
        if rule is SplitRule.equal:
            weights = tuple(Decimal(1) for _ in users)
        else:
            weights = tuple(draw(st.decimals(min_value=1, max_value=40, places=1)) for _ in users)
        shared.append(PricedCost(f"shared {i}", draw(money), "s", tuple(users), weights, rule))
    house = PricedHouse("h", "h.yaml", tuple(tenants), core, tuple(shared))
    discretionary = {t: draw(money) for t in tenants}
    return house, discretionary


@settings(max_examples=200, deadline=None)
@given(houses())
def test_isf_shares_add_up_to_the_house_total_to_the_penny(case: Any) -> None:
    house, discretionary = case
    whole = split_house(house, discretionary)
    assert sum(whole.shares.values()) == whole.total
    assert whole.total == house.fixed_total + sum(discretionary.values())
    assert all(share == share.quantize(Decimal("0.01")) for share in whole.shares.values())


@settings(max_examples=200, deadline=None)
@given(houses(), st.data())
def test_a_leaving_tenant_reduces_the_house_total_by_exactly_their_discretionary_part(
    case: Any, data: st.DataObject
) -> None:
    house, discretionary = case
    if len(house.tenants) < 2:
        return
    leaver = data.draw(st.sampled_from(house.tenants))
    before = split_house(house, discretionary)
    rest = {t: d for t, d in discretionary.items() if t != leaver}
    after = split_house(without(house, leaver), rest)
    assert after.total == before.total - discretionary[leaver]
    assert sum(after.shares.values()) == after.total
    assert leaver not in after.shares


def test_a_shared_cost_nobody_left_uses_is_shared_by_all() -> None:
    car = PricedCost("car", Decimal("90.00"), "s", ("a",), (Decimal(1),))
    house = PricedHouse("h", "h.yaml", ("a", "b", "c"), (), (car,))
    after = without(house, "a")
    assert after.shared == () and after.core[0].label == "car (no user left: shared by all)"
    lines = fixed_shares(after)
    assert [lines[t][0].amount for t in ("b", "c")] == [Decimal("45.00"), Decimal("45.00")]


def test_the_last_tenant_leaving_leaves_no_one_to_share_the_costs() -> None:
    house = PricedHouse("h", "h.yaml", ("a",), (PricedCost("night", Decimal(10), "s"),), ())
    with pytest.raises(HouseError, match="last tenant"):
        without(house, "a")


def test_elm_house_priced_by_hand(methods: Methods) -> None:
    assert methods.costing is not None
    house = price_house(
        read_house(EXAMPLES / "elm-house.yaml"), methods.costing, SplitRule.equal, AS_OF
    )
    # Waking night 70 h x £12.21 = 854.70 + on-costs 222.91 = 1077.61 + 107.76 + 107.76.
    # Core day cover 56 h x £12.21 = 683.76 + 178.32 = 862.08 + 86.21 + 86.21.
    assert [c.amount for c in house.core] == [Decimal("1293.13"), Decimal("1034.50")]
    # Group activities 15 h x £12.21 = 183.15 + 47.77 = 230.92 + 23.09 + 23.09; the car £85.
    assert [c.amount for c in house.shared] == [Decimal("277.10"), Decimal("85.00")]
    lines = fixed_shares(house)
    # Core £2,327.63 among four: 581.9075 each, the odd three pennies to the first three.
    assert [lines[t][0].amount for t in house.tenants] == [Decimal("581.91")] * 3 + [
        Decimal("581.90")
    ]
    # Activities by hours used 15 : 10 : 15 of £277.10; the car equally among ana, ben, dee.
    assert [lines[t][1].amount for t in ("ana", "ben", "cal")] == [
        Decimal("103.91"),
        Decimal("69.28"),
        Decimal("103.91"),
    ]
    assert [lines[t][-1].amount for t in ("ana", "ben", "dee")] == [
        Decimal("28.34"),
        Decimal("28.33"),
        Decimal("28.33"),
    ]
