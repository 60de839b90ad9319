"""Fixtures shared by every test package."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from engine.screening import Screener
from engine.worker_pool import WorkerPool

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="session")
def screener() -> Screener:
    """The shipped rulesets, decided in this process."""
    return Screener.from_paths()


@pytest.fixture(scope="session")
def pool() -> Iterator[WorkerPool]:
    with WorkerPool(workers=2, deadline=20) as workers:
        yield workers
