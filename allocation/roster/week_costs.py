"""What a roster costs, supporter by supporter, and each person's share.

The CP-SAT cost objective is the same sum written as constraints; a test holds
the two equal. Shares: a worker's slot is split equally among the people
supported in it, a sleep-in among the people it covered, a session fee goes
to its person, and weekly costs and contracted top-ups in proportion to the
support each person had.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass
from fractions import Fraction

from allocation.roster.instance import Helper, Instance, PersonSlot

Cover = Mapping[PersonSlot, tuple[int, ...]]
"""A roster: for each person and slot supported, who supports (sorted)."""


@dataclass(frozen=True)
class Account:
    """One supporter's week."""

    helper: Helper
    busy: frozenset[int]
    awake: int
    sleep_ins: int
    sleep_in_top_up: int
    sessions: int
    topup: int
    cost: int
    shares: Mapping[int, Fraction]

    @property
    def people(self) -> frozenset[int]:
        return frozenset(self.shares)


def work_of(instance: Instance, cover: Cover) -> dict[int, dict[int, list[int]]]:
    """For each helper, each busy slot and the needs they support in it."""
    work: dict[int, dict[int, list[int]]] = defaultdict(lambda: defaultdict(list))
    for (person, slot), helpers in cover.items():
        for h in helpers:
            work[h][slot].append(instance.need_at[(person, slot)])
    return work


def accounts(instance: Instance, cover: Cover) -> list[Account]:
    work = work_of(instance, cover)
    return [account(instance, h, work.get(h.index, {})) for h in instance.helpers]


def account(instance: Instance, helper: Helper, work: Mapping[int, list[int]]) -> Account:
    """One helper's week from the needs they support in each busy slot."""
    needs = instance.needs
    grid = instance.grid
    sleep_slots = {t for t, ks in work.items() if any(needs[k].sleep_in for k in ks)}
    awake_slots = {t for t, ks in work.items() if any(not needs[k].sleep_in for k in ks)}
    hourly_slots = awake_slots if helper.paid else set(work)
    sleep_runs = grid.runs(sleep_slots) if helper.paid else []
    sessions = {k for ks in work.values() for k in ks}
    used = bool(work)
    topup = max(0, helper.contracted - len(awake_slots)) if helper.paid and used else 0

    shares: dict[int, Fraction] = defaultdict(Fraction)
    for t in hourly_slots:
        for k in work[t]:
            shares[needs[k].person] += Fraction(helper.hourly, len(work[t]))
    for first, length in sleep_runs:
        present = [needs[k].person for t in grid.ring(first, length) for k in work[t]]
        for person in present:
            shares[person] += Fraction(helper.sleep_in or 0, len(present))
    for k in sessions:
        shares[needs[k].person] += helper.session
    top_ups = [k for k in sessions if needs[k].sleep_in] if helper.paid else []
    for k in top_ups:
        shares[needs[k].person] += needs[k].top_up
    sleep_in_top_up = sum(needs[k].top_up for k in top_ups)
    spread = helper.weekly * used + helper.hourly * topup
    person_slots = [needs[k].person for ks in work.values() for k in ks]
    for person in person_slots:
        shares[person] += Fraction(spread, len(person_slots))

    cost = (
        helper.hourly * (len(hourly_slots) + topup)
        + (helper.sleep_in or 0) * len(sleep_runs)
        + helper.session * len(sessions)
        + helper.weekly * used
        + sleep_in_top_up
    )
    return Account(
        helper=helper,
        busy=frozenset(work),
        awake=len(awake_slots),
        sleep_ins=len(sleep_runs),
        sleep_in_top_up=sleep_in_top_up,
        sessions=len(sessions),
        topup=topup,
        cost=cost,
        shares=dict(shares),
    )
