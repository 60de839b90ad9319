"""One case through the rules: facts in, the Decision (engine/decision_model.py) out.

durable-rules decides (criteria, programmes, results, chaining); our own
evaluator prepares the values it compares and explains what it decided:
the inputs each criterion read, near-misses with their gaps, and the fields
to ask for next. The evaluator also decides every case on its own, and the
two must agree: a disagreement is an engine fault, reported, never hidden.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from engine.decision_model import (
    OUTCOME,
    AmountStep,
    CriterionResult,
    Decision,
    NearMiss,
    ProgrammeAmount,
    ProgrammeDecision,
    ProgrammeResult,
    Question,
)
from engine.describe import describe
from engine.durable_compiler import Plan, fact_value
from engine.durable_runner import DurableRunner, EngineError, Outcomes
from engine.evaluate import UNKNOWN, Env, evaluate, lookup_path
from engine.figures import render
from engine.intake import Intake
from engine.ir import (
    Aggregate,
    And,
    Compare,
    DerivedRef,
    Expr,
    FieldRef,
    ItemRef,
    Table,
    walk,
)
from engine.programmes import Programme, Ruleset

DEFAULT_WORDS = {
    "eligible": "eligible",
    "not_eligible": "not eligible",
    "needs_information": "needs information",
}


@dataclass(frozen=True)
class CasePlan:
    """The programmes that apply to a case, compiled for one parameter snapshot."""

    rulesets: tuple[Ruleset, ...]
    programmes: tuple[Programme, ...]  # each after the programmes it reads
    durable: Plan
    as_of: date


def decide(plan: CasePlan, intake: Intake, runner: DurableRunner) -> Decision:
    data = intake.model_dump(mode="python")
    envs = {p.id: _env(p, data, plan.as_of) for p in plan.programmes}
    facts = [
        _fact(condition.key, condition.group, condition.terms, envs[condition.programme])
        for condition in plan.durable.conditions
    ]
    outcomes = runner.run(plan.durable, facts)
    reference = _reference(plan, envs)
    _agree(plan, outcomes, reference)
    asked = [
        p
        for p in plan.programmes
        if _relevant(p, reference) and (intake.applying_for is None or p.id in intake.applying_for)
    ]
    questions = _questions(asked, envs, reference)
    return Decision(
        rulesets=[r.stamp() for r in plan.rulesets],
        as_of=plan.as_of,
        programmes=[_programme(p, envs[p.id], reference) for p in plan.programmes],
        ask_next=[q.field for q in questions],
        questions=questions,
    )


def _relevant(programme: Programme, ref: _Reference) -> bool:
    """False when the programme's relevance criterion is not met: it cannot apply."""
    if programme.relevant is None:
        return True
    return ref.criteria[(programme.id, programme.relevant)] is not False


def _env(programme: Programme, data: Mapping[str, Any], as_of: date) -> Env:
    derived = {d.name: d.expr for d in programme.derived.values()}
    return Env(data, as_of, programme.parameter_values(as_of), derived)


def _fact(key: str, group: str, terms: Sequence[Expr], env: Env) -> dict[str, Any]:
    fact: dict[str, Any] = {"t": "in", "g": group, "k": key}
    for index, term in enumerate(terms):
        value = evaluate(term, env)
        if value is not UNKNOWN:
            fact[f"v{index}"] = fact_value(value)
    return fact


@dataclass
class _Reference:
    criteria: dict[tuple[str, str], bool | None]
    programmes: dict[str, bool | None]
    results: dict[str, str | None]


def _reference(plan: CasePlan, envs: Mapping[str, Env]) -> _Reference:
    """Every decision by the Python evaluator alone, programmes in dependency order."""
    ref = _Reference({}, {}, {})
    for programme in plan.programmes:
        env = envs[programme.id]
        env.programmes = ref.programmes
        met = {c.id: _truth(evaluate(c.condition, env)) for c in programme.criteria}
        ref.criteria.update({(programme.id, cid): value for cid, value in met.items()})
        env.criteria = met
        ref.programmes[programme.id] = _truth(evaluate(programme.decision, env))
        if programme.result is not None:
            ref.results[programme.id] = _first_case(programme, env)
    return ref


