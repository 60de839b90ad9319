"""Needs a carer meets: left out of what the council plans for, and said so line by line.

Eligibility is decided as if no carer met the needs; when the council decides how
to meet them, it need not meet a need that a carer is meeting and is willing and
able to go on meeting (Care Act 2014 s.18(7)). Each outcome a carer meets gets a
line saying whether it is left out, and why.
"""

from __future__ import annotations

from allocation.budgets.allocation_model import Line
from engine.common import ZERO
from engine.intake import Intake

SOURCE = "Care Act 2014 s.18(7)"


def carer_met_lines(intake: Intake) -> list[Line]:
    """One line per outcome a carer meets: left out, or kept in and why."""
    lines = []
    for assessed in (intake.needs.outcomes or []) if intake.needs else []:
        if not assessed.met_by_carer:
            continue
        outcome = assessed.outcome.value.replace("_", " ")
        if assessed.carer_willing_and_able:
            label = f"{outcome}: met by a carer willing and able to go on, left out of the plan"
        elif assessed.carer_willing_and_able is False:
            label = f"{outcome}: met by a carer who cannot or will not go on, planned for"
        else:
            label = (
                f"{outcome}: met by a carer, planned for until it is known whether they are "
                "willing and able to go on (ask needs.outcomes[].carer_willing_and_able)"
            )
        lines.append(Line(label=label, amount=ZERO, source=SOURCE))
    return lines
