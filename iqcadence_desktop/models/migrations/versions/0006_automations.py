"""automations: connections, rules, events, outbox, attempts, schedules, leases

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-06 20:30:00
"""
from alembic import op
import sqlalchemy as sa


revision = '0006'
down_revision = '0005'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('automation_connections',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=80), nullable=False),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('url', sa.Text(), nullable=True),
    sa.Column('settings', sa.JSON(), nullable=False),
    sa.Column('secret_env', sa.String(length=120), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_automation_connections')),
    sa.UniqueConstraint('name', name=op.f('uq_automation_connections_name'))
    )
    op.create_table('automation_leases',
    sa.Column('name', sa.String(length=40), nullable=False),
    sa.Column('holder', sa.String(length=120), nullable=True),
    sa.Column('expires_at', sa.DateTime(), nullable=True),
    sa.PrimaryKeyConstraint('name', name=op.f('pk_automation_leases'))
    )
    op.create_table('automation_rules',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=120), nullable=False),
    sa.Column('kind', sa.String(length=10), nullable=False),
    sa.Column('triggers', sa.JSON(), nullable=False),
    sa.Column('groups', sa.JSON(), nullable=False),
    sa.Column('manager', sa.String(length=120), nullable=True),
    sa.Column('timing', sa.String(length=10), nullable=False),
    sa.Column('enabled', sa.Boolean(), nullable=False),
    sa.Column('state', sa.Text(), nullable=True),
    sa.Column('evaluated_day', sa.Integer(), nullable=True),
    sa.Column('evaluated_mark', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_automation_rules')),
    sa.UniqueConstraint('name', name=op.f('uq_automation_rules_name'))
    )
    op.create_table('automation_events',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('event_id', sa.String(length=64), nullable=False),
    sa.Column('rule_id', sa.Integer(), nullable=True),
    sa.Column('rule_name', sa.String(length=120), nullable=False),
    sa.Column('customer_id', sa.Integer(), nullable=False),
    sa.Column('customer_name', sa.String(length=200), nullable=False),
    sa.Column('type', sa.String(length=30), nullable=False),
    sa.Column('occurred_at', sa.DateTime(), nullable=False),
    sa.Column('payload', sa.JSON(), nullable=False),
    sa.Column('digest_period', sa.String(length=20), nullable=True),
    sa.Column('digest_due_at', sa.DateTime(), nullable=True),
    sa.Column('digested', sa.Boolean(), nullable=False),
    sa.ForeignKeyConstraint(['rule_id'], ['automation_rules.id'], name=op.f('fk_automation_events_rule_id_automation_rules'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_automation_events')),
    sa.UniqueConstraint('event_id', name=op.f('uq_automation_events_event_id'))
    )
    with op.batch_alter_table('automation_events', schema=None) as batch_op:
        batch_op.create_index('ix_automation_events_digest', ['digested', 'digest_due_at'], unique=False)
        batch_op.create_index('ix_automation_events_rule', ['rule_id', 'occurred_at'], unique=False)

    op.create_table('automation_outbox',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('event_id', sa.String(length=80), nullable=False),
    sa.Column('connection_id', sa.Integer(), nullable=True),
    sa.Column('connection_name', sa.String(length=80), nullable=False),
    sa.Column('channel', sa.String(length=16), nullable=False),
    sa.Column('kind', sa.String(length=10), nullable=False),
    sa.Column('rule_id', sa.Integer(), nullable=True),
    sa.Column('rule_name', sa.String(length=120), nullable=True),
    sa.Column('customer_id', sa.Integer(), nullable=True),
    sa.Column('customer_name', sa.String(length=200), nullable=True),
    sa.Column('subject', sa.Text(), nullable=False),
    sa.Column('body', sa.JSON(), nullable=False),
    sa.Column('status', sa.String(length=10), nullable=False),
    sa.Column('attempts', sa.Integer(), nullable=False),
    sa.Column('next_attempt_at', sa.DateTime(), nullable=False),
    sa.Column('claimed_by', sa.String(length=120), nullable=True),
    sa.Column('claimed_until', sa.DateTime(), nullable=True),
    sa.Column('last_status', sa.Integer(), nullable=True),
    sa.Column('last_error', sa.Text(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('sent_at', sa.DateTime(), nullable=True),
    sa.ForeignKeyConstraint(['connection_id'], ['automation_connections.id'], name=op.f('fk_automation_outbox_connection_id_automation_connections'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_automation_outbox')),
    sa.UniqueConstraint('event_id', 'connection_id', name='uq_automation_outbox_event')
    )
    with op.batch_alter_table('automation_outbox', schema=None) as batch_op:
        batch_op.create_index('ix_automation_outbox_connection', ['connection_id', 'status'], unique=False)
        batch_op.create_index('ix_automation_outbox_due', ['status', 'next_attempt_at'], unique=False)

    op.create_table('automation_rule_channels',
    sa.Column('rule_id', sa.Integer(), nullable=False),
    sa.Column('connection_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['connection_id'], ['automation_connections.id'], name=op.f('fk_automation_rule_channels_connection_id_automation_connections'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['rule_id'], ['automation_rules.id'], name=op.f('fk_automation_rule_channels_rule_id_automation_rules'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('rule_id', 'connection_id', name=op.f('pk_automation_rule_channels'))
    )
    op.create_table('automation_schedules',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('report', sa.String(length=40), nullable=False),
    sa.Column('format', sa.String(length=4), nullable=False),
    sa.Column('customer_id', sa.Integer(), nullable=True),
    sa.Column('manager', sa.String(length=120), nullable=True),
    sa.Column('every', sa.String(length=8), nullable=False),
    sa.Column('at_time', sa.String(length=5), nullable=False),
    sa.Column('day', sa.Integer(), nullable=True),
    sa.Column('recipients', sa.JSON(), nullable=False),
    sa.Column('connection_id', sa.Integer(), nullable=False),
    sa.Column('enabled', sa.Boolean(), nullable=False),
    sa.Column('next_due_at', sa.DateTime(), nullable=False),
    sa.Column('last_queued_at', sa.DateTime(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['connection_id'], ['automation_connections.id'], name=op.f('fk_automation_schedules_connection_id_automation_connections'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_automation_schedules'))
    )
    op.create_table('automation_attempts',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('outbox_id', sa.Integer(), nullable=False),
    sa.Column('at', sa.DateTime(), nullable=False),
    sa.Column('outcome', sa.String(length=10), nullable=False),
    sa.Column('status_code', sa.Integer(), nullable=True),
    sa.Column('error', sa.Text(), nullable=True),
    sa.Column('retry_at', sa.DateTime(), nullable=True),
    sa.Column('duration_ms', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['outbox_id'], ['automation_outbox.id'], name=op.f('fk_automation_attempts_outbox_id_automation_outbox'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_automation_attempts'))
    )
    with op.batch_alter_table('automation_attempts', schema=None) as batch_op:
        batch_op.create_index('ix_automation_attempts_at', ['at'], unique=False)
        batch_op.create_index(batch_op.f('ix_automation_attempts_outbox_id'), ['outbox_id'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('automation_attempts', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_automation_attempts_outbox_id'))
        batch_op.drop_index('ix_automation_attempts_at')

    op.drop_table('automation_attempts')
    op.drop_table('automation_schedules')
    op.drop_table('automation_rule_channels')
    with op.batch_alter_table('automation_outbox', schema=None) as batch_op:
        batch_op.drop_index('ix_automation_outbox_due')
        batch_op.drop_index('ix_automation_outbox_connection')

    op.drop_table('automation_outbox')
    with op.batch_alter_table('automation_events', schema=None) as batch_op:
        batch_op.drop_index('ix_automation_events_rule')
        batch_op.drop_index('ix_automation_events_digest')

    op.drop_table('automation_events')
    op.drop_table('automation_rules')
    op.drop_table('automation_leases')
    op.drop_table('automation_connections')
