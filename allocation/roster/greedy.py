"""The greedy "natural first" roster: how a careful manager fills a perfect week by hand.

Blocks in order (essential first, then by time); for each stretch of a block,
the first supporter who can take it in the order family, friends, community,
technology, paid staff (the person's preferred supporters first within each
kind; for paid staff, someone already on shift first, then the cheapest), for
as long a stretch as they can without breaking a rule, a cap or the budget.
A paid stretch shorter than the shortest shift runs on into the person's next
blocks, as a rota would have it. The roster keeps every constraint the CP-SAT
model keeps, so it is also the model's first hint, and the benchmarks' point
of comparison.
"""

from __future__ import annotations

from collections import defaultdict

from allocation.roster.costing import Cover, account
from allocation.roster.instance import Instance, Need
from allocation.roster.rules import breaches


def greedy_cover(instance: Instance) -> Cover:
    state = _State(instance)
    order = sorted(
        range(len(instance.needs)),
        key=lambda k: (not instance.needs[k].essential, instance.needs[k].slots[0], k),
    )
    for k in order:
        slots = instance.needs[k].slots
        if instance.needs[k].sleep_in:
            state.place(k, slots)
            continue
        position = 0
        while position < len(slots):
            if (instance.needs[k].person, slots[position]) in state.cover:
                position += 1
            else:
                position += max(state.place(k, slots[position:]), 1)
    return {key: tuple(sorted(helpers)) for key, helpers in sorted(state.cover.items())}


class _State:
    def __init__(self, instance: Instance) -> None:
        self.instance = instance
        self.work: dict[int, dict[int, list[int]]] = defaultdict(dict)
        self.cost: dict[int, int] = defaultdict(int)
        self.cover: dict[tuple[int, int], list[int]] = {}

    def place(self, k: int, slots: tuple[int, ...]) -> int:
        """Cover a first stretch of `slots` for need k; how many slots it covered."""
        need = self.instance.needs[k]
        first = slots[0]
        candidates = sorted(
            (h for h in self.instance.eligible[(need.person, first)] if self._joins(h, k, first)),
            key=lambda h: self._order(h, need, first),
        )
        whole = need.sleep_in
        for i, a in enumerate(candidates):
            longest = self._prefix(a, k, slots)
            if whole and longest < len(slots):
                continue
            partners: list[int | None] = [None] if need.ratio == 1 else list(candidates[i + 1 :])
            for b in partners:
                reach = longest if b is None else min(longest, self._prefix(b, k, slots))
                if whole and reach < len(slots):
                    continue
                for length in [reach] if whole else self._lengths(a, reach):
                    team = [a] if b is None else [a, b]
                    run = [(k, t) for t in slots[:length]]
                    if self._fits(team, run):
                        self._commit(team, run)
                        return length
                    longer = self._run_on(a, need, run) if b is None else []
                    if longer and self._fits(team, longer):
                        self._commit(team, longer)
                        return length
        return 0

    def _run_on(self, h: int, need: Need, run: list[tuple[int, int]]) -> list[tuple[int, int]]:
        """A paid stretch too short for a shift, lengthened into the person's next blocks."""
        instance = self.instance
        shortest = instance.rules.min_shift
        if not instance.helpers[h].paid or len(run) >= shortest:
            return []
        count = instance.grid.count
        longer = list(run)
        for step, edge in ((1, run[-1][1]), (-1, run[0][1])):
            t = (edge + step) % count
            while len(longer) < shortest:
                k = instance.need_at.get((need.person, t))
                if k is None or not self._can_run_on(h, k, t):
                    break
                longer = [*longer, (k, t)] if step == 1 else [(k, t), *longer]
                t = (t + step) % count
        return longer if len(longer) >= shortest else []

    def _can_run_on(self, h: int, k: int, t: int) -> bool:
        """A stretch runs on only into one-to-one awake support (a sleep-in is whole)."""
        need = self.instance.needs[k]
        return need.ratio == 1 and not need.sleep_in and self._joins(h, k, t)

    def _order(self, h: int, need: Need, slot: int) -> tuple[int, bool, bool, int, int]:
        helper = self.instance.helpers[h]
        count = self.instance.grid.count
        work = self.work[h]
        on_shift = slot in work or (slot - 1) % count in work
        return (helper.rank, h not in need.prefers, not on_shift, helper.hourly, h)

    def _joins(self, h: int, k: int, slot: int) -> bool:
        """h may support need k's person in this slot, given whom h already supports."""
        instance = self.instance
        need = instance.needs[k]
        if h not in instance.eligible[(need.person, slot)] or (need.person, slot) in self.cover:
            return False
        present = self.work[h].get(slot, [])
        if not present or instance.helpers[h].technology:
            return True
        others = [instance.needs[j] for j in present]
        return (
            len(present) < instance.rules.at_once
            and need.shareable
            and all(o.shareable and o.sleep_in == need.sleep_in for o in others)
            and need.person not in {o.person for o in others}
        )

    def _prefix(self, h: int, k: int, slots: tuple[int, ...]) -> int:
        length = 0
        while length < len(slots) and self._joins(h, k, slots[length]):
            length += 1
        return length

    def _lengths(self, h: int, reach: int) -> list[int]:
        """Stretch lengths worth trying, longest first: all of it, then shorter ones."""
        helper = self.instance.helpers[h]
        room = reach if helper.cap is None else helper.cap - len(self.work[h])
        tries = {reach, min(reach, room), reach * 3 // 4, reach // 2, reach // 4}
        if helper.paid:
            tries.add(min(reach, self.instance.rules.min_shift))
        return sorted((n for n in tries if n > 0), reverse=True)

    def _fits(self, team: list[int], run: list[tuple[int, int]]) -> bool:
        instance = self.instance
        extra = 0
        for h in team:
            helper = instance.helpers[h]
            work = self._with(h, run)
            if helper.cap is not None and len(work) > helper.cap:
                return False
            if helper.paid and breaches(work, helper.cap, instance.rules, instance.grid):
                return False
            extra += account(instance, helper, work).cost - self.cost[h]
        return sum(self.cost.values()) + extra <= instance.budget

    def _with(self, h: int, run: list[tuple[int, int]]) -> dict[int, list[int]]:
        work = {t: list(ks) for t, ks in self.work[h].items()}
        for k, t in run:
            work.setdefault(t, []).append(k)
        return work

    def _commit(self, team: list[int], run: list[tuple[int, int]]) -> None:
        for h in team:
            self.work[h] = self._with(h, run)
            self.cost[h] = account(self.instance, self.instance.helpers[h], self.work[h]).cost
            for k, t in run:
                self.cover.setdefault((self.instance.needs[k].person, t), []).append(h)
