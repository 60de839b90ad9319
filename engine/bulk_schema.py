"""The columnar form of a population: the intake's own shape as polars types.

One row per person; every intake section is a struct column and every intake
list (household members, income items, outcomes, supports) a list of structs,
so the bulk backend (engine/bulk.py) reads the same paths the conditions name.
The tree is read off the pydantic models, as engine/schema.py does for the
condition language, so a new intake field needs no code here.

Numbers are exact integers: a Decimal field with `decimal_places=k` (money:
2) is stored times 10**k (pence or cents), a whole number as itself. A null
is an unknown answer, exactly as a missing field in an intake.
"""

from __future__ import annotations

import types
import typing
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from decimal import Decimal
from enum import Enum
from functools import cache
from typing import Any

import polars as pl
from pydantic import BaseModel

from engine.common import MONTHS_PER_YEAR, WEEKS_PER_YEAR
from engine.intake import EARNED_INCOME, PER_YEAR, IncomeItem, Intake
from engine.schema import unwrap

DEFAULT_DECIMAL_PLACES = 2  # a Decimal field that does not declare its places (hours)
NUMBER = pl.Int64


DEFAULT_BOUND = 2**40  # a number with no declared limit (none in the intake today)
DEFAULT_MAX_ITEMS = 10_000
MONEY_BOUND = 10**14  # Money: at most 14 digits, so under 10**14 pence or cents


@dataclass(frozen=True)
class Node:
    """One intake field in columnar form: its polars type and, for numbers, its scale
    and the largest stored magnitude (from the model's limits), which lets the bulk
    backend keep to 64-bit integers wherever they cannot overflow."""

    dtype: pl.DataType
    scale: int = 1  # stored value = true value * scale
    bound: int = 0  # |stored value| <= bound, for numbers
    max_items: int = 0  # for lists
    nullable: bool = True  # the model allows None here (an answer that may be unknown)
    fields: dict[str, Node] = field(default_factory=dict)  # a record's fields
    element: Node | None = None  # a list's element
    model: type[BaseModel] | None = None  # the record's model, for computed fields


@dataclass(frozen=True)
class Computed:
    """A computed field of an intake record, as a polars expression over the record."""

    kind: str  # "number" or "boolean"
    scale: int  # the expression's value = true value * scale
    bound: int
    build: Callable[[pl.Expr], pl.Expr]


def _per_year(record: pl.Expr) -> pl.Expr:
    """Periods a year (a chain of `when`: measured far faster than `replace_strict`
    inside `list.eval` on string columns built from numpy arrays)."""
    period = record.struct.field("period")
    chosen: pl.Expr = pl.lit(None, dtype=NUMBER)
    for name, count in PER_YEAR.items():
        chosen = (
            pl.when(period == name.value).then(pl.lit(int(count), dtype=NUMBER)).otherwise(chosen)
        )
    return chosen


def _amount(record: pl.Expr) -> pl.Expr:
    return record.struct.field("amount") * _per_year(record)


_ANNUAL_BOUND = MONEY_BOUND * max(int(n) for n in PER_YEAR.values())

# IncomeItem's computed fields (engine/intake.py), in exact integer form: `annual` is
# amount x periods a year, `weekly` and `monthly` divide it by 52 and 12.
COMPUTED: dict[type[BaseModel], dict[str, Computed]] = {
    IncomeItem: {
        "annual": Computed("number", 100, _ANNUAL_BOUND, _amount),
        "weekly": Computed("number", 100 * int(WEEKS_PER_YEAR), _ANNUAL_BOUND, _amount),
        "monthly": Computed("number", 100 * int(MONTHS_PER_YEAR), _ANNUAL_BOUND, _amount),
        "earned": Computed(
            "boolean",
            1,
            1,
            lambda r: r.struct.field("kind").is_in(sorted(k.value for k in EARNED_INCOME)),
        ),
    }
}


