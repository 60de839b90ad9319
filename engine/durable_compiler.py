"""Compiling programmes to durable-rules rulesets (its JSON form), inside its limits.

Each condition becomes two formulas in disjunctive normal form: when it
holds (M) and when it fails (F), with negation pushed to the comparisons.
A comparison with an absent field never matches in durable-rules, so a
criterion whose inputs are missing fires neither side: it stays unknown,
which is Kleene's three-valued logic without any `$nex` tests.

Facts, never events (durable-rules-notes.md):
- one `in` fact per criterion, holding the values its comparisons read
  (intake fields, derived values and computed terms, prepared in Python);
- a `crit` fact per decided criterion and a `prog` fact per decided
  programme, asserted by actions, so programme decisions and chaining
  between programmes (`programme.X.eligible`) happen inside the session.
Every fact matches a catch-all rule (the guard against the delete_state
segfault), and no rule uses `$or` (it fires twice): each DNF conjunct is a
rule of its own and actions record a result once.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from engine.evaluate import UNKNOWN, Env, evaluate
from engine.ir import (
    COMPARE,
    NEGATED,
    Aggregate,
    And,
    Compare,
    Const,
    CriterionRef,
    DerivedRef,
    Expr,
    FieldRef,
    ItemRef,
    Member,
    Not,
    Or,
    ProgrammeRef,
    walk,
)
from engine.programmes import Footprint, Programme

# durable-rules' C limits (durable-rules-notes.md) and the margins we keep.
MAX_TESTS_PER_FACT = 60  # MAX_STACK_SIZE 64, less the fact's own t/k tests
MAX_FIELDS_PER_FACT = 240  # MAX_OBJECT_PROPERTIES 255 (252 user fields)
MAX_CHILDREN = 500  # NEXT_BUCKET_LENGTH 512: more hangs set_rulesets forever
MAX_EXPRESSIONS_PER_RULE = 30  # MAX_SEQUENCE_EXPRESSIONS 32
MAX_FRAMES_PER_RULE = 16  # MAX_MESSAGE_FRAMES 16
MAX_CONJUNCTS = 64  # our own bound on DNF growth
MAX_RULES = 4000  # MAX_ACTIONS 4096
GROUP_SIZE = 400  # criteria keys are two-level (group, key) to stay under MAX_CHILDREN

CATCH_ALL = "_"


@dataclass(frozen=True)
class Test:
    """`v<term> op operand` on the criterion's own `in` fact."""

    term: int
    op: str
    operand: Any  # a JSON constant, or ("term", index)


@dataclass(frozen=True)
class FactTest:
    """A decided criterion (`crit`) or programme (`prog`) with the given value."""

    kind: str
    key: str
    value: bool


Atom = Test | FactTest
Conjunct = frozenset[Atom]


class LimitError(ValueError):
    """A condition that cannot be kept inside durable-rules' limits."""

    def __init__(self, reason: str, location: tuple[Any, ...] = ()) -> None:
        super().__init__(reason)
        self.location = location


@dataclass
class _Terms:
    """Values a criterion's comparisons read, computed in Python before assertion."""

    exprs: list[Expr] = field(default_factory=list)

    def index(self, expr: Expr) -> int:
        if expr not in self.exprs:
            self.exprs.append(expr)
        return self.exprs.index(expr)


@dataclass(frozen=True)
class CompiledCondition:
    key: str  # the `in` fact's key, e.g. "c12"
    group: str
    programme: str
    name: str  # criterion id, or "result:<value>"
    terms: tuple[Expr, ...]


@dataclass(frozen=True)
class Action:
    kind: str  # "criterion", "programme", "result"
    key: str
    value: Any  # True/False for criteria and programmes, the result value for results


@dataclass(frozen=True)
class Plan:
    """Programmes compiled for one parameter snapshot: valid for every date in it."""

    name: str  # durable-rules ruleset name, unique per definition
    definition: dict[str, Any]
    conditions: tuple[CompiledCondition, ...]
    programme_keys: dict[str, str]  # programme id -> "p3"
    actions: dict[str, Action]


