"""Money in the roster: exact integers inside, pounds outside.

CP-SAT needs integers, and an hourly rate over a 30-minute slot is half a
penny short of whole, so costs are counted in units of 1/slots-per-hour of a
penny: a slot at an hourly rate of r pence costs exactly r units. Turning
units into pounds uses the project's one rounding rule (engine/common.py).
"""

from __future__ import annotations

import math
from collections.abc import Hashable, Mapping
from decimal import Decimal
from fractions import Fraction
from typing import TypeVar

from engine.common import ZERO, penny, split

Key = TypeVar("Key", bound=Hashable)


def to_pence(pounds: Decimal) -> int:
    """Whole pence of an amount the week file holds to two decimal places."""
    pence = pounds * 100
    if pence != pence.to_integral_value():
        raise ValueError(f"{pounds} is not a whole number of pence")
    return int(pence)


def to_pounds(units: Fraction | int, units_per_penny: int) -> Decimal:
    """Units as pounds, by the rounding rule."""
    exact = Fraction(units) / (units_per_penny * 100)
    return penny(Decimal(exact.numerator) / Decimal(exact.denominator))


def apportion(shares: Mapping[Key, Fraction], units_per_penny: int) -> dict[Key, Decimal]:
    """Each share in pounds, adding up to the rounded total (split's largest remainder)."""
    keys = list(shares)
    total = sum(shares.values(), Fraction(0))
    if total == 0:
        return dict.fromkeys(keys, ZERO)
    scale = math.lcm(*(Fraction(shares[k]).denominator for k in keys))
    weights = [Decimal(int(shares[k] * scale)) for k in keys]
    return dict(zip(keys, split(to_pounds(total, units_per_penny), weights), strict=True))
