"""The service's fixtures (tests/api/conftest.py): a real server on SQLite and on a
PostgreSQL server the suite starts itself, a token per role."""

from __future__ import annotations

from tests.api.conftest import (  # noqa: F401 (pytest finds fixtures by name here)
    postgresql,
    postgresql_proc,
    service,
    service_url,
)
