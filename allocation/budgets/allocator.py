"""One person's indicative budgets: the eligibility gate, every method, the charge.

An allocation is made only for a person the rules engine finds eligible for
every programme the methods require; otherwise the answer names the
programme decision that stands in the way.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date
from pathlib import Path

from allocation.budgets.allocation_model import (
    Allocation,
    Assessment,
    BlockedBy,
    Budget,
    Eligibility,
    RequiredProgramme,
    Spread,
    Unavailable,
)
from allocation.budgets.bottom_up_costing import costing_budget
from allocation.budgets.charging import assess
from allocation.budgets.houses import HouseFiles
from allocation.budgets.isf import PricedHouse, fixed_shares, isf_budget, price_house
from allocation.budgets.methods import Methods
from allocation.budgets.methods_files import SplitRule
from allocation.budgets.ras import ras_budget
from allocation.budgets.request_checks import request_problems
from allocation.budgets.requests import LoadedRequest
from allocation.budgets.sufficiency import sufficiency
from allocation.budgets.unpaid_care import all_met, carer_meets, carer_met_lines
from engine.decision_model import Criterion, Decision, ProgrammeDecision
from engine.screening import Screener
from engine.sourcefiles import InputError, Problem
from engine.worker_pool import CaseError

METHODS = ("ras", "costing", "isf")


class Allocator:
    """Runs the chosen methods for requests, with the rules engine as the gate."""

    def __init__(
        self, methods: Sequence[Methods], screener: Screener, chosen: Sequence[str] = METHODS
    ) -> None:
        self.methods = tuple(methods)
        self.screener = screener
        self.chosen = tuple(chosen)
        self.houses = HouseFiles()
        self.priced: dict[tuple[Path, str, date], PricedHouse] = {}

    def methods_for(self, loaded: LoadedRequest) -> Methods | None:
        return next((m for m in self.methods if m.applies_to(loaded.intake)), None)

    def problems(self, loaded: LoadedRequest) -> list[Problem]:
        methods = self.methods_for(loaded)
        return [] if methods is None else request_problems(loaded, methods, self.houses)

    def allocate_all(
        self, requests: Sequence[LoadedRequest], on: date, read: Sequence[Problem] = ()
    ) -> list[Allocation]:
        """Every request checked first, screened in one batch, then allocated.

        InputError with every problem at once (`read`: those found reading the
        requests) if any request does not fit. A case the rules engine failed on
        is not allocated and says so; the others go on.
        """
        checked = (p for r in requests for p in self.problems(r))
        problems = list(dict.fromkeys([*read, *checked]))
        if problems:
            raise InputError(problems)
        decisions = self.screener.check_many([r.intake for r in requests], on)
        return [self.allocate_decided(r, d, on) for r, d in zip(requests, decisions, strict=True)]

    def allocate(self, loaded: LoadedRequest, on: date) -> Allocation:
        (allocation,) = self.allocate_all([loaded], on)
        return allocation

    def allocate_decided(
        self, loaded: LoadedRequest, decision: Decision | CaseError, on: date
    ) -> Allocation:
        """A checked request whose intake the caller has already screened (not screened twice)."""
        person = loaded.person
        methods = self.methods_for(loaded)
        if methods is None:
            place = loaded.intake.person.lives_in
            where = place.country.value + (f" ({place.region})" if place.region else "")
            blocked = BlockedBy(
                programme=None, outcome=None, reason=f"no allocation method applies in {where}"
            )
            return Allocation(
                person=person,
                as_of=on,
                allocated=False,
                eligibility=Eligibility(blocked_by=blocked),
            )
        eligibility = self._eligibility(methods, decision)
        stamps = [methods.ruleset.stamp()]
        if eligibility.blocked_by is not None:
            return Allocation(
                person=person, as_of=on, allocated=False, eligibility=eligibility, rulesets=stamps
            )
        house = self._house(loaded, methods, on)
        charging = None
        if methods.charging is not None:
            night = _night_care(loaded, methods, house)
            charging = assess(methods.charging, methods.capital, loaded.intake, night, on)
        outcomes = {
            name: _funded(self._method(name, loaded, methods, house, on), charging)
            for name in self.chosen
        }
        return Allocation(
            person=person,
            as_of=on,
            allocated=True,
            eligibility=eligibility,
            rulesets=stamps,
            methods=outcomes,
            charging=charging,
            spread=_spread(outcomes),
            sufficiency=None
            if methods.ras is None
            else sufficiency(outcomes, methods.ras.dated("sufficiency_margin", on)),
            carer_met=carer_met_lines(
                loaded.intake,
                loaded.request.support_plan,
                methods.ras.spec if methods.ras else None,
                outcomes,
            ),
        )

    def _eligibility(self, methods: Methods, decision: Decision | CaseError) -> Eligibility:
        if isinstance(decision, CaseError):
            reason = f"the rules engine failed on this case: {decision}"
            blocked = BlockedBy(programme=None, outcome="engine_failed", reason=reason)
            return Eligibility(blocked_by=blocked)
        used = [getattr(methods, name) for name in (*self.chosen, "charging")]
        required = list(
            dict.fromkeys(p for m in used if m is not None for p in m.spec.requires_eligible)
        )
        seen = []
        for programme_id in required:
            programme = decision.programme(programme_id)
            outcome = programme.outcome if programme else "not_screened"
            seen.append(RequiredProgramme(id=programme_id, outcome=outcome))
            if outcome != "eligible":
                blocked = _blocked(programme_id, programme, decision.ask_next)
                return Eligibility(programmes=seen, blocked_by=blocked)
        return Eligibility(programmes=seen)

    def _house(self, loaded: LoadedRequest, methods: Methods, on: date) -> PricedHouse | None:
        """The person's house priced once a date, however many tenants ask."""
        if loaded.request.house is None or methods.costing is None:
            return None
        path = loaded.path_of(loaded.request.house).resolve()
        key = (path, methods.ruleset.hash, on)
        if key not in self.priced:
            split = methods.isf.spec.shared_split if methods.isf else SplitRule.equal
            self.priced[key] = price_house(self.houses.get(path), methods.costing, split, on)
        return self.priced[key]

    def _method(
        self,
        name: str,
        loaded: LoadedRequest,
        methods: Methods,
        house: PricedHouse | None,
        on: date,
    ) -> Budget | Unavailable:
        request = loaded.request
        folder = methods.ruleset.folder
        meets = carer_meets(loaded.intake)
        if name == "ras":
            if methods.ras is None:
                return _not_applicable("ras", f"{folder} has no RAS method")
            return ras_budget(methods.ras, request.questionnaire, on, meets)
        if methods.costing is None:
            return _not_applicable(name, f"{folder} has no costing method")
        if name == "costing":
            shares = fixed_shares(house)[loaded.person] if house else []
            return costing_budget(methods.costing, request.support_plan, shares, on, meets)
        if methods.isf is None:
            return _not_applicable("isf", f"{folder} has no ISF method")
        if house is None:
            return _not_applicable(
                "isf", "the person is not a tenant of a shared house (no house given)"
            )
        return isf_budget(
            methods.isf,
            methods.costing,
            house,
            loaded.person,
            request.support_plan,
            request.personal_control_weekly,
            on,
            meets,
        )


