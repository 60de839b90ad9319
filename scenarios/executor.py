"""Where population runs go: this machine, or a Dask distributed cluster.

One small interface: `run(task, chunks)` yields each chunk's diff, in order.
Locally the chunks run in this process, one after another, each over all
cores (polars runs a chunk's expressions on every core; separate processes
would only add copying). With `--scheduler ADDRESS` the chunks go to a Dask
cluster: each worker receives the rules as files, compiles the plans once
(scenarios/diff.py keeps them per process) and returns only the small
per-chunk tables.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator, Sequence
from typing import Protocol

import polars as pl

from scenarios.diff import ChunkDiff, DiffTask, diff_chunk, diff_chunk_ipc, to_ipc

DEFAULT_CHUNK = 1_000_000


def chunks(population: pl.DataFrame, size: int) -> list[pl.DataFrame]:
    return [population.slice(start, size) for start in range(0, max(population.height, 1), size)]


class Progress:
    """`label: done/total chunks, people` on stderr, when it is a terminal or asked for."""

    def __init__(self, label: str, total: int, enabled: bool) -> None:
        self.label, self.total, self.enabled = label, total, enabled
        self.done = self.people = 0

    def step(self, people: int) -> None:
        self.done += 1
        self.people += people
        if self.enabled:
            print(
                f"{self.label}: {self.done}/{self.total} chunks, {self.people:,} people",
                file=sys.stderr,
                flush=True,
            )


class Executor(Protocol):
    def run(
        self, task: DiffTask, parts: Sequence[pl.DataFrame], progress: Progress
    ) -> Iterator[ChunkDiff]: ...


class LocalExecutor:
    def run(
        self, task: DiffTask, parts: Sequence[pl.DataFrame], progress: Progress
    ) -> Iterator[ChunkDiff]:
        for part in parts:
            result = diff_chunk(task, part)
            progress.step(part.height)
            yield result


class DaskExecutor:
    """Chunks of people on a Dask distributed scheduler at `address`."""

    def __init__(self, address: str) -> None:
        from distributed import Client

        try:
            self.client = Client(address, timeout="5s")
        except (OSError, TimeoutError, ValueError) as error:
            raise ConnectionError(
                f"cannot reach the Dask scheduler at {address}: {error}"
            ) from None

    def run(
        self, task: DiffTask, parts: Sequence[pl.DataFrame], progress: Progress
    ) -> Iterator[ChunkDiff]:
        from distributed import as_completed

        shared = self.client.scatter(task, broadcast=True, hash=False)
        # each chunk is sent once, as data (Arrow IPC bytes), not inside the task graph
        data = self.client.scatter([to_ipc(part) for part in parts], hash=False)
        futures = [self.client.submit(diff_chunk_ipc, shared, blob, pure=False) for blob in data]
        order = {future.key: index for index, future in enumerate(futures)}
        results: dict[int, ChunkDiff] = {}
        for future in as_completed(futures):
            results[order[future.key]] = future.result()
            progress.step(parts[order[future.key]].height)
        for index in range(len(parts)):
            yield results[index]

    def close(self) -> None:
        self.client.close()
