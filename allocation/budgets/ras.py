"""Resource Allocation System: questionnaire points to an indicative budget.

Points from every domain (plus any adjustment in points), times the price
per point; held between the floor and cap of the band the points fall in;
then each adjustment in percent, in the file's order. Floors and caps never
fall as points rise (checked when the file loads) and percent adjustments
never go below -100 %, so a greater need never gives a smaller budget.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from decimal import Decimal

from allocation.budgets.allocation_model import Budget, Line, RasPoints, Unavailable
from allocation.budgets.methods import Method
from allocation.budgets.methods_files import Band, RasFile
from engine.common import clamp, penny
from engine.programmes import Dated

HUNDRED = Decimal(100)


def ras_budget(
    method: Method[RasFile], answers: Mapping[str, str] | None, on: date
) -> Budget | Unavailable:
    spec = method.spec
    given = answers or {}
    questions = [d.id for d in spec.domains] + [a.id for a in spec.adjustments]
    missing = [q for q in questions if q not in given]
    if missing:
        return Unavailable(
            method="ras",
            status="needs_information",
            reason="the RAS questionnaire is not complete",
            ask=[f"questionnaire.{q}" for q in missing],
        )
    chosen = {a.id: next(x for x in a.answers if x.id == given[a.id]) for a in spec.adjustments}
    scored = [
        (d.id, next(a for a in d.answers if a.id == given[d.id]), d.source) for d in spec.domains
    ]
    points = [
        RasPoints(question=question, answer=answer.id, points=answer.points, source=source)
        for question, answer, source in scored
    ]
    points += [
        RasPoints(
            question=a.id, answer=chosen[a.id].id, points=chosen[a.id].points, source=a.source
        )
        for a in spec.adjustments
        if chosen[a.id].points
    ]
    total = max(0, sum(p.points for p in points))
    band = _band(spec.bands, total)
    price = method.dated("price_per_point", on)
    amount = penny(total * price.value)
    lines = [
        Line(
            label=f"{total} points at the price per point{_uprated(price, on)}",
            amount=amount,
            source=price.source,
            quantity=Decimal(total),
            unit="point",
            unit_cost=price.value,
        )
    ]
    floor = method.dated(band.floor, on) if band.floor else None
    cap = method.dated(band.cap, on) if band.cap else None
    held = clamp(amount, floor.value if floor else None, cap.value if cap else None)
    if held != amount:
        limit = floor if held > amount else cap
        assert limit is not None
        word = "floor" if held > amount else "cap"
        lines.append(
            Line(
                label=f"Band {band.id}: held at its {word}",
                amount=held - amount,
                source=limit.source,
            )
        )
    current = held
    for adjustment in spec.adjustments:
        change = chosen[adjustment.id]
        if change.percent:
            adjusted = penny(current * (HUNDRED + change.percent) / HUNDRED)
            lines.append(
                Line(
                    label=f"{adjustment.title}: {change.explain}",
                    amount=adjusted - current,
                    source=adjustment.source,
                    quantity=current,
                    unit="£",
                    unit_cost=change.percent / HUNDRED,
                )
            )
            current = adjusted
    return Budget.of(
        "ras", spec.id, method.ruleset, lines, points=points, total_points=total, band=band.id
    )


def _uprated(price: Dated, on: date) -> str:
    """Says so when the price per point in force was set before this financial year."""
    year = on.year if (on.month, on.day) >= (4, 1) else on.year - 1
    if price.starts >= date(year, 4, 1):
        return f" (the {year}/{str(year + 1)[2:]} figure)"
    return (
        f" (set from {price.starts.isoformat()}: not uprated for {year}/{str(year + 1)[2:]}, "
        "a local setting to review)"
    )


def _band(bands: list[Band], points: int) -> Band:
    return [b for b in bands if b.min_points <= points][-1]
