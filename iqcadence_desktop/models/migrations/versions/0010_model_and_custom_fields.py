"""custom fields and churn model versions

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-06 21:00:00
"""
from alembic import op
import sqlalchemy as sa


revision = '0010'
down_revision = '0009'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('custom_fields',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('key', sa.String(length=60), nullable=False),
    sa.Column('label', sa.String(length=120), nullable=False),
    sa.Column('kind', sa.String(length=10), nullable=False),
    sa.Column('choices', sa.JSON(), nullable=True),
    sa.Column('in_model', sa.Boolean(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_custom_fields')),
    sa.UniqueConstraint('key', name=op.f('uq_custom_fields_key'))
    )
    op.create_table('custom_field_values',
    sa.Column('customer_id', sa.Integer(), nullable=False),
    sa.Column('field_id', sa.Integer(), nullable=False),
    sa.Column('value', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['customer_id'], ['customers.id'],
                            name=op.f('fk_custom_field_values_customer_id_customers'),
                            ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['field_id'], ['custom_fields.id'],
                            name=op.f('fk_custom_field_values_field_id_custom_fields'),
                            ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('customer_id', 'field_id', name=op.f('pk_custom_field_values'))
    )
    with op.batch_alter_table('custom_field_values', schema=None) as batch_op:
        batch_op.create_index('ix_custom_field_values_field', ['field_id'], unique=False)

    op.create_table('churn_models',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('user', sa.String(length=200), nullable=True),
    sa.Column('horizon_days', sa.Integer(), nullable=False),
    sa.Column('method', sa.String(length=12), nullable=False),
    sa.Column('training_rows', sa.Integer(), nullable=False),
    sa.Column('churned', sa.Integer(), nullable=False),
    sa.Column('summary', sa.Text(), nullable=False),
    sa.Column('payload', sa.JSON(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_churn_models'))
    )


def downgrade() -> None:
    op.drop_table('churn_models')
    with op.batch_alter_table('custom_field_values', schema=None) as batch_op:
        batch_op.drop_index('ix_custom_field_values_field')
    op.drop_table('custom_field_values')
    op.drop_table('custom_fields')
