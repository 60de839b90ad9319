"""The WEEK file: people's perfect weeks, the supporters around them, the budget.

These models check each value on its own; the checks that need the whole week
(overlaps, names that must exist, times on the slot grid) are in week_file.py,
where each problem can be given its own field and line.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Annotated, Literal

from pydantic import BeforeValidator, Field, model_validator

from allocation.roster.slots import DAYS, parse_clock
from engine.common import Money, Strict
from engine.intake import Outcome

Day = Literal["mon", "tue", "wed", "thu", "fri", "sat", "sun"]
Clock = Annotated[int, BeforeValidator(parse_clock)]
Hours = Annotated[Decimal, Field(ge=0, le=168)]
Name = Annotated[str, Field(min_length=1, max_length=80, pattern=r"^[A-Za-z0-9][A-Za-z0-9_.-]*$")]
Kind = Literal["family", "friend", "community", "technology", "paid"]

# Just Enough Support's order of looking: network and community, then
# technology, then paid staff (domain-facts.md §6.5).
KIND_ORDER: tuple[Kind, ...] = ("family", "friend", "community", "technology", "paid")


class Timed(Strict):
    """A time of day on one day (`day`) or on several (`days`).

    An end at or before the start runs past midnight into the next day.
    """

    day: Day | None = None
    days: list[Day] | None = Field(default=None, min_length=1)
    start: Clock
    end: Clock

    @model_validator(mode="after")
    def _one_way_of_naming_days(self) -> Timed:
        if (self.day is None) == (self.days is None):
            raise ValueError("give either day or days")
        if self.days is not None and len(set(self.days)) != len(self.days):
            raise ValueError("days names a day twice")
        if self.start == 24 * 60:
            raise ValueError("start must be before 24:00")
        if self.start == self.end % (24 * 60) and self.end != 24 * 60:
            raise ValueError("start and end are the same time")
        return self

    def day_indexes(self) -> tuple[int, ...]:
        chosen = self.days if self.days is not None else [self.day]
        return tuple(DAYS.index(d) for d in chosen if d is not None)


class Window(Timed):
    """When a supporter is available."""


class Block(Timed):
    """One stretch of the person's perfect week and the support it takes."""

    activity: str = Field(min_length=1, max_length=80)
    ratio: Literal[1, 2] = Field(default=1, description="Supporters needed at once.")
    skills: list[str] = Field(default_factory=list)
    priority: Literal["essential", "desirable"] = "essential"
    weight: int = Field(default=1, ge=1, le=100, description="How much an unmet hour counts.")
    shareable: bool = Field(
        default=False, description="One worker may support this person and another at once."
    )
    support: Literal["awake", "sleep_in"] = Field(
        default="awake", description="sleep_in: one supporter sleeps in, paid a flat rate."
    )
    awake_hours: Hours = Field(
        default=Decimal(0),
        description="sleep_in: hours the supporter is expected to be awake and working, "
        "paid at least the minimum wage on top of the sleep-in rate.",
    )
    prefers: list[Name] | None = Field(
        default=None, description="Supporters wanted here (replaces the person's list)."
    )
    refuses: list[Name] = Field(default_factory=list)
    rest_break: bool | None = Field(
        default=None,
        description="A paid worker may take their rest break while rostered here (the "
        "person is safe without them for it: resting, at a day service); absent: yes for a "
        "sleep-in, whose time asleep is the rest, no for awake support.",
    )
    outcome: Outcome | None = Field(
        default=None, description="The specified outcome (SI 2015/313 reg. 2(2)) it serves."
    )


class Person(Strict):
    id: Name
    name: str | None = None
    prefers: list[Name] = Field(default_factory=list)
    refuses: list[Name] = Field(default_factory=list)
    blocks: list[Block] = Field(default_factory=list)
    carer_meets: list[Outcome] = Field(
        default_factory=list,
        description="Outcomes a carer meets and is willing and able to go on meeting: the "
        "blocks that serve them are left out of the roster (Care Act 2014 s.18(7)).",
    )

    def carer_meets_block(self, block: Block) -> bool:
        return block.outcome is not None and block.outcome in self.carer_meets


