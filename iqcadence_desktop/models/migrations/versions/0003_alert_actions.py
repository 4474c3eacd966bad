"""alert states and outcomes

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-26 22:05:00
"""
from alembic import op
import sqlalchemy as sa


revision = '0003'
down_revision = '0002'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('alert_states',
    sa.Column('alert_id', sa.String(length=80), nullable=False),
    sa.Column('customer_id', sa.Integer(), nullable=False),
    sa.Column('category', sa.String(length=30), nullable=False),
    sa.Column('rule', sa.String(length=40), nullable=False),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('since_day', sa.Integer(), nullable=False),
    sa.Column('seen_day', sa.Integer(), nullable=False),
    sa.Column('cleared_day', sa.Integer(), nullable=True),
    sa.Column('snoozed_until', sa.Integer(), nullable=True),
    sa.Column('dismissed', sa.Boolean(), nullable=False),
    sa.ForeignKeyConstraint(['customer_id'], ['customers.id'],
                            name=op.f('fk_alert_states_customer_id_customers'),
                            ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('alert_id', name=op.f('pk_alert_states'))
    )
    with op.batch_alter_table('alert_states', schema=None) as batch_op:
        batch_op.create_index('ix_alert_states_customer', ['customer_id'], unique=False)

    op.create_table('alert_outcomes',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('alert_id', sa.String(length=80), nullable=False),
    sa.Column('since_day', sa.Integer(), nullable=False),
    sa.Column('customer_id', sa.Integer(), nullable=False),
    sa.Column('category', sa.String(length=30), nullable=False),
    sa.Column('rule', sa.String(length=40), nullable=False),
    sa.Column('outcome', sa.String(length=20), nullable=False),
    sa.Column('marked_at', sa.DateTime(), nullable=False),
    sa.Column('user', sa.String(length=200), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_alert_outcomes')),
    sa.UniqueConstraint('alert_id', 'since_day', name='uq_alert_outcomes_episode')
    )
    with op.batch_alter_table('alert_outcomes', schema=None) as batch_op:
        batch_op.create_index('ix_alert_outcomes_rule', ['rule'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('alert_outcomes', schema=None) as batch_op:
        batch_op.drop_index('ix_alert_outcomes_rule')
    op.drop_table('alert_outcomes')
    with op.batch_alter_table('alert_states', schema=None) as batch_op:
        batch_op.drop_index('ix_alert_states_customer')
    op.drop_table('alert_states')
