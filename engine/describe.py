"""Compiled conditions back into the text a person reads in an explanation."""

from __future__ import annotations

from collections import deque
from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from engine.ir import (
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
    children,
)


def describe(expr: Expr) -> str:
    match expr:
        case Const(value):
            return show_value(value)
        case FieldRef(path):
            return ".".join(path)
        case ItemRef(var, path):
            return ".".join((var, *path))
        case ParamRef(name):
            return f"param.{name}"
        case DerivedRef(name) | CriterionRef(name):
            return name
        case ProgrammeRef(id):
            return f"programme.{id}.eligible"
        case Compare(op, left, right):
            return f"{describe(left)} {op} {describe(right)}"
        case Member(item, container):
            return f"{describe(item)} in {describe(container)}"
        case And(items):
            return " and ".join(_grouped(item) for item in items)
        case Or(items):
            return " or ".join(_grouped(item) for item in items)
        case Not(item):
            return f"not {_grouped(item)}"
        case Arith(op, left, right):
            return f"{_grouped(left)} {op} {_grouped(right)}"
        case Negate(item):
            return f"-{_grouped(item)}"
        case IfElse(condition, then, otherwise):
            return f"{describe(then)} if {describe(condition)} else {describe(otherwise)}"
        case Call(name, args):
            return f"{name}({', '.join(describe(a) for a in args)})"
        case Aggregate(name, var, source, element, condition):
            body = var if element is None else describe(element)
            test = f" if {describe(condition)}" if condition is not None else ""
            return f"{name}({body} for {var} in {describe(source)}{test})"
    return repr(expr)


def labelled_reads(expr: Expr, derived: Mapping[str, Expr]) -> tuple[tuple[str, Expr], ...]:
    """The values a condition reads, each with the name a person would look it up
    under: derived values followed by what they were derived from, aggregates as one
    value (not their list), in reading order, each once."""
    reads: dict[str, Expr] = {}
    pending = deque([expr])
    expanded: set[str] = set()  # each derived value is followed once: a graph, not a tree
    while pending:
        node = pending.popleft()
        if isinstance(node, Aggregate | DerivedRef | FieldRef | ParamRef | ProgrammeRef):
            reads.setdefault(describe(node), node)
        if isinstance(node, DerivedRef):
            if node.name not in expanded:
                expanded.add(node.name)
                pending.append(derived[node.name])
        elif not isinstance(node, Aggregate):
            pending.extend(children(node))
    return tuple(reads.items())


def _grouped(expr: Expr) -> str:
    text = describe(expr)
    return f"({text})" if isinstance(expr, And | Or | Arith | IfElse) else text


def show_value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, Decimal):
        return format(value.normalize(), "f") if value == value.to_integral_value() else str(value)
    if isinstance(value, str):
        return f'"{value}"'
    if isinstance(value, tuple):
        return "(" + ", ".join(show_value(v) for v in value) + ")"
    return str(value)
