"""The policy lab's speed: the bulk backend against durable-rules, and ruleset diffs.

- households/s of the bulk backend on SNAP alone and on all default programmes,
  and of the durable-rules path (`Screener.check`, in this process) on the
  same people;
- a 10,000-person sample of the generated population decided both ways and
  compared person by person, criterion by criterion;
- wall time and peak memory of `justenough scenarios diff` over BENCH_PEOPLE
  (1,000,000) generated people with all default programmes, run as a command
  in a child process (peak = its maximum resident set size); and the diff
  alone, in this process, with the population already in memory;
- SNAP alone, baseline and reform over the same people (in this process).

The reform raises SNAP's FFY2026 gross income limit for a household of 3.
"""

from __future__ import annotations

import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

import polars as pl

from engine.bulk import BulkPlan, criterion_column
from engine.bulk_schema import to_intakes
from engine.loader import default_rulesets_root, load_rulesets
from engine.screening import Screener
from scenarios.diff import diff_population
from scenarios.executor import LocalExecutor, Progress, chunks
from scenarios.population_files import write_population
from scenarios.refs import load_version
from scenarios.synthetic import generate

AS_OF = date(2026, 1, 1)
PEOPLE = int(os.environ.get("BENCH_PEOPLE", "1000000"))
SAMPLE = int(os.environ.get("BENCH_SAMPLE", "10000"))
DURABLE_CASES = int(os.environ.get("BENCH_DURABLE_CASES", "2000"))
GROSS_3 = "rows: {1: 1696, 2: 2292, 3: 2888,"


def _folders(root: Path) -> tuple[Path, Path, Path, Path]:
    """All default rulesets and a reform; SNAP alone and its reform."""
    base, reform = root / "base", root / "reform"
    shutil.copytree(default_rulesets_root(), base)
    shutil.copytree(default_rulesets_root(), reform)
    snap = reform / "us" / "snap.yaml"
    text = snap.read_text()
    if GROSS_3 not in text:  # else the "reform" would change nothing, and say so nowhere
        raise SystemExit(f"{snap}: no {GROSS_3!r} to reform; update GROSS_3")
    snap.write_text(text.replace(GROSS_3, "rows: {1: 1696, 2: 2292, 3: 3332,"))
    alone, alone_reform = root / "snap" / "us", root / "snap-reform" / "us"
    for folder, source in ((alone, base), (alone_reform, reform)):
        folder.mkdir(parents=True)
        for name in ("ruleset.yaml", "snap.yaml"):
            shutil.copy(source / "us" / name, folder / name)
    return base, reform, alone.parent, alone_reform.parent


class Clock:
    """Wall time and this process's CPU time (all threads): on a shared machine the
    CPU seconds say what the work costs when the wall time says how busy it was."""

    def __init__(self, who: int = resource.RUSAGE_SELF) -> None:
        self.who = who
        self.wall = time.perf_counter()
        self.cpu = self._cpu()

    def _cpu(self) -> float:
        usage = resource.getrusage(self.who)
        return usage.ru_utime + usage.ru_stime

    def stop(self) -> tuple[float, float]:
        return time.perf_counter() - self.wall, self._cpu() - self.cpu


def _rate(label: str, people: int, clock: Clock) -> None:
    wall, cpu = clock.stop()
    print(
        f"{label}: {people:,} in {wall:.2f} s = {people / wall:,.0f} households/s "
        f"(CPU {cpu:.2f} s; load average {os.getloadavg()[0]:.1f})"
    )


def bulk_rates(people: pl.DataFrame, us: pl.DataFrame, snap_root: Path) -> None:
    plan = BulkPlan(tuple(load_rulesets([default_rulesets_root()])), AS_OF)
    plan.evaluate(people.head(1000))  # compile outside the timing
    clock = Clock()
    plan.evaluate(people)
    _rate("bulk, all default programmes", people.height, clock)
    snap = BulkPlan(tuple(load_rulesets([snap_root])), AS_OF)
    snap.evaluate(us.head(1000))
    clock = Clock()
    snap.evaluate(us)
    _rate("bulk, SNAP alone (US people)", us.height, clock)


def durable_rates(people: pl.DataFrame, us: pl.DataFrame, snap_root: Path) -> None:
    for label, screener, frame in (
        ("durable-rules, all default programmes", Screener.from_paths(), people),
        ("durable-rules, SNAP alone (US people)", Screener.from_paths([snap_root]), us),
    ):
        intakes = to_intakes(frame.sample(DURABLE_CASES, seed=1))
        screener.check(intakes[0], AS_OF)
        clock = Clock()
        for intake in intakes:
            screener.check(intake, AS_OF)
        _rate(label, len(intakes), clock)


