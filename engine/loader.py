"""Loading ruleset folders: validate everything up front, report every problem.

A folder holds `ruleset.yaml` (id, version, jurisdiction) and one file per
programme. Files named `allocation-*.yaml` are budget methods, read by
allocation/; they count towards the folder's content hash all the same.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Callable, Iterable, Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any, TypeVar

from pydantic import ValidationError

from engine import durable_compiler
from engine.describe import labelled_reads
from engine.expressions import ExpressionError, Scope, literal_type, parse
from engine.figures import template_problems
from engine.ir import Expr, Kind, ProgrammeRef, Type, graph_depth, walk
from engine.programmes import (
    Amount,
    Criterion,
    DerivedValue,
    Parameter,
    Programme,
    Result,
    ResultRule,
    Ruleset,
    dated_values,
    table_of,
)
from engine.ruleset_files import Derived, OutcomeWords, ProgrammeFile, RulesetMeta, TableValue
from engine.schema import intake_type
from engine.sourcefiles import Document, InputError, Problem, read_document

T = TypeVar("T")
META_FILE = "ruleset.yaml"
ALLOCATION_PREFIX = "allocation-"


def default_rulesets_root() -> Path:
    """The shipped rulesets, or JUSTENOUGH_RULESETS when set."""
    configured = os.environ.get("JUSTENOUGH_RULESETS")
    return Path(configured) if configured else Path(__file__).resolve().parent.parent / "rulesets"


def ruleset_folders(root: Path) -> list[Path]:
    """`root` itself when it is a ruleset folder, else its ruleset sub-folders."""
    if (root / META_FILE).is_file():
        return [root]
    if not root.is_dir():
        raise InputError([Problem(str(root), None, "", "no such ruleset folder")])
    folders = sorted(p for p in root.iterdir() if (p / META_FILE).is_file())
    if not folders:
        raise InputError(
            [Problem(str(root), None, "", f"holds no ruleset folder (no {META_FILE})")]
        )
    return folders


def content_hash(folder: Path) -> str:
    """sha256 over the folder's YAML files: names and text, line endings normalised."""
    digest = hashlib.sha256()
    for path in sorted(folder.rglob("*.yaml")):
        text = path.read_bytes().replace(b"\r\n", b"\n").rstrip(b"\n") + b"\n"
        digest.update(path.relative_to(folder).as_posix().encode() + b"\0")
        digest.update(text + b"\0")
    return "sha256:" + digest.hexdigest()


def load_each_folder(
    paths: Iterable[Path], load: Callable[[Path], T | None]
) -> tuple[list[T], list[Problem]]:
    """`load` over every ruleset folder under `paths`, keeping every problem of every one."""
    loaded: list[T] = []
    problems: list[Problem] = []
    for path in paths:
        try:
            folders = ruleset_folders(path)
        except InputError as error:
            problems.extend(error.problems)
            continue
        for folder in folders:
            try:
                item = load(folder)
            except InputError as error:
                problems.extend(error.problems)
                continue
            if item is not None:
                loaded.append(item)
    return loaded, problems


def load_rulesets(paths: Iterable[Path]) -> list[Ruleset]:
    """Load and cross-check ruleset folders (or roots holding them); all problems at once."""
    rulesets, problems = load_each_folder(paths, load_folder)
    problems.extend(_cross_check(rulesets))
    if not problems:
        problems.extend(selection_problems(rulesets))
    if problems:
        raise InputError(problems)
    return rulesets


def selection_problems(rulesets: Sequence[Ruleset], together: bool = False) -> list[Problem]:
    """Every set of rulesets that `check` could compile into one durable-rules ruleset
    (each alone, those serving each jurisdiction, or all `together`), held to
    durable-rules' limits by the compiler's own rule, so `validate` refuses what
    `check` could not run."""
    selections = [tuple(rulesets)] if together else _jurisdiction_selections(rulesets)
    problems: list[Problem] = []
    for chosen in selections:
        programmes = [p for r in chosen for p in r.programmes]
        reason = durable_compiler.combined_limit([p.footprint for p in programmes])
        if reason is None or not programmes:
            continue
        largest = max(programmes, key=lambda p: p.footprint.rules)
        names = " and ".join(r.id for r in chosen)
        problem = Problem(
            largest.file,
            largest.footprint.line,
            "criteria",
            f"the {len(programmes)} programmes of {names} {reason}"
            ": split the ruleset (this file holds its largest programme)",
        )
        if problem not in problems:
            problems.append(problem)
    return problems


