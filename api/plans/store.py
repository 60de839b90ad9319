"""The plan's queries: append a version or a review, read them back, list what is due.

Call the writers with the case row locked (records.get_case(lock=True)), as
for a case's records: writers of one case queue, numbers never repeat.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import UTC, date, datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from api.jsontext import dumps
from api.plans.due import CurrentPlan
from api.plans.plan_model import Plan
from api.plans.plan_tables import PlanReview, PlanVersion, ReviewRerun, ReviewTheme
from api.plans.review_model import NewPlanReview
from api.plans.revisions import PlanChange
from api.plans.themes import TaggedView
from api.storage.records import digest
from api.storage.tables import Case


def add_version(
    session: Session,
    case_id: str,
    plan: Plan,
    changes: Sequence[PlanChange],
    decision_id: int,
    user: str,
    reason: str | None = None,
    review_id: int | None = None,
) -> PlanVersion:
    number = session.scalar(
        select(func.count(PlanVersion.id)).where(PlanVersion.case_id == case_id)
    )
    text = dumps(plan)
    version = PlanVersion(
        case_id=case_id,
        number=(number or 0) + 1,
        plan=text,
        content_hash=digest(text),
        changes=json.dumps([c.model_dump(mode="json") for c in changes]),
        reason=reason,
        review_id=review_id,
        decision_id=decision_id,
        worker=plan.worker,
        service=plan.service,
        review_on=plan.review_on.isoformat(),
        created_by=user,
        created_at=datetime.now(UTC),
    )
    session.add(version)
    session.flush()
    return version


def add_review(
    session: Session, case_id: str, plan: PlanVersion, review: NewPlanReview, user: str
) -> PlanReview:
    """The review (its revision, if any, is stored as the next version, not here) and its
    "not working" tags, copied without any personal detail for the report."""
    number = session.scalar(select(func.count(PlanReview.id)).where(PlanReview.case_id == case_id))
    next_on = review.revision.review_on if review.revision else review.next_review_on
    assert next_on is not None  # review_problems asks for one
    row = PlanReview(
        case_id=case_id,
        number=(number or 0) + 1,
        plan_number=plan.number,
        body=review.model_dump_json(exclude={"revision"}),
        held_on=review.held_on.isoformat(),
        next_review_on=next_on.isoformat(),
        created_by=user,
        created_at=datetime.now(UTC),
    )
    session.add(row)
    session.flush()
    for view, themes in (
        ("person", review.not_working.person),
        ("others", review.not_working.others),
    ):
        for tag in sorted({t for theme in themes for t in theme.tags}):
            session.add(
                ReviewTheme(
                    review_id=row.id,
                    service=plan.service,
                    held_on=row.held_on,
                    view=view,
                    tag=tag,
                )
            )
    return row


def add_rerun(
    session: Session,
    review: PlanReview,
    kind: str,
    user: str,
    record_id: int | None = None,
    job_id: str | None = None,
) -> ReviewRerun:
    rerun = ReviewRerun(
        review_id=review.id,
        kind=kind,
        record_id=record_id,
        job_id=job_id,
        created_by=user,
        created_at=datetime.now(UTC),
    )
    session.add(rerun)
    session.flush()
    return rerun


def versions(session: Session, case_id: str) -> list[PlanVersion]:
    query = select(PlanVersion).where(PlanVersion.case_id == case_id)
    return list(session.scalars(query.order_by(PlanVersion.number)))


def version(session: Session, case_id: str, number: int) -> PlanVersion | None:
    query = select(PlanVersion).where(PlanVersion.case_id == case_id, PlanVersion.number == number)
    return session.scalars(query).first()


def latest_version(session: Session, case_id: str) -> PlanVersion | None:
    query = select(PlanVersion).where(PlanVersion.case_id == case_id)
    return session.scalars(query.order_by(PlanVersion.number.desc())).first()


def revision_from(session: Session, review_id: int) -> PlanVersion | None:
    """The plan version a review made, if it revised the plan."""
    query = select(PlanVersion).where(PlanVersion.review_id == review_id)
    return session.scalars(query).first()


def reviews(session: Session, case_id: str) -> list[PlanReview]:
    query = select(PlanReview).where(PlanReview.case_id == case_id)
    return list(session.scalars(query.order_by(PlanReview.number)))


def review(session: Session, case_id: str, number: int) -> PlanReview | None:
    query = select(PlanReview).where(PlanReview.case_id == case_id, PlanReview.number == number)
    return session.scalars(query).first()


def reruns(session: Session, review_ids: Sequence[int]) -> list[ReviewRerun]:
    query = select(ReviewRerun).where(ReviewRerun.review_id.in_(review_ids))
    return list(session.scalars(query.order_by(ReviewRerun.id)))


def current_plans(session: Session) -> list[CurrentPlan]:
    """Every case's latest plan version with the reviews made of it."""
    newest = (
        select(PlanVersion.case_id, func.max(PlanVersion.number).label("number"))
        .group_by(PlanVersion.case_id)
        .subquery()
    )
    query = (
        select(Case, PlanVersion)
        .join(PlanVersion, PlanVersion.case_id == Case.id)
        .join(
            newest,
            (newest.c.case_id == PlanVersion.case_id) & (newest.c.number == PlanVersion.number),
        )
        .order_by(PlanVersion.worker, Case.id)
    )
    current = list(session.execute(query))
    made: dict[tuple[str, int], list[PlanReview]] = {}
    reviewed = select(PlanReview).where(PlanReview.case_id.in_([c.id for c, _ in current]))
    for row in session.scalars(reviewed.order_by(PlanReview.number)):
        made.setdefault((row.case_id, row.plan_number), []).append(row)
    found = []
    for case, version in current:
        rows = made.get((case.id, version.number), [])
        found.append(
            CurrentPlan(
                case_id=case.id,
                person=case.person,
                version=version.number,
                plan=Plan.model_validate_json(version.plan),
                reviews=[NewPlanReview.model_validate_json(r.body) for r in rows],
                next_review_on=date.fromisoformat(rows[-1].next_review_on) if rows else None,
            )
        )
    return found


def themes(
    session: Session, start: date, end: date, service: str | None = None
) -> list[TaggedView]:
    """The "not working" tags of reviews held from `start` to `end`: nothing personal."""
    query = select(ReviewTheme).where(
        ReviewTheme.held_on >= start.isoformat(), ReviewTheme.held_on <= end.isoformat()
    )
    if service is not None:
        query = query.where(ReviewTheme.service == service)
    return [
        TaggedView(service=r.service, held_on=date.fromisoformat(r.held_on), view=r.view, tag=r.tag)
        for r in session.scalars(query.order_by(ReviewTheme.id))
    ]