def compare_sample(people: pl.DataFrame) -> None:
    """Person by person, criterion by criterion: any disagreement is printed and fatal."""
    sample = people.sample(min(SAMPLE, people.height), seed=2)
    plan = BulkPlan(tuple(load_rulesets([default_rulesets_root()])), AS_OF)
    rows = plan.evaluate(sample).iter_rows(named=True)
    screener = Screener.from_paths()
    started = time.perf_counter()
    found = []
    for intake, row in zip(to_intakes(sample), rows, strict=True):
        for programme in screener.check(intake, AS_OF).programmes:
            if row[programme.id] != programme.outcome:
                found.append(f"{intake.id}: {programme.id}: outcome")
            for criterion in programme.criteria:
                if row[criterion_column(programme.id, criterion.id)] != criterion.met:
                    found.append(f"{intake.id}: {programme.id}: {criterion.id}")
    seconds = time.perf_counter() - started
    print(
        f"sample of {sample.height:,} people, bulk against durable-rules criterion by "
        f"criterion: {len(found)} disagreements ({seconds:.0f} s)"
    )
    for line in found[:20]:
        print("  DISAGREE", line)
    if found:
        raise SystemExit(1)


def diff_command(population: Path, base: Path, reform: Path) -> None:
    command = [
        sys.executable, "-m", "api.cli.main", "scenarios", "diff", "--base", str(base),
        "--candidate", str(reform), "--population", str(population), "--as-of", "2026-01-01",
    ]  # fmt: skip
    clock = Clock(resource.RUSAGE_CHILDREN)
    subprocess.run(command, check=True, stdout=subprocess.DEVNULL)
    seconds, cpu = clock.stop()
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss // 1024
    print(
        f"justenough scenarios diff --population ({PEOPLE:,} people, all default "
        f"programmes, start-up and reading the parquet file included): {seconds:.2f} s "
        f"(CPU {cpu:.2f} s), peak {peak:,} MiB"
    )


def diff_in_memory(label: str, people: pl.DataFrame, base: Path, reform: Path) -> None:
    old, new = load_version(str(base)), load_version(str(reform))
    parts = chunks(people, people.height)
    diff_population(old, new, chunks(people.head(1000), 1000), AS_OF, LocalExecutor(),
                    Progress("", 1, False))  # fmt: skip
    clock = Clock()
    result = diff_population(old, new, parts, AS_OF, LocalExecutor(), Progress("", 1, False))
    seconds, cpu = clock.stop()
    gainers = sum(s.gainers for s in result.summaries())
    load = os.getloadavg()[0]
    print(
        f"{label}: {people.height:,} people, baseline + reform in {seconds:.2f} s "
        f"(CPU {cpu:.2f} s; load average {load:.1f}; {gainers:,} gainers)"
    )


def _peak_mib() -> int:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024


def dask_diff(people: pl.DataFrame, base: Path, reform: Path) -> None:
    """The same diff on a two-worker LocalCluster, in chunks of DASK_CHUNK people:
    wall time and each worker's peak memory (the figures docs/scale.md scales up)."""
    from distributed import LocalCluster

    from scenarios.executor import DaskExecutor

    size = int(os.environ.get("BENCH_DASK_CHUNK", "250000"))
    old, new = load_version(str(base)), load_version(str(reform))
    parts = chunks(people, size)
    with LocalCluster(
        n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None
    ) as cluster:
        executor = DaskExecutor(cluster.scheduler_address)
        try:
            started = time.perf_counter()
            diff_population(old, new, parts, AS_OF, executor, Progress("", len(parts), False))
            seconds = time.perf_counter() - started
            peaks = executor.client.run(_peak_mib)
        finally:
            executor.close()
    print(
        f"diff on a 2-worker LocalCluster, {len(parts)} chunks of {size:,}: {seconds:.2f} s; "
        f"peak per worker {', '.join(f'{p:,}' for p in peaks.values())} MiB"
    )


def main() -> None:
    with tempfile.TemporaryDirectory(prefix="policy-bench-") as temp:
        root = Path(temp)
        base, reform, snap, snap_reform = _folders(root)
        started = time.perf_counter()
        half = PEOPLE // 2
        people = pl.concat(
            [generate(PEOPLE - half, 1, "england", AS_OF), generate(half, 1, "us", AS_OF)]
        ).rechunk()
        print(f"generated {people.height:,} people in {time.perf_counter() - started:.1f} s")
        us = generate(PEOPLE, 2, "us", AS_OF)
        population = root / "people.parquet"
        write_population(people, population)
        bulk_rates(people, us, snap)
        durable_rates(people, us, snap)
        diff_command(population, base, reform)
        diff_in_memory("diff, all default programmes, in memory", people, base, reform)
        diff_in_memory("diff, SNAP alone, in memory", us, snap, snap_reform)
        dask_diff(people, base, reform)
        compare_sample(people)


if __name__ == "__main__":
    main()
