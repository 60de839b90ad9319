"""The Allocation (docs/design.md, "Allocation"): indicative budgets, as pydantic models.

The one copy of the contract. Each budget method returns a `Budget` (its
lines add up to it) or says why it cannot (`Unavailable`); the financial
assessment is an `Assessment`; the allocator puts them together, with the
person's contribution to each budget and the net funded amount, in an
`Allocation`; a cohort is a `CohortAllocation`. The JSON
(`model_dump(mode="json")`) is the documented contract: money is a string of
pounds with two decimals ("1234.50"), so no reader has to trust a float;
quantities and rates are strings too. Reading that JSON back
(`model_validate_json`) gives an equal model, and the sums are checked.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Annotated, Any, Literal

from pydantic import AfterValidator, Field, PlainSerializer, model_validator

from engine.common import ZERO, Strict, annual, penny
from engine.decision_model import Criterion, RulesetStamp

QUANTITY_PLACES = Decimal("0.0001")  # a third of an hour shows as 0.3333


def _pounds_text(amount: Decimal) -> str:
    return f"{penny(amount):f}"


def _four_places(value: Decimal) -> Decimal:
    """As written when it has at most four decimals, else to four."""
    exponent = value.as_tuple().exponent
    return (
        value if isinstance(exponent, int) and exponent >= -4 else value.quantize(QUANTITY_PLACES)
    )


Pounds = Annotated[
    Decimal,
    AfterValidator(penny),
    PlainSerializer(_pounds_text, return_type=str, when_used="json"),
]
Quantity = Annotated[
    Decimal,
    AfterValidator(_four_places),
    PlainSerializer(lambda value: f"{value:f}", return_type=str, when_used="json"),
]
MethodName = Literal["ras", "costing", "isf"]


def _absent(value: Any) -> bool:
    return value is None


class Line(Strict):
    """One step of a calculation. `amount` is in whole pence; the others explain it."""

    label: str
    quantity: Quantity | None = None
    unit: str | None = None
    unit_cost: Quantity | None = None
    amount: Pounds
    source: str


def total(lines: list[Line]) -> Decimal:
    return sum((line.amount for line in lines), ZERO)


class RasPoints(Strict):
    """A question's points; a domain left out for a carer scores 0 and says what it would be."""

    question: str
    answer: str
    points: int
    source: str
    would_score: int | None = Field(
        default=None,
        exclude_if=_absent,
        description="The points before they were left out (a carer meets the outcomes).",
    )
    note: str | None = Field(default=None, exclude_if=_absent)


class IfLeaves(Strict):
    """What happens to the house when this tenant leaves."""

    house_total_falls_by: Pounds
    fixed_part_before: dict[str, Pounds]
    fixed_part_after: dict[str, Pounds] | None = Field(
        description="None when nobody would be left to share the costs (see `note`)."
    )
    note: str | None = Field(default=None, exclude_if=_absent)


class IsfHouse(Strict):
    """The tenant's shared house, and their fixed and discretionary parts of its costs."""

    id: str
    file: str
    tenants: list[str]
    fixed_costs_weekly: Pounds
    fixed_part: Pounds
    discretionary_part: Pounds
    if_leaves: IfLeaves


class Budget(Strict):
    """One method's indicative budget a week: the sum of its lines.

    `weekly` is the whole budget. Once the financial assessment is known,
    `contribution` is what the person pays towards it a week (never more than
    it) and `net_funded` what the council pays: the two add up to `weekly`.
    Both are None while the assessment needs information.
    """

    method: MethodName
    id: str
    status: Literal["ok"] = "ok"
    weekly: Pounds
    annual: Pounds
    lines: list[Line]
    contribution: Pounds | None = None
    net_funded: Pounds | None = None
    ruleset: RulesetStamp
    points: list[RasPoints] | None = Field(default=None, exclude_if=_absent)
    total_points: int | None = Field(default=None, exclude_if=_absent)
    band: str | None = Field(default=None, exclude_if=_absent)
    house: IsfHouse | None = Field(default=None, exclude_if=_absent)

    @classmethod
    def of(
        cls, method: MethodName, id: str, ruleset: RulesetStamp, lines: list[Line], **details: Any
    ) -> Budget:
        weekly = total(lines)
        return cls(
            method=method,
            id=id,
            weekly=weekly,
            annual=annual(weekly),
            lines=lines,
            ruleset=ruleset,
            **details,
        )

    @model_validator(mode="after")
    def _adds_up(self) -> Budget:
        if self.weekly != total(self.lines):
            raise ValueError(f"weekly {self.weekly} is not the sum of the lines")
        if self.annual != annual(self.weekly):
            raise ValueError(f"annual {self.annual} is not 52 times weekly {self.weekly}")
        if (self.contribution is None) != (self.net_funded is None):
            raise ValueError("contribution and net_funded are known together or not at all")
        if self.contribution is not None and self.net_funded is not None:
            if not ZERO <= self.contribution <= self.weekly:
                raise ValueError("the contribution is between nothing and the whole budget")
            if self.contribution + self.net_funded != self.weekly:
                raise ValueError("contribution and net_funded do not add up to weekly")
        return self


class Unavailable(Strict):
    """A method that cannot give a budget for this person, and why."""

    method: MethodName
    status: Literal["needs_information", "not_applicable"]
    reason: str
    ask: list[str] = Field(default_factory=list, description="Fields to ask for.")


MethodOutcome = Annotated[Budget | Unavailable, Field(discriminator="status")]


