"""The running server under load on loopback, and killed in the middle of writes."""

from __future__ import annotations

import json
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import httpx
import pytest
from sqlalchemy import func, select

from api.storage.database import Database
from api.storage.tables import Case, CaseRecord
from tests.api.journey import AS_OF, EXAMPLES
from tests.api.live import LiveServer, add_users

CLIENTS = 50


def _intakes() -> list[dict[str, Any]]:
    lines = (EXAMPLES / "cases.jsonl").read_text().splitlines()
    return [json.loads(line) for line in lines if line.strip()]


def _all_cases(client: httpx.Client, url: str) -> list[dict[str, Any]]:
    found: list[dict[str, Any]] = []
    while True:
        page = client.get(f"{url}/v1/cases", params={"limit": 500, "offset": len(found)}).json()
        found += page
        if len(page) < 500:
            return found


@pytest.mark.slow
def test_fifty_clients_get_the_sequential_answers_and_every_case_is_stored_once(
    service_url: str,
) -> None:
    tokens = add_users(service_url, "load")
    server = LiveServer(service_url, ("--engine-workers", "2")).start()
    intakes = _intakes()
    try:
        headers = {"Authorization": f"Bearer {tokens['intake']}"}
        with httpx.Client(headers=headers, timeout=120) as client:
            sequential = [
                client.post(
                    f"{server.url}/v1/eligibility", json={"intake": i, "as_of": AS_OF}
                ).json()
                for i in intakes
            ]
        assert all("programmes" in answer for answer in sequential)

        def one_client(n: int) -> tuple[list[Any], list[tuple[int, str]]]:
            answers, statuses = [], []
            with httpx.Client(headers=headers, timeout=120) as client:
                for k in range(3):
                    index = (n + k) % len(intakes)
                    body = {"intake": intakes[index], "as_of": AS_OF}
                    answer = client.post(f"{server.url}/v1/eligibility", json=body)
                    answers.append((index, answer.status_code, answer.json()))
                    made = client.post(
                        f"{server.url}/v1/cases",
                        json={"intake": intakes[index], "person": f"load-{n}-{k}"},
                    )
                    statuses.append((made.status_code, made.text[:300]))
            return answers, statuses

        with ThreadPoolExecutor(CLIENTS) as pool:
            results = list(pool.map(one_client, range(CLIENTS)))
        for answers, statuses in results:
            assert [status for status, _ in statuses] == [201, 201, 201], statuses
            for index, status, answer in answers:
                assert status == 200, answer
                assert answer == sequential[index]
        with httpx.Client(headers=headers, timeout=120) as client:
            people = [c["person"] for c in _all_cases(client, server.url)]
        expected = {f"load-{n}-{k}" for n in range(CLIENTS) for k in range(3)}
        assert sorted(people) == sorted(expected)  # none lost, none doubled
    finally:
        server.stop()


def test_killing_the_server_mid_write_leaves_no_half_written_case(service_url: str) -> None:
    tokens = add_users(service_url, "kill")
    server = LiveServer(service_url, ("--engine-workers", "1")).start()
    headers = {"Authorization": f"Bearer {tokens['intake']}"}
    intake = _intakes()[0]
    answered: list[str] = []
    stop = threading.Event()

    def writer() -> None:
        with httpx.Client(headers=headers, timeout=30) as client:
            while not stop.is_set():
                try:
                    made = client.post(f"{server.url}/v1/cases", json={"intake": intake})
                    if made.status_code == 201:
                        case = made.json()["id"]
                        answered.append(case)
                        client.post(f"{server.url}/v1/cases/{case}/decisions", json={})
                except httpx.HTTPError:
                    return

    threads = [threading.Thread(target=writer) for _ in range(8)]
    for thread in threads:
        thread.start()
    deadline = time.monotonic() + 60
    while len(answered) < 20 and time.monotonic() < deadline:
        time.sleep(0.05)
    server.kill()
    stop.set()
    for thread in threads:
        thread.join(timeout=60)
    assert len(answered) >= 20

    db = Database.open(service_url)
    try:
        with db.read() as session:
            cases = list(session.scalars(select(Case.id)))
            for case_id in cases:
                versions = list(
                    session.scalars(
                        select(CaseRecord.version)
                        .where(CaseRecord.case_id == case_id)
                        .order_by(CaseRecord.version)
                    )
                )
                assert versions[:1] == [1], case_id  # every case has its intake
                assert versions == list(range(1, len(versions) + 1))
            empty = session.scalar(
                select(func.count())
                .select_from(Case)
                .where(~Case.id.in_(select(CaseRecord.case_id)))
            )
        assert empty == 0
        assert set(answered) <= set(cases)  # every case the server confirmed is there
    finally:
        db.close()
    # And the server starts again on the same database and serves them.
    again = LiveServer(service_url).start()
    try:
        with httpx.Client(headers=headers, timeout=60) as client:
            for case_id in answered[:5]:
                assert client.get(f"{again.url}/v1/cases/{case_id}").status_code == 200
    finally:
        again.stop()
