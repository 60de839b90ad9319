"""Passes over a finished roster that a rota manager would make by hand.

`fill_unmet`: a stretch of need left unmet that a supporter could take as it
stands (eligible, free, within their cap, the working rules and the budget)
is given to them, essential need first. A search cut short by its time limit
can leave such stretches; this pass makes sure none is left.

`natural_first`: every slot a paid worker covers that a natural supporter or
technology could take instead (eligible, not otherwise engaged, within their
cap, the paid worker's remaining week still keeping the rules, within the
budget) is swapped to them, until no such swap is left: the roster is then
1-swap natural-first. `natural_swaps` is the check, used by the report and
the tests.

Both passes use the greedy roster's state (greedy.py), so they keep exactly
the constraints the CP-SAT model keeps.
"""

from __future__ import annotations

from dataclasses import dataclass

from allocation.roster.greedy import RosterState
from allocation.roster.instance import Instance
from allocation.roster.week_costs import Cover

Run = list[tuple[int, int]]


@dataclass(frozen=True)
class Swap:
    """`unpaid` could take `run` (need, slot pairs) from the paid worker `paid`."""

    paid: int
    unpaid: int
    run: tuple[tuple[int, int], ...]


def fill_unmet(state: RosterState) -> int:
    """Give unmet stretches to whoever can take them, essential need first; slots filled."""
    needs = state.instance.needs
    before = len(state.cover)
    for k in sorted(range(len(needs)), key=lambda k: not needs[k].essential):
        for run in _unmet_stretches(state, k):
            _take_or_split(state, k, run)
    return len(state.cover) - before


def _unmet_stretches(state: RosterState, k: int) -> list[Run]:
    """The need's maximal unmet stretches (a sleep-in only whole)."""
    need = state.instance.needs[k]
    unmet = [t for t in need.slots if (need.person, t) not in state.cover]
    if need.sleep_in:
        return [[(k, t) for t in need.slots]] if len(unmet) == len(need.slots) else []
    runs: list[Run] = []
    for t in unmet:
        if runs and runs[-1][-1][1] == (t - 1) % state.instance.grid.count:
            runs[-1].append((k, t))
        else:
            runs.append([(k, t)])
    return runs


def _take_or_split(state: RosterState, k: int, run: Run) -> None:
    """The stretch to whoever can take it whole, else each half the same way."""
    if _take(state, k, run) or len(run) < 2 or state.instance.needs[k].sleep_in:
        return
    middle = len(run) // 2
    _take_or_split(state, k, run[:middle])
    _take_or_split(state, k, run[middle:])


def _take(state: RosterState, k: int, run: Run) -> bool:
    """Give the stretch to the first helper (or pair) who can take it whole."""
    need = state.instance.needs[k]
    helpers = [
        h
        for h in state.instance.eligible[(need.person, run[0][1])]
        if all(state.free_for(h, k, t) for _, t in run)
    ]
    helpers.sort(key=lambda h: _natural_order(state.instance, h, need.prefers))
    teams = (
        [[a] for a in helpers]
        if need.ratio == 1
        else [[a, b] for i, a in enumerate(helpers) for b in helpers[i + 1 :]]
    )
    for team in teams:
        if state.fits(team, run):
            state.commit(team, run)
            return True
    return False


def _natural_order(instance: Instance, h: int, prefers: frozenset[int]) -> tuple[int, bool, int]:
    helper = instance.helpers[h]
    return (helper.rank, h not in prefers, h)


def natural_first(state: RosterState) -> int:
    """Make every 1-swap to a natural supporter or technology; how many were made."""
    made = 0
    while swaps := _swaps(state, apply=True):
        made += len(swaps)
    return made


def natural_swaps(instance: Instance, cover: Cover) -> list[Swap]:
    """Every swap still open: empty when the roster is 1-swap natural-first."""
    return _swaps(RosterState(instance, cover), apply=False)


def _swaps(state: RosterState, apply: bool) -> list[Swap]:
    """One scan over the paid-covered slots; with `apply`, each swap is made as found."""
    instance = state.instance
    found: list[Swap] = []
    seen: set[tuple[int, int, int]] = set()
    for (person, t), helpers in sorted(state.cover.items()):
        k = instance.need_at[(person, t)]
        need = instance.needs[k]
        run = [(k, u) for u in need.slots] if need.sleep_in else [(k, t)]
        for paid in tuple(helpers):
            if not instance.helpers[paid].paid or (paid, k, run[0][1]) in seen:
                continue
            seen.add((paid, k, run[0][1]))
            for unpaid in _unpaid_candidates(state, k, run, tuple(helpers)):
                if _swap_keeps_rules(state, paid, unpaid, run):
                    found.append(Swap(paid, unpaid, tuple(run)))
                    if apply:
                        state.release(paid, run)
                        state.commit([unpaid], run)
                    break
    return found


def _unpaid_candidates(state: RosterState, k: int, run: Run, present: tuple[int, ...]) -> list[int]:
    instance = state.instance
    need = instance.needs[k]
    candidates = [
        h
        for h in instance.eligible[(need.person, run[0][1])]
        if not instance.helpers[h].paid
        and h not in present
        and all(state.free_for(h, k, t) for _, t in run)
    ]
    return sorted(candidates, key=lambda h: _natural_order(instance, h, need.prefers))


def _swap_keeps_rules(state: RosterState, paid: int, unpaid: int, run: Run) -> bool:
    """Try the swap; undo it. True when every constraint still holds after it."""
    state.release(paid, run)
    ok = state.keeps_rules(paid) and state.fits([unpaid], run)
    state.commit([paid], run)
    return ok
