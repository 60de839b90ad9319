"""Containment: a crash or hang inside durable-rules costs one case, never the process.

The hang is durable-rules' own, as measured in durable-rules-notes.md: a node
with 513 children hangs set_rulesets. Its segfault in delete_state depends on
memory layout and did not reproduce inside a worker (docs/durable-rules-notes.md),
so the dying worker is killed by a signal while it is inside the C code.
"""

from __future__ import annotations

import dataclasses
import os
import signal
import threading
from concurrent.futures import ThreadPoolExecutor
from datetime import date

import pytest

from engine.decisions import CasePlan
from engine.intake import Intake
from engine.screening import Screener
from engine.worker_pool import CaseError, WorkerPool
from scenarios.population import generate

AS_OF = date(2026, 1, 1)
ADA = Intake.model_validate(
    {"person": {"lives_in": {"country": "england"}}, "needs": {"arise_from_impairment": True}}
)


def hanging(plan: CasePlan) -> CasePlan:
    """The measured hang: 513 rules with distinct first tests."""
    rules = {f"r{n}": {"all": [{"m": {"v": n}}], "run": "_"} for n in range(513)}
    durable = dataclasses.replace(plan.durable, name="je_hang", definition=rules)
    return dataclasses.replace(plan, durable=durable)


def test_a_worker_that_dies_costs_one_case_and_is_replaced() -> None:
    with WorkerPool(workers=1, deadline=10) as pool:
        screener = Screener.from_paths(pool=pool)
        plan = screener.plan(screener.applicable(ADA), AS_OF)
        (victim,) = pool.pids()
        # Killed while inside durable-rules' C code, as a segfault would end it.
        threading.Timer(1.0, os.kill, (victim, signal.SIGKILL)).start()
        with pytest.raises(CaseError, match=r"process died \(exit code -9\)"):
            pool.decide(hanging(plan), ADA)
        assert pool.pids() != [victim]
        assert screener.check(ADA, AS_OF).programmes[0].outcome == "needs_information"


def test_a_case_that_hangs_is_stopped_at_its_deadline_and_the_next_case_runs() -> None:
    with WorkerPool(workers=1, deadline=3) as pool:
        screener = Screener.from_paths(pool=pool)
        plan = screener.plan(screener.applicable(ADA), AS_OF)
        with pytest.raises(CaseError, match="no answer within 3 s"):
            pool.decide(hanging(plan), ADA)
        assert screener.check(ADA, AS_OF).programmes[0].outcome == "needs_information"


def assert_eight_threads_decide_as_one(screener: Screener, seed: int) -> None:
    people = list(generate(300, seed=seed))
    sequential = [screener.check(person, AS_OF) for person in people]
    with ThreadPoolExecutor(max_workers=8) as threads:
        concurrent = list(threads.map(lambda person: screener.check(person, AS_OF), people))
    assert concurrent == sequential


def test_eight_threads_get_the_same_decisions_as_one(pool: WorkerPool) -> None:
    assert_eight_threads_decide_as_one(Screener.from_paths(pool=pool), seed=8)


def test_in_process_runs_are_thread_safe_too(screener: Screener) -> None:
    assert_eight_threads_decide_as_one(screener, seed=9)


def test_a_batch_of_mixed_jurisdictions_comes_back_in_input_order(pool: WorkerPool) -> None:
    screener = Screener.from_paths(pool=pool)
    people = list(generate(200, seed=10))
    assert {p.person.lives_in.country for p in people} == {"england", "us"}
    one_by_one = [screener.check(person, AS_OF) for person in people]
    assert screener.check_many(people, AS_OF) == one_by_one