def _not_applicable(method: str, reason: str) -> Unavailable:
    return Unavailable.model_validate(
        {"method": method, "status": "not_applicable", "reason": reason}
    )


def _funded(outcome: Budget | Unavailable, charging: Assessment | None) -> Budget | Unavailable:
    """A budget with the person's contribution to it and the net funded amount, once known."""
    if not isinstance(outcome, Budget) or charging is None:
        return outcome
    contribution = charging.contribution(outcome.weekly)
    if contribution is None:
        return outcome
    return outcome.model_copy(
        update={"contribution": contribution, "net_funded": outcome.weekly - contribution}
    )


def _spread(outcomes: Mapping[str, Budget | Unavailable]) -> Spread | None:
    weekly = {m: o.weekly for m, o in outcomes.items() if isinstance(o, Budget)}
    if len(weekly) < 2:
        return None
    highest = max(weekly, key=lambda m: weekly[m])
    lowest = min(weekly, key=lambda m: weekly[m])
    both = "ras" in weekly and "costing" in weekly
    return Spread.model_validate(
        {
            "weekly": weekly[highest] - weekly[lowest],
            "highest": highest,
            "lowest": lowest,
            "ras_minus_costing": weekly["ras"] - weekly["costing"] if both else None,
        }
    )


def _blocked(
    programme_id: str, programme: ProgrammeDecision | None, ask_next: Sequence[str]
) -> BlockedBy:
    if programme is None:
        reason = f"{programme_id} was not decided: no ruleset that applies to the person defines it"
        return BlockedBy(programme=programme_id, outcome="not_screened", reason=reason)
    unmet = [
        Criterion(id=c.id, met=c.met, explain=c.explain, source=c.source)
        for c in programme.criteria
        if c.met is not True
    ]
    if programme.outcome == "needs_information":
        reason = f"{programme.title}: the decision needs more information"
    else:
        reason = f"{programme.title}: not eligible"
    return BlockedBy(
        programme=programme_id,
        outcome=programme.outcome,
        reason=reason,
        criteria=unmet,
        ask_next=list(ask_next) if programme.outcome == "needs_information" else [],
    )


def _night_care(loaded: LoadedRequest, methods: Methods, house: PricedHouse | None) -> bool:
    """Whether the person's plan, or their house, arranges care at night.

    A night line left out because a willing and able carer meets its outcomes
    is not arranged by the council.
    """
    if methods.costing is None:
        return False
    types = methods.costing.spec.support_types
    meets = carer_meets(loaded.intake)
    if any(
        types[line.support].night and line.per_week > 0 and not all_met(line.outcomes, meets)
        for line in loaded.request.support_plan or []
    ):
        return True
    if house is None:
        return False
    return any(c.night for c in house.core) or any(
        c.night and loaded.person in c.users for c in house.shared
    )
