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


def test_serve_refuses_bad_flags_with_one_message_before_it_starts(tmp_path: Path) -> None:
    database = str(tmp_path / "serve.db")
    missing = justenough("serve", "--database", database, "--rulesets", str(tmp_path / "none"))
    assert missing.returncode == 2, missing.stderr
    assert "no such ruleset folder" in missing.stderr and "Traceback" not in missing.stderr
    assert not (tmp_path / "serve.db").exists()  # nothing written for a bad flag
    unreachable = justenough("serve", "--database", "postgresql://nobody@127.0.0.1:1/none")
    assert unreachable.returncode == 2 and unreachable.stderr.startswith("justenough: --database:")
    assert "Traceback" not in unreachable.stderr
    for flag, value in (("--engine-workers", "0"), ("--max-solver-seconds", "0")):
        refused = justenough("serve", "--database", database, flag, value)
        assert refused.returncode == 2 and flag in refused.stderr, refused.stderr


def test_a_database_that_cannot_be_opened_is_one_message(tmp_path: Path) -> None:
    nowhere = str(tmp_path / "no-such-folder" / "users.db")
    for args in (("users", "list"), ("users", "add", "sam", "--role", "rota")):
        refused = justenough(*args, "--database", nowhere)
        assert refused.returncode == 2, refused.stderr
        assert refused.stderr.startswith("justenough: --database:"), refused.stderr
