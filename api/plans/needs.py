"""The eligible needs a plan must answer, read from the case's stored decision.

A need is an outcome the person is unable to achieve, under a programme they
were found eligible for (the outcome a person confirmed or overrode stands),
or a condition a programme recommends treatment for. Which programmes name
needs is the table `NEED_SOURCES`; "unable" is the programme's own dated
parameter, read from the rules that made the decision, never retyped here.
Entitlements (benefits, charging, direct payments) are not needs: they pay
for support, they are not what it is for. A need that a carer meets and is
willing and able to go on meeting is still eligible, but the council need
not meet it (Care Act 2014 s.18(7)): it counts as answered, never flagged.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

from pydantic import Field

from api.plans.plan_model import NeedId, Plan
from engine.common import Strict
from engine.decision_model import Decision
from engine.intake import Intake
from engine.programmes import Programme


class Need(Strict):
    id: NeedId
    programme: str
    words: str = Field(description="The need in plain words.")
    level_of_care: str | None = Field(
        default=None, description="For a condition: the level of care the decision recommends."
    )
    met_by_carer: bool = Field(
        default=False, description="A carer meets it and is willing and able to go on (s.18(7))."
    )


class NeedCover(Strict):
    """How the plan answers one need: by goals, by a recorded deferral, or not at all."""

    need: Need
    goals: list[str]
    deferred_because: str | None
    flagged: bool = Field(description="No goal, no deferral reason and no carer meeting it.")


# (outcome, how the person manages it, met by a willing and able carer)
Assessed = list[tuple[str, str | None, bool]]


@dataclass(frozen=True)
class OutcomeNeeds:
    """A programme whose needs are the outcomes a person is unable to achieve."""

    programme: str
    prefix: str  # need ids are prefix.outcome
    whose: str  # for the words: "" or "as a carer"
    assessed: Callable[[Intake], Assessed]
    unable_parameter: str = "unable_means"


@dataclass(frozen=True)
class ConditionNeed:
    """A programme whose eligibility means a condition to treat, at a recommended level."""

    programme: str
    need: str
    words: str
    level_result: str  # the programme's result that names the level of care


def _adult(intake: Intake) -> Assessed:
    found = intake.needs.outcomes if intake.needs else None
    return [
        (
            o.outcome.value,
            o.manages.value if o.manages else None,
            bool(o.met_by_carer and o.carer_willing_and_able),
        )
        for o in found or []
    ]


def _carer(intake: Intake) -> Assessed:
    found = intake.carer.outcomes if intake.carer else None
    return [(o.outcome.value, o.manages.value if o.manages else None, False) for o in found or []]


NEED_SOURCES: tuple[OutcomeNeeds | ConditionNeed, ...] = (
    OutcomeNeeds("england.care_act.adult", "outcome", "", _adult),
    OutcomeNeeds("england.care_act.carer", "carer", " (as a carer)", _carer),
    ConditionNeed(
        "us.asam_level_of_care",
        "condition.substance_use",
        "Treatment and recovery support for substance use",
        "recommended_level",
    ),
)


def eligible_needs(
    decision: Decision,
    outcomes: Mapping[str, str],
    intake: Intake,
    programmes: Mapping[str, Programme],
) -> list[Need]:
    """Every need the plan must answer. `outcomes`: each programme's outcome as a person
    determined it; `programmes`: the programmes of the rules that made the decision."""
    needs: list[Need] = []
    for source in NEED_SOURCES:
        made = decision.programme(source.programme)
        if made is None or outcomes.get(source.programme) != "eligible":
            continue
        if isinstance(source, ConditionNeed):
            level = (
                made.result.value
                if made.result and made.result.name == source.level_result
                else None
            )
            needs.append(
                Need(
                    id=source.need,
                    programme=source.programme,
                    words=source.words,
                    level_of_care=level,
                )
            )
            continue
        unable = programmes[source.programme].parameter_values(decision.as_of)[
            source.unable_parameter
        ]
        for outcome, manages, carer in source.assessed(intake):
            if manages in unable:
                words = outcome.replace("_", " ").capitalize() + source.whose
                needs.append(
                    Need(
                        id=f"{source.prefix}.{outcome}",
                        programme=source.programme,
                        words=words,
                        met_by_carer=carer,
                    )
                )
    return needs


def coverage(plan: Plan, needs: Sequence[Need]) -> list[NeedCover]:
    """Each need with the goals that address it or the reason it waits; flagged if neither
    (and no willing carer meets it)."""
    deferred = {d.need: d.reason for d in plan.deferred}
    covers = []
    for need in needs:
        goals = [g.id for g in plan.goals if need.id in g.needs]
        reason = deferred.get(need.id)
        covers.append(
            NeedCover(
                need=need,
                goals=goals,
                deferred_because=reason,
                flagged=not goals and not reason and not need.met_by_carer,
            )
        )
    return covers