def _jurisdiction_selections(rulesets: Sequence[Ruleset]) -> list[tuple[Ruleset, ...]]:
    """Each ruleset alone, and the rulesets serving each country and region named."""
    places = {(r.country, (r.region or "").lower()) for r in rulesets}
    selections: list[tuple[Ruleset, ...]] = [(r,) for r in rulesets]
    for country, region in sorted(places):
        selections.append(
            tuple(
                r
                for r in rulesets
                if r.country == country and (r.region is None or r.region.lower() == region)
            )
        )
    unique = {tuple(r.id for r in chosen): chosen for chosen in selections}
    return list(unique.values())


def load_folder(folder: Path) -> Ruleset:
    problems: list[Problem] = []
    meta_doc = read_document(folder / META_FILE)
    meta: RulesetMeta | None = None
    try:
        meta = RulesetMeta.model_validate(meta_doc.data)
    except ValidationError as error:
        problems.extend(meta_doc.validation_problems(error))
    programmes: list[Programme] = []
    for path in sorted(folder.glob("*.yaml")):
        if path.name == META_FILE or path.name.startswith(ALLOCATION_PREFIX):
            continue
        try:
            programmes.append(load_programme(path, meta.id if meta else folder.name))
        except InputError as error:
            problems.extend(error.problems)
    if problems or meta is None:
        raise InputError(problems)
    return Ruleset(
        id=meta.id,
        title=meta.title,
        version=meta.version,
        hash=content_hash(folder),
        country=meta.jurisdiction.country.value,
        region=meta.jurisdiction.region,
        folder=folder,
        programmes=tuple(programmes),
    )


def load_programme(path: Path, ruleset_id: str) -> Programme:
    doc = read_document(path)
    try:
        spec = ProgrammeFile.model_validate(doc.data)
    except ValidationError as error:
        raise InputError(doc.validation_problems(error)) from None
    return _ProgrammeBuilder(doc, spec, ruleset_id).build()


# The size of a programme's graph of compiled conditions, derived values counted
# once: bounds the work of loading, compiling and deciding, and the recursion of
# every backend (about two Python frames a level, against Python's 1,000).
MAX_PROGRAMME_NODES = 20_000
MAX_GRAPH_DEPTH = 200


