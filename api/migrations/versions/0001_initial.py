"""The first tables: users, stored ruleset versions, cases and their records, jobs, audit.

Revision ID: 0001
Revises:
Create Date: 2026-11-28 23:23:14.891747
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "audit_log",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("user_name", sa.String(length=80), nullable=False),
        sa.Column("role", sa.String(length=20), nullable=False),
        sa.Column("action", sa.String(length=10), nullable=False),
        sa.Column("case_id", sa.String(length=32), nullable=True),
        sa.Column("method", sa.String(length=10), nullable=False),
        sa.Column("path", sa.Text(), nullable=False),
        sa.Column("status", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_audit_log")),
    )
    op.create_index("ix_audit_log_case_id", "audit_log", ["case_id"], unique=False)
    op.create_table(
        "cases",
        sa.Column("id", sa.String(length=32), nullable=False),
        sa.Column("person", sa.String(length=200), nullable=False),
        sa.Column("created_by", sa.String(length=80), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_cases")),
    )
    op.create_table(
        "ruleset_versions",
        sa.Column("hash", sa.String(length=80), nullable=False),
        sa.Column("ruleset_id", sa.String(length=80), nullable=False),
        sa.Column("version", sa.String(length=40), nullable=False),
        sa.Column("title", sa.Text(), nullable=False),
        sa.Column("stored_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("hash", name=op.f("pk_ruleset_versions")),
    )
    op.create_index(
        op.f("ix_ruleset_versions_ruleset_id"), "ruleset_versions", ["ruleset_id"], unique=False
    )
    op.create_table(
        "users",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=80), nullable=False),
        sa.Column("role", sa.String(length=20), nullable=False),
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_users")),
        sa.UniqueConstraint("name", name=op.f("uq_users_name")),
        sa.UniqueConstraint("token_hash", name=op.f("uq_users_token_hash")),
    )
    op.create_table(
        "case_records",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.String(length=32), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("based_on", sa.Integer(), nullable=True),
        sa.Column("reviews", sa.Integer(), nullable=True),
        sa.Column("as_of", sa.String(length=10), nullable=True),
        sa.Column("rulesets", sa.Text(), nullable=False),
        sa.Column("inputs", sa.Text(), nullable=False),
        sa.Column("output", sa.Text(), nullable=False),
        sa.Column("content_hash", sa.String(length=80), nullable=False),
        sa.Column("created_by", sa.String(length=80), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["based_on"], ["case_records.id"], name=op.f("fk_case_records_based_on_case_records")
        ),
        sa.ForeignKeyConstraint(
            ["case_id"], ["cases.id"], name=op.f("fk_case_records_case_id_cases")
        ),
        sa.ForeignKeyConstraint(
            ["reviews"], ["case_records.id"], name=op.f("fk_case_records_reviews_case_records")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_case_records")),
        sa.UniqueConstraint(
            "case_id", "kind", "number", name="uq_case_records_case_id_kind_number"
        ),
        sa.UniqueConstraint("case_id", "version", name="uq_case_records_case_id_version"),
    )
    op.create_index(op.f("ix_case_records_case_id"), "case_records", ["case_id"], unique=False)
    op.create_table(
        "ruleset_files",
        sa.Column("ruleset_hash", sa.String(length=80), nullable=False),
        sa.Column("path", sa.String(length=200), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["ruleset_hash"],
            ["ruleset_versions.hash"],
            name=op.f("fk_ruleset_files_ruleset_hash_ruleset_versions"),
        ),
        sa.PrimaryKeyConstraint("ruleset_hash", "path", name=op.f("pk_ruleset_files")),
    )
    op.create_table(
        "determinations",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("record_id", sa.Integer(), nullable=False),
        sa.Column("action", sa.String(length=20), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("reason", sa.Text(), nullable=True),
        sa.Column("created_by", sa.String(length=80), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["record_id"],
            ["case_records.id"],
            name=op.f("fk_determinations_record_id_case_records"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_determinations")),
    )
    op.create_index(
        op.f("ix_determinations_record_id"), "determinations", ["record_id"], unique=False
    )
    op.create_table(
        "jobs",
        sa.Column("id", sa.String(length=32), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("case_id", sa.String(length=32), nullable=True),
        sa.Column("request", sa.Text(), nullable=False),
        sa.Column("result", sa.Text(), nullable=True),
        sa.Column("error", sa.Text(), nullable=True),
        sa.Column("record_id", sa.Integer(), nullable=True),
        sa.Column("created_by", sa.String(length=80), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("finished_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(["case_id"], ["cases.id"], name=op.f("fk_jobs_case_id_cases")),
        sa.ForeignKeyConstraint(
            ["record_id"], ["case_records.id"], name=op.f("fk_jobs_record_id_case_records")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_jobs")),
    )
    op.create_table(
        "record_rulesets",
        sa.Column("record_id", sa.Integer(), nullable=False),
        sa.Column("ruleset_hash", sa.String(length=80), nullable=False),
        sa.ForeignKeyConstraint(
            ["record_id"],
            ["case_records.id"],
            name=op.f("fk_record_rulesets_record_id_case_records"),
        ),
        sa.ForeignKeyConstraint(
            ["ruleset_hash"],
            ["ruleset_versions.hash"],
            name=op.f("fk_record_rulesets_ruleset_hash_ruleset_versions"),
        ),
        sa.PrimaryKeyConstraint("record_id", "ruleset_hash", name=op.f("pk_record_rulesets")),
    )


def downgrade() -> None:
    op.drop_table("record_rulesets")
    op.drop_table("jobs")
    op.drop_index(op.f("ix_determinations_record_id"), table_name="determinations")
    op.drop_table("determinations")
    op.drop_table("ruleset_files")
    op.drop_index(op.f("ix_case_records_case_id"), table_name="case_records")
    op.drop_table("case_records")
    op.drop_table("users")
    op.drop_index(op.f("ix_ruleset_versions_ruleset_id"), table_name="ruleset_versions")
    op.drop_table("ruleset_versions")
    op.drop_table("cases")
    op.drop_index("ix_audit_log_case_id", table_name="audit_log")
    op.drop_table("audit_log")
