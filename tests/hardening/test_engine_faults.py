"""Concurrency and engine faults: no thread of durable-rules' own touches a case, and a
case the engine failed on is tried once more in a fresh worker (issue 8)."""

from __future__ import annotations

import os
import signal
import threading
import time

from engine.decision_model import Decision
from engine.durable_runner import DurableRunner
from engine.screening import Screener
from engine.worker_pool import CaseError, WorkerPool
from tests.engine.test_worker_pool import ADA, AS_OF, hanging


def test_the_rules_engine_host_starts_no_thread_of_its_own(screener: Screener) -> None:
    """durable-rules' Host starts two timer threads that run any session's pending
    actions: the cause of error 307 under load (docs/durable-rules-notes.md)."""
    plan = screener.plan(screener.applicable(ADA), AS_OF)
    before = set(threading.enumerate())
    runner = DurableRunner()
    runner.run(plan.durable, [{"t": "in", "g": "g0", "k": "c0"}])
    time.sleep(0.3)  # the timers first fire after 0.1 s
    assert set(threading.enumerate()) - before == set()


def test_a_case_whose_worker_died_is_decided_in_a_fresh_worker() -> None:
    with WorkerPool(workers=1, deadline=20) as pool:
        screener = Screener.from_paths(pool=pool)
        (victim,) = pool.pids()
        os.kill(victim, signal.SIGKILL)  # as a segfault would end it, before the case
        time.sleep(0.5)
        decision = screener.check(ADA, AS_OF)
        assert isinstance(decision, Decision)
        assert decision.programmes[0].outcome == "needs_information"
        assert victim not in pool.pids()


def test_a_case_that_fails_again_in_a_fresh_worker_says_both_failures() -> None:
    with WorkerPool(workers=1, deadline=2) as pool:
        screener = Screener.from_paths(pool=pool)
        plan = screener.plan(screener.applicable(ADA), AS_OF)
        (answer,) = pool.decide_many(hanging(plan), [ADA])
        assert isinstance(answer, CaseError)
        assert str(answer) == (
            "the rules engine failed on this case twice, the same way (so not a passing "
            "fault): first: no answer within 2 s; the rules engine was stopped; then, in a "
            "fresh worker process: no answer within 2 s; the rules engine was stopped"
        )
        assert screener.check(ADA, AS_OF).programmes[0].outcome == "needs_information"