class _ProgrammeBuilder:
    """Turns a validated file into a Programme, collecting every problem."""

    def __init__(self, doc: Document, spec: ProgrammeFile, ruleset_id: str) -> None:
        self.doc = doc
        self.spec = spec
        self.ruleset_id = ruleset_id
        self.problems: list[Problem] = []
        self.nodes = 0  # nodes in the graph so far
        self.derived_depths: dict[str, int] = {}

    def build(self) -> Programme:
        parameters = self._parameters()
        declared = {
            n: literal_type(_plain(p.values[0].value)) for n, p in self.spec.parameters.items()
        }
        scope = Scope(intake_type(), declared)
        derived = self._derived(scope)
        scope = Scope(scope.intake, scope.parameters, {n: d.type for n, d in derived.items()})
        criteria = self._criteria(scope, derived)
        decision = self._condition(
            self.spec.eligible,
            ("eligible",),
            Scope(scope.intake, criteria=frozenset(c.id for c in self.spec.criteria)),
        )
        result = self._result(scope)
        amount = self._amount(derived)
        if self.spec.relevant is not None and self.spec.relevant not in {
            c.id for c in self.spec.criteria
        }:
            self.problems.append(
                self.doc.problem(("relevant",), f"{self.spec.relevant!r} is not a criterion")
            )
        self._prose(parameters)
        if self.problems:
            raise InputError(self.problems)
        assert decision is not None
        programme = Programme(
            id=self.spec.id,
            ruleset=self.ruleset_id,
            title=self.spec.title,
            source=self.spec.source,
            file=self.doc.path,
            parameters=parameters,
            derived=derived,
            criteria=tuple(criteria),
            decision=decision,
            result=result,
            amount=amount,
            relevant=self.spec.relevant,
            words=_words(self.spec.outcome_words),
        )
        try:
            footprint = durable_compiler.measure(programme)
        except durable_compiler.LimitError as error:
            raise InputError([self.doc.problem(error.location, str(error))]) from None
        line = self.doc.line_of(("criteria",))
        return replace(programme, footprint=replace(footprint, line=line))

    def _parameters(self) -> dict[str, Parameter]:
        parameters = {}
        for name, spec in self.spec.parameters.items():
            values = spec.values
            location = ("parameters", name)
            types = {literal_type(_plain(v.value)) for v in values}
            if len(types) > 1:
                self.problems.append(
                    self.doc.problem(location, "values of different kinds over time")
                )
                continue
            starts = [v.starts for v in values]
            if len(set(starts)) != len(starts):
                self.problems.append(
                    self.doc.problem(location, "two values start on the same date")
                )
                continue
            parameters[name] = Parameter(
                name,
                types.pop(),
                dated_values(values, _plain),
                self.doc.path,
                self.doc.line_of(location),
                spec.description,
                spec.unit,
                spec.reference,
            )
        return parameters

    def _amount(self, derived: dict[str, DerivedValue]) -> Amount | None:
        spec = self.spec.amount
        if spec is None:
            return None
        named: list[tuple[tuple[str | int, ...], str]] = [(("amount", "value"), spec.value)]
        named += [(("amount", "steps", i), step) for i, step in enumerate(spec.steps)]
        for location, name in named:
            if name not in derived:
                self.problems.append(self.doc.problem(location, f"{name!r} is not a derived value"))
            elif derived[name].type.kind is not Kind.number:
                self.problems.append(self.doc.problem(location, f"{name!r} is not a number"))
        steps = tuple(spec.steps)
        return Amount(spec.name, spec.value, spec.unit, spec.explain, spec.source, steps)

    def _prose(self, parameters: dict[str, Parameter]) -> None:
        """Every text a reader sees: templates name parameters, no figure is typed twice."""
        spec = self.spec
        texts: list[tuple[tuple[Any, ...], str | None]] = [(("description",), spec.description)]
        texts += [
            (("derived", name, "explain"), entry.explain)
            for name, entry in spec.derived.items()
            if isinstance(entry, Derived)
        ]
        texts += [(("criteria", i, "explain"), c.explain) for i, c in enumerate(spec.criteria)]
        if spec.amount is not None:
            texts.append((("amount", "explain"), spec.amount.explain))
        if spec.result is not None:
            texts.append((("result", "explain"), spec.result.explain))
            texts += [
                (("result", "cases", i, "explain"), c.explain)
                for i, c in enumerate(spec.result.cases)
            ]
        for location, text in texts:
            for reason in template_problems(text or "", parameters):
                self.problems.append(self.doc.problem(location, reason))

    def _derived(self, scope: Scope) -> dict[str, DerivedValue]:
        derived: dict[str, DerivedValue] = {}
        # Only values defined above are visible, so derived values cannot form a cycle;
        # the scope grows as they are defined (one mapping, not a copy per value).
        types: dict[str, Type] = {}
        visible = Scope(scope.intake, scope.parameters, types)
        for name, entry in self.spec.derived.items():
            text, explain = (
                (entry.value, entry.explain) if isinstance(entry, Derived) else (entry, None)
            )
            location: tuple[str, ...] = ("derived", name)
            if isinstance(entry, Derived):
                location = (*location, "value")
            if scope.intake.field(name) is not None:
                self.problems.append(
                    self.doc.problem(location, f"{name!r} is already an intake field")
                )
                continue
            checked = self._checked(text, location, visible, None)
            if checked is not None:
                derived[name] = DerivedValue(name, checked[0], checked[1], explain)
                types[name] = checked[1]
                self.derived_depths[name] = graph_depth(checked[0], self.derived_depths)
        return derived

    def _criteria(self, scope: Scope, derived: dict[str, DerivedValue]) -> list[Criterion]:
        criteria = []
        seen: set[str] = set()
        definitions = {n: d.expr for n, d in derived.items()}
        for index, spec in enumerate(self.spec.criteria):
            if spec.id in seen:
                self.problems.append(
                    self.doc.problem(("criteria", index, "id"), f"{spec.id!r} is given twice")
                )
                continue
            seen.add(spec.id)
            condition = self._condition(spec.when, ("criteria", index, "when"), scope)
            if condition is not None:
                reads = labelled_reads(condition, definitions)
                criteria.append(Criterion(spec.id, condition, spec.explain, spec.source, reads))
        return criteria

    def _result(self, scope: Scope) -> Result | None:
        spec = self.spec.result
        if spec is None:
            return None
        cases = []
        for index, case in enumerate(spec.cases):
            condition = self._condition(case.when, ("result", "cases", index, "when"), scope)
            if condition is not None:
                cases.append(ResultRule(case.value, condition, case.explain, case.source))
        return Result(spec.name, spec.explain, tuple(cases), spec.otherwise)

    def _condition(self, text: str, location: tuple[Any, ...], scope: Scope) -> Any:
        checked = self._checked(text, location, scope, Kind.boolean)
        return None if checked is None else checked[0]

    def _checked(
        self, text: str, location: tuple[Any, ...], scope: Scope, expect: Kind | None
    ) -> Any:
        try:
            checked = parse(text, scope, expect)
        except ExpressionError as error:
            self.problems.append(self.doc.problem(location, str(error)))
            return None
        if not self._within_budget(checked.expr, location):
            return None
        return checked.expr, checked.type

    def _within_budget(self, expr: Expr, location: tuple[Any, ...]) -> bool:
        """Count the expression into the graph; refuse the place that passes a bound."""
        before = self.nodes
        self.nodes += len(walk(expr))
        if self.nodes > MAX_PROGRAMME_NODES >= before:
            reason = (
                f"the programme passes {MAX_PROGRAMME_NODES:,} nodes of conditions here "
                "(each derived value counted once); split it into several programmes"
            )
            self.problems.append(self.doc.problem(location, reason))
            return False
        depth = graph_depth(expr, self.derived_depths)
        if depth > MAX_GRAPH_DEPTH:
            reason = (
                f"is {depth} levels deep with the derived values it builds on; "
                f"at most {MAX_GRAPH_DEPTH}: build on fewer derived values in a chain"
            )
            self.problems.append(self.doc.problem(location, reason))
            return False
        return self.nodes <= MAX_PROGRAMME_NODES


