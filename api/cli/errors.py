"""Exit codes of the command line (docs/design.md, "Command line")."""

from __future__ import annotations

EXIT_OK = 0
EXIT_BAD_INPUT = 2


class CommandError(Exception):
    """A failure the command line reports as one message and an exit code."""

    def __init__(self, message: str, exit_code: int = EXIT_BAD_INPUT) -> None:
        super().__init__(message)
        self.exit_code = exit_code
