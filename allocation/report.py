"""The allocation JSON (docs/design.md, "Allocation") and the cohort's CSV rows.

Money is a string of pounds with two decimals ("1234.50"), so no reader has
to trust a float; quantities and rates are strings too.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from decimal import Decimal
from typing import Any

from allocation.allocate import PersonAllocation
from allocation.charging import Assessment
from allocation.compare import funding, house_totals, largest_ras_costing_spread, spread, totals
from allocation.money import annual, penny
from allocation.results import Budget, Line, Outcome


def person_json(allocation: PersonAllocation) -> dict[str, Any]:
    gate = allocation.gate
    found = spread(allocation)
    return {
        "person": allocation.person,
        "as_of": allocation.as_of.isoformat(),
        "allocated": gate.passed,
        "eligibility": {"programmes": list(gate.programmes), "blocked_by": gate.blocked_by},
        "rulesets": [dict(r) for r in allocation.rulesets],
        "methods": {name: _outcome(allocation, name, o) for name, o in allocation.outcomes.items()},
        "charging": _assessment(allocation.charging) if allocation.charging else None,
        "spread": None
        if found is None
        else {
            "weekly": _money(found.weekly),
            "highest": found.highest,
            "lowest": found.lowest,
            "ras_minus_costing": _money(found.ras_minus_costing),
        },
    }


def cohort_json(allocations: Sequence[PersonAllocation], methods: Sequence[str]) -> dict[str, Any]:
    largest = largest_ras_costing_spread(allocations)
    return {
        "as_of": allocations[0].as_of.isoformat() if allocations else None,
        "people": [person_json(a) for a in allocations],
        "totals": {
            t.method: {
                "people": t.people,
                "weekly": _money(t.weekly),
                "annual": _money(t.annual),
                "contribution": _money(t.contribution),
                "net_funded": _money(t.net_funded),
                "unassessed": t.unassessed,
            }
            for t in totals(allocations, methods)
        },
        "largest_ras_costing_spread": None
        if largest is None
        else {
            "person": largest[0],
            "ras_minus_costing": _money(largest[1]),
        },
        "houses": [
            {
                "id": h.id,
                "tenants": list(h.tenants),
                "fixed_weekly": _money(h.fixed_weekly),
                "shares": {t: _money(v) for t, v in h.shares.items()},
                "total_weekly": _money(h.total),
            }
            for h in house_totals(allocations)
        ],
    }


def csv_header(methods: Sequence[str]) -> list[str]:
    columns = ["person", "allocated", "blocked_by"]
    for method in methods:
        columns += [
            f"{method}_weekly",
            f"{method}_annual",
            f"{method}_contribution",
            f"{method}_net_funded",
        ]
    return [*columns, "spread_weekly", "ras_minus_costing"]


def csv_row(allocation: PersonAllocation, methods: Sequence[str]) -> list[str]:
    blocked = allocation.gate.blocked_by
    row = [
        allocation.person,
        "yes" if allocation.gate.passed else "no",
        (blocked or {}).get("programme") or "",
    ]
    for method in methods:
        found = funding(allocation, method)
        if found is None:
            row += ["", "", "", ""]
        else:
            row += [
                _cell(found.weekly),
                _cell(annual(found.weekly)),
                _cell(found.contribution),
                _cell(found.net_funded),
            ]
    gap = spread(allocation)
    row += [_cell(gap.weekly if gap else None), _cell(gap.ras_minus_costing if gap else None)]
    return row


def _outcome(allocation: PersonAllocation, name: str, outcome: Outcome) -> dict[str, Any]:
    if not isinstance(outcome, Budget):
        return {
            "method": name,
            "status": outcome.status,
            "reason": outcome.reason,
            "ask": list(outcome.ask),
        }
    found = funding(allocation, name)
    assert found is not None
    return {
        "method": name,
        "id": outcome.method_id,
        "status": "ok",
        "weekly": _money(outcome.weekly),
        "annual": _money(outcome.annual),
        "lines": [_line(line) for line in outcome.lines],
        "contribution": _money(found.contribution),
        "net_funded": _money(found.net_funded),
        "ruleset": dict(outcome.ruleset),
        **{key: _plain(value) for key, value in outcome.details.items()},
    }


def _assessment(assessment: Assessment) -> dict[str, Any]:
    return {
        "id": assessment.method_id,
        "status": "needs_information" if assessment.ask else "ok",
        "full_cost": assessment.full_cost,
        "reason": assessment.reason,
        "ask": list(assessment.ask),
        "lines": [_line(line) for line in assessment.lines],
        "disposable_weekly": None
        if assessment.ask or assessment.full_cost
        else _money(assessment.disposable),
        "weekly_charge": _money(assessment.weekly_charge),
        "ruleset": dict(assessment.ruleset),
    }


def _line(line: Line) -> dict[str, Any]:
    return {
        "label": line.label,
        "quantity": _number(line.quantity),
        "unit": line.unit,
        "unit_cost": _number(line.unit_cost),
        "amount": _money(line.amount),
        "source": line.source,
    }


def _plain(value: Any) -> Any:
    """Method details (points, house) as JSON: money and numbers as strings."""
    if isinstance(value, Decimal):
        return _money(value)
    if isinstance(value, Mapping):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    return value


def _money(amount: Decimal | None) -> str | None:
    return None if amount is None else f"{penny(amount):f}"


def _number(value: Decimal | None) -> str | None:
    """As written when it has at most four decimals, else to four (a third of an hour)."""
    if value is None:
        return None
    exponent = value.as_tuple().exponent
    shown = (
        value if isinstance(exponent, int) and exponent >= -4 else value.quantize(Decimal("0.0001"))
    )
    return f"{shown:f}"


def _cell(amount: Decimal | None) -> str:
    return "" if amount is None else f"{penny(amount):f}"
