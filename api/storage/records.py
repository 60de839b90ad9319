"""Cases and their records: append-only, numbered, each with who, when and what rules.

A case's version is the number of records it holds; its state at a version
is the latest record of each kind up to it. Writers of one case queue on the
case row (PostgreSQL: SELECT ... FOR UPDATE; SQLite: BEGIN IMMEDIATE).
"""

from __future__ import annotations

import hashlib
import json
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from enum import StrEnum

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from api.storage.tables import AuditEntry, Case, CaseRecord, Determination, RecordRuleset
from engine.decision_model import RulesetStamp


class Kind(StrEnum):
    """The steps of a case, in the order they are made."""

    intake = "intake"
    decision = "decision"
    allocation = "allocation"
    roster = "roster"
    review = "review"


@dataclass(frozen=True)
class NewRecord:
    kind: Kind
    inputs: str  # JSON text of what the step read
    output: str  # JSON text of what it answered, exactly as served
    rulesets: tuple[RulesetStamp, ...] = ()
    as_of: date | None = None
    based_on: int | None = None  # the record this step was built on
    reviews: int | None = None  # for a review: the record it looks again at


def digest(text: str) -> str:
    return "sha256:" + hashlib.sha256(text.encode()).hexdigest()


def create_case(session: Session, person: str, first: NewRecord, user: str) -> Case:
    case = Case(id=uuid.uuid4().hex, person=person, created_by=user, created_at=datetime.now(UTC))
    session.add(case)
    session.flush()
    add_record(session, case, first, user)
    return case


def get_case(session: Session, case_id: str, lock: bool = False) -> Case | None:
    query = select(Case).where(Case.id == case_id)
    return session.scalars(query.with_for_update() if lock else query).first()


def count_cases(session: Session) -> int:
    return session.scalar(select(func.count()).select_from(Case)) or 0


def add_record(session: Session, case: Case, new: NewRecord, user: str) -> CaseRecord:
    """The next version of the case; call with the case row locked (get_case(lock=True))."""
    version, number = session.execute(
        select(
            func.count(CaseRecord.id),
            func.count(CaseRecord.id).filter(CaseRecord.kind == new.kind.value),
        ).where(CaseRecord.case_id == case.id)
    ).one()
    record = CaseRecord(
        case_id=case.id,
        version=version + 1,
        kind=new.kind.value,
        number=number + 1,
        based_on=new.based_on,
        reviews=new.reviews,
        as_of=new.as_of.isoformat() if new.as_of else None,
        rulesets=json.dumps([s.model_dump() for s in new.rulesets]),
        inputs=new.inputs,
        output=new.output,
        content_hash=digest(new.output),
        created_by=user,
        created_at=datetime.now(UTC),
    )
    session.add(record)
    session.flush()
    for stamp in {s.hash for s in new.rulesets}:
        session.add(RecordRuleset(record_id=record.id, ruleset_hash=stamp))
    return record


def history(session: Session, case_id: str) -> list[CaseRecord]:
    query = select(CaseRecord).where(CaseRecord.case_id == case_id)
    return list(session.scalars(query.order_by(CaseRecord.version)))


def find_record(session: Session, case_id: str, kind: Kind, number: int) -> CaseRecord | None:
    query = select(CaseRecord).where(
        CaseRecord.case_id == case_id, CaseRecord.kind == kind.value, CaseRecord.number == number
    )
    return session.scalars(query).first()


def latest(session: Session, case_id: str, kind: Kind) -> CaseRecord | None:
    query = select(CaseRecord).where(CaseRecord.case_id == case_id, CaseRecord.kind == kind.value)
    return session.scalars(query.order_by(CaseRecord.number.desc())).first()


def state_at(records: Sequence[CaseRecord], version: int) -> dict[Kind, CaseRecord]:
    """The latest record of each kind at `version` of the case."""
    state: dict[Kind, CaseRecord] = {}
    for record in sorted(records, key=lambda r: r.version):
        if record.version <= version:
            state[Kind(record.kind)] = record
    return state


def stamps_of(record: CaseRecord) -> tuple[RulesetStamp, ...]:
    return tuple(RulesetStamp.model_validate(s) for s in json.loads(record.rulesets))


def determine(
    session: Session, record: CaseRecord, action: str, body: str, reason: str | None, user: str
) -> Determination:
    made = Determination(
        record_id=record.id,
        action=action,
        body=body,
        reason=reason,
        created_by=user,
        created_at=datetime.now(UTC),
    )
    session.add(made)
    session.flush()
    return made


def determinations(session: Session, record_ids: Sequence[int]) -> list[Determination]:
    query = select(Determination).where(Determination.record_id.in_(record_ids))
    return list(session.scalars(query.order_by(Determination.id)))


def standing(session: Session, record: CaseRecord) -> Determination | None:
    """The last word a person had on a record, if any."""
    found = determinations(session, [record.id])
    return found[-1] if found else None


def audit(
    session: Session,
    user: str,
    role: str,
    action: str,
    case_id: str | None,
    method: str,
    path: str,
    status: int,
) -> None:
    session.add(
        AuditEntry(
            at=datetime.now(UTC),
            user_name=user,
            role=role,
            action=action,
            case_id=case_id,
            method=method,
            path=path,
            status=status,
        )
    )


def audit_trail(session: Session, case_id: str) -> list[AuditEntry]:
    query = select(AuditEntry).where(AuditEntry.case_id == case_id)
    return list(session.scalars(query.order_by(AuditEntry.id)))