def _first_case(programme: Programme, env: Env) -> str | None:
    assert programme.result is not None
    for case in programme.result.cases:
        holds = evaluate(case.condition, env)
        if holds is UNKNOWN:
            return None
        if holds:
            return case.value
    return programme.result.otherwise


def _truth(value: Any) -> bool | None:
    return None if value is UNKNOWN else bool(value)


def _agree(plan: CasePlan, outcomes: Outcomes, ref: _Reference) -> None:
    keys = plan.durable.programme_keys
    by_key = {c.key: c for c in plan.durable.conditions}
    found: list[str] = []
    for key, condition in by_key.items():
        if condition.name.startswith("result:"):
            continue
        expected = ref.criteria[(condition.programme, condition.name)]
        if outcomes.conditions.get(key) != expected:
            found.append(f"{condition.programme}/{condition.name}")
    for programme_id, key in keys.items():
        if outcomes.programmes.get(key) != ref.programmes[programme_id]:
            found.append(programme_id)
        if programme_id in ref.results and outcomes.results.get(key) != ref.results[programme_id]:
            found.append(f"{programme_id}/result")
    if found:
        raise EngineError(
            "durable-rules and the reference evaluator disagree on " + ", ".join(found)
        )


# --- the Decision ----------------------------------------------------------------------


def _programme(programme: Programme, env: Env, ref: _Reference) -> ProgrammeDecision:
    criteria = [
        CriterionResult(
            id=criterion.id,
            met=ref.criteria[(programme.id, criterion.id)],
            explain=render(criterion.explain, programme.parameters, env.as_of),
            source=criterion.source,
            inputs={label: _plain(evaluate(node, env)) for label, node in criterion.reads},
        )
        for criterion in programme.criteria
    ]
    result = None
    if programme.result is not None:
        value = ref.results.get(programme.id)
        case = next((c for c in programme.result.cases if c.value == value), None)
        result = ProgrammeResult(
            name=programme.result.name,
            value=value,
            explain=render(
                case.explain if case else programme.result.explain,
                programme.parameters,
                env.as_of,
            ),
            source=case.source if case else programme.source,
        )
    outcome = OUTCOME[ref.programmes[programme.id]]
    relevant = _relevant(programme, ref)
    words = dict(programme.words).get(outcome if relevant else "not_relevant")
    return ProgrammeDecision(
        id=programme.id,
        ruleset=programme.ruleset,
        title=programme.title,
        source=programme.source,
        outcome=outcome,
        relevant=relevant,
        words=words or (DEFAULT_WORDS[outcome] if relevant else "not relevant"),
        criteria=criteria,
        near_misses=_near_misses(programme, env, ref),
        amount=None
        if programme.amount is None
        else _amount(programme, env, ref.programmes[programme.id]),
        result=result,
    )


def _amount(programme: Programme, env: Env, eligible: bool | None) -> ProgrammeAmount:
    """The amount with each step of its arithmetic; no amount unless eligible."""
    amount = programme.amount
    assert amount is not None

    def text(template: str) -> str:
        return render(template, programme.parameters, env.as_of)

    steps = [
        AmountStep(
            name=name,
            value=_plain(env.derived_value(name)),
            explain=text(programme.derived[name].explain or name),
        )
        for name in amount.steps
    ]
    value = env.derived_value(amount.value) if eligible else UNKNOWN
    why = {
        True: text(amount.explain),
        False: "No amount: the programme's decision is not eligible.",
        None: "No amount yet: the programme's decision needs more information.",
    }[eligible]
    if eligible and value is UNKNOWN:
        why += " It cannot be worked out until the missing values are known."
    return ProgrammeAmount(
        name=amount.name,
        value=_plain(value),
        unit=amount.unit,
        explain=why,
        source=amount.source,
        steps=steps,
    )


