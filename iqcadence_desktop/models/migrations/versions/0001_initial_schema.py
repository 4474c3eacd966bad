"""initial schema

Revision ID: 0001
Revises: 
Create Date: 2026-11-26 21:51:13.879958
"""
from alembic import op
import sqlalchemy as sa


revision = '0001'
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    
    op.create_table('app_settings',
    sa.Column('key', sa.String(length=80), nullable=False),
    sa.Column('value', sa.JSON(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.PrimaryKeyConstraint('key', name=op.f('pk_app_settings'))
    )
    op.create_table('audit_entries',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('at', sa.DateTime(), nullable=False),
    sa.Column('user', sa.String(length=200), nullable=False),
    sa.Column('action', sa.String(length=60), nullable=False),
    sa.Column('customer_id', sa.Integer(), nullable=True),
    sa.Column('customer_name', sa.String(length=200), nullable=True),
    sa.Column('summary', sa.Text(), nullable=False),
    sa.Column('details', sa.JSON(), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_audit_entries'))
    )
    with op.batch_alter_table('audit_entries', schema=None) as batch_op:
        batch_op.create_index('ix_audit_entries_action', ['action'], unique=False)
        batch_op.create_index('ix_audit_entries_at', ['at'], unique=False)
        batch_op.create_index('ix_audit_entries_customer', ['customer_id'], unique=False)

    op.create_table('config_versions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=40), nullable=False),
    sa.Column('payload', sa.JSON(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('user', sa.String(length=200), nullable=True),
    sa.Column('summary', sa.Text(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_config_versions'))
    )
    with op.batch_alter_table('config_versions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_config_versions_kind'), ['kind'], unique=False)

    op.create_table('portfolio_daily',
    sa.Column('day', sa.Integer(), nullable=False),
    sa.Column('manager', sa.String(length=120), nullable=False),
    sa.Column('customers', sa.Integer(), nullable=False),
    sa.Column('scored', sa.Integer(), nullable=False),
    sa.Column('avg_score', sa.Float(), nullable=True),
    sa.Column('mrr_cents', sa.Integer(), nullable=False),
    sa.Column('at_risk_mrr_cents', sa.Integer(), nullable=False),
    sa.Column('n_critical', sa.Integer(), nullable=False),
    sa.Column('n_at_risk', sa.Integer(), nullable=False),
    sa.Column('n_watch', sa.Integer(), nullable=False),
    sa.Column('n_healthy', sa.Integer(), nullable=False),
    sa.Column('n_expansion', sa.Integer(), nullable=False),
    sa.Column('avg_logins', sa.Float(), nullable=True),
    sa.Column('avg_adoption', sa.Float(), nullable=True),
    sa.Column('avg_tickets', sa.Float(), nullable=True),
    sa.Column('avg_nps', sa.Float(), nullable=True),
    sa.Column('avg_csat', sa.Float(), nullable=True),
    sa.PrimaryKeyConstraint('day', 'manager', name=op.f('pk_portfolio_daily')),
    sqlite_with_rowid=False
    )
    op.create_table('scoring_profiles',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=120), nullable=False),
    sa.Column('weights', sa.JSON(), nullable=False),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_scoring_profiles')),
    sa.UniqueConstraint('name', name=op.f('uq_scoring_profiles_name'))
    )
    op.create_table('customers',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('name_key', sa.String(length=200), nullable=False),
    sa.Column('manager', sa.String(length=120), nullable=True),
    sa.Column('mrr_cents', sa.Integer(), nullable=True),
    sa.Column('logins_30d', sa.Integer(), nullable=True),
    sa.Column('feature_adoption_pct', sa.Float(), nullable=True),
    sa.Column('open_tickets', sa.Integer(), nullable=True),
    sa.Column('nps', sa.Integer(), nullable=True),
    sa.Column('csat', sa.Integer(), nullable=True),
    sa.Column('last_contact_date', sa.Date(), nullable=True),
    sa.Column('renewal_date', sa.Date(), nullable=True),
    sa.Column('growth_signal', sa.String(length=8), nullable=True),
    sa.Column('tier', sa.String(length=16), nullable=True),
    sa.Column('lifecycle', sa.String(length=16), nullable=False),
    sa.Column('customer_since', sa.Date(), nullable=True),
    sa.Column('next_touch', sa.Date(), nullable=True),
    sa.Column('scoring_profile_id', sa.Integer(), nullable=True),
    sa.Column('note', sa.Text(), nullable=True),
    sa.Column('sentiment', sa.String(length=10), nullable=True),
    sa.Column('score_override', sa.Float(), nullable=True),
    sa.Column('score', sa.Float(), nullable=True),
    sa.Column('status', sa.String(length=10), nullable=False),
    sa.Column('coverage', sa.Float(), nullable=False),
    sa.Column('scored_day', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.Column('deleted_at', sa.DateTime(), nullable=True),
    sa.ForeignKeyConstraint(['scoring_profile_id'], ['scoring_profiles.id'], name=op.f('fk_customers_scoring_profile_id_scoring_profiles'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_customers')),
    sa.UniqueConstraint('name_key', name=op.f('uq_customers_name_key'))
    )
    with op.batch_alter_table('customers', schema=None) as batch_op:
        batch_op.create_index('ix_customers_deleted_status', ['deleted_at', 'status'], unique=False)
        batch_op.create_index('ix_customers_manager_status', ['manager', 'status', 'mrr_cents'], unique=False)

    op.create_table('contacts',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('customer_id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('role', sa.String(length=120), nullable=True),
    sa.Column('email', sa.String(length=200), nullable=True),
    sa.Column('phone', sa.String(length=60), nullable=True),
    sa.ForeignKeyConstraint(['customer_id'], ['customers.id'], name=op.f('fk_contacts_customer_id_customers'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_contacts'))
    )
    with op.batch_alter_table('contacts', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_contacts_customer_id'), ['customer_id'], unique=False)

    op.create_table('customer_tags',
    sa.Column('customer_id', sa.Integer(), nullable=False),
    sa.Column('tag', sa.String(length=60), nullable=False),
    sa.ForeignKeyConstraint(['customer_id'], ['customers.id'], name=op.f('fk_customer_tags_customer_id_customers'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('customer_id', 'tag', name=op.f('pk_customer_tags'))
    )
    with op.batch_alter_table('customer_tags', schema=None) as batch_op:
        batch_op.create_index('ix_customer_tags_tag', ['tag'], unique=False)

    op.create_table('notes',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('customer_id', sa.Integer(), nullable=False),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('author', sa.String(length=200), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['customer_id'], ['customers.id'], name=op.f('fk_notes_customer_id_customers'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_notes'))
    )
    with op.batch_alter_table('notes', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_notes_customer_id'), ['customer_id'], unique=False)

    op.create_table('score_snapshots',
    sa.Column('customer_id', sa.Integer(), nullable=False),
    sa.Column('day', sa.Integer(), nullable=False),
    sa.Column('score', sa.Float(), nullable=True),
    sa.Column('status', sa.String(length=10), nullable=False),
    sa.Column('coverage', sa.Float(), nullable=False),
    sa.Column('logins_30d', sa.Integer(), nullable=True),
    sa.Column('feature_adoption_pct', sa.Float(), nullable=True),
    sa.Column('open_tickets', sa.Integer(), nullable=True),
    sa.Column('nps', sa.Integer(), nullable=True),
    sa.Column('csat', sa.Integer(), nullable=True),
    sa.Column('days_since_contact', sa.Integer(), nullable=True),
    sa.Column('growth_signal', sa.String(length=8), nullable=True),
    sa.Column('mrr_cents', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['customer_id'], ['customers.id'], name=op.f('fk_score_snapshots_customer_id_customers'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('customer_id', 'day', name=op.f('pk_score_snapshots')),
    sqlite_with_rowid=False
    )
    with op.batch_alter_table('score_snapshots', schema=None) as batch_op:
        batch_op.create_index('ix_score_snapshots_day_score', ['day', 'score'], unique=False)

    op.create_table('sentiment_entries',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('customer_id', sa.Integer(), nullable=False),
    sa.Column('day', sa.Date(), nullable=False),
    sa.Column('sentiment', sa.String(length=10), nullable=False),
    sa.Column('comment', sa.Text(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['customer_id'], ['customers.id'], name=op.f('fk_sentiment_entries_customer_id_customers'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_sentiment_entries'))
    )
    with op.batch_alter_table('sentiment_entries', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_sentiment_entries_customer_id'), ['customer_id'], unique=False)

    


def downgrade() -> None:
    
    with op.batch_alter_table('sentiment_entries', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_sentiment_entries_customer_id'))

    op.drop_table('sentiment_entries')
    with op.batch_alter_table('score_snapshots', schema=None) as batch_op:
        batch_op.drop_index('ix_score_snapshots_day_score')

    op.drop_table('score_snapshots')
    with op.batch_alter_table('notes', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_notes_customer_id'))

    op.drop_table('notes')
    with op.batch_alter_table('customer_tags', schema=None) as batch_op:
        batch_op.drop_index('ix_customer_tags_tag')

    op.drop_table('customer_tags')
    with op.batch_alter_table('contacts', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_contacts_customer_id'))

    op.drop_table('contacts')
    with op.batch_alter_table('customers', schema=None) as batch_op:
        batch_op.drop_index('ix_customers_manager_status')
        batch_op.drop_index('ix_customers_deleted_status')

    op.drop_table('customers')
    op.drop_table('scoring_profiles')
    op.drop_table('portfolio_daily')
    with op.batch_alter_table('config_versions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_config_versions_kind'))

    op.drop_table('config_versions')
    with op.batch_alter_table('audit_entries', schema=None) as batch_op:
        batch_op.drop_index('ix_audit_entries_customer')
        batch_op.drop_index('ix_audit_entries_at')
        batch_op.drop_index('ix_audit_entries_action')

    op.drop_table('audit_entries')
    op.drop_table('app_settings')
    
