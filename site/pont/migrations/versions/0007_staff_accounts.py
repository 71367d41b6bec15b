"""Staff accounts: admins and the schools they are given, head referents, last login,
two-factor login (TOTP secret, recovery codes) and invitations.

Revision ID: 0007
Revises: 0005
"""

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("referents") as batch:
        batch.alter_column("school_id", existing_type=sa.Integer, nullable=True)
        batch.add_column(sa.Column("role", sa.String(16), nullable=False,
                                   server_default="referent"))
        batch.add_column(sa.Column("head", sa.Boolean, nullable=False,
                                   server_default=sa.false()))
        batch.add_column(sa.Column("last_login_at", sa.DateTime, nullable=True))
        batch.add_column(sa.Column("totp_secret", sa.LargeBinary, nullable=True))
        batch.add_column(sa.Column("totp_last_step", sa.Integer, nullable=True))
    op.create_table(
        "admin_schools",
        sa.Column("referent_id", sa.Integer,
                  sa.ForeignKey("referents.id", ondelete="CASCADE"), primary_key=True),
        sa.Column("school_id", sa.Integer,
                  sa.ForeignKey("schools.id", ondelete="CASCADE"), primary_key=True),
    )
    op.create_index("ix_admin_schools_school_id", "admin_schools", ["school_id"])
    op.create_table(
        "staff_recovery_codes",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("referent_id", sa.Integer,
                  sa.ForeignKey("referents.id", ondelete="CASCADE"), nullable=False),
        sa.Column("digest", sa.String(64), nullable=False),
        sa.Column("used_at", sa.DateTime, nullable=True),
    )
    op.create_index("ix_staff_recovery_codes_referent_id", "staff_recovery_codes",
                    ["referent_id"])
    op.create_table(
        "staff_invitations",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("digest", sa.String(64), nullable=False, unique=True),
        sa.Column("email", sa.String(254), nullable=False),
        sa.Column("school_id", sa.Integer,
                  sa.ForeignKey("schools.id", ondelete="CASCADE"), nullable=False),
        sa.Column("head", sa.Boolean, nullable=False, server_default=sa.false()),
        sa.Column("invited_by", sa.Integer,
                  sa.ForeignKey("referents.id", ondelete="SET NULL"), nullable=True),
        sa.Column("created_at", sa.DateTime, nullable=False),
        sa.Column("expires_at", sa.DateTime, nullable=False),
        sa.Column("used_at", sa.DateTime, nullable=True),
    )
    op.create_index("ix_staff_invitations_email", "staff_invitations", ["email"])
    op.create_index("ix_staff_invitations_school_id", "staff_invitations", ["school_id"])


def downgrade() -> None:
    op.drop_table("staff_invitations")
    op.drop_table("staff_recovery_codes")
    op.drop_table("admin_schools")
    with op.batch_alter_table("referents") as batch:
        for column in ("totp_last_step", "totp_secret", "last_login_at", "head", "role"):
            batch.drop_column(column)
        batch.alter_column("school_id", existing_type=sa.Integer, nullable=False)
