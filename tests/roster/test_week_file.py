"""Bad WEEK files: exit 2 with the file, line and field named."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import ROOT

CLI = str(Path(sys.executable).parent / "justenough")

GOOD = """\
budget: 200.00
people:
  - id: ada
    blocks:
      - {day: mon, start: "09:00", end: "11:00", activity: breakfast}
      - {day: mon, start: "12:00", end: "13:00", activity: lunch, ratio: 1}
supporters:
  - id: sam
    kind: paid
    hourly_rate: 12.21
    available:
      - {day: mon, start: "08:00", end: "14:00"}
"""


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([CLI, *args], capture_output=True, text=True, timeout=120, cwd=ROOT)


def write(tmp_path: Path, text: str, name: str = "week.yaml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("old", "new", "where"),
    [
        (
            "ratio: 1}",
            "ratio: 3}",
            "week.yaml:6: people[0].blocks[1].ratio: Input should be 1 or 2",
        ),
        (
            'start: "12:00"',
            'start: "10:00"',
            "week.yaml:6: people[0].blocks[1]: overlaps blocks[0]",
        ),
        ("hourly_rate: 12.21", "hourly_rate: -1", "week.yaml:10: supporters[0].hourly_rate:"),
        ('end: "14:00"}', 'end: "25:00"}', "week.yaml:12: supporters[0].available[0].end:"),
        (
            'day: mon, start: "08:00"',
            'day: sunday, start: "08:00"',
            "supporters[0].available[0].day",
        ),
        (
            "activity: lunch,",
            "activity: lunch, prefers: [bob],",
            "people[0].blocks[1].prefers[0]: no supporter",
        ),
        (
            'start: "09:00"',
            'start: "09:10"',
            "people[0].blocks[0].start: 09:10 is not on the 30-minute",
        ),
    ],
)
def test_bad_input_exits_2_naming_file_line_and_field(
    tmp_path: Path, old: str, new: str, where: str
) -> None:
    assert old in GOOD
    path = write(tmp_path, GOOD.replace(old, new, 1))
    done = run("roster", str(path), "--json")
    assert done.returncode == 2, done.stdout
    assert where in done.stderr.replace(str(tmp_path) + "/", "")
    assert done.stdout == ""


def test_the_good_file_is_good(tmp_path: Path) -> None:
    done = run("roster", str(write(tmp_path, GOOD)), "--json")
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["total_cost"] == "36.63"


def test_json_week_files_are_read_too(tmp_path: Path) -> None:
    data = {
        "budget": 10,
        "people": [
            {
                "id": "ada",
                "blocks": [
                    {"day": "fri", "start": "09:00", "end": "10:00", "activity": "x", "ratio": 3}
                ],
            }
        ],
    }
    done = run("roster", str(write(tmp_path, json.dumps(data), "week.json")), "--json")
    assert done.returncode == 2
    assert "week.json:1: people[0].blocks[0].ratio: Input should be 1 or 2" in done.stderr
