"""`justenough roster` as a person runs it: the examples, the grid, the JSON, the exits."""

from __future__ import annotations

import json
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import pytest

from tests.conftest import ROOT

CLI = str(Path(sys.executable).parent / "justenough")
EXAMPLES = ROOT / "examples"


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([CLI, *args], capture_output=True, text=True, timeout=120, cwd=ROOT)


@pytest.mark.parametrize("name", ["week-single.yaml", "week-shared-house.yaml"])
def test_the_example_weeks_meet_every_essential_need_within_budget(name: str) -> None:
    done = run("roster", str(EXAMPLES / name), "--json", "--time-limit", "8")
    assert done.returncode == 0, done.stderr
    roster = json.loads(done.stdout)
    assert roster["within_budget"] and Decimal(roster["total_cost"]) <= Decimal(roster["budget"])
    assert not [u for u in roster["unmet"] if u["priority"] == "essential"]
    assert {s["name"] for s in roster["solver"]["stages"]} >= {"essential", "paid_hours", "cost"}
    for stage in roster["solver"]["stages"]:
        assert stage["bound_source"] in ("solver", "lp_relaxation", "counting")
        assert Decimal(stage["bound"]) <= Decimal(stage["value"])


def test_the_readable_roster_is_a_weekly_grid_and_a_summary() -> None:
    done = run("roster", str(EXAMPLES / "week-single.yaml"), "--time-limit", "5")
    assert done.returncode == 0, done.stderr
    assert "The week for ada" in done.stdout
    assert all(day in done.stdout for day in ("Mon", "Wed", "Sun"))
    assert "Weekly cost £" in done.stdout and "Solver:" in done.stdout


def test_a_week_nobody_can_support_is_explained_not_a_crash(tmp_path: Path) -> None:
    week = tmp_path / "alone.yaml"
    week.write_text(
        "budget: 0\n"
        "people:\n"
        "  - id: ada\n"
        "    blocks:\n"
        '      - {day: mon, start: "09:00", end: "10:00", activity: breakfast}\n',
        encoding="utf-8",
    )
    done = run("roster", str(week), "--json")
    assert done.returncode == 0, done.stderr
    (unmet,) = json.loads(done.stdout)["unmet"]
    assert unmet["reason"] == "nobody_available" and unmet["hours"] == "1"


def test_a_time_limit_of_nothing_is_bad_input() -> None:
    done = run("roster", str(EXAMPLES / "week-single.yaml"), "--time-limit", "0")
    assert done.returncode == 2 and "--time-limit" in done.stderr
