"""Scenario suites: cases with expected decisions, written in YAML without Python.

In the manner of OpenFisca's YAML tests, a suite holds cases; each case is an
intake (inline, or a file in the suite's own folder), an as-of date, and the
outcomes expected of the decision: per programme its outcome, criteria,
result and amount, and the fields to ask next. Cases are decided by the
screening engine itself (durable-rules, held to the reference evaluator).

    name: SNAP
    as_of: 2026-01-01
    cases:
      - name: one adult, low earnings
        intake_file: intakes/us-single-low-earnings.yaml
        expect:
          programmes:
            us.snap: {outcome: eligible, criteria: {gross_income: true}, amount: 291}
          ask_next: []

A case may also carry an allocation request and expect budget figures and
charges (`scenarios/suite_budgets.py`).

Coverage: every criterion of every programme the cases were decided
against should be seen both met and not met somewhere in the suites.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any
from xml.etree import ElementTree

from pydantic import Field, ValidationError

from allocation.budgets.allocation_model import Allocation
from allocation.budgets.allocator import Allocator
from allocation.budgets.methods import load_all_methods
from allocation.budgets.requests import AllocationRequest, LoadedRequest
from engine.common import Strict
from engine.decision_model import Decision, Outcome
from engine.intake import Intake
from engine.intake_files import intake_from
from engine.loader import default_rulesets_root
from engine.output_files import write_atomically
from engine.screening import Screener
from engine.sourcefiles import Document, InputError, Problem, read_document
from engine.worker_pool import CaseError
from scenarios.suite_budgets import (
    AllocationExpectation,
    check_allocation,
    file_request,
    inline_request,
)

SUITES = Path(__file__).resolve().parent / "suites"


class ProgrammeExpectation(Strict):
    outcome: Outcome | None = None
    criteria: dict[str, bool | None] = Field(default_factory=dict)
    result: str | None = None
    amount: Decimal | None = None


class Expectation(Strict):
    programmes: dict[str, ProgrammeExpectation] = Field(default_factory=dict)
    ask_next: list[str] | None = None  # exactly these, in this order
    ask_next_includes: list[str] = Field(default_factory=list)  # at least these
    allocation: AllocationExpectation | None = None


class Case(Strict):
    name: str
    as_of: date | None = None
    intake: dict[str, Any] | None = None
    intake_file: str | None = None
    allocation: dict[str, Any] | None = None  # the request, less the intake (the case's)
    allocation_file: str | None = None  # a request file in the suite's folder, with the intake
    expect: Expectation


class Suite(Strict):
    name: str
    as_of: date
    rulesets: str | None = None  # a ruleset folder under the rulesets root, e.g. "us"
    cases: list[Case]


@dataclass
class LoadedCase:
    suite: str
    case: Case
    intake: Intake
    as_of: date
    where: str  # file:line of the case
    request: LoadedRequest | None = None  # when the case expects an allocation


@dataclass
class CaseRun:
    case: LoadedCase
    failures: list[str]
    seconds: float


@dataclass
class Coverage:
    """Criteria seen met and not met, by programme."""

    seen: dict[tuple[str, str], set[bool | None]] = field(default_factory=dict)

    def add(self, decision: Decision) -> None:
        for programme in decision.programmes:
            for criterion in programme.criteria:
                key = (programme.id, criterion.id)
                self.seen.setdefault(key, set()).add(criterion.met)

    def unexercised(self, screener: Screener) -> list[str]:
        missing = []
        for ruleset in screener.rulesets:
            for programme in ruleset.programmes:
                for criterion in programme.criteria:
                    seen = self.seen.get((programme.id, criterion.id), set())
                    lacking = [w for v, w in ((True, "met"), (False, "not met")) if v not in seen]
                    if lacking:
                        missing.append(
                            f"{programme.id}/{criterion.id}: never {' or '.join(lacking)}"
                        )
        return missing


def suite_files(paths: Sequence[Path]) -> list[Path]:
    chosen = list(paths) or [SUITES]
    files: list[Path] = []
    for path in chosen:
        if path.is_dir():
            files += sorted(path.glob("*.yaml"))
        elif path.is_file():
            files.append(path)
        else:
            raise InputError([Problem(str(path), None, "", "no such suite file or folder")])
    return files


def load_suite(path: Path) -> tuple[Suite, list[LoadedCase]]:
    document = read_document(path)
    try:
        suite = Suite.model_validate(document.data)
    except ValidationError as error:
        raise InputError(document.validation_problems(error)) from None
    problems: list[Problem] = []
    loaded = []
    for index, case in enumerate(suite.cases):
        location = ("cases", index)
        try:
            intake, request = _intake_and_request(document, path, case, location)
        except InputError as error:
            problems += error.problems
            continue
        where = f"{path}:{document.line_of(location) or 0}"
        loaded.append(
            LoadedCase(suite.name, case, intake, case.as_of or suite.as_of, where, request)
        )
    if problems:
        raise InputError(problems)
    return suite, loaded


def _intake_and_request(
    document: Document, path: Path, case: Case, location: tuple[Any, ...]
) -> tuple[Intake, LoadedRequest | None]:
    """The case's intake, and its allocation request when it has one or expects an allocation."""
    folder = path.parent
    if case.allocation_file is not None:
        if case.intake is not None or case.intake_file is not None or case.allocation is not None:
            raise InputError(
                [
                    document.problem(
                        (*location, "allocation_file"),
                        "the request file holds the intake: give no intake, intake_file "
                        "or allocation beside it",
                    )
                ]
            )
        at = (*location, "allocation_file")
        request = file_request(document, folder, at, case.allocation_file)
        return request.intake, request
    intake = _intake(document, path, case, location)
    if case.allocation is not None:
        at = (*location, "allocation")
        return intake, inline_request(document, folder, at, case.allocation, intake)
    if case.expect.allocation is not None:
        bare = AllocationRequest(intake=intake)
        return intake, LoadedRequest(document, bare, intake, folder)
    return intake, None


