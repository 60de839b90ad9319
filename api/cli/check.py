"""`justenough check INTAKE`: screen intakes against every programme that applies."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from datetime import date
from pathlib import Path
from typing import Any

from api.cli.errors import EXIT_BAD_INPUT, EXIT_OK, CommandError
from api.cli.terminal import print_decision, progress
from engine.decision_model import Decision
from engine.intake import Intake
from engine.intake_files import is_many, iter_intakes, read_intake
from engine.screening import Screener
from engine.sourcefiles import InputError, count_json_lines
from engine.worker_pool import CaseError, WorkerPool

EXIT_ENGINE_FAILED = 3
CHUNK = 256  # lines read ahead
BATCH = 32  # cases sent to a worker at once


def register(commands: Any) -> None:
    parser = commands.add_parser("check", help="screen an intake against every programme")
    parser.add_argument("intake", type=Path, help="intake file: YAML, JSON, or JSON Lines (.jsonl)")
    parser.add_argument(
        "--rulesets", type=Path, action="append", help="ruleset folder (repeatable)"
    )
    parser.add_argument(
        "--as-of", type=parse_date, default=None, help="decide as on DATE (YYYY-MM-DD)"
    )
    parser.add_argument("--json", action="store_true", help="print the Decision JSON")
    parser.add_argument(
        "--workers", type=positive_int, default=None, help="rules-engine processes (1 or more)"
    )
    parser.set_defaults(handler=run)


def parse_date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a date (YYYY-MM-DD)") from None


def positive_int(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        value = 0
    if value < 1:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number of 1 or more")
    return value


def load_screener(folders: list[Path] | None, pool: WorkerPool | None) -> Screener:
    try:
        return Screener.from_paths(folders, pool=pool)
    except InputError as error:
        raise CommandError(f"the rulesets have errors:\n{error}") from None


def run(args: argparse.Namespace) -> int:
    as_of = args.as_of or date.today()
    if not args.intake.exists():
        raise CommandError(f"{args.intake}: no such file")
    many = is_many(args.intake)
    intake = None
    if not many:  # a bad intake is refused before any worker starts
        try:
            intake = read_intake(args.intake)
        except InputError as error:
            raise CommandError(str(error)) from None
    with WorkerPool(workers=args.workers or (None if many else 1)) as pool:
        screener = load_screener(args.rulesets, pool)
        if intake is None:
            return _check_many(screener, args.intake, as_of)
        try:
            _warn_jurisdiction(screener, intake, args.intake)
            decision = screener.check(intake, as_of)
        except InputError as error:
            raise CommandError(str(error)) from None
        except CaseError as error:
            raise CommandError(f"{args.intake}: {error}", EXIT_ENGINE_FAILED) from None
    if args.json:
        print(json.dumps(decision.model_dump(mode="json"), indent=2))
    else:
        print_decision(decision, intake)
    return EXIT_OK


def _warn_jurisdiction(screener: Screener, intake: Intake, where: Path | str) -> None:
    residence = intake.person.lives_in
    lives = residence.country.value + (f"/{residence.region}" if residence.region else "")
    for ruleset in screener.outside_jurisdiction(intake):
        serves = ruleset.country + (f"/{ruleset.region}" if ruleset.region else "")
        print(
            f"justenough: warning: {where}: the person lives in {lives}, "
            f"but ruleset {ruleset.id} serves {serves}",
            file=sys.stderr,
        )
    if screener.by_jurisdiction and not screener.applicable(intake):
        print(
            f"justenough: warning: {where}: no ruleset loaded serves {lives}, "
            "where the person lives: no programme was screened",
            file=sys.stderr,
        )


def _check_many(screener: Screener, path: Path, as_of: date) -> int:
    """One JSON decision per line, in input order; a bad line is reported and skipped."""
    bad_input = engine_failed = 0
    total = count_json_lines(path)
    assert screener.pool is not None
    with ThreadPoolExecutor(max_workers=screener.pool.size) as threads, progress(total) as advance:
        for chunk in _chunks(iter_intakes(path), CHUNK):
            batches = _chunks(iter(chunk), BATCH)
            futures = [threads.submit(_decide_batch, screener, batch, as_of) for batch in batches]
            for future in futures:
                for record in future.result():
                    if "error" in record:
                        kind = record.pop("error_kind")
                        bad_input += kind == "input"
                        engine_failed += kind == "engine"
                        print(_located(path, record["line"], record["error"]), file=sys.stderr)
                    print(json.dumps(record))
                    advance()
    if bad_input:
        return EXIT_BAD_INPUT
    return EXIT_ENGINE_FAILED if engine_failed else EXIT_OK


def _located(path: Path, line: int, message: str) -> str:
    """The message with the intake's file and line in front, once."""
    where = f"{path}:{line}: "
    return message if message.startswith(where) else where + message


def _decide_batch(
    screener: Screener, batch: list[tuple[int, Intake | InputError]], as_of: date
) -> list[dict[str, Any]]:
    """Records for a batch of lines: a decision, or an error of kind "input" or "engine"."""
    intakes = [(line, item) for line, item in batch if isinstance(item, Intake)]
    for line, intake in intakes:
        _warn_jurisdiction(screener, intake, f"line {line}")
    answers: list[Decision | CaseError | InputError]
    try:
        answers = list(screener.check_many([item for _, item in intakes], as_of))
    except InputError as error:  # e.g. a date before a parameter's first value
        answers = [error] * len(intakes)
    decided = {line: answer for (line, _), answer in zip(intakes, answers, strict=True)}
    records = []
    for line, item in batch:
        answer = item if isinstance(item, InputError) else decided[line]
        head: dict[str, Any] = {"line": line, "id": getattr(item, "id", None)}
        if isinstance(answer, InputError):
            records.append({**head, "error": str(answer), "error_kind": "input"})
        elif isinstance(answer, CaseError):
            records.append({**head, "error": str(answer), "error_kind": "engine"})
        else:
            records.append({**head, **answer.model_dump(mode="json")})
    return records


def _chunks(items: Iterator[Any], size: int) -> Iterator[list[Any]]:
    chunk = []
    for item in items:
        chunk.append(item)
        if len(chunk) == size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk
