"""The tables (the Alembic migrations create them; a test holds the two equal).

Nothing is updated in place: each step of a case is a new row of
`case_records`, numbered within the case (`version`) and within its kind
(`number`). Outputs are stored as the exact JSON text served, with its sha256.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import (
    DateTime,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

NAMING = {
    "ix": "ix_%(table_name)s_%(column_0_name)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)


class User(Base):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(80), unique=True)
    role: Mapped[str] = mapped_column(String(20))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class RulesetVersion(Base):
    """A ruleset folder as it was when first used, kept by its content hash."""

    __tablename__ = "ruleset_versions"

    hash: Mapped[str] = mapped_column(String(80), primary_key=True)
    ruleset_id: Mapped[str] = mapped_column(String(80), index=True)
    version: Mapped[str] = mapped_column(String(40))
    title: Mapped[str] = mapped_column(Text)
    stored_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class RulesetFile(Base):
    """The text of one file of a stored ruleset version: enough to load it again."""

    __tablename__ = "ruleset_files"

    ruleset_hash: Mapped[str] = mapped_column(ForeignKey("ruleset_versions.hash"), primary_key=True)
    path: Mapped[str] = mapped_column(String(200), primary_key=True)
    text: Mapped[str] = mapped_column(Text)


class Case(Base):
    __tablename__ = "cases"

    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    person: Mapped[str] = mapped_column(String(200))
    created_by: Mapped[str] = mapped_column(String(80))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class CaseRecord(Base):
    """One step of a case: an intake, decision, allocation, roster or review."""

    __tablename__ = "case_records"
    __table_args__ = (
        UniqueConstraint("case_id", "version", name="uq_case_records_case_id_version"),
        UniqueConstraint("case_id", "kind", "number", name="uq_case_records_case_id_kind_number"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    case_id: Mapped[str] = mapped_column(ForeignKey("cases.id"), index=True)
    version: Mapped[int] = mapped_column(Integer)
    kind: Mapped[str] = mapped_column(String(20))
    number: Mapped[int] = mapped_column(Integer)
    based_on: Mapped[int | None] = mapped_column(ForeignKey("case_records.id"))
    reviews: Mapped[int | None] = mapped_column(ForeignKey("case_records.id"))
    as_of: Mapped[str | None] = mapped_column(String(10))
    rulesets: Mapped[str] = mapped_column(Text)  # JSON list of {id, version, hash}
    inputs: Mapped[str] = mapped_column(Text)
    output: Mapped[str] = mapped_column(Text)
    content_hash: Mapped[str] = mapped_column(String(80))
    created_by: Mapped[str] = mapped_column(String(80))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class RecordRuleset(Base):
    """Which stored ruleset versions a record was made with."""

    __tablename__ = "record_rulesets"

    record_id: Mapped[int] = mapped_column(ForeignKey("case_records.id"), primary_key=True)
    ruleset_hash: Mapped[str] = mapped_column(ForeignKey("ruleset_versions.hash"), primary_key=True)


class Determination(Base):
    """A person's confirmation or override of an engine recommendation."""

    __tablename__ = "determinations"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    record_id: Mapped[int] = mapped_column(ForeignKey("case_records.id"), index=True)
    action: Mapped[str] = mapped_column(String(20))  # confirm | override
    body: Mapped[str] = mapped_column(Text)  # JSON: what was decided
    reason: Mapped[str | None] = mapped_column(Text)
    created_by: Mapped[str] = mapped_column(String(80))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class Job(Base):
    """A long solve run in the background; its status URL reads this row."""

    __tablename__ = "jobs"

    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    kind: Mapped[str] = mapped_column(String(20))
    status: Mapped[str] = mapped_column(String(20))  # queued | running | done | failed
    case_id: Mapped[str | None] = mapped_column(ForeignKey("cases.id"))
    request: Mapped[str] = mapped_column(Text)
    result: Mapped[str | None] = mapped_column(Text)
    error: Mapped[str | None] = mapped_column(Text)
    record_id: Mapped[int | None] = mapped_column(ForeignKey("case_records.id"))
    created_by: Mapped[str] = mapped_column(String(80))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    finished_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class AuditEntry(Base):
    """Every read and write of a case: who, what, when, and the answer given."""

    __tablename__ = "audit_log"
    __table_args__ = (Index("ix_audit_log_case_id", "case_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    user_name: Mapped[str] = mapped_column(String(80))
    role: Mapped[str] = mapped_column(String(20))
    action: Mapped[str] = mapped_column(String(10))  # read | write
    case_id: Mapped[str | None] = mapped_column(String(32))
    method: Mapped[str] = mapped_column(String(10))
    path: Mapped[str] = mapped_column(Text)
    status: Mapped[int] = mapped_column(Integer)


class IntakeDraft(Base):
    """An intake form as an intake worker is filling it in (api/web): any text, even
    not yet valid, saved section by section; a case is made from it when it is."""

    __tablename__ = "intake_drafts"

    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    case_id: Mapped[str | None] = mapped_column(ForeignKey("cases.id"))
    fields: Mapped[str] = mapped_column(Text)  # JSON: form field name to its text
    created_by: Mapped[str] = mapped_column(String(80))
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
