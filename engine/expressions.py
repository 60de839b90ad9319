"""The condition language: a small, safe expression language for rulesets.

Text is parsed with Python's `ast` and only a whitelist of nodes is accepted;
every name is resolved and every operation type-checked against the intake
schema when the ruleset loads. The result is compiled IR (engine/ir.py). A
ruleset cannot call Python, reach attributes outside the intake, or loop:
aggregates run once over one intake list, and expressions are size-bounded.
"""

from __future__ import annotations

import ast
import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from engine.ir import (
    BOOLEAN,
    COMPARISONS,
    DATE,
    FLIPPED,
    NUMBER,
    TABLE,
    TEXT,
    TEXT_TABLE,
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
    Kind,
    Member,
    Negate,
    Not,
    Or,
    ParamRef,
    ProgrammeRef,
    Scalar,
    Table,
    Type,
)

MAX_NODES = 400
MAX_DEPTH = 40
MAX_LITERAL_DIGITS = 18
AGGREGATES = ("count", "sum", "min", "max", "any", "all")
FUNCTIONS = ("years_since", "coalesce", "min", "max", "ceil", "floor", "lookup", "len")
TRUE_NAMES = {"true": True, "false": False}


class ExpressionError(ValueError):
    """A condition that does not parse or type-check; the loader adds the location."""


@dataclass(frozen=True)
class Scope:
    """What names mean where an expression stands."""

    intake: Type
    parameters: Mapping[str, Type] = field(default_factory=dict)
    derived: Mapping[str, Type] = field(default_factory=dict)
    criteria: frozenset[str] | None = None  # set only inside a programme's decision
    programmes: frozenset[str] | None = None  # None: checked later, across files


@dataclass(frozen=True)
class Checked:
    expr: Expr
    type: Type


def parse(text: str, scope: Scope, expect: Kind | None = None) -> Checked:
    """Parse and check `text`; `expect` is the kind the place demands."""
    if not isinstance(text, str) or not text.strip():
        raise ExpressionError("an expression is required")
    try:
        tree = ast.parse(text.strip(), mode="eval")
    except SyntaxError as error:
        raise ExpressionError(f"cannot parse {_clip(text)!r}: {_clip(error.msg)}") from None
    nodes = list(ast.walk(tree))
    if len(nodes) > MAX_NODES:
        raise ExpressionError(f"expression too large ({len(nodes)} nodes, at most {MAX_NODES})")
    checked = _Checker(scope).check(tree.body, depth=0)
    if expect is not None and checked.type.kind is not expect:
        raise ExpressionError(
            f"must be a {expect.value}, but {text!r} is a {checked.type.describe()}"
        )
    return checked


