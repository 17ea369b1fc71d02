"""ORM tables: datasets and their full-execution jobs."""

import enum
import uuid
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import JSON, DateTime, ForeignKey, Index, Integer, String, Text, text
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship
from sqlalchemy.types import TypeDecorator


def utcnow() -> datetime:
    return datetime.now(UTC)


def new_id() -> str:
    return uuid.uuid4().hex


class UTCDateTime(TypeDecorator[datetime]):
    """Stores aware datetimes and always hands back UTC-aware ones (SQLite forgets)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Any) -> Any:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetimes are not stored")
        return value.astimezone(UTC)

    def process_result_value(self, value: datetime | None, dialect: Any) -> Any:
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value.astimezone(UTC)


class JobStatus(enum.StrEnum):
    """Where a full-dataset run stands; terminal members never change again."""

    NOT_REQUIRED = "not_required"  # the preview already covered every row
    DEFERRED = "deferred"  # large dataset, the request asked not to start a run
    QUEUED = "queued"  # accepted and waiting for a worker slot
    RUNNING = "running"  # a worker is executing it and heartbeating
    SUCCEEDED = "succeeded"  # the output file is written and complete
    FAILED = "failed"  # stopped by an error; reason and error say why
    CANCELLED = "cancelled"  # stopped at a user's request


ACTIVE_STATUSES = frozenset({JobStatus.QUEUED, JobStatus.RUNNING})
# A dataset and pipeline hash have at most one job in these states.
REUSABLE_STATUSES = frozenset(
    {JobStatus.QUEUED, JobStatus.RUNNING, JobStatus.SUCCEEDED}
)


class Base(DeclarativeBase):
    type_annotation_map = {datetime: UTCDateTime, dict[str, Any]: JSON}


class DatasetSource(Base):
    __tablename__ = "dataset_sources"

    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=new_id)
    name: Mapped[str] = mapped_column(String(255))
    format: Mapped[str] = mapped_column(String(16))
    row_count: Mapped[int] = mapped_column(Integer)
    column_count: Mapped[int] = mapped_column(Integer)
    columns: Mapped[list[dict[str, str]]] = mapped_column(JSON)
    size_bytes: Mapped[int] = mapped_column(Integer)
    storage_path: Mapped[str] = mapped_column(String(512))
    created_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)

    jobs: Mapped[list["FullExecutionJob"]] = relationship(
        back_populates="dataset_source", passive_deletes=True
    )


class FullExecutionJob(Base):
    __tablename__ = "full_execution_jobs"
    __table_args__ = (
        Index(
            "uq_full_execution_jobs_reusable",
            "dataset_source_id",
            "pipeline_hash",
            unique=True,
            sqlite_where=text("status IN ('queued', 'running', 'succeeded')"),
            postgresql_where=text("status IN ('queued', 'running', 'succeeded')"),
        ),
        Index("ix_full_execution_jobs_status_created", "status", "created_at"),
        Index(
            "ix_full_execution_jobs_dataset_created", "dataset_source_id", "created_at"
        ),
    )

    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=new_id)
    dataset_source_id: Mapped[str] = mapped_column(
        ForeignKey("dataset_sources.id", ondelete="CASCADE")
    )
    pipeline_hash: Mapped[str] = mapped_column(String(64))
    steps: Mapped[list[dict[str, Any]]] = mapped_column(JSON)
    status: Mapped[str] = mapped_column(String(16), default=JobStatus.QUEUED.value)
    reason: Mapped[str | None] = mapped_column(Text, default=None)
    error_code: Mapped[str | None] = mapped_column(String(64), default=None)
    error_message: Mapped[str | None] = mapped_column(Text, default=None)
    total_rows: Mapped[int] = mapped_column(Integer)
    processed_rows: Mapped[int] = mapped_column(Integer, default=0)
    output_rows: Mapped[int] = mapped_column(Integer, default=0)
    attempt: Mapped[int] = mapped_column(Integer, default=1)
    worker_id: Mapped[str | None] = mapped_column(String(255), default=None)
    heartbeat_at: Mapped[datetime | None] = mapped_column(default=None)
    cancel_requested_at: Mapped[datetime | None] = mapped_column(default=None)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    started_at: Mapped[datetime | None] = mapped_column(default=None)
    finished_at: Mapped[datetime | None] = mapped_column(default=None)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
    result_path: Mapped[str | None] = mapped_column(String(512), default=None)
    result_row_count: Mapped[int | None] = mapped_column(Integer, default=None)
    result_columns: Mapped[list[dict[str, str]] | None] = mapped_column(
        JSON, default=None
    )

    dataset_source: Mapped[DatasetSource] = relationship(back_populates="jobs")
