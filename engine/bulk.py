"""The bulk backend: compiled conditions as polars expressions over a whole population.

It reads the same IR (engine/ir.py) as the reference evaluator and the
durable-rules compiler, so a ruleset that loads runs in bulk without code.
Semantics are the reference evaluator's (engine/evaluate.py), column-wise:

- a null is UNKNOWN; polars' `&`, `|` and `~` on booleans already follow
  Kleene's logic, and every other operation turns a null input into a null;
- numbers are exact: a column holds integers and the compiler knows, for each
  expression, the whole number it is scaled by (money is stored in pence or
  cents; a monthly income is annual pence over 12), so arithmetic, comparisons,
  ceil, floor and table lookups are exact integer operations on Int128, never
  floats;
- aggregates over intake lists are `list.eval` folds with the evaluator's
  rules for unknown elements and unknown conditions;
- derived values, criteria, decisions and results become columns, programmes
  in dependency order, so chaining reads the column of the programme before.

Rows are grouped by the rulesets that serve them (country and region), as
the screener chooses per case, and each group runs its own compiled plan.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from decimal import Decimal
from fractions import Fraction
from typing import Any, get_args

import polars as pl

from engine.bulk_schema import COMPUTED, Node, intake_node
from engine.decision_model import OUTCOME, Outcome
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
from engine.loader import dependency_order
from engine.programmes import Programme, Ruleset

WIDE = 2**62  # a number whose bound reaches this is computed in Int128
YEARS_BOUND = 10_000  # years between two dates polars can hold, and more
ROW = "__row"
AMOUNT_SCALE = 100  # amounts are written in hundredths: cents, pence
GROUP = "__rulesets"  # which rulesets serve a row, one bit each
OUTCOMES = pl.Enum(get_args(Outcome))


class BulkError(ValueError):
    """A construct of the condition language the bulk backend cannot run exactly."""


_NONE = object()


@dataclass(frozen=True)
class Val:
    """A compiled value: a polars expression, its kind and, for numbers, its scale.

    A number's true value is `expr / scale`, and |expr| <= bound, worked out from
    the intake model's limits, so Int64 is used wherever it cannot overflow.
    `const` holds the Python value when it is known at compile time (literals
    and parameters)."""

    expr: pl.Expr
    kind: str  # number, boolean, text, date, list, table
    scale: int = 1
    bound: int = 0
    const: Any = _NONE
    node: Node | None = None  # a list's element, for aggregates
    node_items: int = 0  # a list's most elements
    nullable: bool = True  # False when the value is known never to be null

    @property
    def known(self) -> bool:
        return self.const is not _NONE


def _constant(value: Any) -> Val:
    if isinstance(value, bool):
        return Val(pl.lit(value, dtype=pl.Boolean), "boolean", const=value, nullable=False)
    if isinstance(value, Decimal | int | Fraction):
        exact = Fraction(value)
        n = exact.numerator
        return Val(_lit(n), "number", exact.denominator, abs(n), const=exact, nullable=False)
    if isinstance(value, str):
        return Val(pl.lit(value, dtype=pl.String), "text", const=value, nullable=False)
    if isinstance(value, date):
        return Val(pl.lit(value, dtype=pl.Date), "date", const=value, nullable=False)
    if isinstance(value, tuple):
        return Val(pl.lit(None), "list", const=value, nullable=False)
    if isinstance(value, Table):
        return Val(pl.lit(None), "table", const=value)
    raise BulkError(f"no columnar form for the value {value!r}")


def _lit(n: int) -> pl.Expr:
    return pl.lit(n, dtype=pl.Int64 if abs(n) < WIDE else pl.Int128)


def _fit(expr: pl.Expr, bound: int) -> pl.Expr:
    """`expr` as an integer type that holds `bound`."""
    return expr.cast(pl.Int128) if bound >= WIDE else expr


def _number(expr: pl.Expr, scale: int = 1, bound: int = 0, nullable: bool = True) -> Val:
    return Val(expr, "number", scale, bound, nullable=nullable)


def _nullable(*vals: Val) -> bool:
    return any(v.nullable for v in vals)


def _align(vals: Sequence[Val]) -> tuple[list[pl.Expr], int, int]:
    """The values over one common scale, in one integer type; with that scale and the
    largest bound among them."""
    scale = math.lcm(*(v.scale for v in vals))
    bound = max(v.bound * (scale // v.scale) for v in vals)
    exprs = []
    for v in vals:
        factor = scale // v.scale
        expr = _fit(v.expr, bound)
        exprs.append(expr if factor == 1 else expr * _lit(factor))
    return exprs, scale, bound


def _any_null(exprs: Sequence[pl.Expr]) -> pl.Expr:
    return pl.any_horizontal([e.is_null() for e in exprs])


@dataclass
class _Scope:
    """Where an expression stands: a programme's columns, or inside an aggregate."""

    programme: Programme
    parameters: dict[str, Any]
    columns: dict[str, str]  # derived name / criterion id -> column name
    kinds: dict[str, Val]  # derived name -> a Val template (kind, scale) for its column
    item_var: str | None = None
    item_node: Node | None = None


