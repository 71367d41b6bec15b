"""Staff: referents' session token, protocol steps of a case, the audit log.

Merges the live-sessions and reports branches.

Revision ID: 0004
Revises: 0002, 0003
"""

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = ("0002", "0003")
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("referents") as batch:
        batch.add_column(sa.Column("session_token", sa.String(64), nullable=True))
    op.create_table(
        "case_steps",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("report_id", sa.Integer,
                  sa.ForeignKey("reports.id", ondelete="CASCADE"), nullable=False),
        sa.Column("step", sa.String(32), nullable=False),
        sa.Column("done_at", sa.DateTime, nullable=False),
        sa.Column("referent_id", sa.Integer,
                  sa.ForeignKey("referents.id", ondelete="SET NULL"), nullable=True),
        sa.UniqueConstraint("report_id", "step"),
    )
    op.create_index("ix_case_steps_report_id", "case_steps", ["report_id"])
    op.create_table(
        "audit_log",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("at", sa.DateTime, nullable=False),
        sa.Column("referent_id", sa.Integer,
                  sa.ForeignKey("referents.id", ondelete="SET NULL"), nullable=True),
        sa.Column("school_id", sa.Integer,
                  sa.ForeignKey("schools.id", ondelete="SET NULL"), nullable=True),
        sa.Column("report_id", sa.Integer,
                  sa.ForeignKey("reports.id", ondelete="SET NULL"), nullable=True),
        sa.Column("report_code", sa.String(10), nullable=True),
        sa.Column("action", sa.String(32), nullable=False),
        sa.Column("detail", sa.String(40), nullable=True),
    )
    for column in ("at", "referent_id", "school_id", "report_id"):
        op.create_index(f"ix_audit_log_{column}", "audit_log", [column])


def downgrade() -> None:
    op.drop_table("audit_log")
    op.drop_table("case_steps")
    with op.batch_alter_table("referents") as batch:
        batch.drop_column("session_token")
