"""Needs a carer meets: left out of the perfect week, and said so block by block.

When the council decides how to meet needs it need not meet a need that a carer
is meeting and is willing and able to go on meeting (Care Act 2014 s.18(7)). A
block names the outcome it serves (`outcome`); a person lists the outcomes such
a carer meets (`carer_meets`); compile_week does not roster those blocks, and
this lists each one with the reason, numbered as in the WEEK file.
"""

from __future__ import annotations

from allocation.roster.output import LeftOut
from allocation.roster.slots import clock
from allocation.roster.week import Week

SOURCE = "Care Act 2014 s.18(7)"


def carer_met_blocks(week: Week) -> list[LeftOut]:
    """One line per block left out because a willing and able carer meets its outcome."""
    return [
        LeftOut(
            person=person.id,
            block=number,
            activity=block.activity,
            outcome=block.outcome.value,
            days=list(block.days or ([block.day] if block.day else [])),
            start=clock(block.start),
            end=clock(block.end),
            reason=f"{block.outcome.value.replace('_', ' ')}: met by a carer willing and able "
            "to go on, not rostered",
            source=SOURCE,
        )
        for person in week.people
        for number, block in enumerate(person.blocks)
        if block.outcome is not None and person.carer_meets_block(block)
    ]
