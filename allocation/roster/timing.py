"""What the phases around the search are expected to take, so that one deadline holds.

`--time-limit` is wall time from the command's start (issue 8): reading the
WEEK file, compiling it, the greedy start, building the model, the stages,
the passes after the search, the report and the output all count. The
search gets what is left once the phases still to come are set aside,
estimated from the week's size at rates measured on 2 cores with
`make bench` (benchmarks/huge_week_bench.py), rounded up for a busy machine.
"""

from __future__ import annotations

from allocation.roster.instance import Instance
from allocation.roster.scope import choices

# Building the model (model.py): per choice it holds, and per slot a paid
# worker may work times the shortest shift in slots (the working rules' rows).
# Fitted on a busy machine (load 6 on 2 cores) to the benchmark houses and the
# huge weeks cut to the model's size: 0.04-1.1 s, 18-84 us a choice.
BUILD_SECONDS_PER_CHOICE = 23e-6
BUILD_SECONDS_PER_RULE_SLOT = 42e-6
# The passes after the search, the report and the JSON, per choice of the
# whole week (the counting floors read every one) and per person-slot (the
# passes and the explanations walk the unmet ones): fitted at load 6.5 to the
# huge weeks, 1.0 s (50 people, 120 supporters) and 0.6 s (20 people, 1,000
# supporters), and a third added for the spread between runs.
AFTER_SECONDS_PER_CHOICE = 1.5e-6
AFTER_SECONDS_PER_SLOT = 400e-6
# The terminal view (api/cli/roster_view.py), when it is drawn instead of the
# JSON: per person-slot, 0.91 s for 50 people's 3,150 at load 2.5, a third added.
VIEW_SECONDS_PER_SLOT = 385e-6
# Outside main(): the interpreter's start before it notes the time, and the
# exit after the output (0.36-0.4 s at load 8, against 0.1 s idle).
OUTSIDE_SECONDS = 0.4
# Of the time limit, kept for the passes and the report after the search at
# the least (measured: under 0.3 s on the benchmark house (b) when idle).
AFTER_SHARE = 0.1
# At most this share of the time left may go to building the model: a model
# with no time left to search finds nothing the greedy roster has not.
BUILD_SHARE = 0.5
# The stated margin: wall time stays within the limit plus the larger of
# these (docs/roster.md), measured by `make bench` on the huge weeks.
MARGIN_SECONDS = 1.0
MARGIN_SHARE = 0.1


def build_seconds(instance: Instance) -> float:
    """The time building the model of this week is expected to take."""
    paid_slots = {
        (h, t)
        for (_, t), helpers in instance.eligible.items()
        for h in helpers
        if instance.helpers[h].paid
    }
    rule_slots = len(paid_slots) * instance.rules.min_shift
    return choices(instance) * BUILD_SECONDS_PER_CHOICE + rule_slots * BUILD_SECONDS_PER_RULE_SLOT


def after_seconds(instance: Instance, time_limit: float, view: bool = False) -> float:
    """The time to keep after the search: the passes, the report, the output, the exit.

    `view`: the terminal view is drawn after, not the JSON written.
    """
    slots = len(instance.need_at)
    per_slot = AFTER_SECONDS_PER_SLOT + (VIEW_SECONDS_PER_SLOT if view else 0.0)
    estimate = choices(instance) * AFTER_SECONDS_PER_CHOICE + slots * per_slot
    return max(time_limit * AFTER_SHARE, estimate + OUTSIDE_SECONDS)


def margin(time_limit: float) -> float:
    """How far past `--time-limit` the command may end (the stated margin)."""
    return max(MARGIN_SECONDS, time_limit * MARGIN_SHARE)
