"""external id on customers

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-27 09:00:00
"""
from alembic import op
import sqlalchemy as sa


revision = '0004'
down_revision = '0003'
branch_labels = None
depends_on = None


def upgrade() -> None:
    # ADD COLUMN and CREATE UNIQUE INDEX: no table rebuild, even on SQLite. NULLs never
    # collide in a unique index (SQLite and PostgreSQL alike), so "unique when present".
    with op.batch_alter_table('customers', schema=None) as batch_op:
        batch_op.add_column(sa.Column('external_id', sa.String(length=200), nullable=True))
        batch_op.create_index('ix_customers_external_id', ['external_id'], unique=True)


def downgrade() -> None:
    with op.batch_alter_table('customers', schema=None) as batch_op:
        batch_op.drop_index('ix_customers_external_id')
        batch_op.drop_column('external_id')
