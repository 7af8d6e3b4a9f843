"""archive winners: winners of past editions entered by the organizers

Revision ID: 20261123_public_winners
Revises: e024ac016ce8
Create Date: 2026-11-23 11:30:00

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "20261123_public_winners"
down_revision = "e024ac016ce8"
branch_labels = None
depends_on = None

AWARD_KINDS = ("winner", "second", "third", "laureate", "special_mention")


def upgrade():
    op.create_table(
        "archive_winners",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("edition_id", sa.Integer(), nullable=False),
        sa.Column(
            "kind",
            sa.Enum(*AWARD_KINDS, name="awardkind", native_enum=False, length=32),
            nullable=False,
        ),
        sa.Column("full_name", sa.String(length=200), nullable=False),
        sa.Column("organization", sa.String(length=300), server_default="", nullable=False),
        sa.Column("country_code", sa.String(length=8), server_default="", nullable=False),
        sa.Column("nomination_ru", sa.String(length=300), server_default="", nullable=False),
        sa.Column("nomination_en", sa.String(length=300), server_default="", nullable=False),
        sa.Column("position", sa.Integer(), server_default="0", nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["edition_id"],
            ["editions.id"],
            name=op.f("fk_archive_winners_edition_id_editions"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_archive_winners")),
    )
    with op.batch_alter_table("archive_winners", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_archive_winners_edition_id"), ["edition_id"], unique=False
        )


def downgrade():
    with op.batch_alter_table("archive_winners", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_archive_winners_edition_id"))
    op.drop_table("archive_winners")
