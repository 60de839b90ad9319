"""Building blocks every part shares: strict models, repeated ids, and money.

Money is exact pounds and pence, Decimal, never float. The one rounding rule,
applied here and nowhere else: an amount that a calculation produces is
rounded to the penny, half up (0.005 becomes 0.01), once, when it becomes a
line of that calculation (`penny`). Totals are sums of lines, so they need no
rounding of their own. A sum divided into shares is split by largest
remainder (`split`), so the shares always add up to the sum to the penny.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import ROUND_HALF_UP, Decimal
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field


class Strict(BaseModel):
    """Unknown fields are errors: a typo must not silently become "unknown"."""

    model_config = ConfigDict(extra="forbid", frozen=True)


def refuse_repeats(ids: list[str], what: str) -> None:
    """For model validators: each outcome, answer or id may be given once."""
    twice = sorted({i for i in ids if ids.count(i) > 1})
    if twice:
        raise ValueError(f"{what} given twice: {', '.join(twice)}")


# --- money ---------------------------------------------------------------------------

Money = Annotated[Decimal, Field(ge=0, max_digits=14, decimal_places=2)]
WEEKS_PER_YEAR = Decimal(52)
MONTHS_PER_YEAR = Decimal(12)
PENNY = Decimal("0.01")
ZERO = Decimal("0.00")


def penny(amount: Decimal | int) -> Decimal:
    """The rounding rule: to the penny, half up."""
    return Decimal(amount).quantize(PENNY, rounding=ROUND_HALF_UP)


def annual(weekly: Decimal) -> Decimal:
    """A weekly amount over a year of 52 weeks (exact: weekly is whole pence)."""
    return penny(weekly * WEEKS_PER_YEAR)


def clamp(amount: Decimal, low: Decimal | None, high: Decimal | None) -> Decimal:
    if low is not None:
        amount = max(amount, low)
    if high is not None:
        amount = min(amount, high)
    return amount


def split(total: Decimal, weights: Sequence[Decimal]) -> list[Decimal]:
    """`total` shared in proportion to `weights`, the shares adding up to it exactly.

    Each share is first rounded down to the penny; the pennies left over go one
    each to the shares with the largest remainders, the earlier share first on
    a tie. Equal weights give shares that differ by at most a penny. Exact:
    the arithmetic is in whole pence and whole multiples of the finest weight.
    """
    if not weights or any(w < 0 for w in weights) or sum(weights) <= 0:
        raise ValueError("shares need weights of 0 or more with a positive sum")
    pence = int(penny(total) / PENNY)
    places = max(-min(int(w.as_tuple().exponent) for w in weights), 0)
    whole = [int(w.scaleb(places)) for w in weights]
    weight_sum = sum(whole)
    shares = [pence * w // weight_sum for w in whole]
    remainders = [pence * w % weight_sum for w in whole]
    by_remainder = sorted(range(len(whole)), key=lambda i: (-remainders[i], i))
    for index in by_remainder[: pence - sum(shares)]:
        shares[index] += 1
    return [Decimal(share) * PENNY for share in shares]


def pounds(amount: Decimal) -> str:
    """For tables: £1,234.56."""
    sign = "-" if amount < 0 else ""
    return f"{sign}£{abs(amount):,.2f}"