class _Checker:
    def __init__(self, scope: Scope, variables: Mapping[str, Type] | None = None) -> None:
        self.scope = scope
        self.variables = dict(variables or {})

    def check(self, node: ast.expr, depth: int) -> Checked:
        if depth > MAX_DEPTH:
            raise ExpressionError(f"expression nested too deeply (at most {MAX_DEPTH} levels)")
        method = getattr(self, f"_{type(node).__name__}", None)
        if method is None:
            raise ExpressionError(f"{_show(node)!r}: {type(node).__name__} is not allowed here")
        result: Checked = method(node, depth + 1)
        return result

    # --- literals and names ---------------------------------------------------------

    def _Constant(self, node: ast.Constant, depth: int) -> Checked:
        return Checked(Const(_literal(node)), literal_type(_literal(node)))

    def _Tuple(self, node: ast.Tuple | ast.List, depth: int) -> Checked:
        values: list[Scalar] = []
        for element in node.elts:
            if isinstance(element, ast.Name) and element.id in TRUE_NAMES:
                values.append(TRUE_NAMES[element.id])
            elif isinstance(element, ast.UnaryOp) and isinstance(element.op, ast.USub):
                values.append(-_number(_literal(element.operand)))
            elif isinstance(element, ast.Constant):
                values.append(_literal(element))
            else:
                raise ExpressionError(f"{_show(node)!r}: a list may hold only literal values")
        kinds = {literal_type(v).kind for v in values}
        if len(kinds) > 1:
            raise ExpressionError(f"{_show(node)!r}: mixes values of different kinds")
        return Checked(Const(tuple(values)), literal_type(tuple(values)))

    _List = _Tuple

    def _Name(self, node: ast.Name, depth: int) -> Checked:
        name = node.id
        if name in TRUE_NAMES:
            return Checked(Const(TRUE_NAMES[name]), BOOLEAN)
        if self.scope.criteria is not None:
            if name in self.scope.criteria:
                return Checked(CriterionRef(name), BOOLEAN)
            raise ExpressionError(
                f"unknown criterion {name!r}; this programme's criteria are: "
                + ", ".join(sorted(self.scope.criteria))
            )
        if name in self.variables:
            raise ExpressionError(f"{name!r} is an element: name one of its fields, e.g. {name}.x")
        if name in self.scope.derived:
            return Checked(DerivedRef(name), self.scope.derived[name])
        record = self.scope.intake.field(name)
        if record is not None:
            return self._path(FieldRef((name,)), record)
        known = sorted([*self.scope.derived, *(n for n, _ in self.scope.intake.fields)])
        raise ExpressionError(f"unknown name {name!r}; known names: {', '.join(known)}")

    def _Attribute(self, node: ast.Attribute, depth: int) -> Checked:
        chain = _attribute_chain(node)
        if chain is None:
            raise ExpressionError(f"{_show(node)!r}: only field paths may use '.'")
        head, *rest = chain
        if head == "param":
            return self._parameter(".".join(rest))
        if head == "programme":
            return self._programme(rest)
        if head in self.variables:
            return self._walk_path(ItemRef(head, ()), self.variables[head], rest, head)
        if self.scope.criteria is not None:
            raise ExpressionError(f"{_show(node)!r}: a decision reads only criteria and programmes")
        if self.scope.intake.field(head) is None:
            raise ExpressionError(f"unknown name {head!r} in {'.'.join(chain)!r}")
        return self._walk_path(FieldRef(()), self.scope.intake, chain, "")

    def _walk_path(
        self, base: FieldRef | ItemRef, start: Type, names: list[str], shown: str
    ) -> Checked:
        current = start
        path = list(base.path)
        for name in names:
            if current.kind is not Kind.record:
                where = shown or ".".join(path)
                raise ExpressionError(
                    f"{where!r} is a {current.describe()}, it has no field {name!r}"
                )
            inner = current.field(name)
            if inner is None:
                known = ", ".join(n for n, _ in current.fields)
                where = ".".join([shown, *path] if shown else path) or "the intake"
                raise ExpressionError(f"{where} has no field {name!r}; its fields are: {known}")
            path.append(name)
            current = inner
        ref: FieldRef | ItemRef = (
            ItemRef(base.var, tuple(path)) if isinstance(base, ItemRef) else FieldRef(tuple(path))
        )
        return self._path(ref, current)

    def _path(self, ref: FieldRef | ItemRef, type_: Type) -> Checked:
        if type_.kind is Kind.record:
            shown = ".".join(ref.path)
            raise ExpressionError(f"{shown!r} is a group of fields; name one of them")
        return Checked(ref, type_)

    def _parameter(self, name: str) -> Checked:
        if name not in self.scope.parameters:
            known = ", ".join(sorted(self.scope.parameters)) or "none"
            raise ExpressionError(f"unknown parameter {name!r}; this file declares: {known}")
        return Checked(ParamRef(name), self.scope.parameters[name])

    def _programme(self, parts: list[str]) -> Checked:
        if len(parts) < 2 or parts[-1] != "eligible":
            raise ExpressionError("a programme is read as programme.<id>.eligible")
        programme_id = ".".join(parts[:-1])
        known = self.scope.programmes
        if known is not None and programme_id not in known:
            raise ExpressionError(f"unknown programme {programme_id!r}")
        return Checked(ProgrammeRef(programme_id), BOOLEAN)

    # --- operators --------------------------------------------------------------------

    def _BoolOp(self, node: ast.BoolOp, depth: int) -> Checked:
        items = tuple(self._boolean(value, depth) for value in node.values)
        return Checked(And(items) if isinstance(node.op, ast.And) else Or(items), BOOLEAN)

    def _UnaryOp(self, node: ast.UnaryOp, depth: int) -> Checked:
        if isinstance(node.op, ast.Not):
            return Checked(Not(self._boolean(node.operand, depth)), BOOLEAN)
        if isinstance(node.op, ast.USub):
            inner = self._number(node.operand, depth)
            if isinstance(inner, Const):
                return Checked(Const(-_number(inner.value)), NUMBER)
            return Checked(Negate(inner), NUMBER)
        raise ExpressionError(f"{_show(node)!r}: operator not allowed")

    def _BinOp(self, node: ast.BinOp, depth: int) -> Checked:
        ops = {ast.Add: "+", ast.Sub: "-", ast.Mult: "*", ast.Div: "/"}
        op = ops.get(type(node.op))
        if op is None:
            raise ExpressionError(f"{_show(node)!r}: only + - * / are allowed")
        left = self.check(node.left, depth)
        right = self.check(node.right, depth)
        if op == "-" and left.type.kind is Kind.date:
            raise ExpressionError(f"{_show(node)!r}: use years_since() for ages")
        for side in (left, right):
            if side.type.kind is not Kind.number:
                raise ExpressionError(
                    f"{_show(node)!r}: {op} needs numbers, not a {side.type.describe()}"
                )
        return Checked(Arith(op, left.expr, right.expr), NUMBER)

    def _Compare(self, node: ast.Compare, depth: int) -> Checked:
        parts: list[Expr] = []
        left = self.check(node.left, depth)
        for op_node, right_node in zip(node.ops, node.comparators, strict=True):
            right = self.check(right_node, depth)
            parts.append(self._comparison(op_node, left, right, node))
            left = right
        return Checked(parts[0] if len(parts) == 1 else And(tuple(parts)), BOOLEAN)

    def _comparison(self, op_node: ast.cmpop, left: Checked, right: Checked, node: ast.AST) -> Expr:
        if isinstance(op_node, ast.In | ast.NotIn):
            member = self._member(left, right, node)
            return Not(member) if isinstance(op_node, ast.NotIn) else member
        symbols = {
            ast.Eq: "==",
            ast.NotEq: "!=",
            ast.Lt: "<",
            ast.LtE: "<=",
            ast.Gt: ">",
            ast.GtE: ">=",
        }
        op = symbols.get(type(op_node))
        if op is None:
            raise ExpressionError(f"{_show(node)!r}: comparison not allowed")
        assert op in COMPARISONS
        lk, rk = left.type.kind, right.type.kind
        if lk != rk:
            raise ExpressionError(
                f"{_show(node)!r}: compares a {left.type.describe()} with a {right.type.describe()}"
            )
        if lk in (Kind.list, Kind.table):
            raise ExpressionError(f"{_show(node)!r}: cannot compare lists")
        if op not in ("==", "!=") and lk in (Kind.text, Kind.boolean):
            raise ExpressionError(f"{_show(node)!r}: {op} needs numbers or dates")
        _check_choice(left, right, node)
        _check_choice(right, left, node)
        if isinstance(left.expr, Const) and not isinstance(right.expr, Const):
            return Compare(FLIPPED[op], right.expr, left.expr)
        return Compare(op, left.expr, right.expr)

    def _member(self, item: Checked, container: Checked, node: ast.AST) -> Expr:
        if container.type.kind is not Kind.list or container.type.element is None:
            raise ExpressionError(f"{_show(node)!r}: 'in' needs a list on its right")
        element = container.type.element
        if element.kind is not item.type.kind:
            wanted, within = item.type.describe(), container.type.describe()
            raise ExpressionError(f"{_show(node)!r}: looks for a {wanted} in a {within}")
        if isinstance(container.expr, Const) and isinstance(container.expr.value, tuple):
            for value in container.expr.value:
                _check_choice(item, Checked(Const(value), element), node)
        if (
            isinstance(item.expr, Const)
            and element.choices
            and item.expr.value not in element.choices
        ):
            raise ExpressionError(
                f"{_show(node)!r}: {item.expr.value!r} is never in a {container.type.describe()}"
            )
        return Member(item.expr, container.expr)

    def _IfExp(self, node: ast.IfExp, depth: int) -> Checked:
        condition = self._boolean(node.test, depth)
        then = self.check(node.body, depth)
        otherwise = self.check(node.orelse, depth)
        if then.type.kind is not otherwise.type.kind:
            raise ExpressionError(f"{_show(node)!r}: both branches must be of one kind")
        return Checked(IfElse(condition, then.expr, otherwise.expr), then.type)

    # --- calls ------------------------------------------------------------------------

    def _Call(self, node: ast.Call, depth: int) -> Checked:
        if not isinstance(node.func, ast.Name) or node.keywords:
            raise ExpressionError(f"{_show(node)!r}: only plain calls of the allowed functions")
        name = node.func.id
        args = node.args
        if len(args) == 1 and isinstance(args[0], ast.GeneratorExp):
            if name not in AGGREGATES:
                raise ExpressionError(
                    f"{name}() does not take a generator; aggregates: {', '.join(AGGREGATES)}"
                )
            return self._aggregate(name, args[0], depth)
        if name in ("all", "any"):
            items = tuple(self._boolean(arg, depth) for arg in args)
            if not items:
                raise ExpressionError(f"{name}() needs at least one condition")
            return Checked(And(items) if name == "all" else Or(items), BOOLEAN)
        if name not in FUNCTIONS:
            allowed = ", ".join(sorted({*FUNCTIONS, *AGGREGATES}))
            raise ExpressionError(f"{name}() is not allowed; the functions are: {allowed}")
        if self.scope.criteria is not None:
            raise ExpressionError(f"{name}() cannot be used in a decision")
        checked = [self.check(arg, depth) for arg in args]
        return getattr(self, f"_call_{name}")(checked, node)

    def _call_years_since(self, args: list[Checked], node: ast.AST) -> Checked:
        _arity(node, args, 1)
        if args[0].type.kind is not Kind.date:
            raise ExpressionError(f"{_show(node)!r}: years_since() needs a date")
        return Checked(Call("years_since", (args[0].expr,)), NUMBER)

    def _call_coalesce(self, args: list[Checked], node: ast.AST) -> Checked:
        if len(args) < 2 or len({a.type.kind for a in args}) != 1:
            raise ExpressionError(
                f"{_show(node)!r}: coalesce() needs two or more values of one kind"
            )
        return Checked(Call("coalesce", tuple(a.expr for a in args)), args[0].type)

    def _call_min(self, args: list[Checked], node: ast.AST) -> Checked:
        return self._numeric_call("min", args, node, at_least=2)

    def _call_max(self, args: list[Checked], node: ast.AST) -> Checked:
        return self._numeric_call("max", args, node, at_least=2)

    def _call_ceil(self, args: list[Checked], node: ast.AST) -> Checked:
        _arity(node, args, 1)
        return self._numeric_call("ceil", args, node, at_least=1)

    def _call_floor(self, args: list[Checked], node: ast.AST) -> Checked:
        _arity(node, args, 1)
        return self._numeric_call("floor", args, node, at_least=1)

    def _numeric_call(
        self, name: str, args: list[Checked], node: ast.AST, at_least: int
    ) -> Checked:
        if len(args) < at_least or any(a.type.kind is not Kind.number for a in args):
            raise ExpressionError(f"{_show(node)!r}: {name}() needs {at_least} or more numbers")
        return Checked(Call(name, tuple(a.expr for a in args)), NUMBER)

    def _call_lookup(self, args: list[Checked], node: ast.AST) -> Checked:
        _arity(node, args, 2)
        table, key = args
        if table.type.kind is not Kind.table or table.type.element is None:
            raise ExpressionError(f"{_show(node)!r}: lookup() needs a table parameter")
        wanted = table.type.element.kind
        if key.type.kind is not wanted:
            raise ExpressionError(
                f"{_show(node)!r}: lookup() in this table needs a {wanted.value} key, "
                f"not a {key.type.describe()}"
            )
        return Checked(Call("lookup", (table.expr, key.expr)), NUMBER)

    def _call_len(self, args: list[Checked], node: ast.AST) -> Checked:
        _arity(node, args, 1)
        if args[0].type.kind is not Kind.list or not isinstance(args[0].expr, FieldRef):
            raise ExpressionError(f"{_show(node)!r}: len() needs a list of the intake")
        return Checked(Call("len", (args[0].expr,)), NUMBER)

    def _aggregate(self, name: str, generator: ast.GeneratorExp, depth: int) -> Checked:
        if len(generator.generators) != 1:
            raise ExpressionError(f"{_show(generator)!r}: one 'for' only")
        loop = generator.generators[0]
        if not isinstance(loop.target, ast.Name) or loop.is_async or len(loop.ifs) > 1:
            raise ExpressionError(f"{_show(generator)!r}: write 'x for x in list if condition'")
        var = loop.target.id
        if var in self.variables or var in ("param", "programme"):
            raise ExpressionError(f"{_show(generator)!r}: the name {var!r} is already taken")
        source = self.check(loop.iter, depth)
        if not isinstance(source.expr, FieldRef) or source.type.kind is not Kind.list:
            raise ExpressionError(f"{_show(generator)!r}: 'for' runs over a list of the intake")
        element_type = source.type.element
        assert element_type is not None
        inner = _Checker(self.scope, {**self.variables, var: element_type})
        condition = inner._boolean(loop.ifs[0], depth) if loop.ifs else None
        element: Expr | None = None
        if name == "count":
            if not (isinstance(generator.elt, ast.Name) and generator.elt.id == var):
                raise ExpressionError(
                    f"{_show(generator)!r}: count() counts elements: count({var} for ...)"
                )
            result = NUMBER
        else:
            body = inner.check(generator.elt, depth)
            wanted = Kind.boolean if name in ("any", "all") else Kind.number
            if body.type.kind is not wanted:
                raise ExpressionError(
                    f"{name}() needs {wanted.value} values, not {body.type.describe()}"
                )
            element = body.expr
            result = BOOLEAN if wanted is Kind.boolean else NUMBER
        return Checked(Aggregate(name, var, source.expr, element, condition), result)

    # --- helpers ----------------------------------------------------------------------

    def _boolean(self, node: ast.expr, depth: int) -> Expr:
        checked = self.check(node, depth)
        if checked.type.kind is not Kind.boolean:
            raise ExpressionError(
                f"{_show(node)!r} is a {checked.type.describe()}, not a condition"
            )
        return checked.expr

    def _number(self, node: ast.expr, depth: int) -> Expr:
        checked = self.check(node, depth)
        if checked.type.kind is not Kind.number:
            raise ExpressionError(f"{_show(node)!r} is a {checked.type.describe()}, not a number")
        return checked.expr


