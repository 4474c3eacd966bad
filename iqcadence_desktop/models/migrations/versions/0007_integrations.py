"""integrations, their links and metric owners; local API keys

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-01 10:00:00
"""
from alembic import op
import sqlalchemy as sa


revision = '0007'
down_revision = '0006'
branch_labels = None
depends_on = None

_API_ORDERS = (
    ('ix_customers_live_updated', 'updated_at'),
    ('ix_customers_live_created', 'created_at'),
    ('ix_customers_live_name', 'name_key'),
    ('ix_customers_live_mrr', 'mrr_cents'),
    ('ix_customers_live_score', 'score'),
)


def upgrade() -> None:
    op.create_table('integrations',
    sa.Column('name', sa.String(length=20), nullable=False),
    sa.Column('connected', sa.Boolean(), nullable=False),
    sa.Column('options', sa.JSON(), nullable=False),
    sa.Column('token_env', sa.String(length=120), nullable=True),
    sa.Column('account_label', sa.String(length=200), nullable=True),
    sa.Column('connected_at', sa.DateTime(), nullable=True),
    sa.Column('last_sync_at', sa.DateTime(), nullable=True),
    sa.Column('last_status', sa.String(length=10), nullable=True),
    sa.Column('last_result', sa.JSON(), nullable=True),
    sa.PrimaryKeyConstraint('name', name=op.f('pk_integrations'))
    )
    op.create_table('integration_links',
    sa.Column('integration', sa.String(length=20), nullable=False),
    sa.Column('external_id', sa.String(length=120), nullable=False),
    sa.Column('customer_id', sa.Integer(), nullable=False),
    sa.Column('external_name', sa.String(length=200), nullable=True),
    sa.Column('currency', sa.String(length=3), nullable=True),
    sa.Column('synced_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['customer_id'], ['customers.id'],
                            name=op.f('fk_integration_links_customer_id_customers'),
                            ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('integration', 'external_id', name=op.f('pk_integration_links'))
    )
    with op.batch_alter_table('integration_links', schema=None) as batch_op:
        batch_op.create_index('ix_integration_links_customer', ['customer_id'], unique=False)

    op.create_table('metric_owners',
    sa.Column('metric', sa.String(length=20), nullable=False),
    sa.Column('integration', sa.String(length=20), nullable=False),
    sa.PrimaryKeyConstraint('metric', name=op.f('pk_metric_owners'))
    )
    op.create_table('api_keys',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('key_id', sa.String(length=16), nullable=False),
    sa.Column('digest', sa.String(length=64), nullable=False),
    sa.Column('label', sa.Text(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('revoked_at', sa.DateTime(), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_api_keys')),
    sa.UniqueConstraint('key_id', name=op.f('uq_api_keys_key_id'))
    )


    # The local API pages live customers in these orders (Zapier polls the newest changes
    # first).
    with op.batch_alter_table('customers', schema=None) as batch_op:
        for name, column in _API_ORDERS:
            batch_op.create_index(name, ['deleted_at', column], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('customers', schema=None) as batch_op:
        for name, _column in _API_ORDERS:
            batch_op.drop_index(name)
    op.drop_table('api_keys')
    op.drop_table('metric_owners')
    with op.batch_alter_table('integration_links', schema=None) as batch_op:
        batch_op.drop_index('ix_integration_links_customer')
    op.drop_table('integration_links')
    op.drop_table('integrations')
