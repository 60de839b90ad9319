"""`justenough roster WEEK`: the perfect week as a CP-SAT roster within budget."""

from __future__ import annotations

import argparse
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, timedelta
from pathlib import Path

from rich.console import Console

from allocation.roster.carer_met import with_intake
from allocation.roster.funding import read_allocation, weekly_budget
from allocation.roster.plan import plan_week
from allocation.roster.solver import SolveOptions
from allocation.roster.timing import MARGIN_SECONDS, MARGIN_SHARE
from allocation.roster.week_file import read_week
from api.cli.errors import EXIT_OK, CommandError
from api.cli.roster_files import shifts_csv, write_calendars
from api.cli.roster_view import render
from engine.intake_files import read_intake
from engine.output_files import write_atomically
from engine.sourcefiles import InputError


def register(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = commands.add_parser(
        "roster",
        help="build the perfect week: who supports whom and when, within budget",
        description=(
            "Roster a week of support from a WEEK file (YAML or JSON): natural supports "
            "first, then technology, then paid staff, within the weekly budget."
        ),
    )
    parser.add_argument("week", type=Path, metavar="WEEK", help="the week file")
    parser.add_argument(
        "--time-limit",
        type=float,
        default=SolveOptions.time_limit,
        metavar="SECONDS",
        help="wall time from the command's start, reading and writing included: the best "
        f"roster found is returned within it plus {MARGIN_SECONDS:g} s or "
        f"{MARGIN_SHARE * 100:g}%%, whichever is more (docs/roster.md says when it may take "
        "longer) (default %(default)s)",
    )
    parser.add_argument(
        "--workers",
        type=int,
        default=SolveOptions.workers,
        help="CP-SAT search workers; 1 with a fixed --seed is reproducible (default %(default)s)",
    )
    parser.add_argument("--seed", type=int, default=SolveOptions.seed, help="CP-SAT random seed")
    parser.add_argument("--json", action="store_true", help="print the roster JSON")
    parser.add_argument(
        "--budget-from",
        type=Path,
        metavar="ALLOCATION",
        help="take the weekly budget from an allocation JSON file (the WEEK then names none)",
    )
    parser.add_argument(
        "--budget-method",
        choices=["ras", "costing", "isf"],
        help="which of the allocation's budgets, when it has several",
    )
    parser.add_argument("--csv", type=Path, metavar="FILE", help="write one row per shift")
    parser.add_argument(
        "--ics", type=Path, metavar="DIR", help="write one iCalendar file per supporter"
    )
    parser.add_argument(
        "--week-of",
        type=date.fromisoformat,
        metavar="DATE",
        help="the Monday the calendars start from (default: the coming Monday)",
    )
    parser.add_argument(
        "--intake",
        type=Path,
        metavar="INTAKE",
        help="the person's intake: blocks serving an outcome a willing and able carer "
        "meets are left out and listed (Care Act s.18(7))",
    )
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    if args.time_limit <= 0:
        raise CommandError("--time-limit: must be more than 0 seconds")
    if args.workers < 1:
        raise CommandError("--workers: must be at least 1")
    monday = args.week_of or _coming_monday(date.today())
    if monday.weekday() != 0:
        raise CommandError(f"--week-of: {monday} is a {monday:%A}, not a Monday")
    try:
        budget = None
        if args.budget_from is not None:
            try:
                budget = weekly_budget(read_allocation(args.budget_from), args.budget_method)
            except ValueError as error:
                raise CommandError(f"{args.budget_from}: {error}") from None
        week = read_week(args.week, budget)
        if args.intake is not None:
            try:
                week = with_intake(week, read_intake(args.intake))
            except ValueError as error:
                raise CommandError(f"{args.intake}: {error}") from None
    except InputError as error:
        raise CommandError(str(error)) from None
    options = SolveOptions(time_limit=args.time_limit, workers=args.workers, seed=args.seed)
    if args.json:
        result = plan_week(week, options, args.started)
    else:
        with Console(stderr=True).status(f"Rostering {args.week} (up to {args.time_limit:g} s)"):
            result = plan_week(week, options, args.started, view=True)
    if args.csv is not None:
        text = shifts_csv(result)
        with _writing(args.csv):
            write_atomically(args.csv, lambda temp: temp.write_text(text, encoding="utf-8"))
    if args.ics is not None:
        with _writing(args.ics):
            write_calendars(result, args.ics, monday)
    if args.json:
        print(result.model_dump_json(indent=2))
    else:
        render(result, Console())
    return EXIT_OK


def _coming_monday(today: date) -> date:
    return today + timedelta(days=(7 - today.weekday()) % 7 or 7)


@contextmanager
def _writing(path: Path) -> Iterator[None]:
    """A file or folder that cannot be written is a clear error, not a traceback."""
    try:
        yield
    except OSError as error:
        raise CommandError(f"{path}: cannot write: {error.strerror or error}") from None
