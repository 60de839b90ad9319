"""Figures written once: parameters carry their metadata and check status, explanations
name them as `{param.name}` and print the value in force, and a figure typed into prose
that repeats a parameter is refused when the ruleset loads."""

from __future__ import annotations

import subprocess
import sys
from collections import defaultdict
from datetime import date
from pathlib import Path

import pytest

from allocation.budgets.methods import load_all_methods
from engine.figures import show, template_problems, unverified
from engine.intake import Intake
from engine.loader import default_rulesets_root, load_rulesets
from engine.programmes import Parameter
from engine.ruleset_files import Status
from engine.screening import Screener
from engine.sourcefiles import InputError
from tests.hardening.support import ruleset_folder

PROGRAMME = """\
id: test.limit
title: A capital limit
source: Test Act 2026 s.1
parameters:
  limit:
    description: The capital limit
    unit: GBP
    reference: Test Act 2026 s.1
    values:
      - {from: 2020-01-01, value: 23250, source: s.1, status: checked, reviewed: 2026-11-28}
      - from: 2026-04-01
        value: 30000
        source: s.1 as amended
        status: recalled
        reviewed: 2026-11-28
criteria:
  - id: capital
    when: finances.capital <= param.limit
    explain: EXPLAIN
    source: s.1
eligible: all(capital)
"""


def folder(tmp_path: Path, explain: str) -> Path:
    return ruleset_folder(tmp_path, limit=PROGRAMME.replace("EXPLAIN", explain))


def shipped_parameters() -> list[Parameter]:
    root = default_rulesets_root()
    found = [p for r in load_rulesets([root]) for g in r.programmes for p in g.parameters.values()]
    for methods in load_all_methods([root]):
        for method in methods.present():
            found += method.parameters.values()
    return found


def test_every_shipped_parameter_has_description_unit_reference_and_dated_status() -> None:
    parameters = shipped_parameters()
    assert len(parameters) > 60
    for parameter in parameters:
        assert parameter.description and parameter.unit and parameter.reference, parameter.name
        for dated in parameter.values:
            assert dated.status in set(Status), parameter.name
            assert dated.reviewed is not None and dated.reviewed <= date.today()


def test_the_explanation_prints_the_value_in_force_on_the_decision_date(tmp_path: Path) -> None:
    rules = folder(tmp_path, "Capital is at or below {param.limit}.")
    screener = Screener(load_rulesets([rules]), by_jurisdiction=False)
    intake = Intake.model_validate(
        {"person": {"lives_in": {"country": "england"}}, "finances": {"capital": 25000}}
    )
    before = screener.check(intake, as_of=date(2025, 1, 1)).programmes[0]
    after = screener.check(intake, as_of=date(2026, 5, 1)).programmes[0]
    assert before.criteria[0].explain == "Capital is at or below £23,250."
    assert after.criteria[0].explain == "Capital is at or below £30,000."
    assert (before.outcome, after.outcome) == ("not_eligible", "eligible")


@pytest.mark.parametrize(
    "prose",
    ["Capital is at or below £23,250.", "Capital under 30,000 pounds.", "At most £30000."],
)
def test_a_figure_in_prose_that_repeats_a_parameter_is_refused(tmp_path: Path, prose: str) -> None:
    with pytest.raises(InputError) as caught:
        load_rulesets([folder(tmp_path, prose)])
    (problem,) = caught.value.problems
    assert problem.field == "criteria[0].explain"
    assert problem.line == 19
    assert "repeats parameter limit: write {param.limit} instead" in problem.reason


@pytest.mark.parametrize(
    "prose",
    [
        "Test Act 2026 s.30000 and reg. 23250 are citations, not figures.",
        "Capital of £5 is not a parameter's figure.",
        "Under 2 people, in 2026.",
    ],
)
def test_citations_years_and_other_numbers_are_not_refused(tmp_path: Path, prose: str) -> None:
    (ruleset,) = load_rulesets([folder(tmp_path, prose)])
    assert ruleset.programmes[0].criteria[0].explain == prose


def test_a_template_naming_no_parameter_is_refused(tmp_path: Path) -> None:
    with pytest.raises(InputError) as caught:
        load_rulesets([folder(tmp_path, "At or below {param.limmit}.")])
    (problem,) = caught.value.problems
    assert problem.reason == "{param.limmit} names no parameter of this programme"


