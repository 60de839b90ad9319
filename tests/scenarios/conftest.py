"""Fixtures of the policy-lab tests: a small reform of the shipped rules, a Dask cluster."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from engine.loader import default_rulesets_root

if TYPE_CHECKING:
    from distributed import LocalCluster

SNAP_GROSS_3 = "rows: {1: 1696, 2: 2292, 3: 2888,"
REFORMED = "rows: {1: 1696, 2: 2292, 3: 3332,"


@pytest.fixture(scope="session")
def reform(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The shipped rulesets with SNAP's FFY2026 gross income limit for 3 people raised."""
    folder = tmp_path_factory.mktemp("reform") / "rulesets"
    shutil.copytree(default_rulesets_root(), folder)
    snap = folder / "us" / "snap.yaml"
    text = snap.read_text()
    assert SNAP_GROSS_3 in text
    snap.write_text(text.replace(SNAP_GROSS_3, REFORMED))
    return folder


@pytest.fixture(scope="session")
def cluster() -> Iterator[LocalCluster]:
    """One local Dask cluster (two worker processes) for every test that runs on one."""
    from distributed import LocalCluster

    with LocalCluster(
        n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None
    ) as local:
        yield local
