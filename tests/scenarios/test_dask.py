"""The same diff on a Dask cluster equals the diff in this process."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import polars as pl
import pytest
from distributed import LocalCluster

from engine.loader import default_rulesets_root
from scenarios.diff import KEYS, DiffResult, diff_population
from scenarios.executor import DaskExecutor, LocalExecutor, Progress, chunks
from scenarios.refs import load_version
from scenarios.synthetic import generate

AS_OF = date(2026, 1, 1)


def _sorted(result: DiffResult) -> tuple[pl.DataFrame, pl.DataFrame]:
    keys = ["programme", "before", "after", *KEYS]
    return result.counts.sort(keys), result.changes.sort("programme", "id")


def test_a_diff_on_a_local_cluster_equals_the_local_run(
    cluster: LocalCluster, reform: Path
) -> None:
    people = pl.concat([generate(6000, 8, "us", AS_OF), generate(2000, 8, "england", AS_OF)])
    base = load_version(str(default_rulesets_root()))
    candidate = load_version(str(reform))
    parts = chunks(people, 1500)
    local = diff_population(
        base, candidate, parts, AS_OF, LocalExecutor(), Progress("", len(parts), False)
    )
    executor = DaskExecutor(cluster.scheduler_address)
    try:
        remote = diff_population(
            base, candidate, parts, AS_OF, executor, Progress("", len(parts), False)
        )
    finally:
        executor.close()
    assert len(parts) == 6
    local_counts, local_changes = _sorted(local)
    remote_counts, remote_changes = _sorted(remote)
    assert local_counts.equals(remote_counts)
    assert local_changes.equals(remote_changes)
    assert [s.__dict__ for s in local.summaries()] == [s.__dict__ for s in remote.summaries()]
    assert any(s.gainers for s in remote.summaries())


def test_an_unreachable_scheduler_exits_2(capsys: pytest.CaptureFixture[str]) -> None:
    from api.cli.main import main

    code = main(["scenarios", "diff", "--base", "rulesets", "--candidate", "rulesets",
                 "--generate", "10", "--scheduler", "tcp://127.0.0.1:9"])  # fmt: skip
    assert code == 2
    assert "cannot reach the Dask scheduler" in capsys.readouterr().err
