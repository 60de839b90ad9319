"""What changed between two records of one kind: the figures a person would ask about.

Outcomes for decisions, budgets and the charge for allocations, hours and
cost for rosters, every field for intakes. Pure functions over stored JSON.
"""

from __future__ import annotations

import json
from typing import Any

from api.resources import Change

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
    data = json.loads(output)
    if kind == "intake":
        return flatten(data)
    if kind == "decision":
        flat: Flat = {}
        for programme in data["programmes"]:
            flat[f"{programme['id']}.outcome"] = programme["outcome"]
            if programme.get("result"):
                flat[f"{programme['id']}.{programme['result']['name']}"] = programme["result"][
                    "value"
                ]
        return flat
    if kind == "allocation":
        flat = {"allocated": json.dumps(data["allocated"])}
        for name, method in data["methods"].items():
            for key in ("status", "weekly", "contribution", "net_funded"):
                if key in method:
                    flat[f"methods.{name}.{key}"] = method[key]
        if data.get("charging"):
            flat["charging.weekly_charge"] = data["charging"]["weekly_charge"]
        return flat
    if kind == "roster":
        flat = {
            key: str(data[key])
            for key in ("total_cost", "within_budget", "paid_hours", "unpaid_hours")
        }
        for person in data["people"]:
            flat[f"people.{person['id']}.covered_hours"] = str(person["covered_hours"])
        flat["unmet_hours"] = str(sum(float(u["hours"]) for u in data["unmet"]))
        return flat
    return {}


def changes(kind: str, before: str | None, after: str | None) -> list[Change]:
    old = summary(kind, before) if before is not None else {}
    new = summary(kind, after) if after is not None else {}
    return [
        Change(field=key, before=old.get(key), after=new.get(key))
        for key in sorted(old.keys() | new.keys())
        if old.get(key) != new.get(key)
    ]
