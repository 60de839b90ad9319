"""The roster as a CP-SAT model over time slots.

Variables, after the OR-Tools shift_scheduling_sat sample's habit of one
boolean per (worker, slot): `x[h, p, t]` says helper h supports person p in
slot t; a sleep-in is one shift, so every slot of it shares one variable.
`busy[h][t]` says h works in slot t (one worker may support up to
`at_once` people at once when all their blocks are shareable), and
`working[h][t]` that the slot is no rest break for them (they support someone
whose block does not allow one). The working rules and the costs are
constraints on `busy` and `working`; `objective(name)` gives each
stage's objective as a linear expression.
"""

from __future__ import annotations

import time
from collections import defaultdict
from collections.abc import Sequence

from ortools.sat.python import cp_model

from allocation.roster.instance import Helper, Instance, PersonSlot
from allocation.roster.rules import idle_runs_ending
from allocation.roster.slots import DAYS

Literal = cp_model.IntVar
Expr = cp_model.LinearExprT


class Objective:
    """`constant + sign * sum(terms)`: the constant is the value when nothing can move."""

    def __init__(self, constant: int, sign: int, terms: Sequence[Expr]) -> None:
        self.constant = constant
        self.fixed = not terms
        self.expr = constant + sign * cp_model.LinearExpr.sum(terms)


class OutOfTime(Exception):
    """Building the model passed its `give_up` time (plan.py then keeps the greedy roster)."""


