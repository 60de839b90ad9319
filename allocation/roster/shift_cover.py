"""A lower bound on paid hours that knows paid work comes in whole shifts.

The counting floor and the slot model's LP relaxation let a paid worker take
one stray half hour for half an hour; a real roster pays a whole shift of at
least `min_shift` for it. This is a relaxation of the roster model that keeps
what makes that so and drops what makes the model slow, solved by CP-SAT on
its own for the bound it proves (the report names it `shift_cover`):

- cover: each coverable person-slot is covered by `ratio` supporters or not
  at all, and the essential and desirable need left unmet, weighted, is at
  most what those stages reached (so the bound is on paid hours *given* that
  cover); a sleep-in is one variable per supporter for the whole night;
- every supporter: at most `at_once` people at a time, one when any of them
  cannot share (the model's capacity row); busy whenever supporting; within
  their weekly cap;
- paid staff work in shifts of `min_shift`..`max_shift` busy slots (cyclic
  over the week, as in the model): `start[t] >= busy[t] - busy[t-1]`, no
  shift starts where `min_shift` slots in a row cannot be worked,
  `sum(start[t-k] for k < min_shift) <= busy[t]` and
  `busy[t] <= sum(start[t-k] for k < max_shift)`. These are the
  minimum-up-time rows of unit commitment, whose LP for a minimum length alone
  is as strong as choosing shifts from every feasible start and length (the
  set-covering form), with far fewer terms;
- objective: paid busy slots, the paid_hours stage.

Why the bound is valid: take any roster the model allows whose unmet need is
no more than the values given. Set cover, support and busy from it, and
`start[t] = 1` exactly where a paid worker's run of busy slots begins. Every
row holds: cover, capacity and caps are the model's own rows; a run is at
least `min_shift` long (the model's clauses), so two starts fewer than
`min_shift` apart cannot both begin runs and a run begun then is still on at
t; a run is at most `max_shift` long, so a busy slot's run began fewer than
`max_shift` slots back. So the roster is a solution of the relaxation with
the same paid slots, and the relaxation's optimum is at most the roster
model's; CP-SAT's proven bound is at most the relaxation's optimum. What the
relaxation leaves out (the budget, daily rest, consecutive days, asleep or
awake, rest breaks) only removes constraints, which can only lower it. The
bound holds for a roster whose unmet need is no worse than the values it
assumed (`bound_for` checks), since a roster meeting less need may need
fewer paid hours.
"""

from __future__ import annotations

import math
import threading
import time
from collections import defaultdict
from collections.abc import Mapping

from ortools.sat.python import cp_model

from allocation.roster.instance import Instance
from allocation.roster.scope import choices

Var = cp_model.IntVar
# The bound's search stops at this much deterministic time (CP-SAT's
# load-independent measure of work), so that on a busy machine it leaves the
# cores to the roster's search: about four times what proving the shipped
# shared house's relaxation optimal took (0.81).
SHIFT_DETERMINISTIC = 3.0
# Choices (supporter, person, slot; scope.choices) above which the relaxation is not
# built, since its bound would not come in time and its thread would take a
# core from the roster's search: the shipped shared house has 2,346 and its
# bound is proven within the work limit above; the benchmark house (b) has
# about 9,700, and after 40 s (5.1 deterministic seconds) its bound was still
# below the counting floor (539 slots against 640).
SHIFT_MAX_PAIRS = 5_000


