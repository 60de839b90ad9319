"""`justenough roster WEEK`: the perfect week as a CP-SAT roster within budget."""

from __future__ import annotations

import argparse
from pathlib import Path

from rich.console import Console

from allocation.roster.plan import plan_week
from allocation.roster.solver import SolveOptions
from allocation.roster.week_file import read_week
from api.cli.errors import EXIT_OK, CommandError
from api.cli.roster_view import render
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
        help="cap on solving time; the best roster found is returned (default %(default)s)",
    )
    parser.add_argument(
        "--workers",
        type=int,
        default=SolveOptions.workers,
        help="CP-SAT search workers; 1 with a fixed --seed is reproducible (default %(default)s)",
    )
    parser.add_argument("--seed", type=int, default=SolveOptions.seed, help="CP-SAT random seed")
    parser.add_argument("--json", action="store_true", help="print the roster JSON")
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    if args.time_limit <= 0:
        raise CommandError("--time-limit: must be more than 0 seconds")
    if args.workers < 1:
        raise CommandError("--workers: must be at least 1")
    try:
        week = read_week(args.week)
    except InputError as error:
        raise CommandError(str(error)) from None
    options = SolveOptions(time_limit=args.time_limit, workers=args.workers, seed=args.seed)
    if args.json:
        print(plan_week(week, options).model_dump_json(indent=2))
        return EXIT_OK
    console = Console()
    with Console(stderr=True).status(f"Rostering {args.week} (up to {args.time_limit:g} s)"):
        result = plan_week(week, options)
    render(result, console)
    return EXIT_OK
