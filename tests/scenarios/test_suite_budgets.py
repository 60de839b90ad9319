"""Suite cases with allocation requests: budget figures and charges, checked exactly."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from api.cli.main import main
from engine.loader import default_rulesets_root
from scenarios.suites import SUITES, run_cases

PRICE = "        value: 5.10\n"

INTAKE = """      person: {date_of_birth: 1948-03-14, lives_in: {country: england}, household: []}
      needs:
        arise_from_impairment: true
        wellbeing_impact: significant
        outcomes:
          - {outcome: nutrition, manages: needs_assistance}
          - {outcome: personal_hygiene, manages: needs_assistance}
      finances:
        income: [{kind: state_pension, amount: 250.00, period: week}]
        capital: 1000
        benefits: []
        housing_costs_weekly: 0
"""
# As on 2026-01-01: personal care some_help 5 + eating some_help 3 = 8 points x 5.10 =
# 40.80 (band low, under its cap of 70.00). Charge: state pension 250.00 - MIG (single, at
# pension-credit age) 232.60 = 17.40 (capital under the lower limit, no DRE); the
# contribution is 17.40 and the council funds 40.80 - 17.40 = 23.40.
QUESTIONNAIRE = (
    "{personal_care: some_help, eating: some_help, home: none, relationships: none, "
    "work_learning: none, community: none, staying_safe: none, nights: none, caring: none, "
    "unpaid_support: none}"
)


def _suite(tmp_path: Path, allocation: str, expect: str) -> Path:
    suite = tmp_path / "suite.yaml"
    suite.write_text(
        "name: Budgets\nas_of: 2026-01-01\ncases:\n  - name: one person\n    intake:\n"
        + INTAKE
        + allocation
        + "    expect:\n      allocation:\n"
        + expect
    )
    return suite


def test_figures_that_hold_pass(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    expect = (
        "        allocated: true\n        charge: 17.40\n"
        "        methods:\n"
        "          ras: {weekly: 40.80, band: low, total_points: 8, contribution: 17.40, "
        "net_funded: 23.40}\n"
        "          costing: {status: needs_information}\n"
    )
    suite = _suite(tmp_path, f"    allocation: {{questionnaire: {QUESTIONNAIRE}}}\n", expect)
    assert main(["scenarios", "run", str(suite)]) == 0, capsys.readouterr().out


def test_a_wrong_figure_fails_with_its_difference_and_exit_1(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    expect = (
        "        charge: 17.00\n"
        "        methods:\n"
        "          ras: {weekly: 41.00, net_funded: 23.40}\n"
        "          costing: {weekly: 100}\n"
    )
    suite = _suite(tmp_path, f"    allocation: {{questionnaire: {QUESTIONNAIRE}}}\n", expect)
    assert main(["scenarios", "run", str(suite)]) == 1
    out = capsys.readouterr().out
    assert "allocation.charge: 17.40, expected 17.00 (difference +0.40)" in out
    assert "allocation.ras.weekly: 40.80, expected 41.00 (difference -0.20)" in out
    assert "allocation.costing.weekly: none (there is no support plan), expected 100" in out
    assert "net_funded" not in out  # the figure that holds is not reported
    assert "0 passed, 1 failed" in out


def test_the_shipped_england_suite_catches_a_new_price_per_point(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = tmp_path / "england"
    shutil.copytree(default_rulesets_root() / "england", folder)
    ras = folder / "allocation-ras.yaml"
    assert ras.read_text().count(PRICE) == 1
    ras.write_text(ras.read_text().replace(PRICE, "        value: 5.20\n"))
    suite = SUITES / "england.yaml"
    assert main(["scenarios", "run", str(suite), "--rulesets", str(folder)]) == 1
    out = capsys.readouterr().out
    # 23 points x 5.20 = 119.60, less 5 % = 113.62 (Ada); Sam stays at the floor.
    assert "allocation.ras.weekly: 113.62, expected 111.44 (difference +2.18)" in out
    assert "1 failed" in out


def test_the_shipped_budget_cases_are_checked() -> None:
    outcomes, _, _ = run_cases([SUITES / "england.yaml"], None)
    budgets = [o for o in outcomes if o.case.case.expect.allocation is not None]
    assert len(budgets) >= 3 and all(not o.failures for o in budgets)
    assert {o.case.request is not None for o in budgets} == {True}


@pytest.mark.parametrize(
    "allocation, reason",
    [
        ("    allocation_file: ../outside.yaml\n", "outside the suite's folder"),
        ("    allocation: {house: ../house.yaml}\n", "outside the request's folder"),
        ("    allocation: {questionnaire: {personal_care: lots}}\n", "lots"),
        ("    allocation: {intake_file: x.yaml}\n", "the request's intake is the case's"),
    ],
)
def test_bad_requests_exit_2_naming_the_file_and_field(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], allocation: str, reason: str
) -> None:
    (tmp_path / "outside.yaml").write_text("intake: {person: {}}\n")
    inner = tmp_path / "suites"
    inner.mkdir()
    suite = _suite(inner, allocation, "        allocated: true\n")
    if "allocation_file" in allocation:  # the request file stands in for the intake
        text = suite.read_text()
        suite.write_text(text.replace("    intake:\n" + INTAKE, ""))
    assert main(["scenarios", "run", str(suite)]) == 2
    err = capsys.readouterr().err
    assert reason in err and str(suite) in err
