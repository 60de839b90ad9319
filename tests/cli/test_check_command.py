"""`justenough check` and `justenough rulesets` as a person runs them."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

from tests.conftest import ROOT
from tests.hardening.support import ruleset_folder

CLI = str(Path(sys.executable).parent / "justenough")
ADA = ROOT / "examples" / "ada.yaml"


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([CLI, *args], capture_output=True, text=True, timeout=120, cwd=ROOT)


def test_check_prints_the_decision_json_contract() -> None:
    done = run("check", str(ADA), "--as-of", "2026-01-01", "--json")
    assert done.returncode == 0, done.stderr
    decision = json.loads(done.stdout)
    assert decision["as_of"] == "2026-01-01"
    (stamp,) = decision["rulesets"]
    assert stamp["id"] == "england" and stamp["hash"].startswith("sha256:")
    adult = next(p for p in decision["programmes"] if p["id"] == "england.care_act.adult")
    assert adult["outcome"] == "eligible"
    assert {c["id"]: c["met"] for c in adult["criteria"]} == {
        "impairment": True,
        "outcomes": True,
        "wellbeing": True,
    }
    assert all(c["source"] and c["explain"] for c in adult["criteria"])


def test_check_prints_a_readable_table_by_default() -> None:
    done = run("check", str(ADA), "--as-of", "2026-01-01")
    assert done.returncode == 0, done.stderr
    assert "Care and support for adults" in done.stdout
    assert "SI 2015/313 reg. 2(1)(a)" in done.stdout


def test_a_bad_intake_exits_2_naming_file_line_and_field(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text(
        "person:\n  lives_in: {country: england}\nneeds:\n  wellbeing_impact: enormous\n"
    )
    done = run("check", str(bad))
    assert done.returncode == 2
    assert (
        f"{bad}:4: needs.wellbeing_impact: Input should be 'none', 'some' or 'significant'"
        in done.stderr
    )


def test_a_missing_file_exits_2(tmp_path: Path) -> None:
    done = run("check", str(tmp_path / "nobody.yaml"))
    assert done.returncode == 2 and "no such file" in done.stderr


def test_json_lines_give_one_decision_per_line_and_report_bad_lines(tmp_path: Path) -> None:
    good = {
        "id": "a",
        "person": {"lives_in": {"country": "england"}},
        "needs": {"arise_from_impairment": False},
    }
    lines = [json.dumps(good), '{"id": "b", "person": {}}', json.dumps({**good, "id": "c"})]
    many = tmp_path / "many.jsonl"
    many.write_text("\n".join(lines) + "\n")
    done = run("check", str(many), "--as-of", "2026-01-01")
    assert done.returncode == 2
    records = [json.loads(line) for line in done.stdout.splitlines()]
    assert [r["line"] for r in records] == [1, 2, 3]
    assert [r.get("id") for r in records] == ["a", None, "c"]
    assert "person.lives_in: required field is missing" in records[1]["error"]
    assert records[2]["programmes"][0]["outcome"] == "not_eligible"
    assert f"{many}:2:" in done.stderr


def test_as_of_changes_the_answer_when_a_parameter_changes(tmp_path: Path) -> None:
    folder = ruleset_folder(
        tmp_path,
        limit="id: t.limit\ntitle: Limit\nsource: Test Act\n"
        "parameters:\n  limit:\n"
        "    - {from: 2025-04-01, value: 100, source: s.1}\n"
        "    - {from: 2026-04-01, value: 200, source: s.1 as uprated}\n"
        "criteria:\n"
        "  - {id: capital, when: finances.capital <= param.limit, explain: x, source: s.1}\n"
        "eligible: capital\n",
    )
    intake = tmp_path / "i.yaml"
    intake.write_text("person: {lives_in: {country: england}}\nfinances: {capital: 150}\n")
    outcomes = []
    for as_of in ("2026-03-31", "2026-04-01"):
        done = run("check", str(intake), "--rulesets", str(folder), "--as-of", as_of, "--json")
        outcomes.append(json.loads(done.stdout)["programmes"][0]["outcome"])
    assert outcomes == ["not_eligible", "eligible"]


def test_rulesets_validate_passes_on_the_shipped_rulesets() -> None:
    done = run("rulesets", "validate")
    assert done.returncode == 0, done.stdout
    assert done.stdout.startswith("ok: ")


def test_rulesets_show_lists_criteria_with_sources() -> None:
    done = run("rulesets", "show", "england.care_act.adult")
    assert done.returncode == 0
    assert "SI 2015/313" in done.stdout and "outcomes_unable" in done.stdout


def test_rulesets_show_an_unknown_id_exits_2() -> None:
    done = run("rulesets", "show", "nowhere")
    assert done.returncode == 2 and "no ruleset or programme 'nowhere'" in done.stderr


def test_rulesets_validate_checks_budget_methods_too(tmp_path: Path) -> None:
    copy = tmp_path / "rulesets"
    shutil.copytree(ROOT / "rulesets", copy)
    ras = copy / "england" / "allocation-ras.yaml"
    ras.write_text(ras.read_text().replace("price_per_point:", "price_per_pont:", 1))
    done = run("rulesets", "validate", str(copy))
    assert done.returncode == 2
    assert f"{ras}:" in done.stdout and "price_per_pont: not used by this method" in done.stdout


def test_a_programmes_own_words_go_on_from_the_plain_outcome_not_after_a_repeat(
    tmp_path: Path,
) -> None:
    """LIHEAP undecided in Texas (its FY2026 limit not loaded): its words begin "needs
    information", so the table says so once; words that do not, follow the plain ones."""
    intake = tmp_path / "tx.yaml"
    intake.write_text(
        "person: {lives_in: {country: us, region: TX}, household: []}\n"
        "finances: {income: [{kind: earnings, amount: 1825, period: month}], capital: 800,"
        " benefits: [], shelter_costs_monthly: 900, dependent_care_costs_monthly: 0}\n"
    )

    def table(path: Path, as_of: str) -> str:
        done = subprocess.run(
            [CLI, "check", str(path), "--as-of", as_of],
            capture_output=True,
            text=True,
            timeout=120,
            cwd=ROOT,
            env={**os.environ, "COLUMNS": "240"},
        )
        assert done.returncode == 0, done.stderr
        return done.stdout

    texas = table(intake, "2025-11-01")
    assert "LIHEAP): needs information (a field asked for, or the state's own" in texas
    assert "needs information: needs information" not in texas
    assert "eligible: direct payments can be made" in table(ADA, "2026-01-01")
