"""Intake drafts: the form's text as typed, kept section by section until it makes a case."""

from __future__ import annotations

import json
import uuid
from datetime import UTC, datetime

from api.storage.database import Database
from api.storage.tables import IntakeDraft
from api.web.intake_form import Values


def create(db: Database, user: str, fields: Values, case_id: str | None = None) -> str:
    draft_id = uuid.uuid4().hex
    with db.write() as session:
        session.add(
            IntakeDraft(
                id=draft_id,
                case_id=case_id,
                fields=json.dumps(dict(fields)),
                created_by=user,
                updated_at=datetime.now(UTC),
            )
        )
    return draft_id


def get(db: Database, draft_id: str) -> IntakeDraft | None:
    with db.read() as session:
        return session.get(IntakeDraft, draft_id)


def values(draft: IntakeDraft) -> dict[str, str | list[str]]:
    found: dict[str, str | list[str]] = json.loads(draft.fields)
    return found


def save(db: Database, draft_id: str, fields: Values) -> None:
    """Replace the given fields (one section's), keeping the rest of the draft."""
    with db.write() as session:
        draft = session.get_one(IntakeDraft, draft_id)
        draft.fields = json.dumps({**json.loads(draft.fields), **fields})
        draft.updated_at = datetime.now(UTC)


def discard(db: Database, draft_id: str) -> None:
    with db.write() as session:
        draft = session.get(IntakeDraft, draft_id)
        if draft is not None:
            session.delete(draft)
