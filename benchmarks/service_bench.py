"""The service's speed: the engine's share of one eligibility check, and
`POST /v1/eligibility` and `POST /v1/cases` over loopback with 1 and with 50
concurrent clients, on SQLite and on PostgreSQL.

The server is `justenough serve` in its own process (2 rules-engine workers);
the clients are threads with their own HTTP connection, on the same 2 cores,
so the figures are for the pair. PostgreSQL is a throwaway server started
here from Debian's packages, as the tests start it. BENCH_REQUESTS sets the
requests per run (default 600).
"""

from __future__ import annotations

import json
import os
import statistics
import tempfile
import time
import uuid
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from datetime import date
from pathlib import Path
from typing import Any

import httpx
import psycopg

from engine.decisions import decide
from engine.durable_runner import process_runner
from engine.intake import Intake
from engine.screening import Screener
from tests.api.conftest import PG_CTL
from tests.api.live import LiveServer, add_users

AS_OF = "2026-01-01"
EXAMPLES = Path(__file__).resolve().parent.parent / "examples"
ENGINE_RUNS = 300


def _intakes() -> list[dict[str, Any]]:
    lines = (EXAMPLES / "cases.jsonl").read_text().splitlines()
    return [json.loads(line) for line in lines if line.strip()]


def _summary(times: list[float]) -> str:
    times = sorted(times)
    p95 = times[int(0.95 * (len(times) - 1))]
    return f"p50 {statistics.median(times) * 1000:6.2f} ms  p95 {p95 * 1000:6.2f} ms"


def engine_share() -> None:
    """One check in this process, as a worker runs it: durable-rules and the
    reference evaluator, every default programme of the person's jurisdiction."""
    screener = Screener.from_paths()
    runner = process_runner()
    intakes = [Intake.model_validate(i) for i in _intakes()]
    on = date.fromisoformat(AS_OF)
    wall, cpu = [], []
    for run in range(ENGINE_RUNS + 20):
        intake = intakes[run % len(intakes)]
        plan = screener.plan(screener.applicable(intake), on)
        started, started_cpu = time.perf_counter(), time.thread_time()
        decide(plan, intake, runner)
        if run >= 20:  # after the plans are compiled and loaded
            wall.append(time.perf_counter() - started)
            cpu.append(time.thread_time() - started_cpu)
    programmes = sorted({p.id for r in screener.rulesets for p in r.programmes})
    print(f"engine share of one check ({len(programmes)} default programmes, {ENGINE_RUNS} runs)")
    print(f"  wall {_summary(wall)}")
    print(f"  CPU  {_summary(cpu)}")


@contextmanager
def postgres() -> Iterator[str]:
    from pytest_postgresql.executors.proc import PostgreSQLExecutor

    folder = Path(tempfile.mkdtemp(prefix="justenough-bench-pg-"))
    port = LiveServer("").port  # a free port
    executor = PostgreSQLExecutor(
        executable=str(PG_CTL),
        host="127.0.0.1",
        port=port,
        datadir=str(folder / "data"),
        unixsocketdir=tempfile.gettempdir(),
        logfile=str(folder / "postgresql.log"),
        startparams="-w",
        dbname="bench",
    )
    executor.start()
    executor.wait_for_postgres()
    name = f"bench_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(
        host="127.0.0.1", port=port, user="postgres", dbname="postgres", autocommit=True
    ) as connection:
        connection.execute(f'CREATE DATABASE "{name}"')
    try:
        yield f"postgresql+psycopg://postgres@127.0.0.1:{port}/{name}"
    finally:
        executor.stop()
        executor.clean_directory()


def _run(clients: int, total: int, call: Callable[[httpx.Client, int], int]) -> str:
    def client(index: int) -> list[float]:
        times = []
        with httpx.Client(timeout=120) as http:
            for n in range(index, total, clients):
                started = time.perf_counter()
                status = call(http, n)
                times.append(time.perf_counter() - started)
                assert status < 300, status
        return times

    started = time.perf_counter()
    with ThreadPoolExecutor(clients) as pool:
        times = [t for part in pool.map(client, range(clients)) for t in part]
    wall = time.perf_counter() - started
    return f"{len(times) / wall:7.1f} req/s  {_summary(times)}"


def service(kind: str, url: str, total: int) -> None:
    tokens = add_users(url, "bench")
    server = LiveServer(url, ("--engine-workers", "2")).start()
    intakes = _intakes()
    headers = {"Authorization": f"Bearer {tokens['intake']}"}

    def eligibility(http: httpx.Client, n: int) -> int:
        body = {"intake": intakes[n % len(intakes)], "as_of": AS_OF}
        return http.post(f"{server.url}/v1/eligibility", json=body, headers=headers).status_code

    def new_case(http: httpx.Client, n: int) -> int:
        body = {"intake": intakes[n % len(intakes)]}
        return http.post(f"{server.url}/v1/cases", json=body, headers=headers).status_code

    try:
        _run(4, 100, eligibility)  # warm: plans compiled in both workers
        for name, call in (("POST /v1/eligibility", eligibility), ("POST /v1/cases", new_case)):
            for clients in (1, 50):
                print(f"  {kind:<10} {name:<20} {clients:>2} clients {_run(clients, total, call)}")
    finally:
        server.stop()


def main() -> None:
    total = int(os.environ.get("BENCH_REQUESTS", "600"))
    engine_share()
    print(f"the service over loopback ({total} requests a run)")
    with tempfile.TemporaryDirectory() as folder:
        service("SQLite", f"sqlite:///{folder}/bench.db", total)
    with postgres() as url:
        service("PostgreSQL", url, total)


if __name__ == "__main__":
    main()