def _intake(document: Document, path: Path, case: Case, location: tuple[Any, ...]) -> Intake:
    if (case.intake is None) == (case.intake_file is None):
        raise InputError([document.problem(location, "give either intake or intake_file")])
    if case.intake is not None:
        try:
            return Intake.model_validate(case.intake)
        except ValidationError as error:
            raise InputError(document.validation_problems(error, (*location, "intake"))) from None
    assert case.intake_file is not None
    folder = path.parent.resolve()
    target = (folder / case.intake_file).resolve()
    if folder not in target.parents:
        raise InputError(
            [
                document.problem(
                    (*location, "intake_file"), "names a file outside the suite's folder"
                )
            ]
        )
    if not target.is_file():
        raise InputError([document.problem((*location, "intake_file"), "no such file")])
    return intake_from(read_document(target))


def check(case: LoadedCase, decision: Decision, allocation: Allocation | None) -> list[str]:
    """Each expectation that the decision does not meet, with what it got."""
    failures = []
    for pid, expected in case.case.expect.programmes.items():
        got = decision.programme(pid)
        if got is None:
            failures.append(f"{pid}: not decided (the rulesets that apply do not hold it)")
            continue
        if expected.outcome is not None and got.outcome != expected.outcome:
            failures.append(f"{pid}: outcome {got.outcome}, expected {expected.outcome}")
        criteria = {c.id: c.met for c in got.criteria}
        for cid, met in expected.criteria.items():
            if cid not in criteria:
                failures.append(f"{pid}/{cid}: no such criterion")
            elif criteria[cid] is not met:
                failures.append(f"{pid}/{cid}: met is {criteria[cid]}, expected {met}")
        value = got.result.value if got.result is not None else None
        if expected.result is not None and value != expected.result:
            failures.append(f"{pid}: result {value!r}, expected {expected.result!r}")
        if expected.amount is not None:
            amount = got.amount.value if got.amount is not None else None
            if amount is None or Decimal(str(amount)) != expected.amount:
                failures.append(f"{pid}: amount {amount}, expected {expected.amount}")
    asked = case.case.expect.ask_next
    if asked is not None and decision.ask_next != asked:
        failures.append(f"ask_next {decision.ask_next}, expected {asked}")
    for name in case.case.expect.ask_next_includes:
        if name not in decision.ask_next:
            failures.append(f"ask_next does not include {name}: {decision.ask_next}")
    wanted = case.case.expect.allocation
    if wanted is not None and allocation is not None:
        failures += check_allocation(wanted, allocation)
    return failures


