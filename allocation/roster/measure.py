"""Each stage's objective measured on a roster, in plain Python.

The CP-SAT model states the objectives as expressions whose helper variables
(who meets whom, where a visit starts, a top-up) need only be at least what
the roster implies; an unproven solution may leave them higher. The report
measures every stage on the roster it returns, so a stage's value is always
the roster's own (a test holds the cost stage to the roster's cost).
"""

from __future__ import annotations

from collections import defaultdict

from allocation.roster.instance import Instance
from allocation.roster.week_costs import Cover, accounts


def stage_values(instance: Instance, cover: Cover) -> dict[str, int]:
    """Every stage's objective on this roster, in the model's integer units."""
    unmet = {True: 0, False: 0}
    not_preferred = 0
    for key, k in instance.need_at.items():
        need = instance.needs[k]
        helpers = cover.get(key, ())
        if not helpers:
            unmet[need.essential] += need.weight
        if need.prefers:
            not_preferred += sum(h not in need.prefers for h in helpers)
    weeks = accounts(instance, cover)
    meets: set[tuple[int, int]] = set()
    series: dict[tuple[int, int], set[int]] = defaultdict(set)
    for (p, t), helpers in cover.items():
        for h in helpers:
            series[(h, p)].add(t)
            if instance.helpers[h].paid:
                meets.add((h, p))
    return {
        "essential": unmet[True],
        "desirable": unmet[False],
        "paid_hours": sum(len(a.busy) for a in weeks if a.helper.paid),
        "choices": not_preferred,
        "continuity": len(meets),
        "cost": sum(a.cost for a in weeks),
        "handovers": sum(len(instance.grid.runs(slots)) for slots in series.values()),
    }
