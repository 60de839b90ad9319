"""How much of the week the CP-SAT model holds: all of it, or on a huge week the likeliest few.

The model has one boolean per choice (supporter, person, slot), and its
build time and memory grow with them (a week of 20 people and 1,000
supporters has 274,361 choices: 3.8-6.5 s to build and 1.1 GB at peak, issue
8). Above `MAX_CHOICES` each block occurrence keeps the supporters the
greedy roster gave its person, then the best `each` others in the greedy's
own order: natural supporters first, preferred ones, the cheapest. Paid staff
of equal rank are taken from a different place in the list for each person,
so that people do not all get the same few. The greedy roster stays a
solution of the smaller model. A bound proved on the smaller model is not a
bound for the week, so plan.py reports only the counting floors then.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from allocation.roster.instance import Instance
from allocation.roster.week_costs import Cover

# Choices the model may hold (benchmarks/huge_week_bench.py, 2 cores, load 4,
# --time-limit 10): at 40,000 the week of 1,000 supporters peaked at 643 MB
# and the search left the 50 people's essential need where the greedy had it
# (391 h unmet); at 25,000, 463 MB and 385.5 h. The shared house of
# benchmarks/roster_bench.py (b) has 9,725.
MAX_CHOICES = 25_000


@dataclass(frozen=True)
class Scope:
    """The week the model is built from, and how far it was cut."""

    instance: Instance
    week_choices: int
    each: int | None  # supporters kept per block occurrence besides the greedy's; None: all


def choices(instance: Instance) -> int:
    """The (supporter, person, slot) choices of the week: the model's support variables."""
    return sum(len(helpers) for helpers in instance.eligible.values())


def model_scope(instance: Instance, greedy: Cover, most: int = MAX_CHOICES) -> Scope:
    """The week itself when its choices fit in `most`, else each block's likeliest supporters."""
    total = choices(instance)
    if total <= most:
        return Scope(instance, total, None)
    given = _greedy_supporters(greedy)
    greedy_choices = sum(
        sum(h in given.get(p, ()) for h in helpers) for (p, _), helpers in instance.eligible.items()
    )
    ratio = max(need.ratio for need in instance.needs)
    each = max((most - greedy_choices) // max(len(instance.need_at), 1), ratio)
    count = len(instance.helpers)
    spread = max(count // max(len(instance.people), 1), 1)
    eligible = dict(instance.eligible)
    for need in instance.needs:
        theirs = given.get(need.person, set())
        seen = {h for t in need.slots for h in instance.eligible[(need.person, t)]}

        def order(h: int, prefers: frozenset[int] = need.prefers, p: int = need.person) -> tuple:
            helper = instance.helpers[h]
            return (helper.rank, h not in prefers, helper.hourly, (h - p * spread) % count)

        kept = theirs | set(sorted(seen - theirs, key=order)[:each])
        for t in need.slots:
            key = (need.person, t)
            eligible[key] = tuple(h for h in instance.eligible[key] if h in kept)
    return Scope(replace(instance, eligible=eligible), total, each)


def _greedy_supporters(greedy: Cover) -> dict[int, set[int]]:
    """Everyone the greedy roster gives each person in the week."""
    given: dict[int, set[int]] = {}
    for (p, _), helpers in greedy.items():
        given.setdefault(p, set()).update(helpers)
    return given
