"""Ruleset diffs: counts, movers' ids, rule changes in words, exit codes."""

from __future__ import annotations

import subprocess
from datetime import date
from pathlib import Path

import polars as pl
import pytest

from api.cli.main import main
from engine.bulk_schema import to_intakes
from engine.loader import default_rulesets_root
from engine.screening import Screener
from scenarios.diff import diff_population
from scenarios.executor import LocalExecutor, Progress, chunks
from scenarios.refs import load_version
from scenarios.synthetic import generate

AS_OF = date(2026, 1, 1)


@pytest.fixture(scope="module")
def people() -> pl.DataFrame:
    return pl.concat([generate(20_000, 4, "us", AS_OF), generate(2000, 4, "england", AS_OF)])


def test_the_same_rules_change_nothing(people: pl.DataFrame) -> None:
    version = load_version(str(default_rulesets_root()))
    result = diff_population(
        version, version, chunks(people, 8000), AS_OF, LocalExecutor(), Progress("", 3, False)
    )
    assert result.rule_changes == []
    assert result.changes.is_empty()
    for summary in result.summaries():
        assert summary.gainers == summary.losers == 0
        assert summary.eligible_before == summary.eligible_after


def test_a_higher_snap_limit_makes_only_snap_gainers_and_they_are_right(
    people: pl.DataFrame, reform: Path, screener: Screener
) -> None:
    base = load_version(str(default_rulesets_root()))
    candidate = load_version(str(reform))
    result = diff_population(
        base, candidate, chunks(people, 5000), AS_OF, LocalExecutor(), Progress("", 5, False)
    )
    summaries = {s.programme: s for s in result.summaries()}
    assert summaries["us.snap"].gainers > 0
    assert summaries["us.snap"].losers == 0
    moved = {s.programme for s in summaries.values() if s.gainers or s.losers}
    assert moved <= {"us.snap", "us.liheap"}  # LIHEAP reads SNAP's decision
    assert result.rule_changes == [
        "Supplemental Nutrition Assistance Program (SNAP): Gross monthly income limit by "
        "household size (130 % of the poverty guideline), household of 3, from 2025-10-01: "
        "$2,888 a month -> $3,332 a month"
    ]
    gainers = result.movers("us.snap", gained=True)["id"].to_list()
    # a SNAP household of 3 lives in a home of 3 or more (lodgers are not in it)
    sizes = result.breakdown("household_size").filter(pl.col("gainers") > 0)["household_size"]
    assert sizes.len() > 0 and all(int(size) >= 3 for size in sizes)
    reformed = Screener.from_paths([reform])
    for person in to_intakes(people.filter(pl.col("id").is_in(gainers[:5]))):
        before = {p.id: p.outcome for p in screener.check(person, AS_OF).programmes}
        after = {p.id: p.outcome for p in reformed.check(person, AS_OF).programmes}
        assert before["us.snap"] != "eligible" and after["us.snap"] == "eligible", person.id
    total = summaries["us.snap"]
    assert total.amount_change is not None and total.amount_change > 0
    assert total.amount_after == total.amount_before + total.amount_change


def test_diff_command_writes_ids_and_exits_2_on_a_bad_revision(
    tmp_path: Path, reform: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    population = tmp_path / "people.parquet"
    assert main(["scenarios", "generate", "20000", "--seed", "3", "--jurisdiction", "us",
                 "--out", str(population)]) == 0  # fmt: skip
    code = main(["scenarios", "diff", "--base", "git:HEAD", "--candidate", str(reform),
                 "--population", str(population), "--as-of", "2026-01-01",
                 "--csv", str(tmp_path / "out")])  # fmt: skip
    assert code == 0
    out = capsys.readouterr().out
    assert "$2,888 a month -> $3,332 a month" in out
    gainers = pl.read_csv(tmp_path / "out" / "us.snap-gainers.csv")
    summary = pl.read_csv(tmp_path / "out" / "summary.csv").filter(pl.col("programme") == "us.snap")
    assert gainers.height == summary["gainers"][0] > 0
    report = tmp_path / "out" / "report.html"
    assert main(["scenarios", "diff", "--base", "rulesets", "--candidate", str(reform),
                 "--population", str(population), "--as-of", "2026-01-01",
                 "--csv", str(tmp_path / "out"), "--report", str(report)]) == 0  # fmt: skip
    page = report.read_text()
    assert "<script src" not in page and "Plotly.newPlot" in page  # the library inlined
    assert page.count("Plotly.newPlot") >= 2  # gainers by group, amounts changed
    assert "$2,888 a month -&gt; $3,332 a month" in page
    assert "href='./us.snap-gainers.csv'" in page or "href='us.snap-gainers.csv'" in page
    assert main(["scenarios", "diff", "--base", "git:no-such-revision", "--candidate",
                 str(reform), "--generate", "10"]) == 2  # fmt: skip
    assert "git:no-such-revision" in capsys.readouterr().err


def test_bad_population_files_exit_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    odd = tmp_path / "odd.parquet"
    pl.DataFrame({"person": [None], "shoe_size": [9]}).write_parquet(odd)
    args = ["scenarios", "diff", "--base", "rulesets", "--candidate", "rulesets"]
    assert main([*args, "--population", str(odd)]) == 2
    assert "unknown column 'shoe_size'" in capsys.readouterr().err
    damaged = tmp_path / "damaged.parquet"
    damaged.write_bytes(b"not parquet at all")
    assert main([*args, "--population", str(damaged)]) == 2
    assert main([*args, "--population", str(tmp_path / "missing.parquet")]) == 2
    assert main(["scenarios", "generate", "5", "--jurisdiction", "us", "--out",
                 str(tmp_path / "x.txt")]) == 2  # fmt: skip
    assert not (tmp_path / "x.txt").exists()


def test_the_repository_is_a_git_checkout() -> None:
    """git:REV needs the repository; CI runs in a fresh clone, so this holds there too."""
    assert subprocess.run(["git", "rev-parse", "HEAD"], capture_output=True).returncode == 0


def test_a_ruleset_dividing_by_a_case_value_exits_2_naming_it(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = tmp_path / "odd"
    folder.mkdir()
    (folder / "ruleset.yaml").write_text(
        'id: odd\ntitle: Odd\nversion: "1"\njurisdiction: {country: us}\n'
    )
    (folder / "odd.yaml").write_text(
        "id: test.odd\ntitle: Odd\nsource: test\n"
        "derived: {per_year_of_age: finances.capital / person.age}\n"
        "criteria:\n  - {id: small, when: per_year_of_age < 100, explain: t, source: t}\n"
        "eligible: small\n"
    )
    code = main(["scenarios", "diff", "--base", str(folder), "--candidate", str(folder),
                 "--generate", "20", "--jurisdiction", "us"])  # fmt: skip
    assert code == 2
    err = capsys.readouterr().err
    assert "test.odd" in err and "divides only by a value known in the ruleset" in err


def test_progress_goes_to_stderr(capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["scenarios", "diff", "--base", "rulesets", "--candidate", "rulesets",
                 "--generate", "300", "--chunk-size", "100", "--progress"])  # fmt: skip
    assert code == 0
    captured = capsys.readouterr()
    assert "diff: 3/3 chunks, 300 people" in captured.err
    assert "chunks" not in captured.out
