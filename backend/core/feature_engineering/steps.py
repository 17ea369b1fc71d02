"""The declarative pipeline steps: their fields, validation and semantics."""

from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field

MAX_STEPS = 100

ColumnName = Annotated[str, Field(min_length=1, max_length=255)]
ColumnList = Annotated[list[ColumnName], Field(min_length=1, max_length=1000)]
Scalar = str | int | float | bool


class StepBase(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class SelectColumnsStep(StepBase):
    """Keep these columns, in this order."""

    type: Literal["select_columns"] = "select_columns"
    columns: ColumnList


class DropColumnsStep(StepBase):
    """Remove these columns."""

    type: Literal["drop_columns"] = "drop_columns"
    columns: ColumnList


class RenameColumnsStep(StepBase):
    """Rename columns, old name to new name."""

    type: Literal["rename_columns"] = "rename_columns"
    mapping: Annotated[dict[ColumnName, ColumnName], Field(min_length=1)]


class CastStep(StepBase):
    """Convert columns; values that do not parse become null."""

    type: Literal["cast"] = "cast"
    columns: ColumnList
    to: Literal["int", "float", "string", "bool", "datetime"]


FilterOperator = Literal[
    "eq", "ne", "lt", "le", "gt", "ge", "in", "not_in", "is_null", "not_null", "contains"
]


class FilterRowsStep(StepBase):
    """Keep the rows whose column matches the condition."""

    type: Literal["filter_rows"] = "filter_rows"
    column: ColumnName
    operator: FilterOperator
    value: Scalar | list[Scalar] | None = None


class FillMissingStep(StepBase):
    """Replace nulls with a statistic of the column or a constant."""

    type: Literal["fill_missing"] = "fill_missing"
    columns: ColumnList
    strategy: Literal["mean", "median", "most_frequent", "constant"]
    value: Scalar | None = None


class DropMissingStep(StepBase):
    """Drop rows with a null in any of the columns (all columns when omitted)."""

    type: Literal["drop_missing"] = "drop_missing"
    columns: ColumnList | None = None


class DropDuplicatesStep(StepBase):
    """Drop repeated rows, keeping the first occurrence."""

    type: Literal["drop_duplicates"] = "drop_duplicates"
    columns: ColumnList | None = None


class StandardScaleStep(StepBase):
    """(x - mean) / std with the population std; a constant column becomes 0."""

    type: Literal["standard_scale"] = "standard_scale"
    columns: ColumnList


class MinMaxScaleStep(StepBase):
    """(x - min) / (max - min); a constant column becomes 0."""

    type: Literal["min_max_scale"] = "min_max_scale"
    columns: ColumnList


class OneHotEncodeStep(StepBase):
    """One int8 column per frequent value; the original column is dropped."""

    type: Literal["one_hot_encode"] = "one_hot_encode"
    columns: ColumnList
    max_categories: Annotated[int, Field(ge=1, le=1000)] = 20


class LogTransformStep(StepBase):
    """log1p; negative values become null."""

    type: Literal["log_transform"] = "log_transform"
    columns: ColumnList


class ClipStep(StepBase):
    """Clip numbers to the bounds given."""

    type: Literal["clip"] = "clip"
    columns: ColumnList
    lower: float | None = None
    upper: float | None = None


class BinStep(StepBase):
    """Integer bin index 0..bins-1, by equal width or by quantiles."""

    type: Literal["bin"] = "bin"
    column: ColumnName
    bins: Annotated[int, Field(ge=2, le=1000)]
    strategy: Literal["uniform", "quantile"] = "uniform"
    output: ColumnName | None = None


class DeriveStep(StepBase):
    """A new column from a column and a column or a number."""

    type: Literal["derive"] = "derive"
    output: ColumnName
    left: ColumnName
    operator: Literal["add", "sub", "mul", "div"]
    right: ColumnName | float


class DatetimePartsStep(StepBase):
    """New columns ``{column}_{part}`` from a datetime column."""

    type: Literal["datetime_parts"] = "datetime_parts"
    column: ColumnName
    parts: Annotated[
        list[Literal["year", "month", "day", "hour", "weekday"]], Field(min_length=1)
    ]


Step = Annotated[
    SelectColumnsStep
    | DropColumnsStep
    | RenameColumnsStep
    | CastStep
    | FilterRowsStep
    | FillMissingStep
    | DropMissingStep
    | DropDuplicatesStep
    | StandardScaleStep
    | MinMaxScaleStep
    | OneHotEncodeStep
    | LogTransformStep
    | ClipStep
    | BinStep
    | DeriveStep
    | DatetimePartsStep,
    Field(discriminator="type"),
]
