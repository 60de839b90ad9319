"""The roster written for other tools: a CSV of shifts and one calendar per supporter.

The calendars are weekly repeating events from the week starting `monday`,
written with the icalendar library (RFC 5545), in local time.
"""

from __future__ import annotations

import csv
import io
import re
from datetime import date, datetime, timedelta
from pathlib import Path

from icalendar import Calendar, Event

from allocation.roster.output import RosterResult
from allocation.roster.shifts import Shift, shifts
from engine.output_files import atomic_path

CSV_FIELDS = [
    "supporter",
    "name",
    "kind",
    "day",
    "start",
    "end",
    "hours",
    "breaks",
    "people",
    "activities",
]


def shifts_csv(result: RosterResult) -> str:
    """One row per shift."""
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=CSV_FIELDS, lineterminator="\n")
    writer.writeheader()
    for shift in shifts(result):
        row = shift.model_dump(include=set(CSV_FIELDS))
        row["breaks"] = " ".join(shift.breaks)
        row["people"] = " ".join(shift.people)
        row["activities"] = "; ".join(shift.activities)
        writer.writerow(row)
    return out.getvalue()


def calendars(result: RosterResult, monday: date) -> dict[str, bytes]:
    """Each supporter with shifts: their file name and iCalendar text."""
    by_supporter: dict[str, list[Shift]] = {}
    for shift in shifts(result):
        by_supporter.setdefault(shift.supporter, []).append(shift)
    files = {}
    for supporter, theirs in by_supporter.items():
        calendar = Calendar()
        calendar.add("prodid", "-//justenough//roster//EN")
        calendar.add("version", "2.0")
        calendar.add("x-wr-calname", f"Shifts: {theirs[0].name}")
        for shift in theirs:
            start = datetime.combine(monday, datetime.min.time()) + timedelta(
                minutes=shift.minute_of_week
            )
            event = Event()
            event.add("uid", f"{supporter}-{shift.minute_of_week}@justenough")
            event.add("dtstamp", datetime.combine(monday, datetime.min.time()))
            event.add("dtstart", start)
            event.add("dtend", start + timedelta(minutes=shift.minutes))
            event.add("rrule", {"freq": "weekly"})
            event.add("summary", f"{', '.join(shift.activities)} with {', '.join(shift.people)}")
            if shift.breaks:
                event.add("description", f"Breaks: {', '.join(shift.breaks)}")
            calendar.add_component(event)
        files[f"{_safe(supporter)}.ics"] = calendar.to_ical()
    return files


def write_calendars(result: RosterResult, folder: Path, monday: date) -> list[Path]:
    """Write every calendar into `folder` (made if missing); the files written."""
    written = []
    for name, text in calendars(result, monday).items():
        path = folder / name
        with atomic_path(path) as temp:
            temp.write_bytes(text)
        written.append(path)
    return written


def _safe(name: str) -> str:
    """A supporter id as a file name (ids are already letters, digits, `_.-`)."""
    return re.sub(r"[^A-Za-z0-9_.-]", "_", name)