class _Compiler:
    def __init__(self, parameters: dict[str, dict[str, Any]], as_of: date) -> None:
        self.parameters = parameters  # programme id -> parameter values at as_of
        self.as_of = as_of
        self.rules: dict[str, dict[str, Any]] = {
            CATCH_ALL: {"all": [{"m": {"$ex": {"t": 1}}}], "run": CATCH_ALL}
        }
        self.actions: dict[str, Action] = {}
        self.conditions: list[CompiledCondition] = []
        self.programme_keys: dict[str, str] = {}
        self.current_criteria: dict[str, str] = {}
        self.fact_keys: set[tuple[str, str]] = set()  # crit/prog keys that rules test

    # --- conditions -------------------------------------------------------------------

    def condition(self, programme: Programme, name: str, expr: Expr) -> str:
        index = len(self.conditions)
        key, group = f"c{index}", f"g{index // GROUP_SIZE}"
        terms = _Terms()
        env = Env({}, self.as_of, self.parameters[programme.id])
        tests: set[Test] = set()
        for side, positive in (("M", True), ("F", False)):
            conjuncts = self.dnf(expr, positive, terms, env)
            for number, conjunct in enumerate(conjuncts):
                self.rule(f"{key}.{side}{number}", conjunct, head=(group, key), run=f"{key}.{side}")
                tests.update(a for a in conjunct if isinstance(a, Test))
            self.actions[f"{key}.{side}"] = Action("criterion", key, positive)
        guards = {t.operand for t in tests if isinstance(t.operand, tuple)}
        if len(tests) + len(guards) > MAX_TESTS_PER_FACT:
            raise LimitError(
                f"makes {len(tests) + len(guards)} distinct tests of one fact; "
                f"durable-rules allows {MAX_TESTS_PER_FACT}: split it into several criteria"
            )
        if len(terms.exprs) > MAX_FIELDS_PER_FACT:
            raise LimitError(
                f"reads {len(terms.exprs)} values; durable-rules allows {MAX_FIELDS_PER_FACT}"
            )
        self.conditions.append(
            CompiledCondition(key, group, programme.id, name, tuple(terms.exprs))
        )
        return key

    def dnf(self, expr: Expr, positive: bool, terms: _Terms, env: Env) -> list[Conjunct]:
        """The conjunctions of atoms under which `expr` is known true (or false)."""
        match expr:
            case And(items) | Or(items):
                product = isinstance(expr, And) == positive
                parts = [self.dnf(item, positive, terms, env) for item in items]
                return _product(parts) if product else _union(parts)
            case Not(item):
                return self.dnf(item, not positive, terms, env)
            case CriterionRef() | ProgrammeRef():
                return [frozenset({self.fact_test(expr, positive)})]
            case Compare(op, left, right):
                a, b = self.operand(left, terms, env), self.operand(right, terms, env)
                return self.comparison(op if positive else NEGATED[op], a, b)
            case Member(item, container):
                values = self.constant(container, env)
                if values is not UNKNOWN:
                    a = self.operand(item, terms, env)
                    tests = [
                        self.comparison("==" if positive else "!=", a, fact_value(v))
                        for v in values
                    ]
                    return _union(tests) if positive else _product(tests)
        value = self.operand(expr, terms, env)
        return self.comparison("==", value, positive)

    def comparison(self, op: str, left: Any, right: Any) -> list[Conjunct]:
        left_is_term = isinstance(left, tuple)
        right_is_term = isinstance(right, tuple)
        if not left_is_term and not right_is_term:
            return [frozenset()] if _holds(op, left, right) else []
        if not left_is_term:
            left, right = right, left
            op = {"<": ">", "<=": ">=", ">": "<", ">=": "<="}.get(op, op)
        return [frozenset({Test(left[1], op, right)})]

    def operand(self, expr: Expr, terms: _Terms, env: Env) -> Any:
        value = self.constant(expr, env)
        if value is not UNKNOWN:
            return fact_value(value)
        return ("term", terms.index(expr))

    def constant(self, expr: Expr, env: Env) -> Any:
        """The value of an expression that reads no case data, else UNKNOWN."""
        if isinstance(expr, Const):
            return expr.value
        if any(
            isinstance(
                node, FieldRef | ItemRef | DerivedRef | Aggregate | CriterionRef | ProgrammeRef
            )
            for node in walk(expr)
        ):
            return UNKNOWN
        return evaluate(expr, env)

    def fact_test(self, expr: CriterionRef | ProgrammeRef, positive: bool) -> FactTest:
        if isinstance(expr, ProgrammeRef):
            return FactTest("prog", self.programme_keys.get(expr.id, f"?{expr.id}"), positive)
        return FactTest("crit", self.current_criteria[expr.id], positive)

    # --- rules --------------------------------------------------------------------------

    def rule(self, name: str, conjunct: Conjunct, head: tuple[str, str] | None, run: str) -> None:
        patterns: list[dict[str, Any]] = []
        tests = sorted((a for a in conjunct if isinstance(a, Test)), key=repr)
        tests_json = [part for t in tests for part in _test_json(t)]
        if head is not None:
            group, key = head
            patterns.append({"m": {"$and": [{"t": "in"}, {"g": group}, {"k": key}, *tests_json]}})
        facts = sorted((a for a in conjunct if isinstance(a, FactTest)), key=repr)
        self.fact_keys.update((fact.kind, fact.key) for fact in facts)
        for number, fact in enumerate(facts):
            patterns.append(
                {f"f{number}": {"$and": [{"t": fact.kind}, {"k": fact.key}, {"v": fact.value}]}}
            )
        if not patterns:
            raise LimitError("a decision must read at least one criterion")
        if len(patterns) > MAX_FRAMES_PER_RULE:
            raise LimitError(
                f"joins {len(patterns)} facts in one rule; "
                f"durable-rules allows {MAX_FRAMES_PER_RULE}"
            )
        if len(tests_json) + 3 > MAX_EXPRESSIONS_PER_RULE:
            most = MAX_EXPRESSIONS_PER_RULE - 3
            raise LimitError(f"has {len(tests_json)} tests in one alternative; at most {most}")
        self.rules[name] = {"all": patterns, "run": run}

    def programme(self, programme: Programme) -> None:
        self.current_criteria = {}
        for index, criterion in enumerate(programme.criteria):
            with _located(("criteria", index, "when")):
                self.current_criteria[criterion.id] = self.condition(
                    programme, criterion.id, criterion.condition
                )
        key = f"p{len(self.programme_keys)}"
        env = Env({}, self.as_of, self.parameters[programme.id])
        with _located(("eligible",)):
            for side, positive in (("M", True), ("F", False)):
                for number, conjunct in enumerate(
                    self.dnf(programme.decision, positive, _Terms(), env)
                ):
                    self.rule(f"{key}.{side}{number}", conjunct, head=None, run=f"{key}.{side}")
                self.actions[f"{key}.{side}"] = Action("programme", key, positive)
        self.programme_keys[programme.id] = key
        if programme.result is not None:
            with _located(("result",)):
                self.result(programme, key)

    def result(self, programme: Programme, key: str) -> None:
        """First case that holds wins: case i needs case i true and every earlier one false."""
        assert programme.result is not None
        case_keys = [
            self.condition(programme, f"result:{case.value}", case.condition)
            for case in programme.result.cases
        ]
        for index, case in enumerate(programme.result.cases):
            conjunct = frozenset(
                [FactTest("crit", case_keys[index], True)]
                + [FactTest("crit", earlier, False) for earlier in case_keys[:index]]
            )
            self.rule(f"{key}.R{index}", conjunct, head=None, run=f"{key}.R{index}")
            self.actions[f"{key}.R{index}"] = Action("result", key, case.value)
        if programme.result.otherwise is not None:
            conjunct = frozenset(FactTest("crit", k, False) for k in case_keys)
            self.rule(f"{key}.RO", conjunct, head=None, run=f"{key}.RO")
            self.actions[f"{key}.RO"] = Action("result", key, programme.result.otherwise)

    def footprint(self) -> Footprint:
        return Footprint(len(self.rules) - 1, len(self.conditions), len(self.fact_keys))


