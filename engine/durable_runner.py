"""The one durable-rules host of a process, and running one case in it.

durable-rules keeps global C state, never releases the GIL and is not
thread-safe, so a process has one host, used by one case at a time. Each case
runs in its own session, deleted afterwards (1024 live sessions is the hard
limit). Actions record a result once, whatever `$or`-like repetition the
rete produces, and assert the `crit`/`prog` facts that chain decisions.
"""

from __future__ import annotations

import copy
import itertools
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from durable import engine as durable_engine

from engine.durable_compiler import CATCH_ALL, Plan


class EngineError(RuntimeError):
    """durable-rules failed on a case: an action raised or a fact was refused."""


@dataclass
class Outcomes:
    """What the rules decided for one case, by compiled key."""

    conditions: dict[str, bool] = field(default_factory=dict)  # "c3" -> met
    programmes: dict[str, bool] = field(default_factory=dict)  # "p1" -> eligible
    results: dict[str, str] = field(default_factory=dict)  # "p1" -> result value


class _Host(durable_engine.Host):
    def __init__(self, dispatch: Callable[[str, Any], None]) -> None:
        self._dispatch = dispatch
        super().__init__()

    def _run(self) -> None:
        """Start no background threads. durable-rules' Host starts two timers that,
        every 0.2 s, take pending actions of any session whose lease has lapsed and
        run them on their own thread: between our assert and its actions they could
        take this case's action, and then finish it after the session was deleted
        (error 307, ERR_NODE_DELETED) or leave an outcome missing (a "disagreement").
        Every action we need runs inside our own assert (docs/durable-rules-notes.md)."""

    def get_action(self, action_name: str) -> Callable[[Any], None]:
        def act(context: Any) -> None:
            self._dispatch(action_name, context)

        return act


class DurableRunner:
    """Runs prepared cases against compiled plans in this process's host."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._host: _Host | None = None
        self._loaded: set[str] = set()
        self._sessions = itertools.count()
        self._current: tuple[Plan, Outcomes] | None = None

    def run(self, plan: Plan, facts: Sequence[dict[str, Any]]) -> Outcomes:
        if not facts:  # no programme applies: no session to open
            return Outcomes()
        with self._lock:
            host = self._ensure(plan)
            sid = f"s{next(self._sessions)}"
            outcomes = Outcomes()
            self._current = (plan, outcomes)
            try:
                for fact in facts:
                    host.assert_fact(plan.name, {**fact, "sid": sid})
                state = host.get_state(plan.name, sid)
            except BaseException as error:
                raise EngineError(f"durable-rules refused the case: {error}") from error
            finally:
                self._current = None
                host.delete_state(plan.name, sid)
            if state and state.get("exception"):
                raise EngineError(f"a rule action failed: {state['exception']}")
            return outcomes

    def _ensure(self, plan: Plan) -> _Host:
        if self._host is None:
            self._host = _Host(self._dispatch)
        if plan.name not in self._loaded:
            # set_rulesets deletes the "run" keys of what it is given: pass a copy.
            self._host.set_rulesets({plan.name: copy.deepcopy(plan.definition)})
            self._loaded.add(plan.name)
        return self._host

    def _dispatch(self, action_name: str, context: Any) -> None:
        if action_name == CATCH_ALL or self._current is None:
            return
        plan, outcomes = self._current
        action = plan.actions[action_name]
        if action.kind == "result":
            outcomes.results.setdefault(action.key, action.value)
            return
        decided = outcomes.conditions if action.kind == "criterion" else outcomes.programmes
        previous = decided.get(action.key)
        if previous is None:
            decided[action.key] = action.value
            kind = "crit" if action.kind == "criterion" else "prog"
            context.assert_fact({"t": kind, "k": action.key, "v": action.value})
        elif previous != action.value:
            raise EngineError(f"{action.key} decided both ways")


_RUNNER: DurableRunner | None = None
_RUNNER_LOCK = threading.Lock()


def process_runner() -> DurableRunner:
    """This process's runner: durable-rules' host is global state, so one per process."""
    global _RUNNER
    with _RUNNER_LOCK:
        if _RUNNER is None:
            _RUNNER = DurableRunner()
        return _RUNNER
