"""Live class sessions, their participants and answers.

Revision ID: 0002
Revises: 0001
"""

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "live_sessions",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("code", sa.String(8), nullable=False, unique=True),
        sa.Column("lang", sa.String(2), nullable=False),
        sa.Column("audience", sa.String(16), nullable=False),
        sa.Column("module", sa.String(80), nullable=False),
        sa.Column("teacher_digest", sa.String(64), nullable=False),
        sa.Column("phase", sa.String(12), nullable=False),
        sa.Column("position", sa.Integer, nullable=False),
        sa.Column("version", sa.Integer, nullable=False),
        sa.Column("activity", sa.Integer, nullable=False),
        sa.Column("created_at", sa.DateTime, nullable=False),
        sa.Column("touched_at", sa.DateTime, nullable=False),
    )
    op.create_index("ix_live_sessions_touched_at", "live_sessions", ["touched_at"])
    op.create_table(
        "live_participants",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("session_id", sa.Integer,
                  sa.ForeignKey("live_sessions.id", ondelete="CASCADE"), nullable=False),
        sa.Column("token_digest", sa.String(64), nullable=False, unique=True),
        sa.Column("pseudonym", sa.String(40), nullable=False),
        sa.Column("removed", sa.Boolean, nullable=False),
        sa.Column("joined_at", sa.DateTime, nullable=False),
        sa.UniqueConstraint("session_id", "pseudonym"),
    )
    op.create_index("ix_live_participants_session_id", "live_participants", ["session_id"])
    op.create_table(
        "live_answers",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("session_id", sa.Integer,
                  sa.ForeignKey("live_sessions.id", ondelete="CASCADE"), nullable=False),
        sa.Column("participant_id", sa.Integer,
                  sa.ForeignKey("live_participants.id", ondelete="CASCADE"), nullable=False),
        sa.Column("question", sa.String(80), nullable=False),
        sa.Column("options", sa.String(800), nullable=False),
        sa.Column("right", sa.Boolean, nullable=False),
        sa.UniqueConstraint("participant_id", "question"),
    )
    op.create_index("ix_live_answers_session_question", "live_answers",
                    ["session_id", "question"])


def downgrade() -> None:
    op.drop_table("live_answers")
    op.drop_table("live_participants")
    op.drop_table("live_sessions")