class Supporter(Strict):
    """Anyone or anything that can give support, natural or paid."""

    id: Name
    name: str | None = None
    kind: Kind
    people: list[Name] | None = Field(
        default=None, description="Whom this supporter supports; everyone when absent."
    )
    available: list[Window] | None = Field(
        default=None, description="Availability windows; the whole week when absent."
    )
    max_hours: Hours | None = Field(default=None, description="Weekly cap on hours.")
    skills: list[str] = Field(default_factory=list)
    hourly_rate: Money = Decimal(0)
    session_fee: Money = Field(default=Decimal(0), description="Per block taken part in.")
    weekly_cost: Money = Field(default=Decimal(0), description="Per week, if used at all.")
    sleep_in_rate: Money | None = Field(
        default=None, description="Paid staff: flat rate per sleep-in; absent: no sleep-ins."
    )
    contracted_hours: Hours = Field(
        default=Decimal(0), description="Paid staff: awake hours paid in any week they work."
    )
    opted_out: bool = Field(
        default=False,
        description="Paid staff: a written opt-out of the 48-hour average is recorded (reg. 5).",
    )
    earlier_weeks_hours: list[Hours] = Field(
        default_factory=list,
        max_length=16,
        description="Paid staff: hours worked in the weeks before this one in the reference "
        "period, most recent last; the 48-hour limit is an average over them and this week.",
    )
    covers: list[str] | None = Field(
        default=None, description="Technology: the activities it can stand in for."
    )


class Rules(Strict):
    """Working rules for paid staff (Working Time Regulations 1998, domain-facts.md §6.1)."""

    slot_minutes: Literal[10, 15, 20, 30, 60] = 30
    min_shift_hours: Hours = Decimal(1)
    max_shift_hours: Hours = Decimal(12)
    daily_rest_hours: Annotated[Decimal, Field(ge=0, le=24)] = Decimal(11)
    weekly_cap_hours: Hours = Decimal(48)
    max_consecutive_days: int = Field(default=6, ge=1, le=7)
    max_people_at_once: int = Field(
        default=2, ge=1, le=4, description="People one worker may support at once."
    )
    average_weekly_hours: Hours = Field(
        default=Decimal(48),
        description="Average weekly working time over the reference period, unless the "
        "worker has opted out (Working Time Regulations 1998 reg. 4; domain-facts.md §6.1).",
    )
    reference_weeks: int = Field(
        default=17, ge=1, le=52, description="Weeks the average is taken over (reg. 4(3)(b))."
    )
    break_after_hours: Annotated[Decimal, Field(gt=0, le=24)] = Field(
        default=Decimal(6),
        description="Hours a paid worker may work before a rest break is due: an adult "
        "worker whose daily working time is more than this is entitled to one (Working Time "
        "Regulations 1998 reg. 12; domain-facts.md §6.1, checked against the source). Held "
        "for every stretch of work, not once a day: stricter, and a local rule for the model.",
    )
    break_minutes: int = Field(
        default=20,
        ge=1,
        le=240,
        description="The rest break's least length, uninterrupted (reg. 12; §6.1, checked "
        "against the source); rostered as whole slots, rounded up.",
    )
    break_derogation: bool = Field(
        default=False,
        description="The reg. 21 special case (continuity of care) applies: the rest break "
        "is left out of the roster and owed as compensatory rest (reg. 24; §6.1, recalled, "
        "not checked against the source). Default false: the break is rostered.",
    )
    minimum_wage: Money = Field(
        default=Decimal("12.21"),
        description="£ an hour for time awake and working on a sleep-in: the National Living "
        "Wage from 1 April 2025 (domain-facts.md §6.2, checked against the source); the "
        "sleep-in rate pays for sleeping time (Mencap v Tomlinson-Blake [2021] UKSC 8, §6.3).",
    )


class Week(Strict):
    budget: Money | None = Field(
        default=None,
        description="Weekly budget in pounds; absent when it comes from an allocation "
        "(`justenough roster --budget-from`).",
    )
    rules: Rules = Field(default_factory=Rules)
    people: list[Person] = Field(min_length=1)
    supporters: list[Supporter] = Field(default_factory=list)
