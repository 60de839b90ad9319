"""`justenough users add` prints a token once and keeps only its hash."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from sqlalchemy import select

from api.storage import accounts
from api.storage.database import Database
from api.storage.tables import User

ROOT = Path(__file__).resolve().parents[2]


def justenough(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "api.cli.main", *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_users_add_prints_a_token_once_and_stores_its_hash(tmp_path: Path) -> None:
    database = str(tmp_path / "users.db")
    made = justenough("users", "add", "sam", "--role", "budget", "--database", database)
    assert made.returncode == 0, made.stderr
    token = made.stdout.splitlines()[0].split()[-1]
    db = Database.open(database)
    try:
        with db.read() as session:
            (user,) = session.scalars(select(User))
            assert user.role == "budget"
            assert user.token_hash == accounts.token_hash(token)
            assert token not in user.token_hash
            assert accounts.user_by_token(session, token) is not None
    finally:
        db.close()
    again = justenough("users", "add", "sam", "--role", "rota", "--database", database)
    assert again.returncode == 2 and "already exists" in again.stderr
    wrong = justenough("users", "add", "kim", "--role", "boss", "--database", database)
    assert wrong.returncode == 2
    listed = justenough("users", "list", "--database", database)
    assert "sam\tbudget" in listed.stdout and token not in listed.stdout