class Assessment(Strict):
    """The financial assessment: the weekly charge before it meets a budget, or why not yet.

    `weekly_charge` is what the person could pay a week; towards any one
    budget they pay at most that budget (`contribution`). With `full_cost`
    (capital above the upper limit) they pay the whole budget.
    """

    id: str
    status: Literal["ok", "needs_information"]
    full_cost: bool = False
    reason: str = ""
    ask: list[str] = Field(default_factory=list)
    lines: list[Line] = Field(default_factory=list)
    disposable_weekly: Pounds | None = None
    weekly_charge: Pounds | None = None
    ruleset: RulesetStamp

    @classmethod
    def of(
        cls,
        id: str,
        ruleset: RulesetStamp,
        lines: list[Line] | None = None,
        weekly_charge: Decimal | None = None,
        full_cost: bool = False,
        reason: str = "",
        ask: list[str] | None = None,
    ) -> Assessment:
        assessed = not ask and not full_cost
        return cls(
            id=id,
            status="needs_information" if ask else "ok",
            full_cost=full_cost,
            reason=reason,
            ask=ask or [],
            lines=lines or [],
            disposable_weekly=total(lines or []) if assessed else None,
            weekly_charge=weekly_charge,
            ruleset=ruleset,
        )

    def contribution(self, budget: Decimal) -> Decimal | None:
        """What the person pays towards `budget` a week: never more than it."""
        if self.ask:
            return None
        if self.full_cost:
            return budget
        assert self.weekly_charge is not None
        return min(self.weekly_charge, budget)

    @model_validator(mode="after")
    def _consistent(self) -> Assessment:
        if self.status != ("needs_information" if self.ask else "ok"):
            raise ValueError("status is needs_information exactly when there is something to ask")
        if self.status == "ok" and not self.full_cost and self.weekly_charge is None:
            raise ValueError("an assessment without a full cost has a weekly charge")
        return self


ProgrammeOutcome = Literal["eligible", "not_eligible", "needs_information", "not_screened"]


class RequiredProgramme(Strict):
    """A programme the methods require the person to be eligible for, and its outcome."""

    id: str
    outcome: ProgrammeOutcome


class BlockedBy(Strict):
    """Why no allocation was made: the programme decision that stands in the way."""

    programme: str | None
    outcome: ProgrammeOutcome | Literal["engine_failed"] | None
    reason: str
    criteria: list[Criterion] | None = Field(
        default=None, exclude_if=_absent, description="The criteria not met or unknown."
    )
    ask_next: list[str] | None = Field(default=None, exclude_if=_absent)


class Eligibility(Strict):
    programmes: list[RequiredProgramme] = Field(default_factory=list)
    blocked_by: BlockedBy | None = None


class Spread(Strict):
    """The gap between the highest and lowest weekly budget a person's methods give."""

    weekly: Pounds
    highest: MethodName
    lowest: MethodName
    ras_minus_costing: Pounds | None


class Sufficiency(Strict):
    """The RAS indicative figure against the costed support plan (R (KM) v Cambridgeshire)."""

    flagged: bool = Field(description="The costed plan exceeds the RAS figure by the margin.")
    ras_weekly: Pounds
    costed_weekly: Pounds
    shortfall_weekly: Pounds
    margin: Decimal = Field(description="The local margin, as a share of the RAS figure.")
    explain: str
    source: str


class Allocation(Strict):
    """One person's indicative budgets, as on `as_of`.

    For a weekly budget to plan support against (the roster's
    `--budget-from`), read `budget(method)`: its `weekly` is the whole
    budget, `net_funded` what the council pays and `contribution` what the
    person pays towards it, both None until the financial assessment has
    what it needs.
    """

    person: str
    as_of: date
    allocated: bool
    eligibility: Eligibility
    rulesets: list[RulesetStamp] = Field(default_factory=list)
    methods: dict[str, MethodOutcome] = Field(default_factory=dict)
    charging: Assessment | None = None
    spread: Spread | None = None
    sufficiency: Sufficiency | None = Field(default=None, exclude_if=_absent)
    carer_met: list[Line] = Field(
        default_factory=list,
        description="Each outcome a carer meets: what each method left out for it when the "
        "carer is willing and able to go on (Care Act s.18(7)), else why it is planned for.",
    )

    @model_validator(mode="after")
    def _gate(self) -> Allocation:
        if self.allocated == (self.eligibility.blocked_by is not None):
            raise ValueError("allocated exactly when nothing blocks the allocation")
        if not self.allocated and self.methods:
            raise ValueError("a blocked allocation has no methods")
        return self

    def budgets(self) -> dict[str, Budget]:
        return {m: o for m, o in self.methods.items() if isinstance(o, Budget)}

    def budget(self, method: str) -> Budget | None:
        return self.budgets().get(method)

    def charge(self) -> Decimal | None:
        """The most the person pays a week towards any one budget: never more than it.

        None until a budget and the financial assessment are both known.
        """
        paid = [b.contribution for b in self.budgets().values() if b.contribution is not None]
        return max(paid) if paid else None


class MethodTotal(Strict):
    """A method's budgets summed over a cohort; `unassessed` people have no contribution yet."""

    people: int
    weekly: Pounds
    annual: Pounds
    contribution: Pounds
    net_funded: Pounds
    unassessed: int


class LargestSpread(Strict):
    person: str
    ras_minus_costing: Pounds


class HouseTotal(Strict):
    """A shared house whose tenants all have an ISF: every share and the house total."""

    id: str
    tenants: list[str]
    fixed_weekly: Pounds
    shares: dict[str, Pounds]
    total_weekly: Pounds


class CohortAllocation(Strict):
    as_of: date | None
    people: list[Allocation]
    totals: dict[str, MethodTotal]
    largest_ras_costing_spread: LargestSpread | None
    houses: list[HouseTotal]
