"""Datasets: storing uploads, listing, reading and deleting them."""

import logging
import shutil
from pathlib import Path

import anyio
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession
from starlette.requests import Request

from core.config import Settings
from core.database.engine import after_commit
from core.database.models import (
    ACTIVE_STATUSES,
    DatasetSource,
    FullExecutionJob,
    new_id,
)
from core.datasets import ingest, upload
from core.errors import (
    ConflictError,
    DatasetUnavailableError,
    InvalidDatasetError,
    NotFoundError,
)

logger = logging.getLogger(__name__)


def dataset_path(settings: Settings, dataset: DatasetSource) -> Path:
    return settings.data_dir / dataset.storage_path


def readable_path(settings: Settings, dataset: DatasetSource) -> Path:
    """The stored file of a dataset, which must exist to be read."""
    path = dataset_path(settings, dataset)
    if not path.is_file():
        raise DatasetUnavailableError(
            f"The stored file of dataset {dataset.id} is missing; upload it again"
        )
    return path


async def get_dataset(session: AsyncSession, dataset_source_id: str) -> DatasetSource:
    dataset = await session.get(DatasetSource, dataset_source_id)
    if dataset is None:
        raise NotFoundError(f"Dataset {dataset_source_id} does not exist")
    return dataset


async def list_datasets(session: AsyncSession) -> list[DatasetSource]:
    query = select(DatasetSource).order_by(
        DatasetSource.created_at.desc(), DatasetSource.id
    )
    return list((await session.scalars(query)).all())


async def create_dataset(
    session: AsyncSession, settings: Settings, request: Request
) -> DatasetSource:
    dataset_id = new_id()
    settings.uploads_dir.mkdir(parents=True, exist_ok=True)
    settings.datasets_dir.mkdir(parents=True, exist_ok=True)
    raw_path = settings.uploads_dir / f"{dataset_id}.upload"
    relative_path = Path("datasets") / f"{dataset_id}.parquet"
    stored_path = settings.data_dir / relative_path

    try:
        received = await upload.receive_upload(
            request, raw_path, settings.max_upload_bytes, ingest.detect_format
        )
        filename = received.filename or ""
        ingested = await anyio.to_thread.run_sync(
            lambda: ingest.convert_to_parquet(
                raw_path, filename, stored_path, max_bytes=settings.max_upload_bytes
            )
        )
    finally:
        raw_path.unlink(missing_ok=True)
    label = (received.name or "").strip() or Path(filename).name or "dataset"

    if not ingested.columns:
        stored_path.unlink(missing_ok=True)
        raise InvalidDatasetError("The file has no columns")

    dataset = DatasetSource(
        id=dataset_id,
        name=label[:255],
        format=ingested.format,
        row_count=ingested.row_count,
        column_count=len(ingested.columns),
        columns=[column.model_dump(mode="json") for column in ingested.columns],
        size_bytes=ingested.size_bytes,
        storage_path=relative_path.as_posix(),
    )
    session.add(dataset)
    await session.flush()
    logger.info(
        "dataset stored",
        extra={"dataset_source_id": dataset.id, "rows": dataset.row_count},
    )
    return dataset


async def delete_dataset(
    session: AsyncSession, settings: Settings, dataset_source_id: str
) -> None:
    dataset = await get_dataset(session, dataset_source_id)
    active = await session.scalar(
        select(func.count())
        .select_from(FullExecutionJob)
        .where(
            FullExecutionJob.dataset_source_id == dataset.id,
            FullExecutionJob.status.in_([status.value for status in ACTIVE_STATUSES]),
        )
    )
    if active:
        raise ConflictError(
            "A full run of this dataset is queued or running; cancel it first"
        )

    result_paths = (
        await session.scalars(
            select(FullExecutionJob.result_path).where(
                FullExecutionJob.dataset_source_id == dataset.id,
                FullExecutionJob.result_path.is_not(None),
            )
        )
    ).all()
    files = [dataset_path(settings, dataset)]
    files += [settings.data_dir / path for path in result_paths if path]

    await session.delete(dataset)
    await session.flush()
    # Files go only once the rows are gone for good; a failed commit keeps both.
    after_commit(session, lambda: _remove_files(files))
    logger.info("dataset deleted", extra={"dataset_source_id": dataset_source_id})


def _remove_files(paths: list[Path]) -> None:
    for path in paths:
        if path.is_dir():
            shutil.rmtree(path, ignore_errors=True)
        else:
            path.unlink(missing_ok=True)
