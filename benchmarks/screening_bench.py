"""Screening speed and memory over all default rulesets, as the command line runs it:
in a pool of worker processes, fed from threads.

- latency: single `check` calls, each timed from submission to decision;
- throughput and memory: BENCH_CASES cases (100,000 by default) in batches, as
  `justenough check cases.jsonl` sends them, with worker and main-process
  memory read at checkpoints, so a leak shows as growth.
"""

from __future__ import annotations

import itertools
import os
import statistics
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import date
from pathlib import Path

from engine.intake import Intake
from engine.screening import Screener
from engine.worker_pool import CaseError, WorkerPool
from scenarios.population import generate

AS_OF = date(2026, 1, 1)
CHECKPOINTS = 5
LATENCY_CASES = 2000
BATCH = 32  # cases per worker round trip, as the command line sends them
WINDOW = 8  # batches in flight


def rss_mib(pid: int, field: str = "VmRSS") -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1]) // 1024
    return 0


def latency(screener: Screener, workers: int) -> None:
    def timed(person: Intake) -> float:
        start = time.perf_counter()
        screener.check(person, AS_OF)
        return time.perf_counter() - start

    with ThreadPoolExecutor(max_workers=workers) as threads:
        times = sorted(threads.map(timed, generate(LATENCY_CASES, seed=3, as_of=AS_OF)))
    p95 = times[int(0.95 * (len(times) - 1))]
    print(
        f"latency of one check over {LATENCY_CASES} cases: "
        f"median {statistics.median(times) * 1000:.2f} ms, p95 {p95 * 1000:.2f} ms"
    )


def throughput(screener: Screener, pool: WorkerPool, cases: int) -> None:
    """Streamed as the command line streams a JSON Lines file: a bounded window of
    batches in flight, so memory stays flat however many cases there are."""

    def batch_of(people: list[Intake]) -> int:
        return sum(isinstance(a, CaseError) for a in screener.check_many(people, AS_OF))

    people = generate(cases, seed=7, as_of=AS_OF)
    done = failed = 0
    every = max(1, cases // CHECKPOINTS)
    started = time.perf_counter()
    with ThreadPoolExecutor(max_workers=pool.size) as threads:
        while done < cases:
            window = []
            for _ in range(WINDOW):
                batch = list(itertools.islice(people, BATCH))
                if batch:
                    window.append(batch)
            failed += sum(threads.map(batch_of, window))
            before, done = done, done + sum(len(b) for b in window)
            if done // every > before // every or done == cases:
                memory = ", ".join(f"{rss_mib(pid)} MiB" for pid in pool.pids())
                print(
                    f"  {done:>7} cases: workers RSS {memory}; main RSS {rss_mib(os.getpid())} MiB"
                )
    wall = time.perf_counter() - started
    per_case = wall / cases * 1000
    print(f"throughput {cases / wall:,.0f} cases/s ({per_case:.2f} ms per case) over {wall:.1f} s")
    print(f"cases failed: {failed}")
    peaks = ", ".join(f"{rss_mib(pid, 'VmHWM')} MiB" for pid in pool.pids())
    print(f"peak RSS: workers {peaks}; main {rss_mib(os.getpid(), 'VmHWM')} MiB")


def main() -> None:
    cases = int(os.environ.get("BENCH_CASES", "100000"))
    workers = int(os.environ.get("BENCH_WORKERS", "2"))
    with WorkerPool(workers=workers) as pool:
        screener = Screener.from_paths(pool=pool)
        programmes = sum(len(r.programmes) for r in screener.rulesets)
        rulesets = len(screener.rulesets)
        print(f"{programmes} programmes in {rulesets} rulesets, {workers} worker processes")
        latency(screener, workers)
        throughput(screener, pool, cases)


if __name__ == "__main__":
    main()
