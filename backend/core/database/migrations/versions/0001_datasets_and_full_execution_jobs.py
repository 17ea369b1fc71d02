"""datasets and full execution jobs

Revision ID: 0001
Revises:
Create Date: 2026-12-03
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op


revision: str = '0001'
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('dataset_sources',
    sa.Column('id', sa.String(length=32), nullable=False),
    sa.Column('name', sa.String(length=255), nullable=False),
    sa.Column('format', sa.String(length=16), nullable=False),
    sa.Column('row_count', sa.Integer(), nullable=False),
    sa.Column('column_count', sa.Integer(), nullable=False),
    sa.Column('columns', sa.JSON(), nullable=False),
    sa.Column('size_bytes', sa.Integer(), nullable=False),
    sa.Column('storage_path', sa.String(length=512), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('dataset_sources', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_dataset_sources_created_at'), ['created_at'], unique=False)

    op.create_table('full_execution_jobs',
    sa.Column('id', sa.String(length=32), nullable=False),
    sa.Column('dataset_source_id', sa.String(length=32), nullable=False),
    sa.Column('pipeline_hash', sa.String(length=64), nullable=False),
    sa.Column('steps', sa.JSON(), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('reason', sa.Text(), nullable=True),
    sa.Column('error_code', sa.String(length=64), nullable=True),
    sa.Column('error_message', sa.Text(), nullable=True),
    sa.Column('total_rows', sa.Integer(), nullable=False),
    sa.Column('processed_rows', sa.Integer(), nullable=False),
    sa.Column('output_rows', sa.Integer(), nullable=False),
    sa.Column('attempt', sa.Integer(), nullable=False),
    sa.Column('worker_id', sa.String(length=255), nullable=True),
    sa.Column('heartbeat_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('cancel_requested_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('started_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('finished_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('result_path', sa.String(length=512), nullable=True),
    sa.Column('result_row_count', sa.Integer(), nullable=True),
    sa.Column('result_columns', sa.JSON(), nullable=True),
    sa.ForeignKeyConstraint(['dataset_source_id'], ['dataset_sources.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('full_execution_jobs', schema=None) as batch_op:
        batch_op.create_index('ix_full_execution_jobs_dataset_created', ['dataset_source_id', 'created_at'], unique=False)
        batch_op.create_index('ix_full_execution_jobs_status_created', ['status', 'created_at'], unique=False)
        batch_op.create_index('uq_full_execution_jobs_reusable', ['dataset_source_id', 'pipeline_hash'], unique=True, sqlite_where=sa.text("status IN ('queued', 'running', 'succeeded')"), postgresql_where=sa.text("status IN ('queued', 'running', 'succeeded')"))



def downgrade() -> None:
    with op.batch_alter_table('full_execution_jobs', schema=None) as batch_op:
        batch_op.drop_index('uq_full_execution_jobs_reusable', sqlite_where=sa.text("status IN ('queued', 'running', 'succeeded')"), postgresql_where=sa.text("status IN ('queued', 'running', 'succeeded')"))
        batch_op.drop_index('ix_full_execution_jobs_status_created')
        batch_op.drop_index('ix_full_execution_jobs_dataset_created')

    op.drop_table('full_execution_jobs')
    with op.batch_alter_table('dataset_sources', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_dataset_sources_created_at'))

    op.drop_table('dataset_sources')
