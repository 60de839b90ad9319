"""The `justenough` command line: one sub-command module per command group."""

from __future__ import annotations

import argparse
import importlib
import os
import sys
import time
from collections.abc import Sequence
from importlib import metadata

from api.cli.errors import CommandError

# Each command's module, imported only when that command runs (or for --help):
# `check` need not load the roster solver, nor its worker processes either.
COMMAND_MODULES = {
    "check": "api.cli.check",
    "rulesets": "api.cli.ruleset_commands",
    "roster": "api.cli.roster",
    "allocate": "api.cli.allocate",
    "serve": "api.cli.serve",
    "users": "api.cli.users",
    "scenarios": "api.cli.scenarios",
    "plans": "api.cli.plans",
    "intake": "api.cli.intake_commands",
}


def _version() -> str:
    try:
        return metadata.version("justenough")
    except metadata.PackageNotFoundError:  # run from a checkout that was never installed
        return "unknown"


def build_parser(argv: Sequence[str] = ()) -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="justenough",
        description="Eligibility, indicative budgets and support rosters for social care.",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {_version()}")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    wanted = [argv[0]] if argv and argv[0] in COMMAND_MODULES else list(COMMAND_MODULES)
    for name in wanted:
        importlib.import_module(COMMAND_MODULES[name]).register(commands)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    started = time.monotonic()  # before the command's imports: a time limit counts from here
    arguments = list(sys.argv[1:] if argv is None else argv)
    args = build_parser(arguments).parse_args(arguments)
    args.started = started
    try:
        code: int = args.handler(args)
    except CommandError as error:
        print(f"justenough: {error}", file=sys.stderr)
        return error.exit_code
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:  # the reader went away (`| head`): not a failure of ours
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0
    return code


if __name__ == "__main__":
    sys.exit(main())