@dataclass
class _Compiler:
    as_of: date
    programme_columns: dict[str, str] = field(default_factory=dict)
    stages: list[tuple[str, pl.Expr]] = field(default_factory=list)

    # --- values ----------------------------------------------------------------------

    def value(self, expr: Expr, scope: _Scope) -> Val:
        match expr:
            case Const(value):
                return _constant(value)
            case ParamRef(name):
                return _constant(scope.parameters[name])
            case FieldRef(path):
                return self.path(pl, intake_node(), path, root=True)
            case ItemRef(var, path):
                if var != scope.item_var or scope.item_node is None:
                    raise BulkError(f"{var}.{'.'.join(path)} is read outside its own aggregate")
                return self.path(pl.element(), scope.item_node, path, root=False)
            case DerivedRef(name):
                if scope.item_var is not None:
                    raise BulkError(f"an aggregate reads the derived value {name!r}")
                return self.derived(name, scope)
            case CriterionRef(id):
                return Val(pl.col(scope.columns[f"criterion:{id}"]), "boolean")
            case ProgrammeRef(id):
                column = self.programme_columns.get(id)
                if column is None:  # not among the programmes that serve these rows
                    return Val(pl.lit(None, dtype=pl.Boolean), "boolean")
                return Val(pl.col(column), "boolean")
            case And(items) | Or(items):
                parts = [self.value(item, scope) for item in items]
                combined = parts[0].expr
                for part in parts[1:]:
                    combined = (
                        combined & part.expr if isinstance(expr, And) else combined | part.expr
                    )
                return Val(combined, "boolean", nullable=_nullable(*parts))
            case Not(item):
                inner = self.value(item, scope)
                return Val(~inner.expr, "boolean", nullable=inner.nullable)
            case Compare(op, left, right):
                return self.compare(op, self.value(left, scope), self.value(right, scope))
            case Member(item, container):
                return self.member(self.value(item, scope), self.value(container, scope))
            case Arith(op, left, right):
                return self.arith(op, self.value(left, scope), self.value(right, scope))
            case Negate(item):
                inner = self.value(item, scope)
                if inner.known:
                    return _constant(-inner.const)
                return _number(_negated(inner.expr), inner.scale, inner.bound, inner.nullable)
            case IfElse(condition, then, otherwise):
                return self.if_else(
                    self.value(condition, scope),
                    self.value(then, scope),
                    self.value(otherwise, scope),
                )
            case Call(name, args):
                return self.call(name, [self.value(a, scope) for a in args])
            case Aggregate():
                return self.aggregate(expr, scope)
        raise BulkError(f"not an expression: {expr!r}")

    def path(self, base: Any, node: Node, path: tuple[str, ...], root: bool) -> Val:
        expr: pl.Expr | None = None if root else base
        nullable = False  # whether a record on the way may be missing
        for name in path:
            computed = COMPUTED.get(node.model, {}).get(name) if node.model else None
            if computed is not None and expr is not None:
                # computed from the record's required fields: known when the record is
                built = computed.build(expr)
                if computed.kind == "number":
                    return _number(built, computed.scale, computed.bound, nullable)
                return Val(built, computed.kind, nullable=nullable)
            if name not in node.fields:
                raise BulkError(f"no field {name!r} in the columnar intake")
            node = node.fields[name]
            nullable = nullable or node.nullable
            expr = pl.col(name) if expr is None else expr.struct.field(name)
        assert expr is not None
        return replace(_leaf(expr, node), nullable=nullable)

    def derived(self, name: str, scope: _Scope) -> Val:
        key = f"derived:{name}"
        if key not in scope.columns:
            definition = scope.programme.derived[name]
            val = self.value(definition.expr, scope)
            column = f"{scope.programme.id}#{name}"
            if val.kind in ("list", "table"):
                raise BulkError(f"the derived value {name!r} is a {val.kind}")
            scope.columns[key] = column
            scope.kinds[name] = val
            if not val.known:
                self.stages.append((column, val.expr))
        template = scope.kinds[name]
        if template.known:
            return template
        return replace(template, expr=pl.col(scope.columns[key]))

    # --- operations ------------------------------------------------------------------

    def compare(self, op: str, a: Val, b: Val) -> Val:
        if a.known and b.known:
            return _constant(COMPARE[op](a.const, b.const))
        if a.kind == "number":
            (left, right), _, _ = _align([a, b])
        else:
            left, right = a.expr, b.expr
        return Val(COMPARE[op](left, right), "boolean", nullable=_nullable(a, b))

    def member(self, item: Val, container: Val) -> Val:
        if container.known:
            values = list(container.const)
            if item.known:
                return _constant(item.const in values)
            if item.kind == "number":
                (scaled, *_), scale, _ = _align([item, *(_constant(v) for v in values)])
                found = scaled.is_in([int(Fraction(v) * scale) for v in values])
            else:
                found = item.expr.is_in(values)
            return Val(_unless(item, found), "boolean", nullable=item.nullable)
        if item.kind == "number" and container.node is not None and container.node.scale != 1:
            raise BulkError("'in' over a list of numbers with decimal places")
        found = container.expr.list.contains(item.expr)
        nullable = _nullable(item, container)
        return Val(_unless(item, _unless(container, found)), "boolean", nullable=nullable)

    def arith(self, op: str, a: Val, b: Val) -> Val:
        if a.known and b.known:
            if op == "/" and b.const == 0:
                return _number(pl.lit(None, dtype=pl.Int64))
            return _constant(_ARITH[op](a.const, b.const))
        if op in ("+", "-"):
            (left, right), scale, bound = _align([a, b])
            total = _fit(left, 2 * bound) + right if op == "+" else _fit(left, 2 * bound) - right
            return _number(total, scale, 2 * bound, _nullable(a, b))
        if op == "*":
            if b.known:
                return _times(a, b.const)
            if a.known:
                return _times(b, a.const)
            bound = a.bound * b.bound
            product = _fit(a.expr, bound) * _fit(b.expr, bound)
            return _number(product, a.scale * b.scale, bound, _nullable(a, b))
        if not b.known:
            raise BulkError("the bulk backend divides only by a value known in the ruleset")
        if b.const == 0:
            return _number(pl.lit(None, dtype=pl.Int64))
        return _times(a, 1 / b.const)

    def if_else(self, test: Val, then: Val, otherwise: Val) -> Val:
        if test.known:
            return then if test.const else otherwise
        if then.kind == "number":
            (a, b), scale, bound = _align([then, otherwise])
        else:
            a, b, scale, bound = then.expr, otherwise.expr, 1, 0
        chosen = pl.when(test.expr).then(a).otherwise(b)
        nullable = _nullable(test, then, otherwise)
        return Val(_unless(test, chosen), then.kind, scale, bound, nullable=nullable)

    def call(self, name: str, args: list[Val]) -> Val:
        nullable = _nullable(*args)
        if name == "coalesce":
            nullable = all(a.nullable for a in args)
            if args[0].kind == "number":
                exprs, scale, bound = _align(args)
                return _number(pl.coalesce(exprs), scale, bound, nullable)
            return Val(pl.coalesce([a.expr for a in args]), args[0].kind, nullable=nullable)
        if name == "years_since":
            return _number(_years_between(args[0].expr, self.as_of), 1, YEARS_BOUND, nullable)
        if name in ("min", "max"):
            exprs, scale, bound = _align(args)
            pick = pl.min_horizontal(exprs) if name == "min" else pl.max_horizontal(exprs)
            if nullable:  # min_horizontal skips nulls; the evaluator's min is unknown
                pick = pl.when(_any_null(exprs)).then(None).otherwise(pick)
            return _number(pick, scale, bound, nullable)
        if name in ("floor", "ceil"):
            (arg,) = args
            step = _lit(arg.scale)
            bound = arg.bound // arg.scale + 1
            if name == "floor":
                return _number(arg.expr // step, 1, bound, nullable)
            return _number(_negated(_negated(arg.expr) // step), 1, bound, nullable)
        if name == "len":
            items = args[0].node_items
            return _number(args[0].expr.list.len().cast(pl.Int64), 1, items, nullable)
        if name == "lookup":
            table, key = args
            return _lookup(table.const, key)
        raise BulkError(f"unknown function {name}")

    def aggregate(self, node: Aggregate, scope: _Scope) -> Val:
        if scope.item_var is not None:
            raise BulkError("an aggregate inside another aggregate")
        source = self.value(node.source, scope)
        inner = _Scope(
            scope.programme, scope.parameters, {}, {}, item_var=node.var, item_node=source.node
        )
        keep = self.value(node.condition, inner) if node.condition is not None else _constant(True)
        lists = source.expr
        if node.name == "count":
            kept = _each(lists, keep.expr)
            counted = kept.list.count_matches(True).cast(pl.Int64)
            unknown = kept.list.count_matches(None) > 0 if keep.nullable else None
            return _number(_unless(source, counted, unknown), 1, source.node_items)
        assert node.element is not None
        element = self.value(node.element, inner)
        if node.name in ("any", "all"):
            # Kleene: any = OR of (keep and value); all = AND of (not keep or value)
            each = keep.expr & element.expr if node.name == "any" else ~keep.expr | element.expr
            stop = node.name == "any"
            values = _each(lists, each)
            unknown = values.list.count_matches(None) > 0 if _nullable(keep, element) else None
            folded = pl.when(values.list.count_matches(stop) > 0).then(stop)
            if unknown is not None:
                folded = folded.when(unknown).then(None)  # type: ignore[assignment]
            return Val(_unless(source, folded.otherwise(not stop)), "boolean")
        unknown = None
        if _nullable(keep, element):
            flags = keep.expr.is_null() | (keep.expr & element.expr.is_null())
            unknown = _each(lists, flags).list.count_matches(True) > 0
        if node.name == "sum":
            bound = element.bound * source.node_items
            value = _fit(element.expr, bound)
            if node.condition is not None:
                value = pl.when(keep.expr).then(value).otherwise(_lit(0))
            total = _each(lists, value)
            return _number(_unless(source, total.list.sum(), unknown), element.scale, bound)
        chosen = (
            element.expr
            if node.condition is None
            else (pl.when(keep.expr).then(element.expr).otherwise(None))
        )
        each_value = _each(lists, chosen)
        total = each_value.list.min() if node.name == "min" else each_value.list.max()
        return _number(_unless(source, total, unknown), element.scale, element.bound)


def _leaf(expr: pl.Expr, node: Node) -> Val:
    dtype = node.dtype
    if node.element is not None:
        return Val(expr, "list", node=node.element, node_items=node.max_items)
    if isinstance(dtype, pl.Boolean):
        return Val(expr, "boolean")
    if isinstance(dtype, pl.Date):
        return Val(expr, "date")
    if isinstance(dtype, pl.String):
        return Val(expr, "text")
    return _number(expr, node.scale, node.bound)


def _negated(expr: pl.Expr) -> pl.Expr:
    """-expr (polars has no negation of Int128)."""
    return pl.lit(0, dtype=pl.Int64) - expr


def _each(lists: pl.Expr, element: pl.Expr) -> pl.Expr:
    """`element` over every element of every list, element-wise (polars runs it on the
    flat values, far faster than a fold per list); a null list stays null. Folds
    then use list.sum, min, max and count_matches (measured several times faster
    than list.any or list.sum over booleans)."""
    return lists.list.eval(element)


def _unless(val: Val, value: pl.Expr, unknown: pl.Expr | None = None) -> pl.Expr:
    """`value`, or null where `val` is null or `unknown` holds (skipped when the
    model says `val` is never null and there is nothing else unknown)."""
    if val.nullable:
        missing = val.expr.is_null()
        value = pl.when(missing).then(None).otherwise(value)
    if unknown is not None:
        value = pl.when(unknown).then(None).otherwise(value)
    return value


def _times(a: Val, factor: Fraction) -> Val:
    factor = Fraction(factor)
    numerator, scale = factor.numerator, a.scale * factor.denominator
    common = math.gcd(numerator, scale) or 1
    numerator, scale = numerator // common, scale // common
    bound = a.bound * abs(numerator)
    expr = a.expr if numerator == 1 else _fit(a.expr, bound) * _lit(numerator)
    return _number(expr, scale, bound)


def _lookup(table: Table, key: Val) -> Val:
    """The evaluator's Table.lookup: a whole-number key; beyond the last row only with
    `each_additional`; any other key is unknown. A table by text: a listed key only."""
    if table.by_text:
        return _lookup_text(table, key)
    values = [Fraction(v) for _, v in table.rows]
    extra = Fraction(table.each_additional) if table.each_additional is not None else None
    scale = math.lcm(*(v.denominator for v in values), extra.denominator if extra else 1)
    whole = key.expr % _lit(key.scale) == 0
    number = key.expr // _lit(key.scale)
    bound = max(abs(int(v * scale)) for v in values)
    largest, last = int(table.rows[-1][0]), values[-1]  # rows are sorted (table_of)
    if extra is not None:
        bound += (key.bound // key.scale + abs(largest)) * abs(int(extra * scale))
    dtype = pl.Int128 if bound >= WIDE else pl.Int64
    found = number.cast(pl.Int64, strict=False).replace_strict(
        [k for k, _ in table.rows],
        [int(v * scale) for v in values],
        default=None,
        return_dtype=dtype,
    )
    if extra is not None:
        beyond = _lit(int(last * scale)) + (_fit(number, bound) - _lit(largest)) * _lit(
            int(extra * scale)
        )
        found = pl.when(number > largest).then(beyond).otherwise(found)
    return _number(pl.when(whole).then(found).otherwise(None), scale, bound)


def _lookup_text(table: Table, key: Val) -> Val:
    values = [Fraction(v) for _, v in table.rows]
    if not values:  # no key listed for the period: every lookup is unknown
        return _number(pl.lit(None, dtype=pl.Int64), 1, 0)
    scale = math.lcm(*(v.denominator for v in values))
    bound = max(abs(int(v * scale)) for v in values)
    found = key.expr.cast(pl.String).replace_strict(
        [str(k) for k, _ in table.rows],
        [int(v * scale) for v in values],
        default=None,
        return_dtype=pl.Int128 if bound >= WIDE else pl.Int64,
    )
    return _number(found, scale, bound)


def _years_between(born: pl.Expr, on: date) -> pl.Expr:
    before_birthday = (born.dt.month() > on.month) | (
        (born.dt.month() == on.month) & (born.dt.day() > on.day)
    )
    years = pl.lit(on.year, dtype=pl.Int64) - born.dt.year().cast(pl.Int64)
    return years - before_birthday.cast(pl.Int64)


_ARITH: dict[str, Callable[[Fraction, Fraction], Fraction]] = {
    "+": lambda a, b: a + b,
    "-": lambda a, b: a - b,
    "*": lambda a, b: a * b,
    "/": lambda a, b: a / b,
}


# --- plans -------------------------------------------------------------------------------


def criterion_column(programme_id: str, criterion_id: str) -> str:
    return f"{programme_id}/{criterion_id}"


def result_column(programme_id: str) -> str:
    return f"{programme_id}:result"


def amount_column(programme_id: str) -> str:
    return f"{programme_id}:amount"


def _hundredths(val: Val) -> pl.Expr:
    """An amount in hundredths (cents, pence) as Int64: exact for money; a finer value
    (a third of a cent) is rounded half up to the hundredth."""
    if val.known:
        return pl.lit(round(val.const * AMOUNT_SCALE), dtype=pl.Int64)
    if AMOUNT_SCALE % val.scale == 0:
        return (val.expr * _lit(AMOUNT_SCALE // val.scale)).cast(pl.Int64)
    doubled = _fit(val.expr, val.bound * 2 * AMOUNT_SCALE) * _lit(2 * AMOUNT_SCALE)
    return ((doubled + _lit(val.scale)) // _lit(2 * val.scale)).cast(pl.Int64)


@dataclass(frozen=True)
class GroupPlan:
    """The programmes of one selection of rulesets, compiled for one date."""

    programmes: tuple[Programme, ...]
    stages: tuple[tuple[str, pl.Expr], ...]
    outputs: tuple[str, ...]  # programme, criterion and result columns

    def levels(self) -> list[list[pl.Expr]]:
        """The stages in waves: each reads only columns of earlier waves, so the
        columns of one wave are computed side by side, on every core."""
        level: dict[str, int] = {}
        waves: list[list[pl.Expr]] = []
        for column, expr in self.stages:
            reads = [level[name] for name in expr.meta.root_names() if name in level]
            level[column] = 1 + max(reads, default=-1)
            if level[column] == len(waves):
                waves.append([])
            waves[level[column]].append(expr.alias(column))
        return waves


def _compile_programme(
    compiler: _Compiler, programme: Programme, as_of: date, outputs: list[str]
) -> None:
    scope = _Scope(programme, programme.parameter_values(as_of), {}, {})
    for criterion in programme.criteria:
        column = criterion_column(programme.id, criterion.id)
        compiler.stages.append((column, compiler.value(criterion.condition, scope).expr))
        scope.columns[f"criterion:{criterion.id}"] = column
        outputs.append(column)
    compiler.stages.append((programme.id, compiler.value(programme.decision, scope).expr))
    compiler.programme_columns[programme.id] = programme.id
    outputs.append(programme.id)
    if programme.result is not None:
        chosen: pl.Expr = pl.lit(programme.result.otherwise, dtype=pl.String)
        for case in reversed(programme.result.cases):
            holds = compiler.value(case.condition, scope).expr
            chosen = (
                pl.when(holds.is_null())
                .then(pl.lit(None, dtype=pl.String))
                .when(holds)
                .then(pl.lit(case.value, dtype=pl.String))
                .otherwise(chosen)
            )
        compiler.stages.append((result_column(programme.id), chosen))
        outputs.append(result_column(programme.id))
    if programme.amount is not None:
        value = _hundredths(compiler.derived(programme.amount.value, scope))
        paid = pl.when(pl.col(programme.id)).then(value).otherwise(None)
        compiler.stages.append((amount_column(programme.id), paid))
        outputs.append(amount_column(programme.id))


def compile_group(programmes: Sequence[Programme], as_of: date) -> GroupPlan:
    ordered = dependency_order(list(programmes))
    compiler = _Compiler(as_of)
    outputs: list[str] = []
    for programme in ordered:
        try:
            _compile_programme(compiler, programme, as_of, outputs)
        except BulkError as error:
            raise BulkError(f"{programme.file}: {programme.id}: {error}") from None
    return GroupPlan(tuple(ordered), tuple(compiler.stages), tuple(outputs))


def _serves(ruleset: Ruleset) -> pl.Expr:
    residence = pl.col("person").struct.field("lives_in")
    country = residence.struct.field("country") == ruleset.country
    if ruleset.region is None:
        return country.fill_null(False)
    region = residence.struct.field("region").str.to_lowercase() == ruleset.region.lower()
    return (country & region).fill_null(False)


@dataclass
class BulkPlan:
    """Rulesets compiled for one date; rows grouped by the rulesets that serve them."""

    rulesets: tuple[Ruleset, ...]
    as_of: date
    by_jurisdiction: bool = True
    _groups: dict[tuple[bool, ...], GroupPlan] = field(default_factory=dict)

    def group(self, serving: tuple[bool, ...]) -> GroupPlan:
        if serving not in self._groups:
            chosen = [r for r, s in zip(self.rulesets, serving, strict=True) if s]
            self._groups[serving] = compile_group(
                [p for r in chosen for p in r.programmes], self.as_of
            )
        return self._groups[serving]

    @property
    def programmes(self) -> list[Programme]:
        return dependency_order([p for r in self.rulesets for p in r.programmes])

    def serving(self) -> pl.Expr:
        """Which rulesets serve each person, one bit each (all, when not by jurisdiction)."""
        if not self.by_jurisdiction:
            return pl.lit((1 << len(self.rulesets)) - 1, dtype=pl.Int64)
        return pl.sum_horizontal(
            _serves(r).cast(pl.Int64) * (1 << i) for i, r in enumerate(self.rulesets)
        )

    def evaluate(self, population: pl.DataFrame) -> pl.DataFrame:
        """Per person: `id`, each programme's outcome (null where no ruleset serving the
        person holds it), each criterion (true, false or null) and each result."""
        schema = self.output_schema()
        if self.by_jurisdiction and self.rulesets:
            groups = population.select(self.serving().alias(GROUP))[GROUP]
            keys = groups.unique().sort().to_list()
        else:
            groups, keys = None, [(1 << len(self.rulesets)) - 1]
        parts = []
        for key in keys:
            serving = tuple(bool(key >> i & 1) for i in range(len(self.rulesets)))
            if groups is None or len(keys) == 1:
                part, rows = population, None
            else:
                rows = (groups == key).arg_true()
                first, count = int(rows[0]), rows.len()
                contiguous = int(rows[-1]) - first + 1 == count  # a population sorted by place
                part = population.slice(first, count) if contiguous else population.gather(rows)
            decided = self._decide(self.group(serving), part)
            if rows is not None:
                decided = decided.with_columns(rows.alias(ROW))
            parts.append(decided)
        if not parts:
            return pl.DataFrame(schema=schema)
        if len(parts) > 1:
            parts.sort(key=lambda part: int(part[ROW][0]))
        merged = pl.concat(parts, how="diagonal_relaxed")
        if len(parts) > 1 and not merged[ROW].is_sorted():
            merged = merged.sort(ROW)
        missing = [pl.lit(None, dtype=t).alias(c) for c, t in schema.items() if c not in merged]
        return merged.with_columns(missing).select(pl.col(c).cast(t) for c, t in schema.items())

    @staticmethod
    def _decide(plan: GroupPlan, part: pl.DataFrame) -> pl.DataFrame:
        lazy = part.lazy()
        for wave in plan.levels():
            lazy = lazy.with_columns(wave)
        outcomes = [
            pl.when(pl.col(p.id).is_null())
            .then(pl.lit(OUTCOME[None]))
            .when(pl.col(p.id))
            .then(pl.lit(OUTCOME[True]))
            .otherwise(pl.lit(OUTCOME[False]))
            .alias(p.id)
            for p in plan.programmes
        ]
        return lazy.select("id", *plan.outputs).with_columns(outcomes).collect()

    def output_schema(self) -> dict[str, pl.DataType]:
        """`id`, then per programme: outcome, criteria (booleans), result, amount (in
        hundredths, only where eligible)."""
        schema: dict[str, pl.DataType] = {"id": pl.String()}
        for programme in self.programmes:
            schema[programme.id] = OUTCOMES
            for criterion in programme.criteria:
                schema[criterion_column(programme.id, criterion.id)] = pl.Boolean()
            if programme.result is not None:
                schema[result_column(programme.id)] = pl.String()
            if programme.amount is not None:
                schema[amount_column(programme.id)] = pl.Int64()
        return schema
