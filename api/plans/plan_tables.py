"""The plan's tables (migration 0002 creates them; tests/api/test_migrations holds them equal).

Nothing is updated in place: each plan version and each review is a new row,
numbered within the case. A review's "not working" tags are copied to
`review_themes` with the service and date only, so the report across reviews
reads no personal detail at all.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import DateTime, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from api.storage.tables import Base


class PlanReview(Base):
    """A review of one plan version (`plan_number`), as recorded."""

    __tablename__ = "plan_reviews"
    __table_args__ = (UniqueConstraint("case_id", "number", name="uq_plan_reviews_case_id_number"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    case_id: Mapped[str] = mapped_column(ForeignKey("cases.id"), index=True)
    number: Mapped[int] = mapped_column(Integer)
    plan_number: Mapped[int] = mapped_column(Integer)
    body: Mapped[str] = mapped_column(Text)  # JSON of NewPlanReview, the revision left out
    held_on: Mapped[str] = mapped_column(String(10))
    next_review_on: Mapped[str] = mapped_column(String(10))
    created_by: Mapped[str] = mapped_column(String(80))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class PlanVersion(Base):
    """One version of a case's plan, with what changed from the one before."""

    __tablename__ = "plan_versions"
    __table_args__ = (
        UniqueConstraint("case_id", "number", name="uq_plan_versions_case_id_number"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    case_id: Mapped[str] = mapped_column(ForeignKey("cases.id"), index=True)
    number: Mapped[int] = mapped_column(Integer)
    plan: Mapped[str] = mapped_column(Text)  # JSON of Plan
    content_hash: Mapped[str] = mapped_column(String(80))
    changes: Mapped[str] = mapped_column(Text)  # JSON list of PlanChange
    reason: Mapped[str | None] = mapped_column(Text)
    review_id: Mapped[int | None] = mapped_column(ForeignKey("plan_reviews.id"))
    decision_id: Mapped[int] = mapped_column(ForeignKey("case_records.id"))
    worker: Mapped[str] = mapped_column(String(200), index=True)
    service: Mapped[str] = mapped_column(String(80))
    review_on: Mapped[str] = mapped_column(String(10))
    created_by: Mapped[str] = mapped_column(String(80))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class ReviewTheme(Base):
    """One tag of one "not working" theme: service, date and whose view, nothing personal."""

    __tablename__ = "review_themes"
    __table_args__ = (Index("ix_review_themes_service_held_on", "service", "held_on"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    review_id: Mapped[int] = mapped_column(ForeignKey("plan_reviews.id"), index=True)
    service: Mapped[str] = mapped_column(String(80))
    held_on: Mapped[str] = mapped_column(String(10))
    view: Mapped[str] = mapped_column(String(10))  # person | others
    tag: Mapped[str] = mapped_column(String(40))


class ReviewRerun(Base):
    """An allocation or roster made again from a review: the record, or the roster's job."""

    __tablename__ = "review_reruns"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    review_id: Mapped[int] = mapped_column(ForeignKey("plan_reviews.id"), index=True)
    kind: Mapped[str] = mapped_column(String(20))  # allocation | roster
    record_id: Mapped[int | None] = mapped_column(ForeignKey("case_records.id"))
    job_id: Mapped[str | None] = mapped_column(ForeignKey("jobs.id"))
    created_by: Mapped[str] = mapped_column(String(80))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
