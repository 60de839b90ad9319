"""The benchmark's generated weeks pass the same checks as a WEEK file read from disk."""

from __future__ import annotations

import pytest

from allocation.roster.week_file import week_problems
from benchmarks.roster_bench import large_week, shared_house_week, single_person_week


@pytest.mark.parametrize("seed", range(1, 11))
def test_every_generated_week_is_a_valid_week_file(seed: int) -> None:
    for week in (single_person_week(seed), shared_house_week(seed), large_week(5, 20, seed)):
        assert week_problems(week) == []
