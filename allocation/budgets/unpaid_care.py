"""Needs a carer meets: left out of what the council plans for, and said so line by line.

Eligibility is decided as if no carer met the needs; when the council decides how
to meet them, it need not meet a need that a carer is meeting and is willing and
able to go on meeting (Care Act 2014 s.18(7)). So a support plan line, or a RAS
domain, that serves only outcomes such a carer meets is left out of the budget
(`all_met`, read by the methods); each outcome a carer meets then gets a line
saying what was left out for it, or why it was planned for: from what the
methods did, so no line says "left out" while the money was kept.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from allocation.budgets.allocation_model import Budget, Line, Unavailable
from allocation.budgets.methods_files import RasFile
from allocation.budgets.requests import PlanLine
from engine.common import ZERO
from engine.intake import Intake, Outcome

SOURCE = "Care Act 2014 s.18(7)"
WILLING = "met by a carer willing and able to go on"
LEFT_OUT = f"{WILLING}, {SOURCE}"


def carer_meets(intake: Intake) -> frozenset[Outcome]:
    """The outcomes a carer meets and is willing and able to go on meeting."""
    assessed = (intake.needs.outcomes or []) if intake.needs else []
    return frozenset(a.outcome for a in assessed if a.met_by_carer and a.carer_willing_and_able)


def all_met(serves: Sequence[Outcome], meets: frozenset[Outcome]) -> bool:
    """Whether something serving `serves` is left out: it serves outcomes, all of them met."""
    return bool(serves) and set(serves) <= meets


def words(outcomes: Sequence[Outcome]) -> str:
    """Outcomes as read aloud: "nutrition and personal hygiene"."""
    names = [o.value.replace("_", " ") for o in outcomes]
    return names[0] if len(names) == 1 else f"{', '.join(names[:-1])} and {names[-1]}"


def carer_met_lines(
    intake: Intake,
    plan: Sequence[PlanLine] | None,
    ras: RasFile | None,
    outcomes: Mapping[str, Budget | Unavailable],
) -> list[Line]:
    """One line per outcome a carer meets: what was left out for it, or why it is planned for."""
    lines = []
    meets = carer_meets(intake)
    assessed = (intake.needs.outcomes or []) if intake.needs else []
    for index, outcome in enumerate(assessed):
        if not outcome.met_by_carer:
            continue
        name = words([outcome.outcome])
        if outcome.carer_willing_and_able:
            done = _costed(outcome.outcome, plan or [], meets, outcomes)
            done += _scored(outcome.outcome, ras, meets, outcomes.get("ras"))
            label = f"{name}: {WILLING}: " + (
                "; ".join(done) or "no budget method gave a figure to leave it out of"
            )
        elif outcome.carer_willing_and_able is False:
            label = f"{name}: met by a carer who cannot or will not go on, planned for"
        else:
            label = (
                f"{name}: met by a carer, planned for until it is known whether they are "
                f"willing and able to go on (ask needs.outcomes[{index}].carer_willing_and_able)"
            )
        lines.append(Line(label=label, amount=ZERO, source=SOURCE))
    return lines


def _costed(
    outcome: Outcome,
    plan: Sequence[PlanLine],
    meets: frozenset[Outcome],
    outcomes: Mapping[str, Budget | Unavailable],
) -> list[str]:
    """What the plan's costing (and the ISF's own support, from the same plan) did."""
    costed = [m for m in ("costing", "isf") if isinstance(outcomes.get(m), Budget)]
    if not costed:
        return []
    where = " and ".join({"costing": "the costed plan", "isf": "the ISF"}[m] for m in costed)
    serving = [(i, p) for i, p in enumerate(plan) if outcome in p.outcomes]
    if not serving:
        return [
            f"no support plan line names it (support_plan[].outcomes): {where} left nothing "
            "out for it"
        ]
    said = []
    left = [f"support_plan[{i}] {p.support}" for i, p in serving if all_met(p.outcomes, meets)]
    kept = [
        f"support_plan[{i}] {p.support} (also {words([o for o in p.outcomes if o not in meets])})"
        for i, p in serving
        if not all_met(p.outcomes, meets)
    ]
    if left:
        said.append(f"left out of {where}: {', '.join(left)}")
    if kept:
        said.append(
            f"kept in {where} where a line also serves a need planned for: {', '.join(kept)}"
        )
    return said


def _scored(
    outcome: Outcome,
    ras: RasFile | None,
    meets: frozenset[Outcome],
    budget: Budget | Unavailable | None,
) -> list[str]:
    """What the RAS did with the domains that score this outcome."""
    if ras is None or not isinstance(budget, Budget):
        return []
    points = {p.question: p for p in budget.points or []}
    domains = [d for d in ras.domains if outcome in d.outcomes]
    if not domains:
        return ["no RAS domain scores it"]
    said = []
    for domain in domains:
        scored = points[domain.id]
        if scored.would_score is not None:
            said.append(f"RAS {domain.id} scores 0 points (would be {scored.would_score})")
        elif all_met(domain.outcomes, meets):
            said.append(f"RAS {domain.id} scored: {scored.note}")
        else:
            others = words([o for o in domain.outcomes if o not in meets])
            said.append(f"RAS {domain.id} scored: it also scores {others}, planned for")
    return said
