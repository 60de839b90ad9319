"""The greedy "natural first" roster: how a careful manager fills a perfect week by hand.

Blocks in order (essential first, whole-night sleep-ins first within it,
then by time); for each stretch of a block,
the first supporter who can take it in the order family, friends, community,
technology, paid staff (the person's preferred supporters first within each
kind; for paid staff, someone already on shift first, then the cheapest), for
as long a stretch as they can without breaking a rule, a cap or the budget.
A paid stretch shorter than the shortest shift runs on into the person's next
blocks, else into another person's in the house, as a rota would have it
(measured on the shipped shared house: essential slots the greedy roster
left unmet fell from 76 to 24, and from 46-110 to 3-53 on the benchmark
houses). The roster keeps every constraint the CP-SAT
model keeps, so it is also the model's first hint, and the benchmarks' point
of comparison.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

from allocation.roster.instance import Instance, Need
from allocation.roster.rules import worker_breaches
from allocation.roster.week_costs import Cover, account, work_of


def greedy_cover(instance: Instance) -> Cover:
    state = RosterState(instance)
    for k in _order(instance, range(len(instance.needs))):
        state.fill(k)
    return state.result()


def _order(instance: Instance, needs: Iterable[int]) -> list[int]:
    """Essential need first, sleep-ins (whole nights) first within it, then by time."""
    return sorted(
        needs,
        key=lambda k: (
            not instance.needs[k].essential,
            not instance.needs[k].sleep_in,
            instance.needs[k].slots[0],
            k,
        ),
    )


class RosterState:
    """A roster being built: each helper's work, cost, and who covers each slot.

    Every change keeps the constraints the CP-SAT model keeps (eligibility,
    one person at a time unless shared, caps, working rules, the budget), so
    the improvement passes (improve.py) share these checks.
    """

    def __init__(self, instance: Instance, cover: Cover | None = None) -> None:
        self.instance = instance
        self.work: dict[int, dict[int, list[int]]] = defaultdict(dict)
        self.cost: dict[int, int] = defaultdict(int)
        self.cover: dict[tuple[int, int], list[int]] = {}
        if cover:
            self.cover = {key: list(helpers) for key, helpers in cover.items()}
            for h, work in work_of(instance, cover).items():
                self.work[h] = {t: list(ks) for t, ks in work.items()}
                self.cost[h] = account(instance, instance.helpers[h], self.work[h]).cost

    def fill(self, k: int) -> None:
        """Cover what can be covered of need k, stretch by stretch."""
        slots = self.instance.needs[k].slots
        if self.instance.needs[k].sleep_in:
            self.place(k, slots)
            return
        position = 0
        while position < len(slots):
            if (self.instance.needs[k].person, slots[position]) in self.cover:
                position += 1
            else:
                position += max(self.place(k, slots[position:]), 1)

    def result(self) -> Cover:
        return {key: tuple(sorted(helpers)) for key, helpers in sorted(self.cover.items())}

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
                    if self.fits(team, run):
                        self.commit(team, run)
                        return length
                    longer = self._run_on(a, need, run) if b is None else []
                    if longer and self.fits(team, longer):
                        self.commit(team, longer)
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
                k = self._next_need(h, need.person, t)
                if k is None:
                    break
                longer = [*longer, (k, t)] if step == 1 else [(k, t), *longer]
                t = (t + step) % count
        return longer if len(longer) >= shortest else []

    def _next_need(self, h: int, person: int, t: int) -> int | None:
        """The need h runs on into at slot t: essential need first, the same person's first."""
        people = [person, *(p for p in range(len(self.instance.people)) if p != person)]
        found = [
            k
            for p in people
            if (k := self.instance.need_at.get((p, t))) is not None and self._can_run_on(h, k, t)
        ]
        essential = [k for k in found if self.instance.needs[k].essential]
        chosen = essential or found
        return chosen[0] if chosen else None

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
        """h may support need k's person in this uncovered slot, given whom h already supports."""
        need = self.instance.needs[k]
        return (need.person, slot) not in self.cover and self.free_for(h, k, slot)

    def free_for(self, h: int, k: int, slot: int) -> bool:
        """h may support need k's person in this slot, given whom h already supports."""
        instance = self.instance
        need = instance.needs[k]
        if h not in instance.eligible[(need.person, slot)]:
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

    def fits(self, team: list[int], run: list[tuple[int, int]]) -> bool:
        instance = self.instance
        extra = 0
        for h in team:
            helper = instance.helpers[h]
            work = self.with_run(h, run)
            if helper.cap is not None and len(work) > helper.cap:
                return False
            if worker_breaches(instance, helper, work):
                return False
            extra += account(instance, helper, work).cost - self.cost[h]
        return sum(self.cost.values()) + extra <= instance.budget

    def with_run(self, h: int, run: list[tuple[int, int]]) -> dict[int, list[int]]:
        work = {t: list(ks) for t, ks in self.work[h].items()}
        for k, t in run:
            work.setdefault(t, []).append(k)
        return work

    def commit(self, team: list[int], run: list[tuple[int, int]]) -> None:
        for h in team:
            self.work[h] = self.with_run(h, run)
            self.cost[h] = account(self.instance, self.instance.helpers[h], self.work[h]).cost
            for k, t in run:
                self.cover.setdefault((self.instance.needs[k].person, t), []).append(h)

    def release(self, h: int, run: list[tuple[int, int]]) -> None:
        """Take h off these slots of need (the reverse of commit)."""
        needs = self.instance.needs
        work = {t: list(ks) for t, ks in self.work[h].items()}
        for k, t in run:
            work[t].remove(k)
            if not work[t]:
                del work[t]
            key = (needs[k].person, t)
            self.cover[key].remove(h)
            if not self.cover[key]:
                del self.cover[key]
        self.work[h] = work
        self.cost[h] = account(self.instance, self.instance.helpers[h], work).cost

    def keeps_rules(self, h: int) -> bool:
        helper = self.instance.helpers[h]
        work = self.work[h]
        if helper.cap is not None and len(work) > helper.cap:
            return False
        return not worker_breaches(self.instance, helper, work)