def shift_model(instance: Instance, reached: Mapping[str, int]) -> cp_model.CpModel | None:
    """The relaxation as a CP-SAT model (0/1 variables); None when the cover asked is impossible.

    `reached` holds the weighted unmet need the earlier stages reached; a
    stage missing from it is left free (any cover).
    """
    model = cp_model.CpModel()
    rules = instance.rules
    gone = {True: 0, False: 0}  # weight no one can ever cover
    covered: dict[bool, list[tuple[int, Var]]] = {True: [], False: []}
    nights: dict[tuple[int, int], Var] = {}
    at: dict[int, dict[int, list[tuple[bool, Var]]]] = defaultdict(lambda: defaultdict(list))
    for (p, t), k in instance.need_at.items():
        need, helpers = instance.needs[k], instance.eligible[(p, t)]
        if len(helpers) < need.ratio:
            gone[need.essential] += need.weight
            continue
        c = model.new_bool_var("")
        covered[need.essential].append((need.weight, c))
        support = []
        for h in helpers:
            if need.sleep_in:
                if (h, k) not in nights:
                    nights[(h, k)] = model.new_bool_var("")
                var = nights[(h, k)]
            else:
                var = model.new_bool_var("")
            support.append(var)
            if need.ratio > 1:
                model.add(var <= c)
            at[h][t].append((need.shareable, var))
        model.add(sum(support) == need.ratio * c)
    for essential, name in ((True, "essential"), (False, "desirable")):
        if name in reached:
            if reached[name] < gone[essential]:
                return None
            weights = covered[essential]
            least = sum(w for w, _ in weights) - (reached[name] - gone[essential])
            model.add(sum(w * c for w, c in weights) >= least)
    paid_busy: list[Var] = []
    for helper in instance.helpers:
        slots = at.get(helper.index)
        if not slots:
            continue
        busy = {t: model.new_bool_var("") for t in slots}
        for t, pairs in slots.items():
            for shareable, var in pairs:
                if helper.technology or shareable:
                    model.add(var <= busy[t])
            if not helper.technology:
                alone = [v for shareable, v in pairs if not shareable]
                shared = [v for shareable, v in pairs if shareable]
                model.add(rules.at_once * sum(alone) + sum(shared) <= rules.at_once * busy[t])
        if helper.cap is not None and helper.cap < len(busy):
            model.add(sum(busy.values()) <= helper.cap)
        if helper.paid:
            _add_shifts(model, busy, instance.grid.count, rules.min_shift, rules.max_shift)
            paid_busy += busy.values()
    model.minimize(sum(paid_busy))
    return model


def _add_shifts(
    model: cp_model.CpModel,
    busy: dict[int, Var],
    count: int,
    min_shift: int,
    max_shift: int,
) -> None:
    """Shift starts, and the minimum- and maximum-length rows on one paid worker's week."""
    start = {}
    for t, on in busy.items():
        start[t] = model.new_bool_var("")
        if not all((t + k) % count in busy for k in range(min_shift)):
            model.add(start[t] == 0)  # no room for a whole shift from here
        before = busy.get((t - 1) % count)
        model.add(start[t] >= on - (0 if before is None else before))
    for t, on in busy.items():
        recent = [start[s] for k in range(min_shift) if (s := (t - k) % count) in start]
        model.add(sum(recent) <= on)
        since = [start[s] for k in range(max_shift) if (s := (t - k) % count) in start]
        model.add(on <= sum(since))


def worth_building(instance: Instance) -> bool:
    """Whether the week has paid staff and is small enough to build the relaxation for."""
    return choices(instance) <= SHIFT_MAX_PAIRS and any(h.paid for h in instance.helpers)


class ShiftBound:
    """The relaxation solved to a proven bound on its own thread, beside the roster's search.

    One CP-SAT worker at linearization level 2 (its LP with cuts at every
    node): on the shipped shared house it proves the relaxation's optimum in
    about 3 s, where the default search with two workers ended 20 s with a
    bound below the LP's. CP-SAT leaves Python's lock while it solves, so the
    search goes on beside it; `finish()` waits for it or stops it, keeping the
    bound proven so far (valid at any point), and `bound_for()` gives it.
    """

    def __init__(self, instance: Instance, reached: Mapping[str, int], seconds: float) -> None:
        self.reached = dict(reached)
        self._solver = cp_model.CpSolver()
        params = self._solver.parameters
        params.num_workers = 1
        params.linearization_level = 2
        params.max_deterministic_time = SHIFT_DETERMINISTIC
        self._stopped = threading.Event()
        self._bound: int | None = None
        self._thread = threading.Thread(target=self._run, args=(instance, seconds), daemon=True)
        self._thread.start()

    def _run(self, instance: Instance, seconds: float) -> None:
        started = time.monotonic()
        model = shift_model(instance, self.reached)
        if model is None or self._stopped.is_set():
            return
        self._solver.parameters.max_time_in_seconds = max(
            seconds - (time.monotonic() - started), 0.01
        )
        code = self._solver.solve(model)
        if code in (cp_model.OPTIMAL, cp_model.FEASIBLE):
            self._bound = max(0, math.ceil(self._solver.best_objective_bound - 1e-6))

    def finish(self, wait: bool) -> None:
        """Wait for the search to end by its own limits, or stop it now; keep its bound."""
        if wait:
            self._thread.join()
        self._stopped.set()
        while self._thread.is_alive():
            self._solver.stop_search()
            self._thread.join(0.05)

    def bound_for(self, unmet: Mapping[str, int]) -> int | None:
        """The bound, for a roster whose unmet need is `unmet`: None unless it is no worse
        than the need the bound assumed (a roster that left more unmet might need fewer
        paid hours than the bound)."""
        self.finish(wait=False)
        if any(unmet[name] > value for name, value in self.reached.items()):
            return None
        return self._bound
