"""Compiled conditions: our own intermediate form, independent of any backend.

The condition language (engine/expressions.py) parses and type-checks ruleset
text into these nodes. The Python evaluator (engine/evaluate.py) and the
durable-rules compiler (engine/durable_compiler.py) both read them, and a
columnar backend can read them too, so backends can be held equal by tests.

A derived value is one shared node of the programme's graph: expressions read
it by name (`DerivedRef`), never by copying its definition, and every walk
that follows one does so once (issue 8: `d1: d0 + d0` ... `d59` is 60 nodes,
not 2**60 paths). The loader bounds the graph (`graph_depth`, node budget).
"""

from __future__ import annotations

import operator
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from enum import StrEnum
from typing import Any

Scalar = Decimal | bool | str | date


class Kind(StrEnum):
    number = "number"
    boolean = "boolean"
    text = "text"
    date = "date"
    list = "list"
    record = "record"
    table = "table"


@dataclass(frozen=True, slots=True)
class Type:
    kind: Kind
    choices: frozenset[str] | None = None  # allowed values of an enumerated text
    element: Type | None = None  # the element type of a list, the key type of a table
    fields: tuple[tuple[str, Type], ...] = ()  # the fields of a record

    def field(self, name: str) -> Type | None:
        return dict(self.fields).get(name)

    def describe(self) -> str:
        if self.kind is Kind.list and self.element is not None:
            return f"list of {self.element.describe()}"
        if self.kind is Kind.text and self.choices:
            return "one of " + ", ".join(sorted(self.choices))
        return self.kind.value


NUMBER = Type(Kind.number)
BOOLEAN = Type(Kind.boolean)
TEXT = Type(Kind.text)
DATE = Type(Kind.date)
TABLE = Type(Kind.table, element=NUMBER)  # a table by a whole number
TEXT_TABLE = Type(Kind.table, element=TEXT)  # a table by a text, e.g. a state


# --- expression nodes -----------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Const:
    value: Scalar | tuple[Scalar, ...]


@dataclass(frozen=True, slots=True)
class FieldRef:
    """A path into the intake, e.g. ("needs", "wellbeing_impact")."""

    path: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class ItemRef:
    """A field of the current element inside an aggregate: `o.manages`."""

    var: str
    path: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class ParamRef:
    name: str


@dataclass(frozen=True, slots=True)
class DerivedRef:
    name: str


@dataclass(frozen=True, slots=True)
class CriterionRef:
    """A criterion of the same programme, inside its decision."""

    id: str


@dataclass(frozen=True, slots=True)
class ProgrammeRef:
    """Another programme's decision: `programme.us.snap.eligible`."""

    id: str


@dataclass(frozen=True, slots=True)
class Compare:
    op: str  # one of COMPARISONS
    left: Expr
    right: Expr


@dataclass(frozen=True, slots=True)
class Member:
    """`item in container`: a literal tuple, a list parameter or a list field."""

    item: Expr
    container: Expr


@dataclass(frozen=True, slots=True)
class And:
    items: tuple[Expr, ...]


@dataclass(frozen=True, slots=True)
class Or:
    items: tuple[Expr, ...]


@dataclass(frozen=True, slots=True)
class Not:
    item: Expr


@dataclass(frozen=True, slots=True)
class Arith:
    op: str  # + - * /
    left: Expr
    right: Expr


@dataclass(frozen=True, slots=True)
class Negate:
    item: Expr


@dataclass(frozen=True, slots=True)
class IfElse:
    condition: Expr
    then: Expr
    otherwise: Expr


@dataclass(frozen=True, slots=True)
class Call:
    """A whitelisted function over values: years_since, coalesce, min, max, ceil, floor,
    lookup, len."""

    name: str
    args: tuple[Expr, ...]


@dataclass(frozen=True, slots=True)
class Aggregate:
    """`count(o for o in needs.outcomes if ...)` and sum, min, max, any, all."""

    name: str
    var: str
    source: FieldRef
    element: Expr | None  # None for count
    condition: Expr | None


Expr = (
    Const
    | FieldRef
    | ItemRef
    | ParamRef
    | DerivedRef
    | CriterionRef
    | ProgrammeRef
    | Compare
    | Member
    | And
    | Or
    | Not
    | Arith
    | Negate
    | IfElse
    | Call
    | Aggregate
)

COMPARISONS = ("==", "!=", "<", "<=", ">", ">=")
# Each comparison as a function: of two values (the evaluator) or two columns (bulk).
COMPARE: dict[str, Callable[[Any, Any], Any]] = {
    "==": operator.eq,
    "!=": operator.ne,
    "<": operator.lt,
    "<=": operator.le,
    ">": operator.gt,
    ">=": operator.ge,
}
NEGATED = {"==": "!=", "!=": "==", "<": ">=", "<=": ">", ">": "<=", ">=": "<"}
FLIPPED = {"==": "==", "!=": "!=", "<": ">", "<=": ">=", ">": "<", ">=": "<="}


def children(expr: Expr) -> tuple[Expr, ...]:
    """The direct sub-expressions of a node, for walks that do not care about kind."""
    match expr:
        case Compare(_, left, right) | Arith(_, left, right):
            return (left, right)
        case Member(item, container):
            return (item, container)
        case And(items) | Or(items):
            return items
        case Not(item) | Negate(item):
            return (item,)
        case IfElse(condition, then, otherwise):
            return (condition, then, otherwise)
        case Call(_, args):
            return args
        case Aggregate(_, _, source, element, condition):
            return tuple(e for e in (source, element, condition) if e is not None)
    return ()


def walk(expr: Expr) -> list[Expr]:
    found = [expr]
    for child in children(expr):
        found.extend(walk(child))
    return found


def graph_depth(expr: Expr, derived_depths: Mapping[str, int]) -> int:
    """How deep evaluating `expr` goes, a derived value it reads counting as deep as
    its own definition (known from `derived_depths`, filled in definition order).
    Derived values are shared nodes of a graph: reading one twice costs once."""
    own = 1 + max((graph_depth(child, derived_depths) for child in children(expr)), default=0)
    if isinstance(expr, DerivedRef):
        return own + derived_depths.get(expr.name, 0)
    return own


def field_reads(expr: Expr) -> set[tuple[str, ...]]:
    """The intake paths an expression reads (aggregates read their list's path)."""
    return {node.path for node in walk(expr) if isinstance(node, FieldRef)}


@dataclass(frozen=True, slots=True)
class Table:
    """A parameter that varies by a whole number (e.g. household size) or by a text
    (e.g. a US state); only a table by number has a step beyond its last row."""

    rows: tuple[tuple[int, Decimal], ...] | tuple[tuple[str, Decimal], ...]
    each_additional: Decimal | None = None
    by_text: bool = False  # keys are texts; such a table may be empty for a period

    def lookup(self, key: int | str) -> Decimal | None:
        values: dict[int | str, Decimal] = dict(self.rows)
        if key in values:
            return values[key]
        if isinstance(key, str) or self.by_text:
            return None
        largest = max(k for k in values if isinstance(k, int))
        if key > largest and self.each_additional is not None:
            return values[largest] + (key - largest) * self.each_additional
        return None
