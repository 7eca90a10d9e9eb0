"""product (merchant_id, brand) index for the per-turn brand lookup of chat grounding

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-25 20:20:00

At 100k products `SELECT DISTINCT brand ... WHERE merchant_id = ?` walked every product of
the shop (45 ms on SQLite); with this covering index it reads the index alone.
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_index("ix_product_merchant_brand", "product", ["merchant_id", "brand"])


def downgrade() -> None:
    op.drop_index("ix_product_merchant_brand", table_name="product")