def _words(words: OutcomeWords | None) -> tuple[tuple[str, str], ...]:
    given = (words or OutcomeWords()).model_dump().items()
    return tuple((outcome, text) for outcome, text in given if text is not None)


def _plain(value: Any) -> Any:
    if isinstance(value, TableValue):
        return table_of(value.rows, value.each_additional, value.keys == "text")
    if isinstance(value, list):
        return tuple(value)
    return value


def programme_refs(programme: Programme) -> set[str]:
    """The other programmes whose decisions this one reads."""
    exprs = [programme.decision, *(c.condition for c in programme.criteria)]
    exprs += [d.expr for d in programme.derived.values()]
    if programme.result:
        exprs += [case.condition for case in programme.result.cases]
    return {node.id for expr in exprs for node in walk(expr) if isinstance(node, ProgrammeRef)}


def _cross_check(rulesets: Sequence[Ruleset]) -> list[Problem]:
    problems: list[Problem] = []
    by_id: dict[str, Programme] = {}
    for ruleset in rulesets:
        for programme in ruleset.programmes:
            if programme.id in by_id:
                problems.append(
                    Problem(
                        programme.file,
                        None,
                        "id",
                        f"{programme.id!r} is also defined in {by_id[programme.id].file}",
                    )
                )
            by_id[programme.id] = programme
    for programme in by_id.values():
        for ref in sorted(programme_refs(programme) - by_id.keys()):
            problems.append(
                Problem(programme.file, None, "criteria", f"reads unknown programme {ref!r}")
            )
    cycle = find_cycle({p.id: programme_refs(p) & by_id.keys() for p in by_id.values()})
    if cycle:
        first = by_id[cycle[0]]
        problems.append(
            Problem(
                first.file,
                None,
                "criteria",
                "programmes depend on each other in a cycle: " + " -> ".join(cycle),
            )
        )
    return problems


def find_cycle(graph: dict[str, set[str]]) -> list[str] | None:
    """A dependency cycle as a path that returns to its start, or None."""
    state: dict[str, int] = {}
    stack: list[str] = []

    def visit(node: str) -> list[str] | None:
        state[node] = 1
        stack.append(node)
        for nxt in sorted(graph.get(node, ())):
            if state.get(nxt) == 1:
                return [*stack[stack.index(nxt) :], nxt]
            if nxt not in state and (found := visit(nxt)):
                return found
        stack.pop()
        state[node] = 2
        return None

    for node in sorted(graph):
        if node not in state and (found := visit(node)):
            return found
    return None


def dependency_order(programmes: Sequence[Programme]) -> list[Programme]:
    """Programmes so that each comes after those it reads (the graph is acyclic)."""
    by_id = {p.id: p for p in programmes}
    ordered: list[Programme] = []
    done: set[str] = set()

    def place(programme: Programme) -> None:
        if programme.id in done:
            return
        done.add(programme.id)
        for ref in sorted(programme_refs(programme)):
            if ref in by_id:
                place(by_id[ref])
        ordered.append(programme)

    for programme in programmes:
        place(programme)
    return ordered
