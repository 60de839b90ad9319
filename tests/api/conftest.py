"""A real database for every storage test: a SQLite file, and a PostgreSQL server
that the suite starts itself (pytest-postgresql, Debian's packages; see
tests/api/pg_ctl_as_postgres for running it as root)."""

from __future__ import annotations

import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import psycopg
import pytest
from fastapi.testclient import TestClient
from pytest_postgresql import factories

from api.app import create_app
from api.settings import Settings
from api.storage import accounts
from api.storage.accounts import Role
from api.storage.database import Database

PG_CTL = Path(__file__).with_name("pg_ctl_as_postgres")

postgresql_proc = factories.postgresql_proc(executable=str(PG_CTL), port=None)
postgresql = factories.postgresql("postgresql_proc")


def postgres_url(connection: Any) -> str:
    info = connection.info
    return f"postgresql+psycopg://{info.user}@{info.host}:{info.port}/{info.dbname}"


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """An empty database of each kind; nothing is migrated yet."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'justenough.db'}"
    else:
        yield postgres_url(request.getfixturevalue("postgresql"))


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def service_url(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[str]:
    """An empty database of each kind shared by one test module's server."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path_factory.mktemp('service') / 'justenough.db'}"
        return
    proc = request.getfixturevalue("postgresql_proc")
    name = f"service_{uuid.uuid4().hex[:12]}"
    admin = {"host": proc.host, "port": proc.port, "user": proc.user, "dbname": "postgres"}
    with psycopg.connect(**admin, autocommit=True) as connection:
        connection.execute(f'CREATE DATABASE "{name}"')
    yield f"postgresql+psycopg://{proc.user}@{proc.host}:{proc.port}/{name}"
    with psycopg.connect(**admin, autocommit=True) as connection:
        connection.execute(f'DROP DATABASE "{name}" WITH (FORCE)')


@dataclass
class Service:
    """A running app (in-process ASGI client) and a token per role."""

    client: TestClient
    tokens: dict[str, str]

    def headers(self, role: str) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.tokens[role]}"}

    def call(self, method: str, path: str, role: str, **kwargs: Any) -> Any:
        return self.client.request(method, path, headers=self.headers(role), **kwargs)

    def job_done(self, status_url: str) -> dict[str, Any]:
        """A job's view once it is done or failed, polled as the rota worker."""
        for _ in range(600):
            job: dict[str, Any] = self.call("GET", status_url, "rota").json()
            if job["status"] in ("done", "failed"):
                return job
            time.sleep(0.1)
        raise AssertionError("the roster job did not finish")


@pytest.fixture(scope="module")
def service(service_url: str) -> Iterator[Service]:
    settings = Settings(
        database_url=service_url, engine_workers=1, max_request_bytes=200_000, max_solver_seconds=20
    )
    with TestClient(create_app(settings)) as client:
        db: Database = client.app.state.db  # type: ignore[attr-defined]
        with db.write() as session:
            tokens = {
                role.value: accounts.add_user(session, f"t-{role.value}", role) for role in Role
            }
        yield Service(client, tokens)
