"""Screening speed and memory: time per case for `check` over all default rulesets,
and peak memory over 100,000 cases (set BENCH_CASES to change the count).

Cases run as the command line runs them: in a pool of worker processes, fed
from threads, each case timed from submission to decision.
"""

from __future__ import annotations

import os
import statistics
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import date
from pathlib import Path

from engine.screening import Screener
from engine.worker_pool import WorkerPool
from scenarios.population import generate

AS_OF = date(2026, 1, 1)
CHECKPOINTS = 5


def rss_kib(pid: int, field: str = "VmRSS") -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1])
    return 0


def main() -> None:
    cases = int(os.environ.get("BENCH_CASES", "100000"))
    workers = int(os.environ.get("BENCH_WORKERS", "2"))
    with WorkerPool(workers=workers) as pool:
        screener = Screener.from_paths(pool=pool)
        programmes = sum(len(r.programmes) for r in screener.rulesets)
        rulesets = len(screener.rulesets)
        print(f"{cases} cases, {programmes} programmes in {rulesets} rulesets, {workers} workers")

        def timed(person: object) -> float:
            start = time.perf_counter()
            screener.check(person, AS_OF)  # type: ignore[arg-type]
            return time.perf_counter() - start

        latencies: list[float] = []
        started = time.perf_counter()
        step = max(1, cases // CHECKPOINTS)
        with ThreadPoolExecutor(max_workers=workers) as threads:
            people = generate(cases, seed=7, as_of=AS_OF)
            for done in range(0, cases, step):
                batch = [next(people) for _ in range(min(step, cases - done))]
                latencies.extend(threads.map(timed, batch))
                memory = ", ".join(f"{rss_kib(pid) // 1024} MiB" for pid in pool.pids())
                main_rss = rss_kib(os.getpid()) // 1024
                print(
                    f"  after {len(latencies):>7} cases: "
                    f"workers RSS {memory}; main RSS {main_rss} MiB",
                    flush=True,
                )
        wall = time.perf_counter() - started
        peaks = [rss_kib(pid, "VmHWM") // 1024 for pid in pool.pids()]
    latencies.sort()
    p95 = latencies[int(0.95 * (len(latencies) - 1))]
    print(f"per case: median {statistics.median(latencies) * 1000:.2f} ms, p95 {p95 * 1000:.2f} ms")
    print(f"throughput {cases / wall:,.0f} cases/s over {wall:.1f} s")
    print(f"peak RSS: workers {peaks} MiB; main {rss_kib(os.getpid(), 'VmHWM') // 1024} MiB")


if __name__ == "__main__":
    main()
