"""What a server is started with; `justenough serve` fills it from its flags."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from api.storage.database import DEFAULT_URL


@dataclass(frozen=True)
class Settings:
    database_url: str = DEFAULT_URL
    rulesets: tuple[Path, ...] | None = None  # None: the shipped rulesets, by jurisdiction
    engine_workers: int = 2  # rules-engine processes (engine/worker_pool.py)
    roster_threads: int = 1  # roster solves at once; more wait in the queue
    max_request_bytes: int = 1_000_000
    max_solver_seconds: float = 60.0
    migrate: bool = True
