"""analytics indexes: customer dates for the calendar

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-06 20:30:00
"""
from alembic import op


revision = '0008'
down_revision = '0007'
branch_labels = None
depends_on = None


def upgrade() -> None:
    # The Calendar reads one month of renewals, next touches and contacts falling
    # overdue: range scans on these dates instead of reading every customer.
    with op.batch_alter_table('customers', schema=None) as batch_op:
        batch_op.create_index('ix_customers_renewal_date', ['renewal_date'], unique=False)
        batch_op.create_index('ix_customers_next_touch', ['next_touch'], unique=False)
        batch_op.create_index('ix_customers_last_contact', ['last_contact_date'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('customers', schema=None) as batch_op:
        batch_op.drop_index('ix_customers_last_contact')
        batch_op.drop_index('ix_customers_next_touch')
        batch_op.drop_index('ix_customers_renewal_date')
