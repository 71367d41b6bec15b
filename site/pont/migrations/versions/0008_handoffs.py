"""Hand-offs of a case to the 3018, a platform, PHAROS, the police or the prosecutor, child
protection; with the dossier's digest and the outcome.

Revision ID: 0008
Revises: 0007
"""

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "case_handoffs",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("report_id", sa.Integer,
                  sa.ForeignKey("reports.id", ondelete="CASCADE"), nullable=False),
        sa.Column("kind", sa.String(40), nullable=False),
        sa.Column("platform", sa.String(40), nullable=True),
        sa.Column("reference", sa.LargeBinary, nullable=True),
        sa.Column("handed_on", sa.Date, nullable=False),
        sa.Column("dossier_sha256", sa.String(64), nullable=False),
        sa.Column("referent_id", sa.Integer,
                  sa.ForeignKey("referents.id", ondelete="SET NULL"), nullable=True),
        sa.Column("created_at", sa.DateTime, nullable=False),
        sa.Column("outcome", sa.String(40), nullable=True),
        sa.Column("outcome_on", sa.Date, nullable=True),
        sa.Column("outcome_referent_id", sa.Integer,
                  sa.ForeignKey("referents.id", ondelete="SET NULL"), nullable=True),
    )
    op.create_index("ix_case_handoffs_report_id", "case_handoffs", ["report_id"])


def downgrade() -> None:
    op.drop_table("case_handoffs")
