"""`validate` refuses what `check` could not run: one rule decides (issue 8)."""

from __future__ import annotations

import shutil
from pathlib import Path

from engine.durable_compiler import MAX_RULES
from tests.conftest import ROOT
from tests.hardening.support import PERSON, ruleset_folder, run


def programme(number: int, criteria: int) -> str:
    lines = [f"id: test.p{number}", f"title: P{number}", "source: Test Act 2026", "criteria:"]
    for index in range(criteria):
        lines += [f"  - id: c{index}", f"    when: finances.capital > {index}"]
        lines += ["    explain: Capital above a threshold.", "    source: s.1"]
    lines.append("eligible: all(c0, c1)")
    return "\n".join(lines) + "\n"


def test_sixty_programmes_of_a_hundred_criteria_are_refused_by_validate_and_check(
    tmp_path: Path,
) -> None:
    files = {f"p{n:02}": programme(n, 100) for n in range(60)}
    folder = ruleset_folder(tmp_path, **files)
    expected = (
        f"{folder / 'p00.yaml'}:4: criteria: the 60 programmes of test compile to 12,181 "
        f"rules together; durable-rules allows {MAX_RULES:,}"
    )
    done = run("rulesets", "validate", str(folder), timeout=300)
    assert done.returncode == 2
    assert expected in done.stdout
    intake = tmp_path / "p.yaml"
    intake.write_text(PERSON)
    done = run("check", str(intake), "--rulesets", str(folder), timeout=300)
    assert done.returncode == 2 and "Traceback" not in done.stderr
    assert expected in done.stderr


def test_rulesets_named_together_are_held_to_the_limit_together(tmp_path: Path) -> None:
    """Each folder alone compiles; `check --rulesets A --rulesets B` compiles them as one."""
    first = ruleset_folder(tmp_path / "a", **{f"p{n:02}": programme(n, 100) for n in range(15)})
    second = ruleset_folder(
        tmp_path / "b", **{f"p{n:02}": programme(n, 100) for n in range(15, 30)}
    )
    for folder in (first, second):
        assert run("rulesets", "validate", str(folder), timeout=300).returncode == 0
    intake = tmp_path / "p.yaml"
    intake.write_text(PERSON)
    done = run(
        "check", str(intake), "--rulesets", str(first), "--rulesets", str(second), timeout=300
    )
    assert done.returncode == 2 and "Traceback" not in done.stderr
    assert "the 30 programmes of test and test compile to 6,091 rules together" in done.stderr


def test_budget_method_errors_are_reported_with_a_programme_files_errors(tmp_path: Path) -> None:
    folder = tmp_path / "england"
    shutil.copytree(ROOT / "rulesets" / "england", folder)
    adult = folder / "care_act_adult.yaml"
    adult.write_text(adult.read_text().replace("\ntitle:", "\ntitel:", 1))
    ras = folder / "allocation-ras.yaml"
    ras.write_text(ras.read_text().replace("\ntitle:", "\ntitl:", 1))
    done = run("rulesets", "validate", str(folder))
    assert done.returncode == 2
    assert f"{adult}:" in done.stdout and ": titel: unknown field" in done.stdout
    assert f"{ras}:" in done.stdout and ": titl: unknown field" in done.stdout
