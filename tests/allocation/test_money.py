"""The one rounding rule and the split that keeps shares adding up to the penny."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from engine.common import annual, penny, split

pounds = st.decimals(min_value=0, max_value=100_000, places=2)
weights = st.lists(st.decimals(min_value=0, max_value=200, places=2), min_size=1, max_size=8)


def test_amounts_round_to_the_penny_half_up() -> None:
    assert penny(Decimal("31.84368")) == Decimal("31.84")
    assert penny(Decimal("0.005")) == Decimal("0.01")
    assert penny(Decimal("2.675")) == Decimal("2.68")  # a float would give 2.67
    assert penny(Decimal("-0.005")) == Decimal("-0.01")


def test_a_year_is_52_weeks() -> None:
    assert annual(Decimal("112.21")) == Decimal("5834.92")


def test_an_equal_split_gives_the_odd_pennies_to_the_first_shares() -> None:
    assert split(Decimal("100.00"), [Decimal(1)] * 3) == [
        Decimal("33.34"),
        Decimal("33.33"),
        Decimal("33.33"),
    ]


def test_a_split_by_hours_follows_the_hours() -> None:
    assert split(Decimal("183.15"), [Decimal(15), Decimal(10), Decimal(15)]) == [
        Decimal("68.68"),
        Decimal("45.79"),
        Decimal("68.68"),
    ]


def test_weights_that_add_up_to_nothing_cannot_split() -> None:
    with pytest.raises(ValueError):
        split(Decimal("10.00"), [Decimal(0), Decimal(0)])


@given(pounds, weights)
def test_shares_always_add_up_to_the_total_to_the_penny(total: Decimal, ws: list[Decimal]) -> None:
    if sum(ws) == 0:
        return
    shares = split(total, ws)
    assert sum(shares) == total
    assert all(share >= 0 and share == penny(share) for share in shares)
    exact = [total * w / sum(ws) for w in ws]
    assert all(abs(share - x) < Decimal("0.01") for share, x in zip(shares, exact, strict=True))
