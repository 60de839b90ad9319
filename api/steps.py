"""The records a case's steps make, shared by the routes and the demo data."""

from __future__ import annotations

from datetime import date

from api.engines import Engines
from api.jsontext import dumps
from api.resources import EligibilityRequest
from api.storage.records import Kind, NewRecord
from api.storage.tables import CaseRecord
from engine.intake import Intake


def intake_record(intake: Intake, based_on: int | None = None) -> NewRecord:
    text = dumps(intake)
    return NewRecord(Kind.intake, inputs=text, output=text, based_on=based_on)


def decision_record(
    found: Engines, intake_of: CaseRecord, intake: Intake, as_of: date | None
) -> NewRecord:
    """The engine's decision; its inputs are exactly what re-running it needs."""
    on = as_of or date.today()
    decision = found.decide(intake, on)
    inputs = EligibilityRequest(intake=intake, as_of=on)
    return NewRecord(
        Kind.decision, dumps(inputs), dumps(decision), tuple(decision.rulesets), on, intake_of.id
    )
