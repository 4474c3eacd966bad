"""manual score override reason and expiry, profile rules

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-06 21:30:00
"""
from alembic import op
import sqlalchemy as sa


revision = '0005'
down_revision = '0004'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('customers', schema=None) as batch_op:
        batch_op.add_column(sa.Column('score_override_reason', sa.Text(), nullable=True))
        batch_op.add_column(sa.Column('score_override_until', sa.Date(), nullable=True))
        batch_op.add_column(
            sa.Column('scoring_profile_manual', sa.Boolean(), nullable=False,
                      server_default=sa.false())
        )
    # Profiles assigned before rules existed were chosen by hand: rules must not undo them.
    customers = sa.table(
        'customers',
        sa.column('scoring_profile_id', sa.Integer()),
        sa.column('scoring_profile_manual', sa.Boolean()),
    )
    op.execute(
        customers.update()
        .where(customers.c.scoring_profile_id.is_not(None))
        .values(scoring_profile_manual=True)
    )

    op.create_table('profile_rules',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('field', sa.String(length=20), nullable=False),
    sa.Column('value', sa.String(length=200), nullable=False),
    sa.Column('profile_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['profile_id'], ['scoring_profiles.id'],
                            name=op.f('fk_profile_rules_profile_id_scoring_profiles'),
                            ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_profile_rules'))
    )


def downgrade() -> None:
    op.drop_table('profile_rules')
    with op.batch_alter_table('customers', schema=None) as batch_op:
        batch_op.drop_column('scoring_profile_manual')
        batch_op.drop_column('score_override_until')
        batch_op.drop_column('score_override_reason')
