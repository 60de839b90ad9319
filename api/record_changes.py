"""What changed between two records of one kind: the figures a person would ask about.

Outcomes for decisions, budgets and the charge for allocations, hours and
cost for rosters, every field for intakes. Pure functions over stored JSON.
"""

from __future__ import annotations

import json
from decimal import Decimal
from typing import Any

from allocation.budgets.allocation_model import Allocation, Budget
from allocation.roster.output import RosterResult
from api.resources import Change
from engine.decision_model import Decision

Flat = dict[str, str | None]


def flatten(value: Any, prefix: str = "") -> Flat:
    if isinstance(value, dict):
        flat: Flat = {}
        for key, item in value.items():
            flat.update(flatten(item, f"{prefix}.{key}" if prefix else str(key)))
        return flat
    if isinstance(value, list):
        flat = {}
        for index, item in enumerate(value):
            flat.update(flatten(item, f"{prefix}[{index}]"))
        return flat
    return {prefix: None if value is None else json.dumps(value).strip('"')}


def summary(kind: str, output: str) -> Flat:
    if kind == "decision":
        return _decision(Decision.model_validate_json(output))
    if kind == "allocation":
        return _allocation(Allocation.model_validate_json(output))
    if kind == "roster":
        return _roster(RosterResult.model_validate_json(output))
    if kind == "intake":
        return flatten(json.loads(output))
    return {}


def _decision(decision: Decision) -> Flat:
    flat: Flat = {}
    for programme in decision.programmes:
        flat[f"{programme.id}.outcome"] = programme.outcome
        if programme.result is not None:
            flat[f"{programme.id}.{programme.result.name}"] = programme.result.value
        if programme.amount is not None:
            value = programme.amount.value
            flat[f"{programme.id}.{programme.amount.name}"] = None if value is None else str(value)
    return flat


def _allocation(allocation: Allocation) -> Flat:
    flat: Flat = {"allocated": str(allocation.allocated).lower()}
    for name, outcome in allocation.methods.items():
        flat[f"methods.{name}.status"] = outcome.status
        if isinstance(outcome, Budget):
            flat[f"methods.{name}.weekly"] = _pounds(outcome.weekly)
            flat[f"methods.{name}.contribution"] = _pounds(outcome.contribution)
            flat[f"methods.{name}.net_funded"] = _pounds(outcome.net_funded)
    if allocation.charging is not None:
        flat["charging.weekly_charge"] = _pounds(allocation.charging.weekly_charge)
    return flat


def _roster(roster: RosterResult) -> Flat:
    flat: Flat = {
        "total_cost": str(roster.total_cost),
        "within_budget": str(roster.within_budget).lower(),
        "paid_hours": str(roster.paid_hours),
        "unpaid_hours": str(roster.unpaid_hours),
        "unmet_hours": str(sum((u.hours for u in roster.unmet), Decimal(0))),
    }
    for person in roster.people:
        flat[f"people.{person.id}.covered_hours"] = str(person.covered_hours)
    return flat


def _pounds(amount: Decimal | None) -> str | None:
    return None if amount is None else f"{amount:.2f}"


def changes(kind: str, before: str | None, after: str | None) -> list[Change]:
    old = summary(kind, before) if before is not None else {}
    new = summary(kind, after) if after is not None else {}
    return [
        Change(field=key, before=old.get(key), after=new.get(key))
        for key in sorted(old.keys() | new.keys())
        if old.get(key) != new.get(key)
    ]
