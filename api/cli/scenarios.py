"""`justenough scenarios generate | diff | run | import`: the policy lab.

Populations are columnar files (docs/policy-lab.md); a diff decides a whole
population under two versions of the rules in bulk. Long runs print progress
on stderr; outputs are written to a temporary file and renamed, so Ctrl-C or
SIGTERM leaves none half-written; bad input exits 2 with one clear line.
"""

from __future__ import annotations

import argparse
import signal
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path
from types import FrameType
from typing import Any

import polars as pl

from api.cli.check import parse_date
from api.cli.errors import EXIT_OK, CommandError
from engine.sourcefiles import InputError

EXIT_FAILED = 1


def register(commands: Any) -> None:
    parser = commands.add_parser("scenarios", help="populations, ruleset diffs, scenario suites")
    actions = parser.add_subparsers(dest="action", required=True, metavar="ACTION")

    generate = actions.add_parser("generate", help="a synthetic population")
    generate.add_argument("count", type=_count, help="how many people")
    generate.add_argument("--seed", type=int, default=0)
    generate.add_argument("--jurisdiction", choices=("england", "us"), required=True)
    generate.add_argument("--out", type=Path, required=True, help="FILE.parquet or FILE.csv")
    generate.add_argument("--as-of", type=parse_date, default=date(2026, 1, 1))
    generate.add_argument(
        "--progress", action="store_true", help="progress on stderr even if piped"
    )
    generate.set_defaults(handler=run_generate)

    diff = actions.add_parser("diff", help="two versions of the rules over one population")
    diff.add_argument("--base", required=True, help="a rulesets folder, or git:REV")
    diff.add_argument("--candidate", required=True, help="a rulesets folder, or git:REV")
    people = diff.add_mutually_exclusive_group(required=True)
    people.add_argument("--population", type=Path, help="a population file (.parquet, .csv)")
    people.add_argument("--generate", type=_count, metavar="N", help="N generated people")
    diff.add_argument("--seed", type=int, default=0, help="with --generate")
    diff.add_argument(
        "--jurisdiction",
        choices=("england", "us", "both"),
        default="both",
        help="with --generate: whose people (both: half each)",
    )
    diff.add_argument("--as-of", type=parse_date, default=None, help="decide as on DATE")
    diff.add_argument("--report", type=Path, help="write a self-contained HTML report")
    diff.add_argument("--csv", type=Path, metavar="DIR", help="write the tables and ids as CSV")
    diff.add_argument("--scheduler", help="a Dask scheduler address (tcp://host:8786)")
    diff.add_argument("--chunk-size", type=_count, default=None, help="people per chunk")
    diff.add_argument("--progress", action="store_true", help="progress on stderr even if piped")
    diff.set_defaults(handler=run_diff)

    suites = actions.add_parser("run", help="run scenario suites (YAML)")
    suites.add_argument("suites", type=Path, nargs="*", help="suite files or folders")
    suites.add_argument("--rulesets", type=Path, default=None, help="a rulesets folder")
    suites.add_argument("--junit", type=Path, help="write a JUnit XML report")
    suites.add_argument(
        "--coverage", action="store_true", help="list criteria the suites leave unexercised"
    )
    suites.set_defaults(handler=run_suites)

    importer = actions.add_parser("import", help="a population from CSV, with a column mapping")
    importer.add_argument("file", type=Path, help="FILE.csv")
    importer.add_argument("--mapping", type=Path, required=True, help="MAP.yaml")
    importer.add_argument("--out", type=Path, required=True, help="FILE.parquet")
    importer.add_argument(
        "--progress", action="store_true", help="progress on stderr even if piped"
    )
    importer.set_defaults(handler=run_import)


def _count(text: str) -> int:
    try:
        value = int(text.replace("_", "").replace(",", ""))
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
    if value < 1:
        raise argparse.ArgumentTypeError("must be at least 1")
    return value


@contextmanager
def _interruptible() -> Iterator[None]:
    """SIGTERM as Ctrl-C, so temporary outputs are removed on the way out."""

    def stop(signum: int, frame: FrameType | None) -> None:
        raise KeyboardInterrupt

    previous = signal.signal(signal.SIGTERM, stop)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