class RosterModel:
    """One CpModel for one week, with or without the budget as a hard limit.

    `give_up` (a time.monotonic() reading) stops the build with OutOfTime
    once it is passed, so that a slow build cannot overrun the time limit.
    """

    def __init__(
        self, instance: Instance, with_budget: bool = True, give_up: float | None = None
    ) -> None:
        self.instance = instance
        self.give_up = give_up
        self.model = cp_model.CpModel()
        self.x: dict[tuple[int, int, int], Literal] = {}
        self.cover: dict[PersonSlot, Literal] = {}
        self.by_helper: dict[int, list[tuple[int, int, Literal]]] = defaultdict(list)
        self.busy: dict[int, dict[int, Literal]] = {}
        self.working: dict[int, dict[int, Literal]] = {}
        self.costs: list[Expr] = []
        self.objectives: dict[str, Objective] = {}
        self._add_support()
        paid_slots: list[Expr] = []
        for helper in instance.helpers:
            self._in_time()
            busy = self._add_helper(helper)
            self.busy[helper.index] = busy
            if helper.paid:
                paid_slots += busy.values()
                self._add_working_rules(busy)
                self._add_rest_break(self.working[helper.index])
        if with_budget:
            self.model.add(cp_model.LinearExpr.sum(self.costs) <= instance.budget)
        self._add_objectives(paid_slots)

    def _in_time(self) -> None:
        if self.give_up is not None and time.monotonic() > self.give_up:
            raise OutOfTime

    # --- support -----------------------------------------------------------

    def _add_support(self) -> None:
        """Each slot of need is covered by exactly `ratio` supporters, or not at all."""
        instance, model = self.instance, self.model
        for k, need in enumerate(instance.needs):
            self._in_time()
            shared: dict[int, Literal] = {}
            for t in need.slots:
                key = (need.person, t)
                helpers = instance.eligible[key]
                if len(helpers) < need.ratio:
                    continue
                self.cover[key] = model.new_bool_var(f"cover_p{need.person}_t{t}")
                for h in helpers:
                    if need.sleep_in:
                        if h not in shared:
                            shared[h] = model.new_bool_var(f"sleep_h{h}_n{k}")
                        self.x[(h, need.person, t)] = shared[h]
                    else:
                        self.x[(h, need.person, t)] = model.new_bool_var(
                            f"x_h{h}_p{need.person}_t{t}"
                        )
                    self.by_helper[h].append((need.person, t, self.x[(h, need.person, t)]))
                model.add(
                    sum(self.x[(h, need.person, t)] for h in helpers)
                    == need.ratio * self.cover[key]
                )

    def _add_helper(self, helper: Helper) -> dict[int, Literal]:
        """The helper's busy slots, capacity, hour cap and costs."""
        model, needs = self.model, self.instance.needs
        at: dict[int, list[tuple[int, Literal]]] = defaultdict(list)
        for p, t, var in self.by_helper[helper.index]:
            at[t].append((self.instance.need_at[(p, t)], var))
        busy: dict[int, Literal] = {}
        working: dict[int, Literal] = {}
        asleep: dict[int, Literal] = {}
        awake: dict[int, Literal] = {}
        for t in sorted(at):
            pairs = at[t]
            sleep = [v for k, v in pairs if needs[k].sleep_in]
            wake = [v for k, v in pairs if not needs[k].sleep_in]
            if not helper.technology and sleep and wake:
                # Asleep on a sleep-in or awake supporting someone, never both at once.
                mode = model.new_bool_var(f"sleeping_h{helper.index}_t{t}")
                for v in sleep:
                    model.add_implication(v, mode)
                for v in wake:
                    model.add_implication(v, ~mode)
            name = f"h{helper.index}_t{t}"
            if not helper.paid:
                busy[t] = self._any([v for _, v in pairs], f"busy_{name}")
            else:
                # Paid staff are paid by the hour awake and by the sleep-in asleep.
                if sleep:
                    asleep[t] = self._any(sleep, f"asleep_{name}")
                if wake:
                    awake[t] = self._any(wake, f"awake_{name}")
                if sleep and wake:
                    busy[t] = model.new_bool_var(f"busy_{name}")
                    model.add(busy[t] == asleep[t] + awake[t])
                else:
                    busy[t] = asleep[t] if sleep else awake[t]
                at_work = [v for k, v in pairs if not needs[k].rest_break]
                if len(at_work) == len(pairs):
                    working[t] = busy[t]
                elif at_work:
                    working[t] = self._any(at_work, f"working_{name}")
            if not helper.technology:
                self._add_capacity(pairs, busy[t])
        if helper.cap is not None and helper.cap < len(busy):
            model.add(sum(busy.values()) <= helper.cap)
        self._add_costs(helper, busy, awake, asleep)
        self.working[helper.index] = working
        return busy

    def _add_capacity(self, pairs: Sequence[tuple[int, Literal]], busy: Literal) -> None:
        """One person at a time, or up to `at_once` when all their blocks are shareable.

        One row, `at_once * (non-shareable) + (shareable) <= at_once * busy`:
        a non-shareable assignment takes the whole worker. Written against
        `busy`, it also tells the LP relaxation that shared work still takes a
        worker, and that two people who cannot share take two (the pairwise
        rows it replaces let them cost 1.5 workers in the relaxation).
        """
        if len(pairs) < 2:
            return
        at_once, needs = self.instance.rules.at_once, self.instance.needs
        alone = [v for k, v in pairs if not needs[k].shareable]
        shared = [v for k, v in pairs if needs[k].shareable]
        self.model.add(at_once * sum(alone) + sum(shared) <= at_once * busy)

    def _any(self, literals: list[Literal], name: str) -> Literal:
        if len(literals) == 1:
            return literals[0]
        either = self.model.new_bool_var(name)
        for v in literals:
            self.model.add_implication(v, either)
        self.model.add_bool_or(literals).only_enforce_if(either)
        return either

    # --- costs ---------------------------------------------------------------

    def _add_costs(
        self,
        helper: Helper,
        busy: dict[int, Literal],
        awake: dict[int, Literal],
        asleep: dict[int, Literal],
    ) -> None:
        """The same sums as week_costs.py, in units of 1/slots-per-hour of a penny."""
        if not busy:
            return
        model, name = self.model, f"h{helper.index}"
        hourly = awake if helper.paid else busy
        self.costs.append(helper.hourly * sum(hourly.values()))
        if helper.paid and asleep:
            self.costs.append((helper.sleep_in or 0) * sum(self._run_starts(asleep, name)))
        if helper.session:
            self.costs.append(helper.session * sum(self._sessions(helper)))
        if helper.paid:
            self.costs += self._sleep_in_top_ups(helper)
        if helper.weekly or (helper.paid and helper.contracted):
            used = model.new_bool_var(f"used_{name}")
            for v in busy.values():
                model.add_implication(v, used)
            self.costs.append(helper.weekly * used)
            if helper.paid and helper.contracted:
                topup = model.new_int_var(0, helper.contracted, f"topup_{name}")
                model.add(topup >= helper.contracted * used - sum(awake.values()))
                self.costs.append(helper.hourly * topup)

    def _run_starts(self, series: dict[int, Literal], name: str) -> list[Literal]:
        """One literal per slot where a run of the series may begin (cyclic)."""
        count = self.instance.grid.count
        starts = []
        for t, v in series.items():
            before = series.get((t - 1) % count)
            if before is None:
                starts.append(v)
            elif before.index != v.index:
                start = self.model.new_bool_var(f"start_{name}_t{t}")
                self.model.add(start >= v - before)
                starts.append(start)
        return starts

    def _sleep_in_top_ups(self, helper: Helper) -> list[Expr]:
        """The minimum wage for each sleep-in's awake hours (one variable per sleep-in)."""
        needs, seen = self.instance.needs, set()
        top_ups: list[Expr] = []
        for p, t, var in self.by_helper[helper.index]:
            k = self.instance.need_at[(p, t)]
            if needs[k].sleep_in and needs[k].top_up and var.index not in seen:
                seen.add(var.index)
                top_ups.append(needs[k].top_up * var)
        return top_ups

    def _sessions(self, helper: Helper) -> list[Literal]:
        """One literal per block occurrence the helper takes part in."""
        by_need: dict[int, list[Literal]] = defaultdict(list)
        for p, t, var in self.by_helper[helper.index]:
            by_need[self.instance.need_at[(p, t)]].append(var)
        sessions = []
        for k, variables in sorted(by_need.items()):
            session = self.model.new_bool_var(f"session_h{helper.index}_n{k}")
            for v in {v.index: v for v in variables}.values():
                self.model.add_implication(v, session)
            sessions.append(session)
        return sessions

    # --- working rules -------------------------------------------------------

    def _add_working_rules(self, busy: dict[int, Literal]) -> None:
        """Shift length, daily rest and consecutive days (rules.py says the same plainly)."""
        if not busy:
            return
        rules, grid = self.instance.rules, self.instance.grid
        count, model = grid.count, self.model
        if len(busy) > rules.max_shift:
            for first in range(count):
                window = [busy.get((first + k) % count) for k in range(rules.max_shift + 1)]
                if all(v is not None for v in window):
                    model.add(sum(v for v in window if v is not None) <= rules.max_shift)
        for t, v in busy.items():
            before = busy.get((t - 1) % count)
            for k in range(1, rules.min_shift):
                after = busy.get((t + k) % count)
                clause = [~v, *([before] if before is not None else [])]
                model.add_bool_or([*clause, *([after] if after is not None else [])])
                if after is None:
                    break
        self._add_daily_rest(busy)
        self._add_consecutive_days(busy)

    def _add_daily_rest(self, busy: dict[int, Literal]) -> None:
        """In the 24 hours from each shift's start, a rest of `daily_rest` slots in a row."""
        rest, grid = self.instance.rules.daily_rest, self.instance.grid
        if rest == 0:
            return
        count, day = grid.count, grid.per_day
        idle_run = idle_runs_ending(busy, count)
        rests: dict[int, Literal] = {}
        for t, v in busy.items():
            ends = range(t + rest, t + day + 1)
            if any(idle_run[(end - 1) % count] >= rest for end in ends):
                continue
            options = []
            for start in range(t + 1, t + day - rest + 1):
                s = start % count
                if s not in rests:
                    rests[s] = self.model.new_bool_var(f"rest_t{s}")
                    run = [busy[u] for u in grid.ring(s, rest) if u in busy]
                    self.model.add_bool_and([~u for u in run]).only_enforce_if(rests[s])
                options.append(rests[s])
            before = busy.get((t - 1) % count)
            starts_shift = [v, *([~before] if before is not None else [])]
            self.model.add_bool_or(options).only_enforce_if(starts_shift)

    def _add_rest_break(self, working: dict[int, Literal]) -> None:
        """A rest break in every `break_after + 2 * break_slots - 1` slots in a row.

        A break is `break_slots` restful slots in a row. The same rule as
        rules.py's: a stretch between two breaks longer than `break_after`,
        with the `break_slots - 1` restful slots either side of it, fills a
        window of that length without a break; and a window without a break
        lies inside such a stretch and its edges. A window is left out when
        some run of `break_slots` in it is restful whatever is chosen.
        """
        rules, grid = self.instance.rules, self.instance.grid
        if not rules.break_may_bind(len(working)):
            return
        k, most, count = rules.break_slots, rules.break_after, grid.count
        rests: dict[int, cp_model.LiteralT | None] = {}
        for s in range(count):
            run = [working[u] for u in grid.ring(s, k) if u in working]
            if not run:
                rests[s] = None
            elif len(run) == 1:
                rests[s] = ~run[0]
            else:
                rests[s] = self.model.new_bool_var(f"break_t{s}")
                self.model.add_bool_and([~v for v in run]).only_enforce_if(rests[s])
        for first in range(count):
            options = [rests[(first + j) % count] for j in range(most + k)]
            if all(v is not None for v in options):
                self.model.add_bool_or([v for v in options if v is not None])

    def _add_consecutive_days(self, busy: dict[int, Literal]) -> None:
        max_days, grid = self.instance.rules.max_days, self.instance.grid
        if max_days >= len(DAYS):
            return
        worked: dict[int, Literal] = {}
        for t, v in busy.items():
            d = grid.day_of(t)
            if d not in worked:
                worked[d] = self.model.new_bool_var(f"works_d{d}")
            self.model.add_implication(v, worked[d])
        for first in range(len(DAYS)):
            days = [worked.get((first + k) % len(DAYS)) for k in range(max_days + 1)]
            if all(d is not None for d in days):
                self.model.add(sum(d for d in days if d is not None) <= max_days)

    # --- objectives ------------------------------------------------------------

    def _add_objectives(self, paid_slots: list[Expr]) -> None:
        instance = self.instance
        weights = {True: 0, False: 0}
        covered: dict[bool, list[Expr]] = {True: [], False: []}
        not_preferred: list[Expr] = []
        for (p, t), k in instance.need_at.items():
            need = instance.needs[k]
            weights[need.essential] += need.weight
            if (p, t) in self.cover:
                covered[need.essential].append(need.weight * self.cover[(p, t)])
            if need.prefers:
                not_preferred += [
                    self.x[(h, p, t)]
                    for h in instance.eligible[(p, t)]
                    if h not in need.prefers and (h, p, t) in self.x
                ]
        self.objectives = {
            "essential": Objective(weights[True], -1, covered[True]),
            "desirable": Objective(weights[False], -1, covered[False]),
            "paid_hours": Objective(0, 1, paid_slots),
            "choices": Objective(0, 1, not_preferred),
            "cost": Objective(0, 1, self.costs),
        }

    def objective(self, name: str) -> Objective:
        """A stage's objective. Continuity's pairs and the visits are built at their stage.

        The visits are a third of the model's variables, and the pairs' links
        to hours slowed the search for cover (measured on the shared house);
        the earlier stages do better without carrying either.
        """
        if name not in self.objectives:
            if name == "continuity":
                self.objectives[name] = Objective(0, 1, self._paid_staff_per_person())
            elif name == "handovers":
                self.objectives[name] = Objective(0, 1, self._visits())
        return self.objectives[name]

    def _paid_staff_per_person(self) -> list[Literal]:
        """One literal per (paid worker, person) pair that meet at all.

        A worker gives one person at most their weekly cap of slots, which the
        LP relaxation needs to see that many hours take several workers.
        """
        pairs: dict[tuple[int, int], dict[int, Literal]] = defaultdict(dict)
        hours: dict[tuple[int, int], list[Literal]] = defaultdict(list)
        for (h, p, _), var in self.x.items():
            if self.instance.helpers[h].paid:
                pairs[(h, p)][var.index] = var
                hours[(h, p)].append(var)
        used = []
        for (h, p), variables in sorted(pairs.items()):
            pair = self.model.new_bool_var(f"meets_h{h}_p{p}")
            for v in variables.values():
                self.model.add_implication(v, pair)
            cap = self.instance.helpers[h].cap
            if cap is not None and cap < len(hours[(h, p)]):
                self.model.add(sum(hours[(h, p)]) <= cap * pair)
            used.append(pair)
        return used

    def _visits(self) -> list[Literal]:
        """The start of each unbroken stretch of one supporter with one person."""
        series: dict[tuple[int, int], dict[int, Literal]] = defaultdict(dict)
        for (h, p, t), var in self.x.items():
            series[(h, p)][t] = var
        return [
            start
            for (h, p), by_slot in sorted(series.items())
            for start in self._run_starts(by_slot, f"visit_h{h}_p{p}")
        ]
