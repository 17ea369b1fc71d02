"""HTTP routes of the datasets domain."""

from fastapi import APIRouter, Request, Response, status

from core.datasets import service
from core.datasets.schemas import DatasetSource
from core.datasets.upload import UPLOAD_REQUEST_BODY
from core.dependencies import SessionDep, SettingsDep
from core.errors import (
    ConflictError,
    InvalidDatasetError,
    NotFoundError,
    PayloadTooLargeError,
    UnsupportedMediaError,
    error_responses,
)

router = APIRouter(prefix="/datasets", tags=["datasets"])


@router.post(
    "",
    status_code=status.HTTP_201_CREATED,
    responses=error_responses(
        PayloadTooLargeError, UnsupportedMediaError, InvalidDatasetError
    ),
    openapi_extra={"requestBody": UPLOAD_REQUEST_BODY},
)
async def upload(
    session: SessionDep, settings: SettingsDep, request: Request
) -> DatasetSource:
    """Store a dataset: the file is converted to Parquet and its schema recorded."""
    dataset = await service.create_dataset(session, settings, request)
    return DatasetSource.model_validate(dataset)


@router.get("", name="list")
async def list_datasets(session: SessionDep) -> list[DatasetSource]:
    """Every dataset, newest first."""
    datasets = await service.list_datasets(session)
    return [DatasetSource.model_validate(dataset) for dataset in datasets]


@router.get("/{dataset_source_id}", responses=error_responses(NotFoundError))
async def read(session: SessionDep, dataset_source_id: str) -> DatasetSource:
    """One dataset."""
    dataset = await service.get_dataset(session, dataset_source_id)
    return DatasetSource.model_validate(dataset)


@router.delete(
    "/{dataset_source_id}",
    status_code=status.HTTP_204_NO_CONTENT,
    responses=error_responses(NotFoundError, ConflictError),
)
async def delete(
    session: SessionDep, settings: SettingsDep, dataset_source_id: str
) -> Response:
    """Remove a dataset, its jobs and their results; refused while a job is active."""
    await service.delete_dataset(session, settings, dataset_source_id)
    return Response(status_code=status.HTTP_204_NO_CONTENT)
