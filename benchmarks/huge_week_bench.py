"""Roster on huge weeks: wall time and peak memory of the whole command (issue 8).

Two generated weeks (benchmarks/roster_bench.py `large_week`), written to
WEEK files and rostered by `justenough roster WEEK --json --time-limit L`
in a child process, as a user would run it: the wall time counts the
interpreter's start, reading, compiling, the model, the search, the passes
and the JSON; the peak is the child's maximum resident set size. The stated
margin (allocation/roster/timing.py `margin`) is checked and printed with
the load average, since the machine may be shared. Set HUGE_WEEK_LIMITS to
other limits (seconds, comma-separated) to try them.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import yaml

from allocation.roster.timing import margin
from benchmarks.roster_bench import large_week

WEEKS = {"20 people, 1,000 supporters": (20, 1000), "50 people, 120 supporters": (50, 120)}


def write_week(folder: Path, people: int, supporters: int) -> Path:
    path = folder / f"week-{people}x{supporters}.yaml"
    data = large_week(people, supporters).model_dump(mode="json", exclude_defaults=True)
    path.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    return path


def run(path: Path, limit: float, folder: Path) -> str:
    """One roster command: its wall time, peak memory, load and what the model held."""
    load = os.getloadavg()[0]
    output = folder / "roster.json"
    command = [sys.executable, "-m", "api.cli.main", "roster", str(path), "--json"]
    started = time.monotonic()
    with output.open("wb") as out:
        child = subprocess.Popen([*command, "--time-limit", f"{limit:g}"], stdout=out)
        _, status, usage = os.wait4(child.pid, 0)
    wall = time.monotonic() - started
    code = os.waitstatus_to_exitcode(status)
    if code != 0:
        return f"    limit {limit:g} s: failed with exit {code}"
    solver = json.loads(output.read_text(encoding="utf-8"))["solver"]
    model = solver["model"]
    allowed = limit + margin(limit)
    stages = ", ".join(f"{s['name']} {s['status']}" for s in solver["stages"])
    return (
        f"    limit {limit:g} s: wall {wall:.2f} s ({'within' if wall <= allowed else 'OVER'} "
        f"{allowed:.1f} s; {solver['wall_seconds']:.2f} s at the report), "
        f"peak {usage.ru_maxrss / 1024:.0f} MB, load {load:.2f} -> "
        f"{os.getloadavg()[0]:.2f}\n"
        f"      model built {model['built']}, {model['choices']:,} of {model['week_choices']:,} "
        f"choices, limited to {model['limited_to']}; roster from {solver['roster_from']}\n"
        f"      {stages}"
    )


def main() -> None:
    limits = [float(x) for x in os.environ.get("HUGE_WEEK_LIMITS", "10").split(",")]
    print(f"{os.cpu_count()} cores; margin: limit + margin(limit) (allocation/roster/timing.py)")
    with tempfile.TemporaryDirectory() as folder:
        for title, (people, supporters) in WEEKS.items():
            path = write_week(Path(folder), people, supporters)
            print(f"{title} ({path.stat().st_size // 1024} KB WEEK file):", flush=True)
            for limit in limits:
                print(run(path, limit, Path(folder)), flush=True)


if __name__ == "__main__":
    main()
