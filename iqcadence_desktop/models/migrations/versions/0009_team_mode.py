"""team mode: clients, users, user_clients, customers.client_id, version columns

Every existing customer goes to the client "Default" (id 1). Customer names become
unique per client. `version` columns on customers, app_settings and config_versions
carry the optimistic locking of concurrent edits (services/team, docs/team-mode.md).

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-06 20:40:00
"""
import datetime as dt

from alembic import op
import sqlalchemy as sa


revision = '0009'
down_revision = '0008'
branch_labels = None
depends_on = None


def _create_team_tables() -> None:
    op.create_table('clients',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=120), nullable=False),
    sa.Column('name_key', sa.String(length=120), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_clients')),
    sa.UniqueConstraint('name_key', name=op.f('uq_clients_name_key'))
    )
    op.create_table('users',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('email', sa.String(length=200), nullable=False),
    sa.Column('name', sa.String(length=120), nullable=False),
    sa.Column('role', sa.String(length=10), nullable=False),
    sa.Column('password_hash', sa.String(length=200), nullable=False),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_users')),
    sa.UniqueConstraint('email', name=op.f('uq_users_email'))
    )
    op.create_table('user_clients',
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('client_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['client_id'], ['clients.id'],
                            name=op.f('fk_user_clients_client_id_clients'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'],
                            name=op.f('fk_user_clients_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('user_id', 'client_id', name=op.f('pk_user_clients'))
    )
    clients = sa.table('clients', sa.column('id', sa.Integer), sa.column('name', sa.String),
                       sa.column('name_key', sa.String), sa.column('created_at', sa.DateTime))
    now = dt.datetime.now(dt.UTC).replace(tzinfo=None, microsecond=0)
    op.bulk_insert(clients, [{'id': 1, 'name': 'Default', 'name_key': 'default',
                              'created_at': now}])
    if op.get_bind().dialect.name == 'postgresql':
        # The row above was given its id by hand: move the sequence past it.
        op.execute("SELECT setval(pg_get_serial_sequence('clients', 'id'), 1)")


def _number_config_versions() -> None:
    """1, 2, 3 ... per kind, in the order they were saved."""
    bind = op.get_bind()
    rows = bind.execute(sa.text('SELECT id, kind FROM config_versions ORDER BY id')).all()
    seen: dict[str, int] = {}
    for row_id, kind in rows:
        seen[kind] = seen.get(kind, 0) + 1
        bind.execute(sa.text('UPDATE config_versions SET version = :v WHERE id = :id'),
                     {'v': seen[kind], 'id': row_id})


def _widen_money_sums() -> None:
    """Portfolio MRR sums pass 2^31 cents: BIGINT on PostgreSQL (SQLite's INTEGER is
    64-bit already, and its rollup table is left as it is)."""
    if op.get_bind().dialect.name != 'postgresql':
        return
    for column in ('mrr_cents', 'at_risk_mrr_cents'):
        op.alter_column('portfolio_daily', column, type_=sa.BigInteger(),
                        existing_type=sa.Integer(), existing_nullable=False)


def upgrade() -> None:
    _widen_money_sums()
    _create_team_tables()
    with op.batch_alter_table('customers', schema=None) as batch_op:
        batch_op.add_column(sa.Column('client_id', sa.Integer(), nullable=False,
                                      server_default='1'))
        batch_op.add_column(sa.Column('version', sa.Integer(), nullable=False,
                                      server_default='1'))
        batch_op.add_column(sa.Column('updated_by', sa.String(length=200), nullable=True))
        batch_op.drop_constraint('uq_customers_name_key', type_='unique')
        batch_op.create_unique_constraint('uq_customers_client_name', ['client_id', 'name_key'])
        # An id from another system is unique within one client, as names are.
        batch_op.drop_index('ix_customers_external_id')
        batch_op.create_index('ix_customers_client_external_id', ['client_id', 'external_id'],
                              unique=True)
        batch_op.create_foreign_key(batch_op.f('fk_customers_client_id_clients'), 'clients',
                                    ['client_id'], ['id'])
    with op.batch_alter_table('app_settings', schema=None) as batch_op:
        batch_op.add_column(sa.Column('version', sa.Integer(), nullable=False,
                                      server_default='1'))
        batch_op.add_column(sa.Column('updated_by', sa.String(length=200), nullable=True))
    with op.batch_alter_table('config_versions', schema=None) as batch_op:
        batch_op.add_column(sa.Column('version', sa.Integer(), nullable=False,
                                      server_default='1'))
    _number_config_versions()
    with op.batch_alter_table('config_versions', schema=None) as batch_op:
        batch_op.create_unique_constraint('uq_config_versions_kind_version', ['kind', 'version'])


def downgrade() -> None:
    with op.batch_alter_table('config_versions', schema=None) as batch_op:
        batch_op.drop_constraint('uq_config_versions_kind_version', type_='unique')
        batch_op.drop_column('version')
    with op.batch_alter_table('app_settings', schema=None) as batch_op:
        batch_op.drop_column('updated_by')
        batch_op.drop_column('version')
    # Names were unique per client; back to one client they must be unique overall.
    # Refused (rather than silently renamed) when two clients share a customer name.
    with op.batch_alter_table('customers', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_customers_client_id_clients'), type_='foreignkey')
        batch_op.drop_constraint('uq_customers_client_name', type_='unique')
        batch_op.create_unique_constraint(batch_op.f('uq_customers_name_key'), ['name_key'])
        batch_op.drop_index('ix_customers_client_external_id')
        batch_op.create_index('ix_customers_external_id', ['external_id'], unique=True)
        batch_op.drop_column('updated_by')
        batch_op.drop_column('version')
        batch_op.drop_column('client_id')
    op.drop_table('user_clients')
    op.drop_table('users')
    op.drop_table('clients')
    if op.get_bind().dialect.name == 'postgresql':
        for column in ('mrr_cents', 'at_risk_mrr_cents'):
            op.alter_column('portfolio_daily', column, type_=sa.Integer(),
                            existing_type=sa.BigInteger(), existing_nullable=False)
