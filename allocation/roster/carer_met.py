"""Needs a carer meets: left out of the perfect week, and said so block by block.

When the council decides how to meet needs it need not meet a need that a carer
is meeting and is willing and able to go on meeting (Care Act 2014 s.18(7)). A
block names the outcome it serves (`outcome`); a person lists the outcomes such
a carer meets (`carer_meets`); compile_week does not roster those blocks, and
this lists each one with the reason, numbered as in the WEEK file.
"""

from __future__ import annotations

from allocation.budgets.unpaid_care import SOURCE, carer_meets
from allocation.roster.output import LeftOut
from allocation.roster.slots import clock
from allocation.roster.week import Week
from engine.intake import Intake, Outcome


def with_intake(week: Week, intake: Intake) -> Week:
    """The week with the intake's outcomes that a willing and able carer meets added to
    its person's `carer_meets` (in the regulation's order): the person whose id is the
    intake's, or the only one."""
    matching = [p for p in week.people if p.id == intake.id]
    if not matching and len(week.people) == 1:
        matching = list(week.people)
    if not matching:
        raise ValueError(
            f"no person of the week has the intake's id ({intake.id or 'none given'}): "
            "give the intake the id of its person in the week"
        )
    (person,) = matching
    met = carer_meets(intake)
    meets = [*person.carer_meets, *(o for o in Outcome if o in met and o not in person.carer_meets)]
    chosen = person.model_copy(update={"carer_meets": meets})
    people = [chosen if p is person else p for p in week.people]
    return week.model_copy(update={"people": people})


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
