"""Exit codes of the command line (docs/design.md, "Command line"), and opening `--database`."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from api.storage.database import Database

EXIT_OK = 0
EXIT_BAD_INPUT = 2


class CommandError(Exception):
    """A failure the command line reports as one message and an exit code."""

    def __init__(self, message: str, exit_code: int = EXIT_BAD_INPUT) -> None:
        super().__init__(message)
        self.exit_code = exit_code


def open_database(url: str, upgrade: bool = True) -> Database:
    """The database `--database` names, migrated; one message and exit 2 if it cannot be."""
    from sqlalchemy.exc import SQLAlchemyError  # here: every command imports this module

    from api.storage.database import Database

    try:
        return Database.open(url, upgrade=upgrade)
    except SQLAlchemyError as error:
        raise CommandError(f"--database: {getattr(error, 'orig', None) or error}") from None
