"""Dataset shapes shared by the API, ingestion and the pipeline steps."""

from datetime import datetime
from enum import StrEnum

import pandas as pd
import pyarrow as pa
from pydantic import ConfigDict

from core.schemas import ApiModel


class LogicalType(StrEnum):
    """The column types a pipeline reasons about, whatever the storage type."""

    INT = "int"  # whole numbers, nullable
    FLOAT = "float"  # real numbers
    STRING = "string"  # text and categories
    BOOL = "bool"  # true or false, nullable
    DATETIME = "datetime"  # points in time (naive, or UTC when zoned)


NUMERIC_TYPES = frozenset({LogicalType.INT, LogicalType.FLOAT})


class ColumnSchema(ApiModel):
    model_config = ConfigDict(frozen=True)

    name: str
    dtype: LogicalType


class DatasetSource(ApiModel):
    """A stored dataset, as the API shows it."""

    model_config = ConfigDict(from_attributes=True)

    id: str
    name: str
    format: str
    row_count: int
    column_count: int
    columns: list[ColumnSchema]
    size_bytes: int
    created_at: datetime


def logical_type_of_arrow(arrow_type: pa.DataType) -> LogicalType:
    if pa.types.is_boolean(arrow_type):
        return LogicalType.BOOL
    if pa.types.is_integer(arrow_type):
        return LogicalType.INT
    if pa.types.is_floating(arrow_type) or pa.types.is_decimal(arrow_type):
        return LogicalType.FLOAT
    if pa.types.is_timestamp(arrow_type) or pa.types.is_date(arrow_type):
        return LogicalType.DATETIME
    return LogicalType.STRING


def logical_type_of_series(series: pd.Series) -> LogicalType:
    dtype = series.dtype
    if pd.api.types.is_bool_dtype(dtype):
        return LogicalType.BOOL
    if pd.api.types.is_integer_dtype(dtype):
        return LogicalType.INT
    if pd.api.types.is_float_dtype(dtype):
        return LogicalType.FLOAT
    if pd.api.types.is_datetime64_any_dtype(dtype):
        return LogicalType.DATETIME
    return LogicalType.STRING


def schema_of_frame(frame: pd.DataFrame) -> list[ColumnSchema]:
    return [
        ColumnSchema(name=str(name), dtype=logical_type_of_series(frame[name]))
        for name in frame.columns
    ]


def schema_of_arrow(schema: pa.Schema) -> list[ColumnSchema]:
    return [
        ColumnSchema(name=field.name, dtype=logical_type_of_arrow(field.type))
        for field in schema
    ]
