"""A request checked against the methods that will read it: every problem, by file and field.

The methods themselves then run on input known to be good. A missing answer
is not a problem here (the method says what it needs); an answer that no
method knows, impossible hours, or a house whose shares cannot be computed
are.
"""

from __future__ import annotations

from decimal import Decimal

from allocation.budgets.houses import HouseFiles, LoadedHouse
from allocation.budgets.methods import Methods
from allocation.budgets.methods_files import CostingFile, RasFile, SplitRule, Unit
from allocation.budgets.requests import LoadedRequest
from engine.sourcefiles import InputError, Problem

MOST_PER_WEEK = {Unit.hour: Decimal(168), Unit.night: Decimal(7)}


def request_problems(loaded: LoadedRequest, methods: Methods, houses: HouseFiles) -> list[Problem]:
    request = loaded.request
    problems: list[Problem] = []
    if methods.ras is not None and request.questionnaire:
        problems += _questionnaire(loaded, methods.ras.spec)
    if methods.costing is not None:
        costing = methods.costing.spec
        for index, line in enumerate(request.support_plan or []):
            location = ("support_plan", index)
            reason = _support_problem(costing, line.support, line.per_week, line.shared_by)
            if reason:
                field, text = reason
                problems.append(loaded.doc.problem((*location, field), text))
    if request.house is not None:
        path = loaded.path_of(request.house)
        if not path.is_file():
            return [*problems, loaded.doc.problem(("house",), f"no such file: {path}")]
        try:
            house = houses.get(path)
        except InputError as error:
            return problems + error.problems
        if loaded.person not in house.house.tenants:
            problems.append(
                loaded.doc.problem(
                    ("house",), f"{loaded.person!r} is not a tenant of {house.house.id!r} ({path})"
                )
            )
        problems += house_problems(house, methods)
    return problems


def house_problems(loaded: LoadedHouse, methods: Methods) -> list[Problem]:
    """Costs the costing method can price, and shares that can be computed."""
    doc, house = loaded.doc, loaded.house
    problems: list[Problem] = []
    default = methods.isf.spec.shared_split if methods.isf else SplitRule.equal
    if methods.costing is None:
        return [
            doc.problem(
                (), "a house needs a costing method for its unit costs; the ruleset has none"
            )
        ]
    costs = [(("core", i), c) for i, c in enumerate(house.core)]
    costs += [(("shared", i), c) for i, c in enumerate(house.shared)]
    for location, cost in costs:
        if cost.support is not None and cost.per_week is not None:
            reason = _support_problem(methods.costing.spec, cost.support, cost.per_week, 1)
            if reason:
                problems.append(doc.problem((*location, reason[0]), reason[1]))
            elif methods.costing.spec.support_types[cost.support].shared:
                problems.append(
                    doc.problem(
                        (*location, "support"),
                        "a house cost is shared by its users already: "
                        "give the staff time as a type for one member of staff",
                    )
                )
    for index, shared in enumerate(house.shared):
        for user in shared.users:
            if user not in house.tenants:
                problems.append(doc.problem(("shared", index, "users"), f"{user} is not a tenant"))
        if (shared.split or default) is not SplitRule.hours:
            continue
        used = shared.hours_used or {}
        missing = [u for u in shared.users if u not in used]
        if missing:
            problems.append(
                doc.problem(
                    ("shared", index, "hours_used"),
                    f"split by hours needs the hours of {', '.join(missing)}",
                )
            )
        elif sum(used.values()) <= 0:
            problems.append(
                doc.problem(
                    ("shared", index, "hours_used"),
                    "the users' hours add up to 0: no share can be computed",
                )
            )
    return problems


def _questionnaire(loaded: LoadedRequest, ras: RasFile) -> list[Problem]:
    questions = {d.id: [a.id for a in d.answers] for d in ras.domains}
    questions |= {a.id: [x.id for x in a.answers] for a in ras.adjustments}
    problems = []
    for question, answer in (loaded.request.questionnaire or {}).items():
        location = ("questionnaire", question)
        if question not in questions:
            problems.append(
                loaded.doc.problem(
                    location, f"no such question in {ras.id} (known: {', '.join(questions)})"
                )
            )
        elif answer not in questions[question]:
            known = ", ".join(questions[question])
            problems.append(
                loaded.doc.problem(location, f"{answer!r} is not an answer to it (known: {known})")
            )
    return problems


def _support_problem(
    costing: CostingFile, support: str, per_week: Decimal, shared_by: int
) -> tuple[str, str] | None:
    kind = costing.support_types.get(support)
    if kind is None:
        return (
            "support",
            f"unknown support type {support!r} (known: {', '.join(costing.support_types)})",
        )
    most = MOST_PER_WEEK[kind.unit]
    if per_week > most:
        return "per_week", f"{per_week} {kind.unit.value}s is more than a week holds ({most})"
    if kind.shared and shared_by < 2:
        return "shared_by", f"{support!r} is group support: say how many share it (2 or more)"
    return None
