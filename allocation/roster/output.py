"""The roster JSON (docs/design.md, "Roster: the perfect week"): pydantic, so it has a schema.

Money is text in pounds (exact, never float); hours are decimals; the solver
figures say which stage they belong to and where each bound came from.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

Reason = Literal["skill_missing", "nobody_available", "refused", "over_budget", "working_rule"]
BoundSource = Literal["solver", "lp_relaxation", "shift_cover", "counting"]


class Out(BaseModel):
    model_config = ConfigDict(frozen=True)


class SlotSupport(Out):
    """Who supports one person in one slot; empty `supporters` when the slot is unmet."""

    day: str
    start: str
    end: str
    person: str
    block: int
    activity: str
    supporters: list[str]


class SupporterWeek(Out):
    id: str
    name: str
    kind: str
    hours: Decimal
    sleep_ins: int
    sleep_in_top_up: Decimal = Field(
        description="£ at the minimum wage for the sleep-ins' awake hours, in `cost`."
    )
    sessions: int
    contracted_top_up_hours: Decimal
    cost: Decimal
    people: list[str]


class PersonWeek(Out):
    id: str
    needed_hours: Decimal
    covered_hours: Decimal
    paid_hours: Decimal = Field(description="Hours with paid staff (a shared hour counts whole).")
    cost_share: Decimal


class Unmet(Out):
    """A stretch of one block left without support, and why."""

    person: str
    block: int
    activity: str
    priority: Literal["essential", "desirable"]
    day: str
    start: str
    end: str
    hours: Decimal
    reason: Reason
    detail: str


class LeftOut(Out):
    """A block of the perfect week not rostered: a carer meets its outcome (s.18(7))."""

    person: str
    block: int
    activity: str
    outcome: str
    days: list[str]
    start: str
    end: str
    reason: str
    source: str


class LeastBudget(Out):
    """The least weekly budget that covers all the essential need that can be covered."""

    amount: Decimal
    lower_bound: Decimal
    proven: bool
    essential_unmet_hours: Decimal = Field(
        description="Essential need no budget can cover (nobody available, skills missing)."
    )


class StageReport(Out):
    """One stage, measured on the roster returned: `solved` (value meets a proven
    bound), `improved` (a solution, not proven), `unsolved` (its time found
    nothing; the value is the roster's as it stood)."""

    name: str
    unit: str
    status: Literal["solved", "improved", "unsolved"]
    value: Decimal
    bound: Decimal
    bound_source: BoundSource
    gap: float
    seconds: float
    repair_seconds: float | None = Field(
        default=None,
        description=(
            "Of `seconds`, what the essential repair took (allocation/roster/repair.py), "
            "when the stage's search ended unproven on a whole week; else null."
        ),
    )


class AfterSearch(Out):
    """The passes made on the roster after the search (allocation/roster/improve.py)."""

    filled_hours: Decimal = Field(description="Unmet need given to a supporter who could take it.")
    natural_first_swaps: int = Field(
        description="Paid slots swapped to a natural supporter or technology who could take them."
    )
    natural_first_check: Literal["passed", "failed"] = Field(
        description="passed: no paid slot is left that natural support or technology could take."
    )


class ModelReport(Out):
    """How much of the week the CP-SAT model held: on a huge week it may be cut, or not built."""

    built: bool = Field(description="false: no time to build it; the greedy roster and the passes.")
    choices: int = Field(description="(supporter, person, slot) choices the model held.")
    week_choices: int = Field(description="The week's choices: all of them unless `limited_to`.")
    limited_to: int | None = Field(
        description="Supporters kept per block occurrence beside the greedy roster's; null: all."
    )
    note: str | None = Field(description="Why the model was cut or not built, and what it means.")


class SolverReport(Out):
    status: Literal["optimal", "feasible", "unknown"]
    roster_from: Literal["cp-sat", "greedy"]
    gap: float = Field(description="Relative gap of the first stage in solve order not solved.")
    gap_stage: str | None
    unsolved_stages: list[str] = Field(
        description="Stages the time limit left without a solution; the roster before them stands."
    )
    after_search: AfterSearch
    model: ModelReport | None = Field(
        default=None, description="null only in a roster stored before it was reported."
    )
    wall_seconds: float = Field(description="From the command's start: reading the week counts.")
    stages: list[StageReport]
    parameters: dict[str, object]


class RosterResult(Out):
    slot_minutes: int
    budget: Decimal
    total_cost: Decimal
    within_budget: bool
    paid_hours: Decimal
    unpaid_hours: Decimal
    least_budget_for_essential: LeastBudget | None
    slots: list[SlotSupport]
    supporters: list[SupporterWeek]
    people: list[PersonWeek]
    unmet: list[Unmet]
    left_out: list[LeftOut] = Field(
        default_factory=list, description="Blocks a willing and able carer meets (s.18(7))."
    )
    solver: SolverReport
