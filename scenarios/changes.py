"""What differs between two versions of the rules, in words.

Every dated parameter value (row by row for tables), criterion, derived
value, decision and result that differs, e.g. "SNAP: gross income limit,
household of 3, from 2025-10-01: $2,888 -> $3,332 a month".
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from engine.describe import describe, show_value
from engine.ir import Table
from engine.programmes import Parameter, Programme, Ruleset

CURRENCIES = {"USD": "$", "GBP": "£"}


def _money(value: Decimal, unit: str | None) -> str:
    """A value with its unit: currencies before the number, the rest of the unit after."""
    if unit:
        code, _, rest = unit.partition(" ")
        if code in CURRENCIES:
            places = 0 if value == value.to_integral_value() else 2
            shown = f"{CURRENCIES[code]}{value:,.{places}f}"
            return f"{shown} {rest}".rstrip()
        if unit not in ("count", "rate", "names", "true or false"):
            return f"{show_value(value)} {unit}"
    return show_value(value)


def _show(value: Any, unit: str | None) -> str:
    if value is None:
        return "none"
    if isinstance(value, Decimal) and not isinstance(value, bool):
        return _money(value, unit)
    return show_value(value)


def _rows(value: Any) -> dict[Any, Any]:
    """A table as its rows (and 'each additional'); any other value as one row."""
    if isinstance(value, Table):
        rows: dict[Any, Any] = dict(value.rows)
        rows["each_additional"] = value.each_additional
        return rows
    return {None: value}


def _row_label(key: Any, parameter: Parameter) -> str:
    if key is None:
        return ""
    if key == "each_additional":
        return ", each additional"
    return f", {_by(parameter)} {key}"


def _by(parameter: Parameter) -> str:
    text = (parameter.description or "").lower()
    return "household of" if "household size" in text or "household" in parameter.name else "row"


def parameter_changes(title: str, before: Parameter | None, after: Parameter | None) -> list[str]:
    some = after or before
    assert some is not None
    name = some.description or some.name.replace("_", " ")
    unit = some.unit
    old = {d.starts: d.value for d in before.values} if before else {}
    new = {d.starts: d.value for d in after.values} if after else {}
    lines = []
    for starts in sorted(old.keys() | new.keys()):
        if old.get(starts) == new.get(starts):
            continue
        rows_old, rows_new = _rows(old.get(starts)), _rows(new.get(starts))
        for key in sorted(rows_old.keys() | rows_new.keys(), key=str):
            a, b = rows_old.get(key), rows_new.get(key)
            if a != b:
                label = _row_label(key, some)
                lines.append(
                    f"{title}: {name}{label}, from {starts.isoformat()}: "
                    f"{_show(a, unit)} -> {_show(b, unit)}"
                )
    return lines


def programme_changes(before: Programme | None, after: Programme | None) -> list[str]:
    if before is None and after is not None:
        return [f"{after.title}: programme added ({after.id})"]
    if after is None and before is not None:
        return [f"{before.title}: programme removed ({before.id})"]
    assert before is not None and after is not None
    title = after.title
    lines: list[str] = []
    for name in sorted(before.parameters.keys() | after.parameters.keys()):
        lines += parameter_changes(title, before.parameters.get(name), after.parameters.get(name))
    old_criteria = {c.id: c for c in before.criteria}
    new_criteria = {c.id: c for c in after.criteria}
    for cid in [*old_criteria, *(c for c in new_criteria if c not in old_criteria)]:
        a, b = old_criteria.get(cid), new_criteria.get(cid)
        if a is None and b is not None:
            lines.append(f"{title}: criterion {cid} added: {describe(b.condition)}")
        elif b is None and a is not None:
            lines.append(f"{title}: criterion {cid} removed (was: {describe(a.condition)})")
        elif a is not None and b is not None and a.condition != b.condition:
            lines.append(
                f"{title}: criterion {cid}: {describe(a.condition)} -> {describe(b.condition)}"
            )
    for name in sorted(before.derived.keys() | after.derived.keys()):
        da, db = before.derived.get(name), after.derived.get(name)
        if (da and da.expr) != (db and db.expr):
            old = describe(da.expr) if da else "none"
            new = describe(db.expr) if db else "none"
            lines.append(f"{title}: {name.replace('_', ' ')}: {old} -> {new}")
    if before.decision != after.decision:
        lines.append(
            f"{title}: decision: {describe(before.decision)} -> {describe(after.decision)}"
        )
    if before.result != after.result:
        lines.append(f"{title}: the result's cases changed")
    return lines


def rule_changes(before: Sequence[Ruleset], after: Sequence[Ruleset]) -> list[str]:
    """Every difference, programme by programme (in the candidate's order, then removed)."""
    old = {p.id: p for r in before for p in r.programmes}
    new = {p.id: p for r in after for p in r.programmes}
    lines: list[str] = []
    for pid in [*new, *(p for p in old if p not in new)]:
        lines += programme_changes(old.get(pid), new.get(pid))
    return lines
