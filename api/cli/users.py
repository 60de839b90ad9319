"""`justenough users add NAME --role ROLE` (prints the token once) and `users list`."""

from __future__ import annotations

import argparse
from typing import Any

from sqlalchemy.exc import IntegrityError

from api.cli.errors import EXIT_OK, CommandError, open_database
from api.storage import accounts
from api.storage.accounts import Role
from api.storage.database import DEFAULT_URL


def register(commands: Any) -> None:
    parser = commands.add_parser("users", help="add and list the server's users")
    actions = parser.add_subparsers(dest="action", required=True, metavar="ACTION")
    add = actions.add_parser("add", help="add a user; prints their token once")
    add.add_argument("name")
    add.add_argument("--role", required=True, choices=[r.value for r in Role])
    add.add_argument("--database", default=DEFAULT_URL, help="database URL or SQLite file")
    add.set_defaults(handler=run_add)
    listing = actions.add_parser("list", help="the users and their roles (never tokens)")
    listing.add_argument("--database", default=DEFAULT_URL, help="database URL or SQLite file")
    listing.set_defaults(handler=run_list)


def run_add(args: argparse.Namespace) -> int:
    db = open_database(args.database)
    try:
        with db.write() as session:
            token = accounts.add_user(session, args.name, Role(args.role))
    except IntegrityError:
        raise CommandError(f"a user named {args.name!r} already exists") from None
    finally:
        db.close()
    print(f"{args.name} ({args.role}): {token}")
    print("This token is shown once; only its hash is kept.")
    return EXIT_OK


def run_list(args: argparse.Namespace) -> int:
    db = open_database(args.database)
    try:
        with db.read() as session:
            for user in accounts.users(session):
                print(f"{user.name}\t{user.role}\t{user.created_at:%Y-%m-%d %H:%M}")
    finally:
        db.close()
    return EXIT_OK
