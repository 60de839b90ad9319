"""`justenough roster` as a person runs it: the examples, the grid, the JSON, the exits."""

from __future__ import annotations

import csv
import json
import re
import subprocess
import sys
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from icalendar import Calendar

from allocation.roster.greedy import greedy_cover
from allocation.roster.instance import compile_week
from allocation.roster.measure import stage_values
from allocation.roster.stages import NAMES
from allocation.roster.week_file import read_week
from tests.conftest import ROOT

CLI = str(Path(sys.executable).parent / "justenough")
EXAMPLES = ROOT / "examples"


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([CLI, *args], capture_output=True, text=True, timeout=120, cwd=ROOT)


def _essential_unmet_hours(roster: dict[str, Any]) -> Decimal:
    return sum(
        (Decimal(u["hours"]) for u in roster["unmet"] if u["priority"] == "essential"), Decimal(0)
    )


@pytest.mark.parametrize("name", ["week-single.yaml", "week-shared-house.yaml"])
def test_the_example_weeks_are_rostered_within_budget_and_reported_honestly(name: str) -> None:
    """What the model guarantees, whatever the load: not what a time limit happens to reach."""
    done = run("roster", str(EXAMPLES / name), "--json", "--time-limit", "8")
    assert done.returncode == 0, done.stderr
    roster = json.loads(done.stdout)
    assert roster["within_budget"] and Decimal(roster["total_cost"]) <= Decimal(roster["budget"])
    # Never worse on essential need than the greedy roster it starts from.
    instance = compile_week(read_week(EXAMPLES / name))
    greedy = stage_values(instance, greedy_cover(instance))["essential"]
    assert _essential_unmet_hours(roster) <= instance.grid.hours(greedy)
    solver = roster["solver"]
    assert [s["name"] for s in solver["stages"]] == list(NAMES)
    for stage in solver["stages"]:
        assert stage["bound_source"] in ("solver", "lp_relaxation", "shift_cover", "counting")
        assert Decimal(stage["bound"]) <= Decimal(stage["value"])
        assert (stage["status"] == "solved") == (stage["gap"] == 0)
    (cost,) = [s for s in solver["stages"] if s["name"] == "cost"]
    assert Decimal(cost["value"]) == Decimal(roster["total_cost"])
    assert solver["after_search"]["natural_first_check"] == "passed"


@pytest.mark.slow
def test_the_shared_house_meets_every_essential_need_on_a_busy_machine() -> None:
    """Four processes burn both cores while the shipped shared house is rostered in 10 s.

    However busy the machine already is: the essential stage's search for a
    roster meeting all coverable essential need is bounded by CP-SAT's
    deterministic work on one worker, not by the clock, so the load changes
    how long it takes, never what it finds.
    """
    burners = [subprocess.Popen([sys.executable, "-c", "while True: pass"]) for _ in range(4)]
    try:
        done = run(
            "roster", str(EXAMPLES / "week-shared-house.yaml"), "--json", "--time-limit", "10"
        )
    finally:
        for burner in burners:
            burner.kill()
            burner.wait()
    assert done.returncode == 0, done.stderr
    roster = json.loads(done.stdout)
    assert _essential_unmet_hours(roster) == 0, roster["unmet"]


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


def test_csv_has_one_row_per_shift_and_each_supporter_gets_a_calendar(tmp_path: Path) -> None:
    csv_path, ics_dir = tmp_path / "shifts.csv", tmp_path / "calendars"
    done = run(
        "roster",
        str(EXAMPLES / "week-single.yaml"),
        "--json",
        "--time-limit",
        "3",
        "--csv",
        str(csv_path),
        "--ics",
        str(ics_dir),
        "--week-of",
        "2026-11-30",
    )
    assert done.returncode == 0, done.stderr
    roster = json.loads(done.stdout)
    rows = list(csv.DictReader(csv_path.open(encoding="utf-8")))
    worked = {s["id"]: Decimal(s["hours"]) for s in roster["supporters"] if Decimal(s["hours"])}
    hours: dict[str, Decimal] = {}
    for row in rows:
        hours[row["supporter"]] = hours.get(row["supporter"], Decimal(0)) + Decimal(row["hours"])
    assert hours == worked
    assert sorted(p.stem for p in ics_dir.iterdir()) == sorted(worked)
    for supporter in worked:
        calendar = Calendar.from_ical((ics_dir / f"{supporter}.ics").read_bytes())
        events = calendar.walk("VEVENT")
        assert len(events) == sum(row["supporter"] == supporter for row in rows)
        assert all(e.decoded("dtstart").date() >= date(2026, 11, 30) for e in events)


@pytest.mark.parametrize("flag", ["--csv", "--ics"])
def test_an_output_that_cannot_be_written_is_a_clear_error(tmp_path: Path, flag: str) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder", encoding="utf-8")
    target = blocker / "out"
    done = run("roster", str(EXAMPLES / "week-single.yaml"), "--time-limit", "1", flag, str(target))
    assert done.returncode == 2, done.stderr
    assert f"{target}: cannot write" in done.stderr and "Traceback" not in done.stderr


def _allocation(tmp_path: Path) -> Path:
    done = run("allocate", str(EXAMPLES / "allocation-ada.yaml"), "--as-of", "2025-10-01", "--json")
    assert done.returncode == 0, done.stderr
    path = tmp_path / "allocation.json"
    path.write_text(done.stdout, encoding="utf-8")
    return path


def test_the_budget_comes_from_the_allocation(tmp_path: Path) -> None:
    allocation = _allocation(tmp_path)
    costing = json.loads(allocation.read_text())["methods"]["costing"]
    week = tmp_path / "week.yaml"
    text = (EXAMPLES / "week-single.yaml").read_text(encoding="utf-8")
    week.write_text(re.sub(r"(?m)^budget:.*$", "", text), encoding="utf-8")
    done = run(
        "roster", str(week), "--json", "--time-limit", "2",
        "--budget-from", str(allocation), "--budget-method", "costing",
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    expected = Decimal(costing["net_funded"]) + Decimal(costing["contribution"])
    assert Decimal(json.loads(done.stdout)["budget"]) == expected


def test_a_week_with_its_own_budget_and_an_allocation_is_ambiguous(tmp_path: Path) -> None:
    allocation = _allocation(tmp_path)
    done = run(
        "roster", str(EXAMPLES / "week-single.yaml"), "--json",
        "--budget-from", str(allocation), "--budget-method", "costing",
    )  # fmt: skip
    assert done.returncode == 2 and done.stdout == ""
    assert "week-single.yaml:" in done.stderr and "budget: " in done.stderr
    several = run("roster", str(EXAMPLES / "week-single.yaml"), "--budget-from", str(allocation))
    assert several.returncode == 2 and "--budget-method" in several.stderr
