"""The reference evaluator of compiled conditions, in three-valued logic.

A value is known or UNKNOWN; UNKNOWN spreads through arithmetic and
comparisons, and `and`/`or` follow Kleene's rules, so a missing field can
make a result unknown but never true or false. It explains decisions and
prepares the facts the durable-rules backend compares.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, DivisionByZero, InvalidOperation
from typing import Any, Final

from engine.ir import (
    COMPARE,
    Aggregate,
    And,
    Arith,
    Call,
    Compare,
    Const,
    CriterionRef,
    DerivedRef,
    Expr,
    FieldRef,
    IfElse,
    ItemRef,
    Member,
    Negate,
    Not,
    Or,
    ParamRef,
    ProgrammeRef,
    Table,
)


class _Unknown:
    _instance: _Unknown | None = None

    def __new__(cls) -> _Unknown:
        if cls._instance is None:
            cls._instance = super().__new__(cls)
        return cls._instance

    def __repr__(self) -> str:
        return "UNKNOWN"

    def __bool__(self) -> bool:
        raise TypeError("UNKNOWN has no truth value; test `is UNKNOWN`")


UNKNOWN: Final = _Unknown()


@dataclass
class Env:
    """What an expression can see while a case is evaluated."""

    intake: Mapping[str, Any]
    as_of: date
    parameters: Mapping[str, Any] = field(default_factory=dict)
    derived: Mapping[str, Expr] = field(default_factory=dict)
    criteria: Mapping[str, bool | None] = field(default_factory=dict)
    programmes: Mapping[str, bool | None] = field(default_factory=dict)
    _derived_values: dict[str, Any] = field(default_factory=dict)

    def derived_value(self, name: str) -> Any:
        if name not in self._derived_values:
            self._derived_values[name] = evaluate(self.derived[name], self)
        return self._derived_values[name]


def evaluate(expr: Expr, env: Env, items: Mapping[str, Any] | None = None) -> Any:
    """The value of `expr`, or UNKNOWN."""
    items = items or {}
    match expr:
        case Const(value):
            return value
        case FieldRef(path):
            return lookup_path(env.intake, path)
        case ItemRef(var, path):
            return lookup_path(items[var], path)
        case ParamRef(name):
            return env.parameters[name]
        case DerivedRef(name):
            return env.derived_value(name)
        case CriterionRef(id):
            return _known(env.criteria.get(id))
        case ProgrammeRef(id):
            return _known(env.programmes.get(id))
        case And(parts):
            return _kleene(parts, env, items, stop=False)
        case Or(parts):
            return _kleene(parts, env, items, stop=True)
        case Not(item):
            value = evaluate(item, env, items)
            return UNKNOWN if value is UNKNOWN else not value
        case Compare(op, left, right):
            a, b = evaluate(left, env, items), evaluate(right, env, items)
            return UNKNOWN if a is UNKNOWN or b is UNKNOWN else COMPARE[op](a, b)
        case Member(item, container):
            a, b = evaluate(item, env, items), evaluate(container, env, items)
            return UNKNOWN if a is UNKNOWN or b is UNKNOWN else a in b
        case Arith(op, left, right):
            a, b = evaluate(left, env, items), evaluate(right, env, items)
            return UNKNOWN if a is UNKNOWN or b is UNKNOWN else _arith(op, a, b)
        case Negate(item):
            value = evaluate(item, env, items)
            return UNKNOWN if value is UNKNOWN else -value
        case IfElse(condition, then, otherwise):
            test = evaluate(condition, env, items)
            if test is UNKNOWN:
                return UNKNOWN
            return evaluate(then if test else otherwise, env, items)
        case Call(name, args):
            return _call(name, args, env, items)
        case Aggregate():
            return _aggregate(expr, env, items)
    raise TypeError(f"not an expression: {expr!r}")


def lookup_path(root: Any, path: tuple[str, ...]) -> Any:
    value = root
    for name in path:
        if value is None:
            return UNKNOWN
        value = value.get(name) if isinstance(value, Mapping) else getattr(value, name, None)
    return _normalise(value)


def _normalise(value: Any) -> Any:
    if value is None:
        return UNKNOWN
    if isinstance(value, bool):
        return value
    if isinstance(value, int | float):
        return Decimal(str(value))
    if isinstance(value, list):
        return value
    if isinstance(value, str):  # enums are StrEnum: compare as their plain value
        return str(value)
    return value


def _known(value: bool | None) -> Any:
    return UNKNOWN if value is None else value


def _kleene(parts: tuple[Expr, ...], env: Env, items: Mapping[str, Any], stop: bool) -> Any:
    unknown = False
    for part in parts:
        value = evaluate(part, env, items)
        if value is UNKNOWN:
            unknown = True
        elif value is stop:
            return stop
    return UNKNOWN if unknown else not stop


def _arith(op: str, a: Decimal, b: Decimal) -> Any:
    try:
        if op == "+":
            return a + b
        if op == "-":
            return a - b
        if op == "*":
            return a * b
        return a / b
    except (DivisionByZero, InvalidOperation):
        return UNKNOWN


def years_between(born: date, on: date) -> int:
    return on.year - born.year - ((on.month, on.day) < (born.month, born.day))


def _call(name: str, args: tuple[Expr, ...], env: Env, items: Mapping[str, Any]) -> Any:
    if name == "coalesce":
        for arg in args:
            value = evaluate(arg, env, items)
            if value is not UNKNOWN:
                return value
        return UNKNOWN
    values = [evaluate(arg, env, items) for arg in args]
    if any(v is UNKNOWN for v in values):
        return UNKNOWN
    if name == "years_since":
        return Decimal(years_between(values[0], env.as_of))
    if name == "min":
        return min(values)
    if name == "max":
        return max(values)
    if name == "ceil":
        return Decimal(math.ceil(values[0]))
    if name == "floor":
        return Decimal(math.floor(values[0]))
    if name == "len":
        return Decimal(len(values[0]))
    if name == "lookup":
        table, key = values
        assert isinstance(table, Table)
        if isinstance(key, str):
            found = table.lookup(str(key))  # an enumeration as its plain text
        elif key != key.to_integral_value():
            return UNKNOWN
        else:
            found = table.lookup(int(key))
        return UNKNOWN if found is None else found
    raise TypeError(f"unknown function {name}")


def _aggregate(expr: Aggregate, env: Env, items: Mapping[str, Any]) -> Any:
    elements = evaluate(expr.source, env, items)
    if elements is UNKNOWN:
        return UNKNOWN
    chosen: list[Any] = []
    for element in elements:
        scope = {**items, expr.var: element}
        if expr.condition is not None:
            keep = evaluate(expr.condition, env, scope)
            if keep is UNKNOWN and expr.name not in ("any", "all"):
                return UNKNOWN
            if keep is False:
                continue
        value = evaluate(expr.element, env, scope) if expr.element is not None else True
        if expr.condition is not None and keep is UNKNOWN and value is not UNKNOWN:
            # an element that may not count: it can only make any/all unknown, or nothing
            value = UNKNOWN if value is (expr.name == "any") else None
            if value is None:
                continue
        chosen.append(value)
    if expr.name == "count":
        return Decimal(len(chosen))
    if expr.name == "any":
        return _fold_kleene(chosen, stop=True)
    if expr.name == "all":
        return _fold_kleene(chosen, stop=False)
    if any(v is UNKNOWN for v in chosen):
        return UNKNOWN
    if expr.name == "sum":
        return sum(chosen, Decimal(0))
    if not chosen:
        return UNKNOWN
    return min(chosen) if expr.name == "min" else max(chosen)


def _fold_kleene(values: list[Any], stop: bool) -> Any:
    if any(v is stop for v in values):
        return stop
    if any(v is UNKNOWN for v in values):
        return UNKNOWN
    return not stop
