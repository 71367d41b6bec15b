"""Anonymous quiz answer counts.

Revision ID: 0001
Revises:
"""

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "quiz_option_counts",
        sa.Column("audience", sa.String(16), primary_key=True),
        sa.Column("module", sa.String(80), primary_key=True),
        sa.Column("question", sa.String(80), primary_key=True),
        sa.Column("option", sa.String(80), primary_key=True),
        sa.Column("count", sa.Integer, nullable=False, server_default="0"),
    )
    op.create_table(
        "quiz_question_counts",
        sa.Column("audience", sa.String(16), primary_key=True),
        sa.Column("module", sa.String(80), primary_key=True),
        sa.Column("question", sa.String(80), primary_key=True),
        sa.Column("answered", sa.Integer, nullable=False, server_default="0"),
        sa.Column("right", sa.Integer, nullable=False, server_default="0"),
    )


def downgrade() -> None:
    op.drop_table("quiz_question_counts")
    op.drop_table("quiz_option_counts")
