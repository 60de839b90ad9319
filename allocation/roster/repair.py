"""Repairing essential need left unmet, one window of the week at a time (issue 7).

When the essential stage ends above its bound, its search ran out of clock,
so how much it met depended on how busy the machine was. The repair is a
large-neighbourhood search by hand whose every step is bounded by CP-SAT's
deterministic time on one worker with a fixed seed, so its result does not
depend on the load: the unmet essential person-slots are grouped into
clusters along the (cyclic) week, and for each cluster, in time order, a
copy of the model keeps the support choices outside a window around it as
the roster has them (but for those of the people who could fill the gap)
and minimises essential need unmet. A copy's
solution is a solution of the whole model (only bounds were added), so it
keeps every working rule and the budget; it is taken only when it meets more.
"""

from __future__ import annotations

from dataclasses import dataclass

from ortools.sat.python import cp_model

from allocation.roster.instance import PersonSlot
from allocation.roster.model import RosterModel

# The rounds: hours of the week kept free on each side of a cluster of
# unmet slots, and deterministic seconds (CP-SAT's load-independent measure
# of work) for each window. On the benchmark house (b) the 12 h windows met
# most of what was unmet in 0.02-0.2 each (seed 3 from 4 h at a 4 s limit:
# 3 h); seed 3's last half hour at 8 s took a 48 h window and 2.0 (met in
# 2.1 s idle), where 24 h windows, with 0.5 or 2.0, proved they could not.
ROUNDS = ((12, 0.5), (48, 2.0))
# Unmet slots closer than this many hours fall in one cluster (one window):
# a gap split over a short break is one problem.
CLUSTER_GAP_HOURS = 4
# The repair's work in all, however many clusters a week has: on a busy
# machine its wall time is added to the time limit's (as the essential
# floor search's is), so it is bounded as that search is (solver.py).
REPAIR_DETERMINISTIC = 3.0


@dataclass(frozen=True)
class Repaired:
    """The solution after the repair and its essential value (weighted slots unmet)."""

    solution: list[int]
    value: int


def unmet_essential(roster_model: RosterModel, solution: list[int]) -> list[PersonSlot]:
    """The person-slots, sorted, where essential need someone could cover is unmet."""
    instance = roster_model.instance
    return sorted(
        key
        for key, var in roster_model.cover.items()
        if instance.needs[instance.need_at[key]].essential and not solution[var.index]
    )


def clusters(slots: list[int], gap: int, count: int) -> list[tuple[int, int]]:
    """Runs of sorted slots no more than `gap` apart, as (first, last), wrapping the week.

    A run that wraps past the week's end is joined to the first one; `last`
    may then be below `first` (the run goes round the end of the week).
    """
    if not slots:
        return []
    runs = [[slots[0], slots[0]]]
    for t in slots[1:]:
        if t - runs[-1][1] <= gap:
            runs[-1][1] = t
        else:
            runs.append([t, t])
    if len(runs) > 1 and slots[0] + count - runs[-1][1] <= gap:
        runs[0][0] = runs.pop()[0]
    return [(first, last) for first, last in runs]


def window(first: int, last: int, margin: int, count: int) -> set[int]:
    """The slots from `margin` before `first` to `margin` after `last`, cyclic."""
    length = (last - first) % count + 1 + 2 * margin
    if length >= count:
        return set(range(count))
    return {(first - margin + k) % count for k in range(length)}


def essential_value(roster_model: RosterModel, solution: list[int]) -> int:
    """Essential need unmet, weighted, in this solution."""
    instance = roster_model.instance
    total = roster_model.objective("essential").constant
    for key, var in roster_model.cover.items():
        need = instance.needs[instance.need_at[key]]
        if need.essential and solution[var.index]:
            total -= need.weight
    return total


def repair_essential(
    roster_model: RosterModel, solution: list[int], seed: int = 0, floor: int = 0
) -> Repaired:
    """Meet more essential need by re-solving windows around what is unmet, never less.

    `solution` is a whole solution of `roster_model`'s model; `floor` a lower
    bound on the value (the repair stops when it reaches it).
    """
    grid = roster_model.instance.grid
    gap = CLUSTER_GAP_HOURS * grid.per_hour
    value = essential_value(roster_model, solution)
    left = REPAIR_DETERMINISTIC
    for hours, work in ROUNDS:
        # Each round widens the windows: what a small one could not meet may need more room.
        margin = hours * grid.per_hour
        unmet = unmet_essential(roster_model, solution)
        for first, last in clusters(sorted({t for _, t in unmet}), gap, grid.count):
            if value <= floor or left <= 0:
                break
            free = window(first, last, margin, grid.count)
            helpers = {
                h for (p, t) in unmet if t in free for h in roster_model.instance.eligible[(p, t)]
            }
            found, used = _solve_window(
                roster_model, solution, free, helpers, value, seed, min(work, left)
            )
            left -= used
            if found is not None:
                found_value = essential_value(roster_model, found)
                if found_value < value:
                    solution, value = found, found_value
        if value <= floor:
            break
    return Repaired(solution, value)


def _solve_window(
    roster_model: RosterModel,
    solution: list[int],
    free: set[int],
    helpers: set[int],
    value: int,
    seed: int,
    work: float,
) -> tuple[list[int] | None, float]:
    """A solution meeting the most essential need with only the window's choices free,
    and the deterministic time it took.

    Free: every choice in the `free` slots; every choice of `helpers` (those
    who could cover a gap) all week, since their weekly hours or days can bind
    far from it; and every choice at the person-slots they now cover, so that
    someone else can take those over. The cover variables follow from the
    choices. On the benchmark house (b) at 10 s this met the last 0.5-1 h
    of seeds 2 and 3 in 0.1-0.2 s, where the window alone could not.
    """
    copy = roster_model.model.clone()
    proto = copy.proto
    theirs = {
        (p, t) for (h, p, t), var in roster_model.x.items() if h in helpers and solution[var.index]
    }
    for (h, p, t), var in roster_model.x.items():
        if t not in free and h not in helpers and (p, t) not in theirs:
            domain = proto.variables[var.index].domain
            domain.clear()
            domain.extend([solution[var.index], solution[var.index]])
    objective = roster_model.objective("essential").expr
    copy.add(objective <= value)
    copy.minimize(objective)
    proto.clear_solution_hint()
    proto.solution_hint.vars.extend(range(len(solution)))
    proto.solution_hint.values.extend(solution)
    solver = cp_model.CpSolver()
    params = solver.parameters
    params.num_workers = 1
    params.random_seed = seed
    params.max_deterministic_time = work
    params.cp_model_presolve = True
    code = solver.solve(copy)
    if code not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return None, solver.deterministic_time
    return list(solver.response_proto.solution), solver.deterministic_time
