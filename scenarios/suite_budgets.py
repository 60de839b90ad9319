"""Budget figures and charges in scenario suites: a case's allocation request and what it expects.

A case may carry what the budget methods need beyond the intake, inline
(`allocation:` with the questionnaire, support plan, house and personal
control; the intake is the case's own) or as a request file in the suite's
own folder (`allocation_file:`, whose intake is then the case's). It expects,
per method, the budget's status and figures, the weekly charge of the
financial assessment, and whether anything blocks the allocation:

    expect:
      allocation:
        allocated: true
        charge: 149.24
        methods:
          ras: {weekly: 111.44, band: moderate, contribution: 111.44, net_funded: 0}
          isf: {status: not_applicable}

Figures are compared exactly (Decimal), and a failure says what was got,
what was expected and the difference. The allocation is made by the same
`Allocator` as `justenough allocate`, so a suite checks what users see.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import Any, Literal

from pydantic import Field

from allocation.budgets.allocation_model import (
    Allocation,
    Assessment,
    Budget,
    MethodName,
    Unavailable,
)
from allocation.budgets.requests import LoadedRequest, read_request, request_from
from engine.common import Strict
from engine.intake import Intake
from engine.sourcefiles import Document, InputError, Location

Status = Literal["ok", "needs_information", "not_applicable"]
FIGURES = ("weekly", "annual", "contribution", "net_funded")


class BudgetExpectation(Strict):
    """One method's expected outcome; a figure left out is not checked."""

    status: Status | None = None
    weekly: Decimal | None = None
    annual: Decimal | None = None
    contribution: Decimal | None = None
    net_funded: Decimal | None = None
    total_points: int | None = None
    band: str | None = None


class AllocationExpectation(Strict):
    allocated: bool | None = None
    blocked_by: str | None = None  # the programme that stands in the way
    charge: Decimal | None = None  # the assessment's weekly charge, before it meets a budget
    full_cost: bool | None = None
    methods: dict[MethodName, BudgetExpectation] = Field(default_factory=dict)


def inline_request(
    document: Document, folder: Path, location: Location, given: dict[str, Any], intake: Intake
) -> LoadedRequest:
    """The case's `allocation:` as a request for the case's intake; names inside the folder."""
    if "intake" in given or "intake_file" in given:
        raise InputError(
            [document.problem(location, "the request's intake is the case's: give neither here")]
        )
    depth = len(location)
    lines = {at[depth:]: n for at, n in document.lines.items() if at[:depth] == location}
    part = Document(document.path, {**given, "intake": intake}, lines)
    return request_from(part, folder)


def file_request(document: Document, folder: Path, location: Location, name: str) -> LoadedRequest:
    """A request file named by a case: inside the suite's folder, or refused unread."""
    target = (folder / name).resolve()
    if Path(name).is_absolute() or not target.is_relative_to(folder.resolve()):
        raise InputError([document.problem(location, "names a file outside the suite's folder")])
    if not target.is_file():
        raise InputError([document.problem(location, "no such file")])
    return read_request(target)


def check_allocation(expected: AllocationExpectation, got: Allocation) -> list[str]:
    """Each expectation the allocation does not meet, with what it got and the difference."""
    failures = []
    blocked = got.eligibility.blocked_by
    if expected.allocated is not None and got.allocated != expected.allocated:
        why = f" ({blocked.reason})" if blocked is not None else ""
        failures.append(
            f"allocation: allocated {got.allocated}{why}, expected {expected.allocated}"
        )
    if expected.blocked_by is not None:
        by = blocked.programme if blocked is not None else None
        if by != expected.blocked_by:
            failures.append(f"allocation: blocked by {by}, expected {expected.blocked_by}")
    charging = got.charging
    if expected.full_cost is not None:
        full = charging.full_cost if charging is not None else None
        if full != expected.full_cost:
            failures.append(f"allocation.charge: full cost {full}, expected {expected.full_cost}")
    if expected.charge is not None:
        charge = charging.weekly_charge if charging is not None else None
        failures += _figure("allocation.charge", charge, expected.charge, _why_not(charging))
    for method, wanted in expected.methods.items():
        failures += _check_method(method, wanted, got.methods.get(method))
    return failures


def _check_method(
    method: str, wanted: BudgetExpectation, outcome: Budget | Unavailable | None
) -> list[str]:
    where = f"allocation.{method}"
    if outcome is None:
        return [f"{where}: no outcome (the allocation was not made, or the method not run)"]
    failures = []
    if wanted.status is not None and outcome.status != wanted.status:
        reason = f" ({outcome.reason})" if isinstance(outcome, Unavailable) else ""
        failures.append(f"{where}: status {outcome.status}{reason}, expected {wanted.status}")
    budget = outcome if isinstance(outcome, Budget) else None
    why = outcome.reason if isinstance(outcome, Unavailable) else "not yet assessed"
    for name in FIGURES:
        value = getattr(wanted, name)
        if value is not None:
            got = getattr(budget, name) if budget is not None else None
            failures += _figure(f"{where}.{name}", got, value, why)
    for name in ("total_points", "band"):
        value = getattr(wanted, name)
        got = getattr(budget, name) if budget is not None else None
        if value is not None and got != value:
            failures.append(f"{where}.{name}: {got}, expected {value}")
    return failures


def _figure(where: str, got: Decimal | None, expected: Decimal, why: str) -> list[str]:
    if got is None:
        return [f"{where}: none ({why}), expected {expected:f}"]
    if got != expected:
        return [f"{where}: {got:f}, expected {expected:f} (difference {got - expected:+f})"]
    return []


def _why_not(charging: Assessment | None) -> str:
    if charging is None:
        return "no financial assessment"
    if charging.full_cost:
        return "full cost: the person pays the whole budget"
    return str(charging.reason or "not assessed")
