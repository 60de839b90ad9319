"""A small pool of worker processes, so that durable-rules' crashes and hangs
cost one case, never the command line or the server.

Each worker owns a durable-rules host. A case that does not answer within its
deadline, whose worker dies (the C code can segfault), or that durable-rules
fails on (an engine error, the backends disagreeing) is tried once more in a
fresh worker; if it fails again it is reported as an error for that case,
saying both failures, and the other cases go on. The pool is safe to share
between threads: a thread borrows an idle worker.
"""

from __future__ import annotations

import multiprocessing
import os
import queue
import threading
from collections.abc import Sequence
from dataclasses import dataclass, field
from multiprocessing.connection import Connection
from typing import Any

from engine.decision_model import Decision
from engine.decisions import CasePlan, decide
from engine.durable_runner import EngineError, process_runner
from engine.intake import Intake

DEFAULT_DEADLINE_SECONDS = 30.0
STARTUP_SECONDS = 120.0  # a spawned worker importing its modules on a busy machine


class CaseError(RuntimeError):
    """One case could not be decided; the others are unaffected."""


def plan_id(plan: CasePlan) -> str:
    hashes = "+".join(r.hash for r in plan.rulesets)
    return f"{plan.durable.name}:{plan.as_of.isoformat()}:{hashes}"


def _serve(conn: Connection) -> None:
    """A worker's loop: keep plans, decide cases, answer each message once."""
    plans: dict[str, CasePlan] = {}
    runner = process_runner()
    try:
        conn.send(("ready", None))  # imports done: a case's deadline starts after this
    except OSError:  # the pool closed while this worker was starting
        return
    while True:
        try:
            message = conn.recv()
        except (EOFError, OSError):  # the pool closed
            return
        kind, key, payload = message
        if kind == "plan":
            plans[key] = payload
        else:
            conn.send(("ok", [_decide_one(plans[key], intake, runner) for intake in payload]))


def _decide_one(plan: CasePlan, intake: Intake, runner: Any) -> tuple[str, Any]:
    """("ok", decision); ("engine", why) when durable-rules failed, which a fresh
    worker may not repeat; ("error", why) for any other fault, which it would."""
    try:
        return ("ok", decide(plan, intake, runner))
    except EngineError as error:
        return ("engine", str(error))
    except Exception as error:  # a fault in one case must not end the worker
        return ("error", f"{type(error).__name__}: {error}")


@dataclass
class _Worker:
    process: Any
    conn: Connection
    plans: set[str] = field(default_factory=set)
    ready: bool = False


class WorkerPool:
    def __init__(
        self, workers: int | None = None, deadline: float = DEFAULT_DEADLINE_SECONDS
    ) -> None:
        if workers is not None and workers < 1:
            raise ValueError(f"a pool needs at least one worker, not {workers}")
        self.size = workers or max(1, min(4, os.cpu_count() or 1))
        self.deadline = deadline
        self._context = multiprocessing.get_context("spawn")
        self._idle: queue.Queue[_Worker] = queue.Queue()
        self._all: list[_Worker] = []
        self._lock = threading.Lock()
        self._closed = False
        for _ in range(self.size):
            self._idle.put(self._start())

    def _start(self) -> _Worker:
        parent, child = self._context.Pipe()
        process = self._context.Process(target=_serve, args=(child,), daemon=True)
        process.start()
        child.close()
        worker = _Worker(process, parent)
        with self._lock:
            self._all.append(worker)
        return worker

    def _replace(self, worker: _Worker) -> _Worker:
        worker.process.kill()
        worker.process.join(timeout=5)
        worker.conn.close()
        with self._lock:
            self._all.remove(worker)
        return self._start()

    def decide(self, plan: CasePlan, intake: Intake) -> Decision:
        (answer,) = self.decide_many(plan, [intake])
        if isinstance(answer, CaseError):
            raise answer
        return answer

    def decide_many(self, plan: CasePlan, intakes: Sequence[Intake]) -> list[Decision | CaseError]:
        """Cases in one round trip to one worker. If the worker dies or overruns on the
        batch, each case is tried again alone, so only the case at fault fails; a case
        the engine failed on is tried once more in a fresh worker before it fails."""
        if self._closed:
            raise RuntimeError("the worker pool is closed")
        status, payload = self._round_trip(plan, intakes, fresh=False)
        if status != "ok":
            if len(intakes) == 1:
                return [self._again(plan, intakes[0], payload)]
            return [one for intake in intakes for one in self.decide_many(plan, [intake])]
        answers: list[Decision | CaseError] = []
        for intake, (kind, answer) in zip(intakes, payload, strict=True):
            if kind == "ok":
                answers.append(answer)
            elif kind == "engine":
                answers.append(self._again(plan, intake, answer))
            else:
                answers.append(CaseError(answer))
        return answers

    def _again(self, plan: CasePlan, intake: Intake, first: str) -> Decision | CaseError:
        """The one retry of a case the engine failed on, in a fresh worker process:
        durable-rules' C state is per process, so a fault it left there cannot recur."""
        status, payload = self._round_trip(plan, [intake], fresh=True)
        if status == "ok":
            kind, answer = payload[0]
            if kind == "ok":
                return answer
            second = answer
        else:
            second = payload
        how = "the same way" if second == first else "differently"
        return CaseError(
            f"the rules engine failed on this case twice, {how} (so not a passing "
            f"fault): first: {first}; then, in a fresh worker process: {second}"
        )

    def _round_trip(
        self, plan: CasePlan, intakes: Sequence[Intake], fresh: bool
    ) -> tuple[str, Any]:
        worker = self._idle.get()
        try:
            if fresh:
                worker = self._replace(worker)
            worker, answer = self._ask(worker, plan, intakes)
        finally:
            self._idle.put(worker)
        return answer

    def _ask(
        self, worker: _Worker, plan: CasePlan, intakes: Sequence[Intake]
    ) -> tuple[_Worker, tuple[str, Any]]:
        key = plan_id(plan)
        try:
            if not worker.ready:
                if not worker.conn.poll(STARTUP_SECONDS):
                    reason = f"the rules engine process did not start in {STARTUP_SECONDS:g} s"
                    return self._replace(worker), ("error", reason)
                worker.conn.recv()
                worker.ready = True
            if key not in worker.plans:
                worker.conn.send(("plan", key, plan))
                worker.plans.add(key)
            worker.conn.send(("cases", key, list(intakes)))
            if worker.conn.poll(self.deadline):
                return worker, worker.conn.recv()
            reason = f"no answer within {self.deadline:g} s; the rules engine was stopped"
        except (EOFError, OSError, BrokenPipeError):
            worker.process.join(timeout=5)
            reason = f"the rules engine process died (exit code {worker.process.exitcode})"
        return self._replace(worker), ("error", reason)

    def pids(self) -> list[int]:
        with self._lock:
            return [w.process.pid for w in self._all]

    def close(self) -> None:
        self._closed = True
        with self._lock:
            workers = list(self._all)
        for worker in workers:
            worker.conn.close()
            worker.process.join(timeout=2)
            if worker.process.is_alive():
                worker.process.kill()

    def __enter__(self) -> WorkerPool:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
