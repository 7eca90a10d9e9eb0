"""feedback signals: product popularity, feedback source, feedback lookup by product

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-25 19:30:00

Written by hand (three small changes) and checked against autogenerate on SQLite and
PostgreSQL by tests/backend/test_db.py, which compares the migrated schema with the
models. `batch_alter_table` keeps SQLite happy (it cannot ALTER most column properties).
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("product") as batch:
        batch.add_column(sa.Column("popularity", sa.Float(), server_default="0", nullable=False))
    with op.batch_alter_table("feedback") as batch:
        batch.add_column(sa.Column("source", sqlmodel.sql.sqltypes.AutoString(length=32),
                                   nullable=True))
        batch.create_index("ix_feedback_product_created", ["product_id", "created_at"])


def downgrade() -> None:
    with op.batch_alter_table("feedback") as batch:
        batch.drop_index("ix_feedback_product_created")
        batch.drop_column("source")
    with op.batch_alter_table("product") as batch:
        batch.drop_column("popularity")
