"""Bottom-up costing: support hours a week times unit costs, plus what employing staff costs.

Our own generic model, not the Care Funding Calculator's: each plan line is
staff time (hours or nights, times the staff present, divided among those
who share it) at the pay rate of its support type. Employed staff time then
carries employer on-costs, and the staff cost (pay plus on-costs) carries
management and overheads, each a dated fraction. A type whose rate is an
all-inclusive price (an agency's) carries none of them. A tenant of a shared
house adds their share of the house's core and shared costs.

A line naming only outcomes that a carer willing and able to go on meets is
left out (Care Act 2014 s.18(7)): shown at £0 with the time it would have
been, and adding no pay, so the on-costs and overheads fall with it.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from decimal import Decimal

from allocation.budgets.allocation_model import Budget, Line, Unavailable, total
from allocation.budgets.methods import Method
from allocation.budgets.methods_files import CostingFile
from allocation.budgets.requests import PlanLine
from allocation.budgets.unpaid_care import LEFT_OUT, SOURCE, all_met, words
from engine.common import ZERO, penny
from engine.intake import Outcome

OVERHEADS = (
    ("management", "Management and supervision"),
    ("overheads", "Overheads (office, training, insurance, recruitment)"),
)


def support_lines(
    method: Method[CostingFile],
    plan: Sequence[PlanLine],
    on: date,
    carer_meets: frozenset[Outcome] = frozenset(),
) -> list[Line]:
    """The plan's staff time at unit costs, then on-costs, management and overheads.

    A line whose outcomes a willing and able carer meets (`carer_meets`) costs £0.
    """
    lines: list[Line] = []
    pay = ZERO
    for entry in plan:
        kind = method.spec.support_types[entry.support]
        rate = method.dated(kind.rate, on)
        quantity = entry.per_week * kind.staff / entry.shared_by
        left_out = all_met(entry.outcomes, carer_meets)
        amount = ZERO if left_out else penny(quantity * rate.value)
        lines.append(
            Line(
                label=_label(entry, kind.label, kind.unit.value, kind.staff)
                + _serves(entry, carer_meets),
                amount=amount,
                source=f"{SOURCE}; rate: {rate.source}" if left_out else rate.source,
                quantity=quantity,
                unit=f"staff {kind.unit.value}",
                unit_cost=rate.value,
            )
        )
        if kind.employed:
            pay += amount
    if pay == ZERO:
        return lines
    on_costs = method.dated("on_costs", on)
    added = penny(pay * on_costs.value)
    lines.append(
        Line(
            label="Employer on-costs (National Insurance, pension, holiday pay)",
            amount=added,
            source=on_costs.source,
            quantity=pay,
            unit="£ of pay",
            unit_cost=on_costs.value,
        )
    )
    staff_cost = pay + added
    for name, label in OVERHEADS:
        fraction = method.dated(name, on)
        lines.append(
            Line(
                label=label,
                amount=penny(staff_cost * fraction.value),
                source=fraction.source,
                quantity=staff_cost,
                unit="£ of staff cost",
                unit_cost=fraction.value,
            )
        )
    return lines


def full_cost(method: Method[CostingFile], support: str, per_week: Decimal, on: date) -> Decimal:
    """Staff time of one support type at its full cost: pay and all that employing it costs."""
    return total(support_lines(method, [PlanLine(support=support, per_week=per_week)], on))


def costing_budget(
    method: Method[CostingFile],
    plan: Sequence[PlanLine] | None,
    house_lines: Sequence[Line],
    on: date,
    carer_meets: frozenset[Outcome] = frozenset(),
) -> Budget | Unavailable:
    if plan is None and not house_lines:
        return Unavailable(
            method="costing",
            status="needs_information",
            reason="there is no support plan",
            ask=["support_plan"],
        )
    lines = support_lines(method, plan or [], on, carer_meets) + list(house_lines)
    return Budget.of("costing", method.spec.id, method.ruleset, lines)


def _label(entry: PlanLine, label: str, unit: str, staff: int) -> str:
    per_week = f"{entry.per_week.normalize():f} {unit}s a week"
    detail = per_week if staff == 1 else f"{per_week}, {staff} staff"
    if entry.shared_by > 1:
        detail += f", shared by {entry.shared_by}"
    return f"{label} ({detail})"


def _serves(entry: PlanLine, carer_meets: frozenset[Outcome]) -> str:
    """Whether a willing and able carer's care leaves the line out, or why it stays in.

    Nothing when no carer meets its outcomes: its label stays as it was (a plan
    links its goals to budget lines by label).
    """
    met = [o for o in entry.outcomes if o in carer_meets]
    if not met:
        return ""
    serves = f" for {words(entry.outcomes)}"
    if all_met(entry.outcomes, carer_meets):
        return f"{serves}: left out, {LEFT_OUT}"
    planned = [o for o in entry.outcomes if o not in carer_meets]
    return (
        f"{serves}: kept in, as {words(planned)} {_is(planned)} planned for "
        f"({words(met)} {_is(met)} {LEFT_OUT})"
    )


def _is(outcomes: Sequence[Outcome]) -> str:
    return "are" if len(outcomes) > 1 else "is"