def _folder(rulesets: Path | None, suite: Suite) -> Path:
    if rulesets is not None:
        return rulesets
    if suite.rulesets is not None:
        return default_rulesets_root() / suite.rulesets
    return default_rulesets_root()


def _check_requests(allocator: Allocator, cases: Sequence[LoadedCase]) -> None:
    """Every allocation request of a suite checked before any case runs."""
    problems = [p for c in cases if c.request is not None for p in allocator.problems(c.request)]
    if problems:
        raise InputError(list(dict.fromkeys(problems)))


def run_cases(
    files: Sequence[Path], rulesets: Path | None
) -> tuple[list[CaseRun], Coverage, list[Screener]]:
    outcomes: list[CaseRun] = []
    coverage = Coverage()
    allocators: dict[Path, Allocator] = {}
    for path in files:
        suite, cases = load_suite(path)
        folder = _folder(rulesets, suite)
        if folder not in allocators:
            # The folder's budget methods, gated by its screener.
            methods = load_all_methods([folder])
            allocators[folder] = Allocator(methods, Screener.from_paths([folder]))
        allocator = allocators[folder]
        _check_requests(allocator, cases)
        for case in cases:
            started = time.perf_counter()
            try:
                decision = allocator.screener.check(case.intake, case.as_of)
            except CaseError as error:
                failures = [f"the rules engine failed: {error}"]
            else:
                coverage.add(decision)
                request = case.request  # checked above, and its intake just decided
                allocation = (
                    None
                    if request is None
                    else allocator.allocate_decided(request, decision, case.as_of)
                )
                failures = check(case, decision, allocation)
            outcomes.append(CaseRun(case, failures, time.perf_counter() - started))
    return outcomes, coverage, [a.screener for a in allocators.values()]


def junit(outcomes: Iterable[CaseRun], path: Path) -> None:
    root = ElementTree.Element("testsuites")
    by_suite: dict[str, list[CaseRun]] = {}
    for outcome in outcomes:
        by_suite.setdefault(outcome.case.suite, []).append(outcome)
    for name, members in by_suite.items():
        failed = sum(1 for m in members if m.failures)
        suite = ElementTree.SubElement(
            root, "testsuite", name=name, tests=str(len(members)), failures=str(failed)
        )
        for member in members:
            case = ElementTree.SubElement(
                suite,
                "testcase",
                classname=name,
                name=member.case.case.name,
                file=member.case.where,
                time=f"{member.seconds:.3f}",
            )
            if member.failures:
                failure = ElementTree.SubElement(case, "failure", message=member.failures[0])
                failure.text = "\n".join(member.failures)
    tree = ElementTree.ElementTree(root)
    write_atomically(path, lambda temp: tree.write(temp, encoding="utf-8", xml_declaration=True))


def run_suites(
    paths: Sequence[Path], rulesets: Path | None, junit_path: Path | None, show_coverage: bool
) -> bool:
    """Print a pass/fail table; True when every case passed."""
    outcomes, coverage, screeners = run_cases(suite_files(paths), rulesets)
    width = max((len(o.case.case.name) for o in outcomes), default=10)
    for outcome in outcomes:
        mark = "FAIL" if outcome.failures else "pass"
        print(f"{mark}  {outcome.case.suite}: {outcome.case.case.name:<{width}}")
        for failure in outcome.failures:
            print(f"        {failure}  ({outcome.case.where})")
    failed = sum(1 for o in outcomes if o.failures)
    print(f"{len(outcomes) - failed} passed, {failed} failed")
    if junit_path is not None:
        junit(outcomes, junit_path)
    if show_coverage:
        missing = [m for s in screeners for m in coverage.unexercised(s)]
        missing = list(dict.fromkeys(missing))
        if missing:
            print("Criteria the suites leave unexercised:")
            for line in missing:
                print(f"  {line}")
        else:
            print("Every criterion is seen both met and not met.")
    sys.stdout.flush()
    return failed == 0
