"""Budgets and charges in a diff: a new RAS price per point and a new DRE allowance."""

from __future__ import annotations

import json
import shutil
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING

import polars as pl
import pytest

from allocation.budgets.allocator import Allocator
from allocation.budgets.methods import load_all_methods
from allocation.budgets.requests import LoadedRequest, read_request
from api.cli.main import main
from engine.bulk_schema import to_frame
from engine.loader import default_rulesets_root
from engine.screening import Screener
from scenarios.diff import DiffResult, diff_population
from scenarios.diff_budgets import changes, summaries
from scenarios.executor import LocalExecutor, Progress, chunks
from scenarios.refs import load_version
from scenarios.synthetic import generate

if TYPE_CHECKING:
    from distributed import LocalCluster

AS_OF = date(2026, 1, 1)
ROOT = Path(__file__).resolve().parents[2]
PRICE = ("        value: 5.10\n", "        value: 5.20\n")
DRE = ("        value: 10.85\n", "        value: 20.00\n")


@pytest.fixture(scope="module")
def candidate(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The shipped rules with the RAS price per point 5.10 -> 5.20 and the standard
    disability-related expenditure allowance 10.85 -> 20.00 a week."""
    folder = tmp_path_factory.mktemp("budgets") / "rulesets"
    shutil.copytree(default_rulesets_root(), folder)
    for name, (old, new) in (("allocation-ras.yaml", PRICE), ("allocation-charging.yaml", DRE)):
        path = folder / "england" / name
        assert path.read_text().count(old) == 1
        path.write_text(path.read_text().replace(old, new))
    return folder


def _requests() -> list[LoadedRequest]:
    return [
        read_request(ROOT / "examples" / "allocation-ada.yaml"),
        read_request(ROOT / "scenarios" / "suites" / "requests" / "sam.yaml"),
    ]


def _answers(loaded: LoadedRequest) -> str:
    plan = [p.model_dump(mode="json", exclude_none=True) for p in loaded.request.support_plan or []]
    return json.dumps({"questionnaire": loaded.request.questionnaire, "support_plan": plan})


@pytest.fixture(scope="module")
def people() -> pl.DataFrame:
    """Ada and Sam with their answers, and 40 generated people of England without."""
    requests = _requests()
    answered = to_frame([r.intake.model_copy(update={"id": r.person}) for r in requests])
    answered = answered.with_columns(pl.Series("allocation", [_answers(r) for r in requests]))
    return pl.concat([answered, generate(40, 3, "england", AS_OF)], how="diagonal")


def _diff(people: pl.DataFrame, candidate: Path, size: int) -> DiffResult:
    base, reformed = load_version(str(default_rulesets_root())), load_version(str(candidate))
    parts = chunks(people, size)
    return diff_population(
        base, reformed, parts, AS_OF, LocalExecutor(), Progress("", len(parts), False)
    )


def test_totals_and_deltas_are_exact_and_worked_by_hand(
    people: pl.DataFrame, candidate: Path
) -> None:
    result = _diff(people, candidate, 1000)
    assert result.unanswered == 40
    found = {s.measure: s for s in summaries(result.budgets)}
    # RAS: Ada 23 points x 5.10 less 5 % = 111.44 -> x 5.20 = 113.62; Sam held at the
    # critical floor 350.00 both times (66 x 5.20 = 343.20 is still below it).
    ras = found["ras"]
    assert (ras.total_before, ras.total_after, ras.change) == (
        Decimal("461.44"),
        Decimal("463.62"),
        Decimal("2.18"),
    )
    assert (ras.rose, ras.fell) == (1, 0)
    # Each charge falls by the 9.15 more DRE allowed: Ada 149.24 -> 140.09, Sam 177.07 -> 167.92.
    charge = found["charge"]
    assert (charge.total_before, charge.total_after) == (Decimal("326.31"), Decimal("308.01"))
    assert charge.net_before is None and (charge.rose, charge.fell) == (0, 2)
    # The council funds what the charge no longer covers: Ada pays her whole RAS budget
    # both times (her charge is above it); Sam's RAS net funded 172.93 -> 182.08.
    assert (ras.net_before, ras.net_after) == (Decimal("172.93"), Decimal("182.08"))
    costing = found["costing"]
    assert costing.change == 0 and costing.net_change == Decimal("18.30")
    assert "isf" not in found  # no one is a tenant of a shared house
    moved = changes(result.budgets).filter(pl.col("measure") == "ras").row(0, named=True)
    assert moved == {
        "id": "example-ada",
        "measure": "ras",
        "before": "111.44",
        "after": "113.62",
        "change": "2.18",
    }
    assert any("Price of one RAS point" in line and "£5.20" in line for line in result.rule_changes)


def test_each_figure_is_the_allocate_commands(people: pl.DataFrame, candidate: Path) -> None:
    """Chunks of one person give what the allocator gives each request under each version."""
    result = _diff(people, candidate, 1)
    for folder, column in ((default_rulesets_root(), "before"), (candidate, "after")):
        allocator = Allocator(load_all_methods([folder]), Screener.from_paths([folder]))
        for loaded in _requests():
            allocation = allocator.allocate(loaded, AS_OF)
            mine = result.budgets.filter(pl.col("id") == loaded.person)
            for method, budget in allocation.budgets().items():
                row = mine.filter(pl.col("measure") == method)
                assert row[column].item() == int(budget.weekly * 100)
            assert allocation.charging is not None
            charge = allocation.charging.weekly_charge
            assert charge is not None
            assert mine.filter(pl.col("measure") == "charge")[column].item() == int(charge * 100)


def test_the_command_shows_budgets_in_summary_csv_and_report(
    people: pl.DataFrame, candidate: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    population = tmp_path / "people.parquet"
    people.write_parquet(population)
    out = tmp_path / "out"
    report = tmp_path / "report.html"
    argv = ["scenarios", "diff", "--base", str(default_rulesets_root()), "--candidate",
            str(candidate), "--population", str(population), "--as-of", "2026-01-01",
            "--csv", str(out), "--report", str(report)]  # fmt: skip
    assert main(argv) == 0
    printed = capsys.readouterr().out
    assert "for the 2 people whose rows carry the methods' answers; 40 could not" in printed
    assert "461.44" in printed and "463.62" in printed and "-18.30" in printed
    gainers = pl.read_csv(out / "budget-gainers.csv", infer_schema=False)
    assert gainers["id"].to_list() == ["example-ada"]
    totals = pl.read_csv(out / "budgets.csv", infer_schema=False)
    assert totals.filter(pl.col("measure") == "charge")["change"].item() == "-18.30"
    page = report.read_text()
    assert "Budgets and charges" in page and "326.31" in page and "budget-changes.csv" in page


def test_bad_answers_in_a_row_exit_2_naming_it(
    people: pl.DataFrame, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    population = tmp_path / "people.parquet"
    bad = people.with_columns(
        pl.when(pl.col("id") == "sam")
        .then(pl.lit('{"questionnaire": {"personal_care": "lots"}}'))
        .otherwise(pl.col("allocation"))
        .alias("allocation")
    )
    bad.write_parquet(population)
    root = str(default_rulesets_root())
    argv = ["scenarios", "diff", "--base", root, "--candidate", root, "--population",
            str(population), "--as-of", "2026-01-01"]  # fmt: skip
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert "population row sam" in err and "lots" in err


def test_budgets_on_a_dask_cluster_equal_the_local_run(
    people: pl.DataFrame, candidate: Path, cluster: LocalCluster
) -> None:
    """Each worker builds both versions' allocators once and returns its chunk's figures."""
    from scenarios.executor import DaskExecutor

    base, reformed = load_version(str(default_rulesets_root())), load_version(str(candidate))
    parts = chunks(people, 10)
    local = _diff(people, candidate, 10)
    executor = DaskExecutor(cluster.scheduler_address)
    try:
        remote = diff_population(
            base, reformed, parts, AS_OF, executor, Progress("", len(parts), False)
        )
    finally:
        executor.close()
    assert not local.budgets.is_empty()
    assert local.budgets.equals(remote.budgets)
    assert local.unanswered == remote.unanswered == 40
