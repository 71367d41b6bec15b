"""Schools, referents, reports, evidence, reporter messages and staff notes.

Revision ID: 0003
Revises: 0001
"""

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "schools",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("uai", sa.String(8), nullable=False, unique=True),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("town", sa.String(120), nullable=False),
        sa.Column("search_key", sa.String(330), nullable=False),
        sa.Column("created_at", sa.DateTime, nullable=False),
        sa.Column("updated_at", sa.DateTime, nullable=False),
    )
    op.create_index("ix_schools_search_key", "schools", ["search_key"])
    op.create_table(
        "referents",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("school_id", sa.Integer,
                  sa.ForeignKey("schools.id", ondelete="CASCADE"), nullable=False),
        sa.Column("email", sa.String(254), nullable=False, unique=True),
        sa.Column("password_hash", sa.String(255), nullable=False),
        sa.Column("active", sa.Boolean, nullable=False),
        sa.Column("created_at", sa.DateTime, nullable=False),
    )
    op.create_index("ix_referents_school_id", "referents", ["school_id"])
    op.create_table(
        "reports",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("school_id", sa.Integer,
                  sa.ForeignKey("schools.id", ondelete="RESTRICT"), nullable=False),
        sa.Column("code", sa.String(10), nullable=False, unique=True),
        sa.Column("secret_hash", sa.String(160), nullable=False),
        sa.Column("submission_digest", sa.String(64), nullable=False, unique=True),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("danger", sa.String(8), nullable=False),
        sa.Column("contact_requested", sa.Boolean, nullable=False),
        sa.Column("language", sa.String(2), nullable=False),
        sa.Column("answers", sa.LargeBinary, nullable=False),
        sa.Column("contact", sa.LargeBinary, nullable=True),
        sa.Column("created_at", sa.DateTime, nullable=False),
        sa.Column("updated_at", sa.DateTime, nullable=False),
        sa.Column("status_changed_at", sa.DateTime, nullable=False),
    )
    op.create_index("ix_reports_school_id", "reports", ["school_id"])
    op.create_index("ix_reports_status", "reports", ["status"])
    op.create_index("ix_reports_created_at", "reports", ["created_at"])
    op.create_table(
        "report_evidence",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("report_id", sa.Integer,
                  sa.ForeignKey("reports.id", ondelete="CASCADE"), nullable=False),
        sa.Column("received_at", sa.DateTime, nullable=False),
        sa.Column("received_sha256", sa.String(64), nullable=False),
        sa.Column("received_bytes", sa.Integer, nullable=False),
        sa.Column("stored_sha256", sa.String(64), nullable=False),
        sa.Column("media_type", sa.String(32), nullable=False),
        sa.Column("width", sa.Integer, nullable=False),
        sa.Column("height", sa.Integer, nullable=False),
        sa.Column("data", sa.LargeBinary, nullable=False),
    )
    op.create_index("ix_report_evidence_report_id", "report_evidence", ["report_id"])
    op.create_table(
        "report_messages",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("report_id", sa.Integer,
                  sa.ForeignKey("reports.id", ondelete="CASCADE"), nullable=False),
        sa.Column("author", sa.String(16), nullable=False),
        sa.Column("body", sa.LargeBinary, nullable=False),
        sa.Column("created_at", sa.DateTime, nullable=False),
    )
    op.create_index("ix_report_messages_report_id", "report_messages", ["report_id"])
    op.create_table(
        "report_staff_notes",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("report_id", sa.Integer,
                  sa.ForeignKey("reports.id", ondelete="CASCADE"), nullable=False),
        sa.Column("referent_id", sa.Integer,
                  sa.ForeignKey("referents.id", ondelete="SET NULL"), nullable=True),
        sa.Column("body", sa.LargeBinary, nullable=False),
        sa.Column("created_at", sa.DateTime, nullable=False),
    )
    op.create_index("ix_report_staff_notes_report_id", "report_staff_notes", ["report_id"])


def downgrade() -> None:
    op.drop_table("report_staff_notes")
    op.drop_table("report_messages")
    op.drop_table("report_evidence")
    op.drop_table("reports")
    op.drop_table("referents")
    op.drop_table("schools")
