"""Money in the roster: exact integers inside, pounds to the penny outside.

CP-SAT needs integers, and an hourly rate over a 30-minute slot is half a
penny short of whole, so costs are counted in units of 1/slots-per-hour of a
penny: a slot at an hourly rate of r pence costs exactly r units. Rounding to
the penny happens here and nowhere else: half up, once per figure shown.
"""

from __future__ import annotations

import math
from collections.abc import Hashable, Mapping
from decimal import Decimal
from fractions import Fraction
from typing import TypeVar

Key = TypeVar("Key", bound=Hashable)
PENNY = Decimal("0.01")


def to_pence(pounds: Decimal) -> int:
    """Whole pence of an amount the week file holds to two decimal places."""
    pence = pounds * 100
    if pence != pence.to_integral_value():
        raise ValueError(f"{pounds} is not a whole number of pence")
    return int(pence)


def _round_pence(units: Fraction, units_per_penny: int) -> int:
    return math.floor(Fraction(units) / units_per_penny + Fraction(1, 2))


def to_pounds(units: Fraction | int, units_per_penny: int) -> Decimal:
    """Units as pounds, rounded half up to the penny."""
    return _pounds(_round_pence(Fraction(units), units_per_penny))


def _pounds(pence: int) -> Decimal:
    return (Decimal(pence) / 100).quantize(PENNY)


def apportion(shares: Mapping[Key, Fraction], units_per_penny: int) -> dict[Key, Decimal]:
    """Each share in pounds, rounded so that the shares add up to the rounded total.

    Largest remainder: every share is rounded down to the penny, and the pence
    left over go to the largest remainders (ties to the earlier key).
    """
    total = _round_pence(sum(shares.values(), Fraction(0)), units_per_penny)
    exact = {key: Fraction(value) / units_per_penny for key, value in shares.items()}
    pence = {key: math.floor(value) for key, value in exact.items()}
    left = total - sum(pence.values())
    order = sorted(exact, key=lambda key: exact[key] - pence[key], reverse=True)
    for key in order[:left]:
        pence[key] += 1
    return {key: _pounds(value) for key, value in pence.items()}
