"""Schemathesis against /openapi.json of a running server: no request it makes up,
with a valid admin token or none, gets a 5xx. Bounded: a fixed number of examples
per operation, and roster solves capped at one second."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis import GenerationMode

from tests.api.live import LiveServer, add_users

EXAMPLES_PER_OPERATION = 8


@pytest.fixture(scope="module")
def live(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[LiveServer, dict[str, str]]]:
    database = f"sqlite:///{Path(tmp_path_factory.mktemp('schema')) / 'schema.db'}"
    tokens = add_users(database)
    server = LiveServer(database, ("--max-solver-seconds", "1", "--engine-workers", "1")).start()
    try:
        yield server, tokens
    finally:
        server.stop()


@pytest.mark.parametrize("mode", [GenerationMode.POSITIVE, GenerationMode.NEGATIVE])
def test_no_request_gets_a_server_error(
    live: tuple[LiveServer, dict[str, str]], mode: GenerationMode
) -> None:
    server, tokens = live
    schema = schemathesis.openapi.from_url(f"{server.url}/openapi.json")
    headers = {"Authorization": f"Bearer {tokens['admin']}"}
    failures: list[str] = []
    answered: set[int] = set()
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) >= 20

    for operation in operations:

        @settings(
            max_examples=EXAMPLES_PER_OPERATION,
            deadline=None,
            suppress_health_check=list(HealthCheck),
            derandomize=True,
            database=None,
        )
        @given(operation.as_strategy(generation_mode=mode))
        def call(case: schemathesis.Case) -> None:
            response = case.call(headers=headers, timeout=60)
            answered.add(response.status_code)
            if response.status_code >= 500:
                failures.append(f"{case.method} {case.formatted_path}: {response.text[:300]}")

        call()
    assert failures == []
    assert any(200 <= status < 300 for status in answered)  # the token let it in