def combined_limit(footprints: Sequence[Footprint]) -> str | None:
    """Why these programmes cannot be compiled into one durable-rules ruleset, or None.
    The one decision used by the loader (so `validate` refuses it) and `compile_plan`."""
    rules = 1 + sum(f.rules for f in footprints)  # and the catch-all rule
    if rules > MAX_RULES:
        return f"compile to {rules:,} rules together; durable-rules allows {MAX_RULES:,}"
    groups = -(-sum(f.conditions for f in footprints) // GROUP_SIZE)
    fact_keys = sum(f.fact_keys for f in footprints)
    if max(groups, fact_keys, len(footprints)) > MAX_CHILDREN:
        return (
            f"compile to {len(footprints)} programmes, {groups} criterion groups and "
            f"{fact_keys} decided facts read by other rules; durable-rules allows "
            f"{MAX_CHILDREN} of each in one ruleset"
        )
    return None


def compile_plan(programmes: Sequence[Programme], as_of: date) -> Plan:
    """Programmes (each after those it reads) as one durable-rules ruleset at `as_of`."""
    reason = combined_limit([p.footprint for p in programmes])
    if reason is not None:
        raise LimitError(f"the programmes {reason}")
    compiler = _Compiler({p.id: p.parameter_values(as_of) for p in programmes}, as_of)
    for programme in programmes:
        compiler.programme(programme)
    definition_text = json.dumps(compiler.rules, sort_keys=True)
    name = "je_" + hashlib.sha256(definition_text.encode()).hexdigest()[:16]
    return Plan(
        name=name,
        definition=json.loads(definition_text),
        conditions=tuple(compiler.conditions),
        programme_keys=dict(compiler.programme_keys),
        actions=dict(compiler.actions),
    )


def measure(programme: Programme) -> Footprint:
    """What this programme compiles to at its largest parameter date; LimitError (with
    the location) when it cannot run in durable-rules on some date, alone."""
    largest = Footprint()
    for on in snapshot_dates(programme):
        compiler = _Compiler({programme.id: programme.parameter_values(on)}, on)
        compiler.programme(programme)
        found = compiler.footprint()
        reason = combined_limit([found])
        if reason is not None:
            raise LimitError(f"the programme's rules {reason}", ("criteria",))
        largest = Footprint(
            max(largest.rules, found.rules),
            max(largest.conditions, found.conditions),
            max(largest.fact_keys, found.fact_keys),
        )
    return largest


def snapshot_dates(programme: Programme) -> list[date]:
    """Each date on which some parameter of the programme changes (once all have started)."""
    if not programme.parameters:
        return [date(2000, 1, 1)]
    ready = max(p.values[0].starts for p in programme.parameters.values())
    starts = {d.starts for p in programme.parameters.values() for d in p.values}
    return sorted(d for d in starts if d >= ready)


@contextmanager
def _located(location: tuple[Any, ...]) -> Iterator[None]:
    try:
        yield
    except LimitError as error:
        raise LimitError(str(error), error.location or location) from None


def _product(parts: list[list[Conjunct]]) -> list[Conjunct]:
    result: list[Conjunct] = [frozenset()]
    for options in parts:
        result = _simplify([a | b for a in result for b in options])
        if len(result) > MAX_CONJUNCTS:
            raise LimitError(
                f"expands to more than {MAX_CONJUNCTS} alternatives; simplify or split it"
            )
    return result


def _union(parts: list[list[Conjunct]]) -> list[Conjunct]:
    result = _simplify([c for options in parts for c in options])
    if len(result) > MAX_CONJUNCTS:
        raise LimitError(f"expands to more than {MAX_CONJUNCTS} alternatives; simplify or split it")
    return result


def _simplify(conjuncts: list[Conjunct]) -> list[Conjunct]:
    """Drop repeats, contradictions (x==a and x==b) and conjuncts that contain another."""
    unique = [c for c in dict.fromkeys(conjuncts) if not _contradicts(c)]
    return [c for c in unique if not any(o < c for o in unique)]


def _contradicts(conjunct: Conjunct) -> bool:
    equal: dict[int, Any] = {}
    facts: dict[tuple[str, str], bool] = {}
    for atom in conjunct:
        if (
            isinstance(atom, Test)
            and atom.op == "=="
            and not isinstance(atom.operand, tuple)
            and equal.setdefault(atom.term, atom.operand) != atom.operand
        ):
            return True
        if (
            isinstance(atom, FactTest)
            and facts.setdefault((atom.kind, atom.key), atom.value) != atom.value
        ):
            return True
    return False


def _test_json(test: Test) -> list[dict[str, Any]]:
    """The test, preceded by an existence test of a field it compares with: durable-rules
    matches `$m` references to absent fields (measured), where we need no match."""
    field_name = f"v{test.term}"
    guard: list[dict[str, Any]] = []
    operand = test.operand
    if isinstance(operand, tuple):
        guard = [{"$ex": {f"v{operand[1]}": 1}}]
        operand = {"$m": f"v{operand[1]}"}
    if test.op == "==":
        return [*guard, {field_name: operand}]
    op = {"!=": "$neq", "<": "$lt", "<=": "$lte", ">": "$gt", ">=": "$gte"}[test.op]
    return [*guard, {op: {field_name: operand}}]


def _holds(op: str, left: Any, right: Any) -> bool:
    return bool(COMPARE[op](left, right))


def fact_value(value: Any) -> Any:
    """A value as durable-rules compares it: numbers as int or float, dates as ordinals."""
    if isinstance(value, bool | str):
        return value
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    if isinstance(value, date):
        return value.toordinal()
    return value
