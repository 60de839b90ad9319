"""The support plan through the API: create, revise and render a plan with 10 goals.

In process (FastAPI's TestClient, real HTTP semantics, no network), on a SQLite
file, or on PLAN_BENCH_DATABASE (e.g. a PostgreSQL URL). Ada's case goes from
intake to an agreed budget and a week first (not timed); then each figure is
the median and the slowest of PLAN_BENCH_RUNS (10) requests: creating a plan
(version 1 of a fresh case), revising it (the next version, with what
changed), rendering it as HTML and as PDF. The documents' sizes are printed.
"""

from __future__ import annotations

import os
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from fastapi.testclient import TestClient

from api.app import create_app
from api.settings import Settings
from api.storage import accounts
from api.storage.accounts import Role
from api.storage.database import Database
from tests.api.journey import AS_OF, ada, ada_budget_ask, small_week
from tests.plans.bodies import ada_plan, later, objective

GOALS = 10
NEEDS = [
    "outcome.nutrition",
    "outcome.personal_hygiene",
    "outcome.home_safety",
    "outcome.relationships",
    "outcome.community_facilities",
]


def ten_goals() -> dict[str, Any]:
    plan = ada_plan()
    plan["goals"] = [
        {
            "id": f"goal{i}",
            "own_words": f"Goal {i} in Ada's words: something she wants to do again",
            "worker_summary": f"Summary of goal {i}",
            "needs": [NEEDS[i % len(NEEDS)]],
            "objectives": [
                objective(f"first{i}", f"times a week for goal {i}", 0, 3),
                objective(f"second{i}", f"hours a week for goal {i}", 1, 4),
            ],
            "strategies": ["One step at a time", "Support from Ruth"],
            "person_will": ["Try it every week"],
        }
        for i in range(GOALS)
    ]
    plan["blocks"] = [
        {"person": "ada", "activity": "washing and breakfast", "goal": "goal1"},
        {"person": "ada", "activity": "tea", "goal": "goal0"},
    ]
    plan["budget_lines"] = [{**line, "goal": "goal1"} for line in plan["budget_lines"]]
    return plan


def _timed(runs: int, call: Callable[[], Any]) -> tuple[list[float], Any]:
    seconds, answer = [], None
    for _ in range(runs):
        start = time.perf_counter()
        answer = call()
        seconds.append(time.perf_counter() - start)
    return seconds, answer


def _report(name: str, seconds: list[float]) -> None:
    print(
        f"{name:<22} median {statistics.median(seconds) * 1000:7.1f} ms   "
        f"slowest {max(seconds) * 1000:7.1f} ms   ({len(seconds)} requests)"
    )


def _case(client: TestClient, auth: Callable[[str], dict[str, str]]) -> str:
    def post(path: str, role: str, body: Any) -> Any:
        answer = client.post(path, headers=auth(role), json=body)
        assert answer.status_code in (201, 202), answer.text
        return answer.json()

    url = "/v1/cases/" + post("/v1/cases", "intake", {"intake": ada()})["id"]
    post(f"{url}/decisions", "intake", {"as_of": AS_OF})
    post(f"{url}/decisions/1/determination", "intake", {"action": "confirm"})
    post(f"{url}/allocations", "budget", ada_budget_ask())
    post(f"{url}/allocations/1/determination", "budget", {"action": "confirm", "method": "costing"})
    job = post(f"{url}/rosters", "rota", {"week": small_week(), "time_limit": 5})
    while client.get(job["status_url"], headers=auth("rota")).json()["status"] not in (
        "done",
        "failed",
    ):
        time.sleep(0.05)
    return url


def main() -> None:
    runs = int(os.environ.get("PLAN_BENCH_RUNS", "10"))
    with tempfile.TemporaryDirectory(prefix="plan-bench-") as folder:
        url = os.environ.get("PLAN_BENCH_DATABASE") or f"sqlite:///{Path(folder) / 'bench.db'}"
        settings = Settings(database_url=url, engine_workers=1)
        with TestClient(create_app(settings)) as client:
            db: Database = client.app.state.db  # type: ignore[attr-defined]
            dialect = db.dialect
            with db.write() as session:
                tokens = {r.value: accounts.add_user(session, f"bench-{r.value}", r) for r in Role}

            def auth(role: str) -> dict[str, str]:
                return {"Authorization": f"Bearer {tokens[role]}"}

            plan = ten_goals()
            cases = [_case(client, auth) for _ in range(runs)]
            made: list[float] = []
            for case in cases:
                seconds, answer = _timed(
                    1,
                    lambda c=case: client.post(
                        f"{c}/plans", headers=auth("intake"), json={"plan": plan}
                    ),
                )
                assert answer.status_code == 201, answer.text
                made += seconds
            case = cases[0]
            step = iter(range(1, runs + 1))

            def revise() -> Any:
                n = next(step)
                plan["review_on"] = later(120 + n)
                plan["goals"][n % GOALS]["objectives"][0]["target"] = 3 + n
                answer = client.post(
                    f"{case}/plans",
                    headers=auth("intake"),
                    json={"plan": plan, "reason": f"revision {n}"},
                )
                assert answer.status_code == 201, answer.text
                return answer

            revised, _ = _timed(runs, revise)
            version = runs + 1
            html_s, html = _timed(
                runs, lambda: client.get(f"{case}/plans/{version}/document", headers=auth("rota"))
            )
            pdf_s, pdf = _timed(
                runs,
                lambda: client.get(f"{case}/plans/{version}/document.pdf", headers=auth("rota")),
            )
            assert html.status_code == 200 and pdf.status_code == 200
    print(f"database: {dialect}; a plan of {GOALS} goals, 2 objectives each")
    _report("create (version 1)", made)
    _report("revise (next version)", revised)
    _report("render HTML", html_s)
    _report("render PDF", pdf_s)
    print(f"document size: HTML {len(html.content):,} bytes; PDF {len(pdf.content):,} bytes")


if __name__ == "__main__":
    main()