def _step(args: argparse.Namespace, text: str) -> None:
    """One line of progress on stderr, for a terminal or when asked for."""
    if args.progress or sys.stderr.isatty():
        print(text, file=sys.stderr, flush=True)


def _bad(error: InputError) -> CommandError:
    return CommandError(str(error))


def run_generate(args: argparse.Namespace) -> int:
    from scenarios.population_files import write_population
    from scenarios.synthetic import generate

    if args.out.suffix not in (".parquet", ".csv"):
        raise CommandError(f"{args.out}: the file name must end in .parquet or .csv")
    with _interruptible():
        try:
            _step(args, f"generating {args.count:,} people ({args.jurisdiction}) ...")
            frame = generate(args.count, args.seed, args.jurisdiction, args.as_of)
            _step(args, f"writing {args.out} ...")
            write_population(frame, args.out)
        except InputError as error:
            raise _bad(error) from None
    print(f"{args.out}: {frame.height:,} people ({args.jurisdiction}, seed {args.seed})")
    return EXIT_OK


def _population(args: argparse.Namespace, as_of: date) -> pl.DataFrame:
    from scenarios.population_files import read_population
    from scenarios.synthetic import generate

    if args.population is not None:
        return read_population(args.population)
    if args.jurisdiction != "both":
        return generate(args.generate, args.seed, args.jurisdiction, as_of)
    half = args.generate // 2
    parts = [generate(args.generate - half, args.seed, "england", as_of)]
    if half:
        parts.append(generate(half, args.seed, "us", as_of))
    return pl.concat(parts)


def run_diff(args: argparse.Namespace) -> int:
    from engine.bulk import BulkError
    from scenarios.diff import diff_population
    from scenarios.executor import DEFAULT_CHUNK, DaskExecutor, LocalExecutor, Progress, chunks
    from scenarios.refs import load_version
    from scenarios.render import print_diff, write_csv

    as_of = args.as_of or date.today()
    with _interruptible():
        try:
            base = load_version(args.base)
            candidate = load_version(args.candidate)
            population = _population(args, as_of)
        except InputError as error:
            raise _bad(error) from None
        executor: Any
        if args.scheduler:
            try:
                executor = DaskExecutor(args.scheduler)
            except ConnectionError as error:
                raise CommandError(str(error)) from None
            size = args.chunk_size or 250_000
        else:
            executor, size = LocalExecutor(), args.chunk_size or DEFAULT_CHUNK
        _step(args, f"deciding {population.height:,} people under both versions ...")
        parts = chunks(population, size)
        progress = Progress("diff", len(parts), args.progress or sys.stderr.isatty())
        try:
            result = diff_population(base, candidate, parts, as_of, executor, progress)
        except InputError as error:
            raise _bad(error) from None
        except BulkError as error:
            raise CommandError(f"cannot run in bulk: {error}") from None
        finally:
            if args.scheduler:
                executor.close()
        print_diff(result)
        if args.csv:
            write_csv(result, args.csv)
        if args.report:
            from scenarios.report import write_report

            write_report(result, args.report, args.csv)
    return EXIT_OK


def run_suites(args: argparse.Namespace) -> int:
    from scenarios.suites import run_suites as run

    with _interruptible():
        try:
            passed = run(args.suites, args.rulesets, args.junit, args.coverage)
        except InputError as error:
            raise _bad(error) from None
    return EXIT_OK if passed else EXIT_FAILED


def run_import(args: argparse.Namespace) -> int:
    from scenarios.importer import import_csv

    with _interruptible():
        try:
            _step(args, f"reading {args.file} and writing {args.out} ...")
            kept, problems = import_csv(args.file, args.mapping, args.out)
        except InputError as error:
            raise _bad(error) from None
    for problem in problems:
        print(problem, file=sys.stderr)
    print(f"{args.out}: {kept:,} people kept, {len(problems):,} problems in rows left out")
    return EXIT_OK
