"""`justenough plans check PLAN`, `plans due --before DATE`, `plans themes --from --to`.

`check` reads a plan file (YAML or JSON) with the same models and checks as
the API: exit 2 with `file:line: field: reason` for each problem. `due` and
`themes` read the server's database.
"""

from __future__ import annotations

import argparse
from datetime import date
from pathlib import Path
from typing import Any

from pydantic import TypeAdapter, ValidationError

from api.cli.errors import EXIT_OK, CommandError, open_database
from api.plans import checks, due, store, themes
from api.plans.plan_model import Plan
from api.storage.database import DEFAULT_URL
from engine.sourcefiles import InputError, read_document


def _day(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a date (YYYY-MM-DD)") from None


def register(commands: Any) -> None:
    parser = commands.add_parser("plans", help="support plans: check a plan, reviews due, themes")
    actions = parser.add_subparsers(dest="action", required=True, metavar="ACTION")
    check = actions.add_parser("check", help="check a plan file as the API would")
    check.add_argument("plan", type=Path, metavar="PLAN", help="a plan file (YAML or JSON)")
    check.add_argument(
        "--today", type=_day, default=None, help="check dates as on this day (default today)"
    )
    check.set_defaults(handler=run_check)
    listing = actions.add_parser("due", help="plan reviews and follow-ups due, by worker")
    listing.add_argument("--before", type=_day, required=True, help="due on or before DATE")
    listing.add_argument("--worker", default=None, help="only this worker's")
    listing.add_argument("--database", default=DEFAULT_URL, help="database URL or SQLite file")
    listing.add_argument("--json", action="store_true", help="print JSON")
    listing.set_defaults(handler=run_due)
    report = actions.add_parser("themes", help='most frequent "not working" themes, no names')
    report.add_argument("--from", dest="start", type=_day, required=True)
    report.add_argument("--to", dest="end", type=_day, required=True)
    report.add_argument("--service", default=None)
    report.add_argument("--period", choices=["month", "quarter", "year"], default="quarter")
    report.add_argument("--top", type=int, default=10)
    report.add_argument("--database", default=DEFAULT_URL, help="database URL or SQLite file")
    report.add_argument("--json", action="store_true", help="print JSON")
    report.set_defaults(handler=run_themes)


def read_plan(path: Path, today: date) -> Plan:
    """The plan in a file; InputError lists everything wrong with it, each with its line."""
    doc = read_document(path)
    try:
        plan = Plan.model_validate(doc.data)
    except ValidationError as error:
        raise InputError(doc.validation_problems(error)) from None
    found = checks.plan_problems(plan) + checks.dates_in_the_past(plan, today)
    if found:
        raise InputError([doc.problem(location, reason) for location, reason in found])
    return plan


def run_check(args: argparse.Namespace) -> int:
    try:
        plan = read_plan(args.plan, args.today or date.today())
    except InputError as error:
        raise CommandError(str(error)) from None
    objectives = len(plan.objectives())
    print(
        f"{args.plan}: {len(plan.goals)} goals, {objectives} objectives, "
        f"{len(plan.deferred)} needs deferred; review on {plan.review_on}"
    )
    return EXIT_OK


def run_due(args: argparse.Namespace) -> int:
    db = open_database(args.database)
    try:
        with db.read() as session:
            found = due.due(store.current_plans(session), args.before, date.today())
    finally:
        db.close()
    listed = [w for w in found if args.worker in (None, w.worker)]
    if args.json:
        print(TypeAdapter(list[due.WorkerDue]).dump_json(listed, indent=2).decode())
        return EXIT_OK
    if not listed:
        print(f"Nothing due on or before {args.before}.")
    for worker in listed:
        print(f"{worker.worker}:")
        for item in worker.items:
            what = (
                "plan review"
                if item.what == "plan_review"
                else f"follow-up {item.goal}.{item.objective}"
            )
            late = "  OVERDUE" if item.overdue else ""
            print(
                f"  {item.due_on}  {item.person} (case {item.case_id}, "
                f"plan v{item.plan_version}): {what}{late}"
            )
    return EXIT_OK


def run_themes(args: argparse.Namespace) -> int:
    if args.end < args.start:
        raise CommandError("--to: must be on or after --from")
    if args.top < 1:
        raise CommandError("--top: must be at least 1")
    db = open_database(args.database)
    try:
        with db.read() as session:
            tagged = store.themes(session, args.start, args.end, args.service)
    finally:
        db.close()
    rows = themes.most_frequent(tagged, args.period, args.top)
    if args.json:
        print(TypeAdapter(list[themes.ThemeCount]).dump_json(rows, indent=2).decode())
        return EXIT_OK
    print(f"{'service':<24} {'period':<8} {'theme':<24} {'person':>6} {'others':>6} {'total':>6}")
    for row in rows:
        print(
            f"{row.service:<24} {row.period:<8} {row.tag:<24} "
            f"{row.person:>6} {row.others:>6} {row.total:>6}"
        )
    return EXIT_OK