def _attribute_chain(node: ast.expr) -> list[str] | None:
    names: list[str] = []
    while isinstance(node, ast.Attribute):
        names.append(node.attr)
        node = node.value
    if not isinstance(node, ast.Name):
        return None
    names.append(node.id)
    return names[::-1]


def _literal(node: ast.expr) -> Scalar:
    if not isinstance(node, ast.Constant):
        raise ExpressionError(f"{_show(node)!r}: a literal value is needed")
    value = node.value
    if isinstance(value, bool | str):
        return value
    if isinstance(value, float) and not math.isfinite(value):
        raise ExpressionError("a number written too large to be finite (e.g. 1e999)")
    if isinstance(value, int | float):
        text = repr(value)
        if len(text.lstrip("-").replace(".", "")) > MAX_LITERAL_DIGITS:
            raise ExpressionError(f"number {_clip(text, 40)} has too many digits")
        try:
            return Decimal(text)
        except InvalidOperation:
            raise ExpressionError(f"{text} is not a number") from None
    raise ExpressionError(f"{value!r}: only numbers, text, true and false are values")


def literal_type(value: object) -> Type:
    """The type of a literal or a parameter value (a list's type from its first element)."""
    if isinstance(value, bool):
        return BOOLEAN
    if isinstance(value, Decimal):
        return NUMBER
    if isinstance(value, str):
        return TEXT
    if isinstance(value, tuple):
        return Type(Kind.list, element=literal_type(value[0]) if value else TEXT)
    if isinstance(value, Table):
        return TEXT_TABLE if value.by_text else TABLE
    return DATE


def _number(value: object) -> Decimal:
    if not isinstance(value, Decimal) or isinstance(value, bool):
        raise ExpressionError(f"{value!r} is not a number")
    return value


def _check_choice(field: Checked, other: Checked, node: ast.AST) -> None:
    """Catch `needs.wellbeing_impact == "signficant"` when the ruleset loads."""
    choices = field.type.choices
    value = other.expr.value if isinstance(other.expr, Const) else None
    if choices and isinstance(value, str) and value not in choices:
        raise ExpressionError(
            f"{_show(node)!r}: {value!r} is not a possible value; "
            f"it is one of: {', '.join(sorted(choices))}"
        )


def _arity(node: ast.AST, args: list[Checked], count: int) -> None:
    if len(args) != count:
        raise ExpressionError(f"{_show(node)!r}: takes {count} argument(s), got {len(args)}")


def _show(node: ast.AST) -> str:
    return _clip(ast.unparse(node))


def _clip(text: str, most: int = 120) -> str:
    """Text quoted in a message, cut short: a message names a place, it is not a copy."""
    return text if len(text) <= most else text[: most - 1] + "…"
