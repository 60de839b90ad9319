"""The support plan: plan versions, plan reviews, review themes (no personal detail), reruns.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-28 23:56:06.496742
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "plan_reviews",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.String(length=32), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("plan_number", sa.Integer(), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("held_on", sa.String(length=10), nullable=False),
        sa.Column("next_review_on", sa.String(length=10), nullable=False),
        sa.Column("created_by", sa.String(length=80), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["case_id"], ["cases.id"], name=op.f("fk_plan_reviews_case_id_cases")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_plan_reviews")),
        sa.UniqueConstraint("case_id", "number", name="uq_plan_reviews_case_id_number"),
    )
    op.create_index(op.f("ix_plan_reviews_case_id"), "plan_reviews", ["case_id"], unique=False)
    op.create_table(
        "plan_versions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.String(length=32), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("plan", sa.Text(), nullable=False),
        sa.Column("content_hash", sa.String(length=80), nullable=False),
        sa.Column("changes", sa.Text(), nullable=False),
        sa.Column("reason", sa.Text(), nullable=True),
        sa.Column("review_id", sa.Integer(), nullable=True),
        sa.Column("decision_id", sa.Integer(), nullable=False),
        sa.Column("worker", sa.String(length=200), nullable=False),
        sa.Column("service", sa.String(length=80), nullable=False),
        sa.Column("review_on", sa.String(length=10), nullable=False),
        sa.Column("created_by", sa.String(length=80), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["case_id"], ["cases.id"], name=op.f("fk_plan_versions_case_id_cases")
        ),
        sa.ForeignKeyConstraint(
            ["decision_id"],
            ["case_records.id"],
            name=op.f("fk_plan_versions_decision_id_case_records"),
        ),
        sa.ForeignKeyConstraint(
            ["review_id"], ["plan_reviews.id"], name=op.f("fk_plan_versions_review_id_plan_reviews")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_plan_versions")),
        sa.UniqueConstraint("case_id", "number", name="uq_plan_versions_case_id_number"),
    )
    op.create_index(op.f("ix_plan_versions_case_id"), "plan_versions", ["case_id"], unique=False)
    op.create_index(op.f("ix_plan_versions_worker"), "plan_versions", ["worker"], unique=False)
    op.create_table(
        "review_themes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("review_id", sa.Integer(), nullable=False),
        sa.Column("service", sa.String(length=80), nullable=False),
        sa.Column("held_on", sa.String(length=10), nullable=False),
        sa.Column("view", sa.String(length=10), nullable=False),
        sa.Column("tag", sa.String(length=40), nullable=False),
        sa.ForeignKeyConstraint(
            ["review_id"], ["plan_reviews.id"], name=op.f("fk_review_themes_review_id_plan_reviews")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_review_themes")),
    )
    op.create_index(
        op.f("ix_review_themes_review_id"), "review_themes", ["review_id"], unique=False
    )
    op.create_index(
        "ix_review_themes_service_held_on", "review_themes", ["service", "held_on"], unique=False
    )
    op.create_table(
        "review_reruns",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("review_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("record_id", sa.Integer(), nullable=True),
        sa.Column("job_id", sa.String(length=32), nullable=True),
        sa.Column("created_by", sa.String(length=80), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["job_id"], ["jobs.id"], name=op.f("fk_review_reruns_job_id_jobs")),
        sa.ForeignKeyConstraint(
            ["record_id"], ["case_records.id"], name=op.f("fk_review_reruns_record_id_case_records")
        ),
        sa.ForeignKeyConstraint(
            ["review_id"], ["plan_reviews.id"], name=op.f("fk_review_reruns_review_id_plan_reviews")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_review_reruns")),
    )
    op.create_index(
        op.f("ix_review_reruns_review_id"), "review_reruns", ["review_id"], unique=False
    )


def downgrade() -> None:
    op.drop_index(op.f("ix_review_reruns_review_id"), table_name="review_reruns")
    op.drop_table("review_reruns")
    op.drop_index("ix_review_themes_service_held_on", table_name="review_themes")
    op.drop_index(op.f("ix_review_themes_review_id"), table_name="review_themes")
    op.drop_table("review_themes")
    op.drop_index(op.f("ix_plan_versions_worker"), table_name="plan_versions")
    op.drop_index(op.f("ix_plan_versions_case_id"), table_name="plan_versions")
    op.drop_table("plan_versions")
    op.drop_index(op.f("ix_plan_reviews_case_id"), table_name="plan_reviews")
    op.drop_table("plan_reviews")