def test_a_status_needs_its_review_date(tmp_path: Path) -> None:
    rules = folder(tmp_path, "Within the limit.")
    text = (rules / "limit.yaml").read_text().replace(", reviewed: 2026-11-28}", "}", 1)
    (rules / "limit.yaml").write_text(text)
    with pytest.raises(InputError) as caught:
        load_rulesets([rules])
    assert any("status and reviewed are given together" in str(p) for p in caught.value.problems)


def test_unverified_lists_each_value_not_checked_with_its_status(tmp_path: Path) -> None:
    (ruleset,) = load_rulesets([folder(tmp_path, "Within the limit.")])
    (line,) = unverified(ruleset.programmes[0].parameters.values())
    assert line.endswith("limit from 2026-04-01: recalled (reviewed 2026-11-28): s.1 as amended")


@pytest.mark.parametrize(
    ("value", "unit", "shown"),
    [
        ("23250", "GBP", "£23,250"),
        ("30.65", "GBP a week", "£30.65"),
        ("1305", "USD a month", "$1,305"),
        ("0.20", "rate", "20 %"),
        ("150", "percent", "150 %"),
        ("60", "years", "60"),
    ],
)
def test_values_print_in_their_unit(value: str, unit: str, shown: str) -> None:
    from decimal import Decimal

    assert show(Decimal(value), unit) == shown


def test_rate_figures_in_percent_are_recognised() -> None:
    (ruleset,) = load_rulesets([default_rulesets_root() / "us"])
    snap = next(p for p in ruleset.programmes if p.id == "us.snap")
    (reason,) = template_problems("less the 20 % earned income deduction", snap.parameters)
    assert "earned_income_deduction_rate" in reason


def test_no_comment_in_a_shipped_file_repeats_one_of_its_parameters() -> None:
    """A file's notes name a parameter (`name`), never its figure, which would go stale."""
    root = default_rulesets_root()
    by_file: dict[Path, dict[str, Parameter]] = defaultdict(dict)
    for ruleset in load_rulesets([root]):
        for programme in ruleset.programmes:
            by_file[Path(programme.file).resolve()].update(programme.parameters)
    for methods in load_all_methods([root]):
        for method in methods.present():
            by_file[Path(method.file).resolve()].update(method.parameters)
    assert set(by_file) == {p.resolve() for p in root.rglob("*.yaml") if p.name != "ruleset.yaml"}
    repeated = [
        f"{path.name}:{number}: {reason}"
        for path, parameters in by_file.items()
        for number, line in enumerate(path.read_text().splitlines(), start=1)
        if line.lstrip().startswith("#")
        for reason in template_problems(line.lstrip().removeprefix("#"), parameters)
    ]
    assert repeated == []


def test_validate_unverified_lists_the_figures_not_checked() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "api.cli.main", "rulesets", "validate", "--unverified"],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert any("snap.yaml" in line and "standard_deduction" in line for line in lines)
    assert all("checked (reviewed" not in line for line in lines)
    count = len([line for line in lines if ": " in line and " from " in line])
    assert lines[-2] == f"{count} figure(s) not checked against their source"


TABLE_BY_TEXT = """\
  by_state:
    - {from: 2020-01-01, value: {by: state, keys: text, rows: {CA: 5}STEP}, source: t}
criteria:
"""


@pytest.mark.parametrize(
    ("step", "when", "reason"),
    [
        (", each_additional: 1", "finances.capital <= 1", "each_additional needs a table by"),
        ("", "lookup(param.by_state, 4) > 1", "needs a text key, not a number"),
        ("", "lookup(param.by_state, person.lives_in.region) > 1", None),
    ],
)
def test_a_table_by_text_is_read_with_a_text_key_and_has_no_step(
    tmp_path: Path, step: str, when: str, reason: str | None
) -> None:
    rules = folder(tmp_path, "Within the limit.")
    text = (rules / "limit.yaml").read_text()
    text = text.replace("criteria:\n", TABLE_BY_TEXT.replace("STEP", step))
    text = text.replace("finances.capital <= param.limit", when)
    (rules / "limit.yaml").write_text(text)
    if reason is None:
        load_rulesets([rules])
        return
    with pytest.raises(InputError) as caught:
        load_rulesets([rules])
    assert any(reason in str(p) for p in caught.value.problems), caught.value.problems