def _plain(value: Any) -> Any:
    if value is UNKNOWN:
        return None
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, tuple | list):
        return [_plain(v) for v in value]
    if isinstance(value, Table):
        return {str(k): _plain(v) for k, v in value.rows}
    if isinstance(value, str):  # enumerations as their plain value
        return str(value)
    return value


def _near_misses(programme: Programme, env: Env, ref: _Reference) -> list[NearMiss]:
    """Numeric thresholds that failed, with the input and how far it must move."""
    failed = [c for c in programme.criteria if ref.criteria[(programme.id, c.id)] is False]
    misses = []
    for criterion in failed:
        parts = (
            criterion.condition.items
            if isinstance(criterion.condition, And)
            else (criterion.condition,)
        )
        for part in parts:
            miss = _numeric_miss(part, env, criterion.id, only=len(failed) == 1)
            if miss is not None:
                misses.append(miss)
    return sorted(misses, key=lambda m: (not m.only_criterion_failing, m.relative_gap, m.criterion))


def _numeric_miss(expr: Expr, env: Env, criterion: str, only: bool) -> NearMiss | None:
    if not isinstance(expr, Compare) or expr.op not in ("<", "<=", ">", ">="):
        return None
    left, right = evaluate(expr.left, env), evaluate(expr.right, env)
    if (
        not (isinstance(left, Decimal) and isinstance(right, Decimal))
        or evaluate(expr, env) is not False
    ):
        return None
    gap = abs(left - right)
    if expr.op in ("<", ">") and gap == 0:
        gap = Decimal("0.01")
    threshold = _plain(right)
    return NearMiss(
        input=describe(expr.left),
        value=_plain(left),
        needs=f"{describe(expr.left)} {expr.op} {threshold}",
        gap=_plain(gap),
        relative_gap=float(gap / abs(right)) if right else float(gap),
        criterion=criterion,
        only_criterion_failing=only,
    )


def _questions(
    programmes: Sequence[Programme], envs: Mapping[str, Env], ref: _Reference
) -> list[Question]:
    """Missing fields that leave a programme undecided, with the programmes each could
    decide: those settling most programmes first, then those blocking most criteria."""
    settles: dict[str, list[str]] = defaultdict(list)
    criteria_count: Counter[str] = Counter()
    for programme in programmes:
        if ref.programmes[programme.id] is not None:
            continue
        env = envs[programme.id]
        fields: set[str] = set()
        for criterion in programme.criteria:
            if ref.criteria[(programme.id, criterion.id)] is None:
                missing = _missing_fields(criterion.condition, env, programme)
                fields |= missing
                criteria_count.update(missing)
        for field in fields:
            settles[field].append(programme.id)
    ranked = sorted(settles, key=lambda f: (-len(settles[f]), -criteria_count[f], f))
    return [Question(field=f, settles=settles[f]) for f in ranked]


def _missing_fields(
    expr: Expr, env: Env, programme: Programme, seen: set[str] | None = None
) -> set[str]:
    """Fields whose absence leaves `expr` unknown; each derived value is followed
    once (`seen`), so the work grows with the values, not the paths through them."""
    seen = set() if seen is None else seen
    missing: set[str] = set()
    for node in walk(expr):
        if isinstance(node, Aggregate):
            missing |= _missing_in_list(node, env)
        elif isinstance(node, FieldRef) and evaluate(node, env) is UNKNOWN:
            missing.add(".".join(node.path))
        elif (
            isinstance(node, DerivedRef)
            and node.name not in seen
            and env.derived_value(node.name) is UNKNOWN
        ):
            seen.add(node.name)
            missing |= _missing_fields(programme.derived[node.name].expr, env, programme, seen)
    return missing


def _missing_in_list(node: Aggregate, env: Env) -> set[str]:
    elements = evaluate(node.source, env)
    if elements is UNKNOWN:
        return {".".join(node.source.path)}
    parts = [part for part in (node.element, node.condition) if part is not None]
    reads = {n.path for part in parts for n in walk(part) if isinstance(n, ItemRef)}
    return {
        ".".join((*node.source.path, *path))
        for element in elements
        for path in reads
        if lookup_path(element, path) is UNKNOWN
    }
