"""Resource Allocation System: questionnaire points to an indicative budget.

Points from every domain (plus any adjustment in points), times the price
per point; held between the floor and cap of the band the points fall in;
then each adjustment in percent, in the file's order. Floors and caps never
fall as points rise (checked when the file loads) and percent adjustments
never go below -100 %, so a greater need never gives a smaller budget.

A domain names the outcomes it scores; one whose outcomes a carer willing and
able to go on meets all scores 0 (Care Act 2014 s.18(7)), showing the points
it would have scored.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from decimal import Decimal

from allocation.budgets.allocation_model import Budget, Line, RasPoints, Unavailable
from allocation.budgets.methods import Method
from allocation.budgets.methods_files import Band, RasFile
from allocation.budgets.unpaid_care import LEFT_OUT, SOURCE, all_met, words
from engine.common import clamp, penny
from engine.intake import Outcome
from engine.programmes import Dated

HUNDRED = Decimal(100)
NOT_TWICE = (
    "not applied: the domains a carer willing and able to go on meets score 0 instead, "
    "the larger reduction (the same care is not counted twice)"
)
COUNTED = (
    "met by a carer willing and able to go on, counted by the unpaid-support adjustment "
    "instead, the larger reduction (the same care is not counted twice)"
)


def ras_budget(
    method: Method[RasFile],
    answers: Mapping[str, str] | None,
    on: date,
    carer_meets: frozenset[Outcome] = frozenset(),
) -> Budget | Unavailable:
    """The indicative budget; the domains a willing and able carer meets score 0.

    An `unpaid_care` adjustment counts the same care as those domains, so the
    RAS takes the larger of the two reductions, never both: left out by
    outcome (the adjustment then not applied), or the adjustment (the domains
    then scored, and said so). Either way a carer meeting more outcomes never
    raises the budget.
    """
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
    met = frozenset(d.id for d in spec.domains if all_met(d.outcomes, carer_meets))
    plain = _worked(method, given, on, met, left_out=False)
    if not met:
        return plain
    by_outcome = _worked(method, given, on, met, left_out=True)
    return by_outcome if by_outcome.weekly <= plain.weekly else plain


def _worked(
    method: Method[RasFile], given: Mapping[str, str], on: date, met: frozenset[str], left_out: bool
) -> Budget:
    """Points to money. `met`: the domains a willing and able carer meets; scored 0 when
    `left_out` (the unpaid-care adjustments then not applied), else scored and said so."""
    spec = method.spec
    chosen = {a.id: next(x for x in a.answers if x.id == given[a.id]) for a in spec.adjustments}
    cited = f"; outcomes: {spec.domain_outcomes.source}" if spec.domain_outcomes else ""
    points = []
    for domain in spec.domains:
        answer = next(a for a in domain.answers if a.id == given[domain.id])
        scored = RasPoints(
            question=domain.id, answer=answer.id, points=answer.points, source=domain.source
        )
        if domain.id in met and left_out:
            scored = RasPoints(
                question=domain.id,
                answer=answer.id,
                points=0,
                source=_cited(f"{domain.source}{cited}"),
                would_score=answer.points,
                note=f"{words(domain.outcomes)}: {LEFT_OUT}",
            )
        elif domain.id in met:
            scored = scored.model_copy(update={"note": f"{words(domain.outcomes)}: {COUNTED}"})
        points.append(scored)
    skipped = {a.id for a in spec.adjustments if a.unpaid_care and left_out}
    for a in spec.adjustments:
        change = chosen[a.id]
        if not change.points:
            continue
        if a.id in skipped:
            points.append(
                RasPoints(
                    question=a.id,
                    answer=change.id,
                    points=0,
                    source=_cited(a.source),
                    would_score=change.points,
                    note=NOT_TWICE,
                )
            )
        else:
            points.append(
                RasPoints(question=a.id, answer=change.id, points=change.points, source=a.source)
            )
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
        if not change.percent:
            continue
        skip = adjustment.id in skipped
        adjusted = current if skip else penny(current * (HUNDRED + change.percent) / HUNDRED)
        lines.append(
            Line(
                label=f"{adjustment.title}: {change.explain}" + (f": {NOT_TWICE}" if skip else ""),
                amount=adjusted - current,
                source=_cited(adjustment.source) if skip else adjustment.source,
                quantity=current,
                unit="£",
                unit_cost=change.percent / HUNDRED,
            )
        )
        current = adjusted
    return Budget.of(
        "ras", spec.id, method.ruleset, lines, points=points, total_points=total, band=band.id
    )


def _cited(source: str) -> str:
    """A source with s.18(7) before it, unless it cites it already."""
    return source if SOURCE in source else f"{SOURCE}; {source}"


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
