"""`justenough serve`: the HTTP API on 127.0.0.1:8000, with a SQLite file by default."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

import uvicorn

from api.app import create_app
from api.cli.check import positive_int
from api.cli.errors import EXIT_OK, CommandError, open_database
from api.settings import Settings
from api.storage.database import DEFAULT_URL
from engine.screening import Screener
from engine.sourcefiles import InputError


def register(commands: Any) -> None:
    parser = commands.add_parser("serve", help="run the HTTP API (docs at /docs)")
    parser.add_argument(
        "--database", default=DEFAULT_URL, help="database URL or SQLite file (%(default)s)"
    )
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8000)
    parser.add_argument(
        "--rulesets", type=Path, action="append", help="ruleset folder (repeatable)"
    )
    parser.add_argument("--engine-workers", type=positive_int, default=Settings.engine_workers)
    parser.add_argument("--max-solver-seconds", type=float, default=Settings.max_solver_seconds)
    parser.add_argument(
        "--demo",
        action="store_true",
        help="add demo cases (if none) and print a fresh demo token for each role",
    )
    parser.set_defaults(handler=run)


def _preflight(settings: Settings) -> None:
    """What would stop the server starting (the database, the rulesets), said as one
    message with exit 2 before it starts, not as a start-up traceback."""
    try:
        Screener.from_paths(settings.rulesets)
    except InputError as error:
        raise CommandError(str(error)) from None
    open_database(settings.database_url, upgrade=settings.migrate).close()


def run(args: argparse.Namespace) -> int:
    if args.max_solver_seconds <= 0:
        raise CommandError("--max-solver-seconds: must be more than 0 seconds")
    settings = Settings(
        database_url=args.database,
        rulesets=tuple(args.rulesets) if args.rulesets else None,
        engine_workers=args.engine_workers,
        max_solver_seconds=args.max_solver_seconds,
    )
    _preflight(settings)
    address = f"http://{args.host}:{args.port}"
    if args.demo:
        from api.demo import prepare

        try:
            tokens = prepare(settings)
        except InputError as error:
            raise CommandError(str(error)) from None
        print("Demo tokens (Authorization: Bearer TOKEN), new each start:")
        for role, token in tokens.items():
            print(f"  {role:<7} {token}")
    print(f"justenough serving on {address} (database {args.database})")
    print(f"API docs: {address}/docs")
    print(f"Web pages: {address}/ (sign in with a user's name and token, e.g. demo-intake)")
    uvicorn.run(create_app(settings), host=args.host, port=args.port, log_level="warning")
    return EXIT_OK
