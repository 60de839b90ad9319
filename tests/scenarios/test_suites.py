"""Scenario suites: the shipped ones pass and see every criterion both ways."""

from __future__ import annotations

from pathlib import Path
from xml.etree import ElementTree

import pytest

from api.cli.main import main
from engine.screening import Screener
from scenarios.suites import SUITES, run_cases, suite_files

# Criteria that cannot be not met: each rating is 0 to 4 by the intake's schema, so
# "rated" (>= 0) is true or unknown, never false.
CANNOT_FAIL = {"us.asam_level_of_care/all_dimensions_rated: never not met"}

FAILING = """name: Failing
as_of: 2026-01-01
cases:
  - name: a wrong expectation
    intake:
      person: {age: 40, disabled: false, household: [], lives_in: {country: us, region: NY}}
      finances: {capital: 90000, benefits: []}
    expect:
      programmes:
        us.snap: {outcome: eligible, criteria: {resources: true}}
  - name: a right one
    intake:
      person: {age: 40, disabled: false, household: [], lives_in: {country: us, region: NY}}
      finances: {capital: 90000, benefits: []}
    expect:
      programmes:
        us.snap: {outcome: not_eligible, criteria: {resources: false}}
"""


def test_the_shipped_suites_pass_and_cover_every_criterion_both_ways() -> None:
    outcomes, coverage, screeners = run_cases(suite_files([]), None)
    assert outcomes and all(not o.failures for o in outcomes), [o.failures for o in outcomes]
    missing = {m for s in screeners for m in coverage.unexercised(s)}
    assert missing == CANNOT_FAIL
    default = Screener.from_paths()
    decided = {(p.id, c.id) for r in default.rulesets for p in r.programmes for c in p.criteria}
    assert decided <= coverage.seen.keys()


def test_a_failing_case_exits_1_with_the_difference_and_junit(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    suite = tmp_path / "failing.yaml"
    suite.write_text(FAILING)
    report = tmp_path / "junit.xml"
    assert main(["scenarios", "run", str(suite), "--junit", str(report)]) == 1
    out = capsys.readouterr().out
    assert "us.snap: outcome not_eligible, expected eligible" in out
    assert "us.snap/resources: met is False, expected True" in out
    assert "1 passed, 1 failed" in out
    tree = ElementTree.parse(report)
    failures = tree.getroot().findall(".//failure")
    assert len(failures) == 1 and "expected eligible" in (failures[0].text or "")


def test_an_intake_file_outside_the_suite_folder_exits_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "suites").mkdir()
    suite = tmp_path / "suites" / "s.yaml"
    suite.write_text(
        "name: S\nas_of: 2026-01-01\ncases:\n"
        "  - {name: c, intake_file: ../secret.yaml, expect: {}}\n"
    )
    assert main(["scenarios", "run", str(suite)]) == 2
    assert "outside the suite's folder" in capsys.readouterr().err


def test_shipped_suites_are_yaml_in_the_suites_folder() -> None:
    assert {p.name for p in SUITES.glob("*.yaml")} >= {"england.yaml", "us.yaml"}
