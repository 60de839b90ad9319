"""The `justenough` command line: one sub-command module per command group."""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable, Sequence

from api.cli import allocate, check, roster, rulesets
from api.cli.errors import CommandError

Register = Callable[["argparse._SubParsersAction[argparse.ArgumentParser]"], None]
COMMAND_GROUPS: tuple[Register, ...] = (
    check.register,
    rulesets.register,
    roster.register,
    allocate.register,
)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="justenough",
        description="Eligibility, indicative budgets and support rosters for social care.",
    )
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for register in COMMAND_GROUPS:
        register(commands)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
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