def _node(annotation: Any, metadata: Sequence[Any]) -> Node:
    annotation, more = unwrap(annotation)
    metadata = [*metadata, *more]
    if typing.get_origin(annotation) is list:
        (element,) = typing.get_args(annotation)
        inner = _node(element, ())
        items = _limit(metadata, "max_length") or DEFAULT_MAX_ITEMS
        element_node = replace(inner, nullable=False)  # lists hold no None
        return Node(pl.List(inner.dtype), element=element_node, max_items=int(items))
    if isinstance(annotation, type):
        if issubclass(annotation, BaseModel):
            return record_node(annotation)
        if issubclass(annotation, Enum | str):
            return Node(pl.String())
        if issubclass(annotation, bool):
            return Node(pl.Boolean())
        if issubclass(annotation, int):
            return Node(NUMBER(), bound=_magnitude(metadata, 1))
        if issubclass(annotation, Decimal):
            places = _limit(metadata, "decimal_places") or DEFAULT_DECIMAL_PLACES
            scale = 10 ** int(places)
            digits = _limit(metadata, "max_digits")
            bound = 10 ** int(digits) if digits else _magnitude(metadata, scale)
            return Node(NUMBER(), scale=scale, bound=bound)
        if issubclass(annotation, date):
            return Node(pl.Date())
    raise TypeError(f"no columnar type for {annotation!r}")


def _optional(annotation: Any) -> bool:
    while typing.get_origin(annotation) is typing.Annotated:
        annotation = typing.get_args(annotation)[0]
    union = typing.get_origin(annotation) in (typing.Union, types.UnionType)
    return union and type(None) in typing.get_args(annotation)


def _limit(metadata: Sequence[Any], name: str) -> Any:
    return next((getattr(m, name) for m in metadata if getattr(m, name, None) is not None), None)


def _magnitude(metadata: Sequence[Any], scale: int) -> int:
    """The largest |value| * scale the model's ge/gt/le/lt allow."""
    upper = _limit(metadata, "le") or _limit(metadata, "lt")
    lower = _limit(metadata, "ge") or _limit(metadata, "gt") or 0
    if upper is None:
        return DEFAULT_BOUND * scale
    return int(max(abs(Decimal(upper)), abs(Decimal(lower))) * scale)


@cache
def record_node(model: type[BaseModel]) -> Node:
    hints = typing.get_type_hints(model, include_extras=True)
    fields = {
        name: replace(_node(hints[name], info.metadata), nullable=_optional(hints[name]))
        for name, info in model.model_fields.items()
    }
    dtype = pl.Struct({name: node.dtype for name, node in fields.items()})
    return Node(dtype, fields=fields, model=model)


def intake_node() -> Node:
    return record_node(Intake)


def population_schema() -> pl.Schema:
    """The columns of a population frame: one per intake section."""
    return pl.Schema({name: node.dtype for name, node in intake_node().fields.items()})


# --- intakes to rows and back --------------------------------------------------------


def _to_cell(value: Any, node: Node) -> Any:
    if value is None:
        return None
    if node.fields:
        return {name: _to_cell(_get(value, name), inner) for name, inner in node.fields.items()}
    if node.element is not None:
        return [_to_cell(v, node.element) for v in value]
    if isinstance(value, Enum):
        return str(value.value)
    if isinstance(value, Decimal | int) and not isinstance(value, bool):
        scaled = Decimal(value) * node.scale
        if scaled != scaled.to_integral_value():
            raise ValueError(f"{value} has more decimal places than the columnar form keeps")
        return int(scaled)
    return value


def _get(value: Any, name: str) -> Any:
    return value.get(name) if isinstance(value, Mapping) else getattr(value, name, None)


def to_frame(intakes: Iterable[Intake]) -> pl.DataFrame:
    """Intakes as a population frame (row order kept)."""
    node = intake_node()
    rows = [_to_cell(intake, node) for intake in intakes]
    return pl.DataFrame(rows, schema=population_schema())


def _from_cell(value: Any, node: Node) -> Any:
    if value is None:
        return None
    if node.fields:
        return {
            name: _from_cell(value.get(name), inner)
            for name, inner in node.fields.items()
            if value.get(name) is not None
        }
    if node.element is not None:
        return [_from_cell(v, node.element) for v in value]
    if node.scale != 1:
        return Decimal(value) / node.scale
    return value


def to_intakes(frame: pl.DataFrame) -> list[Intake]:
    """A population frame's rows as intakes, e.g. to hold the bulk backend to durable-rules."""
    node = intake_node()
    return [Intake.model_validate(_from_cell(row, node)) for row in frame.iter_rows(named=True)]
