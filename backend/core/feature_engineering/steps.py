"""The declarative pipeline steps: their fields, validation and semantics.

Each step kind is one small class that knows how the step changes a schema
(checked before any data is read), what it learns from the rows that reach it
(fit) and how it changes a chunk of rows given what it learned (transform).
Transforms are row-local given the fitted state, except drop_duplicates, which
remembers the rows its stream has seen; so a dataset streamed chunk by chunk
gives the same output as the whole frame at once.

Column types are the logical types of ``core.datasets.schemas``; outputs use
one storage dtype per type: nullable ``Int64``, ``float64``, pandas' ``str``,
nullable ``boolean`` and ``datetime64[us]`` (one-hot indicators are ``int8``).
No step evaluates a user string as code.
"""

import operator
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Annotated, Any, Generic, Literal, Self, TypeVar

import numpy as np
import pandas as pd
from pydantic import BaseModel, ConfigDict, Field, model_validator

from core.datasets.schemas import (
    NUMERIC_TYPES,
    ColumnSchema,
    LogicalType,
    logical_type_of_series,
    schema_of_frame,
)
from core.errors import InvalidStepError

MAX_STEPS = 100

ColumnName = Annotated[str, Field(min_length=1, max_length=255)]
ColumnList = Annotated[list[ColumnName], Field(min_length=1, max_length=1000)]
FiniteFloat = Annotated[float, Field(allow_inf_nan=False)]
Scalar = str | int | FiniteFloat | bool


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
    "eq",
    "ne",
    "lt",
    "le",
    "gt",
    "ge",
    "in",
    "not_in",
    "is_null",
    "not_null",
    "contains",
]


class FilterRowsStep(StepBase):
    """Keep the rows whose column matches the condition."""

    type: Literal["filter_rows"] = "filter_rows"
    column: ColumnName
    operator: FilterOperator
    value: Scalar | Annotated[list[Scalar], Field(max_length=10_000)] | None = None

    @model_validator(mode="after")
    def _value_suits_operator(self) -> Self:
        if self.operator in ("is_null", "not_null"):
            if self.value is not None:
                raise ValueError(f"operator '{self.operator}' takes no value")
        elif self.operator in ("in", "not_in"):
            if not isinstance(self.value, list):
                raise ValueError(f"operator '{self.operator}' needs a list of values")
        elif self.value is None or isinstance(self.value, list):
            raise ValueError(f"operator '{self.operator}' needs a single value")
        elif self.operator == "contains" and not isinstance(self.value, str):
            raise ValueError("operator 'contains' needs a string value")
        return self


class FillMissingStep(StepBase):
    """Replace nulls with a statistic of the column or a constant."""

    type: Literal["fill_missing"] = "fill_missing"
    columns: ColumnList
    strategy: Literal["mean", "median", "most_frequent", "constant"]
    value: Scalar | None = None

    @model_validator(mode="after")
    def _value_only_for_constant(self) -> Self:
        if self.strategy == "constant" and self.value is None:
            raise ValueError("strategy 'constant' needs a value")
        if self.strategy != "constant" and self.value is not None:
            raise ValueError(f"strategy '{self.strategy}' takes no value")
        return self


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
    lower: FiniteFloat | None = None
    upper: FiniteFloat | None = None

    @model_validator(mode="after")
    def _bounds_in_order(self) -> Self:
        if self.lower is None and self.upper is None:
            raise ValueError("clip needs a lower or an upper bound")
        if (
            self.lower is not None
            and self.upper is not None
            and self.lower > self.upper
        ):
            raise ValueError("lower must not be greater than upper")
        return self


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
    right: ColumnName | FiniteFloat


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


# ---------------------------------------------------------------------------
# Problems and warnings


class _Problem(ValueError):
    """Why a step does not fit the columns it receives; the caller adds the index."""


@contextmanager
def _problems_of(index: int, step: Step) -> Iterator[None]:
    try:
        yield
    except _Problem as problem:
        # People count steps from 1, as the editor shows them; step_index is 0-based.
        detail = f"Step {index + 1} ({step.type}): {problem}"
        raise InvalidStepError(detail, step_index=index) from None


@dataclass(frozen=True)
class PipelineWarning:
    """What a step did to the data; the API's ``StepWarning`` mirrors its fields."""

    step_index: int
    code: str
    message: str
    count: int | None = None


Warn = Callable[[str, str, int | None], None]


@dataclass
class _Tally:
    """Warnings keyed by step and code, with counts summed over chunks."""

    entries: dict[tuple[int, str], PipelineWarning] = field(default_factory=dict)

    def add(self, index: int, code: str, message: str, count: int | None) -> None:
        if count == 0:
            return
        key = (index, code)
        known = self.entries.get(key)
        if known is not None and known.count is not None and count is not None:
            count += known.count
        self.entries[key] = PipelineWarning(index, code, message, count)

    def for_step(self, index: int) -> Warn:
        def warn(code: str, message: str, count: int | None) -> None:
            self.add(index, code, message, count)

        return warn

    def copy(self) -> "_Tally":
        return _Tally(dict(self.entries))

    def merged(self, other: "_Tally") -> "_Tally":
        merged = self.copy()
        for entry in other.entries.values():
            merged.add(entry.step_index, entry.code, entry.message, entry.count)
        return merged

    def warnings(self) -> list[PipelineWarning]:
        return sorted(self.entries.values(), key=lambda entry: entry.step_index)


def _quoted(names: Sequence[str]) -> str:
    return ", ".join(f"'{name}'" for name in names)


# ---------------------------------------------------------------------------
# Schemas between steps


@dataclass(frozen=True)
class _Schema:
    """Column types as they stand between two steps.

    ``encoded`` holds the one-hot encoded columns whose indicator columns are
    known only once fitted: until then a name ``{encoded}_...`` passes as an int
    column, and fitting checks it against the real frame.
    """

    types: Mapping[str, LogicalType]
    encoded: frozenset[str] = frozenset()

    @classmethod
    def of(cls, columns: Sequence[ColumnSchema]) -> "_Schema":
        return cls({column.name: column.dtype for column in columns})

    def columns(self) -> list[ColumnSchema]:
        return [ColumnSchema(name=n, dtype=t) for n, t in self.types.items()]

    def type_of(self, name: str) -> LogicalType:
        if name in self.types:
            return self.types[name]
        if any(name.startswith(f"{column}_") for column in self.encoded):
            return LogicalType.INT
        raise _Problem(f"unknown column '{name}'")

    def require(
        self, names: Sequence[str], allowed: frozenset[LogicalType], purpose: str
    ) -> None:
        _require_distinct(names)
        for name in names:
            found = self.type_of(name)
            if found not in allowed:
                wanted = " or ".join(sorted(allowed))
                raise _Problem(
                    f"column '{name}' is {found}, but {purpose} needs {wanted} columns"
                )

    def with_types(self, changed: Mapping[str, LogicalType]) -> "_Schema":
        """Existing columns given a new type, or new columns appended."""
        return _Schema({**self.types, **changed}, self.encoded)

    def adding(self, added: Mapping[str, LogicalType]) -> "_Schema":
        for name in added:
            if name in self.types:
                raise _Problem(f"output column '{name}' already exists")
        return self.with_types(added)

    def without(self, names: Sequence[str]) -> "_Schema":
        kept = {n: t for n, t in self.types.items() if n not in set(names)}
        return _Schema(kept, self.encoded)


_ALL_TYPES = frozenset(LogicalType)
_NUMERIC = frozenset(NUMERIC_TYPES)


def _require_distinct(names: Sequence[str], what: str = "column") -> None:
    seen: set[str] = set()
    for name in names:
        if name in seen:
            raise _Problem(f"{what} '{name}' is listed more than once")
        seen.add(name)


def _frame_schema(frame: pd.DataFrame) -> _Schema:
    return _Schema.of(schema_of_frame(frame))


# ---------------------------------------------------------------------------
# Storage dtypes and conversions between logical types

_INT64_MIN = -(2**63)
_INT64_MAX = 2**63 - 1
_STRING_DTYPE = pd.StringDtype(na_value=np.nan)
_CANONICAL: dict[LogicalType, Any] = {
    LogicalType.INT: pd.Int64Dtype(),
    LogicalType.FLOAT: np.dtype("float64"),
    LogicalType.STRING: _STRING_DTYPE,
    LogicalType.BOOL: pd.BooleanDtype(),
}
_BOOL_WORDS = {
    **dict.fromkeys(["true", "t", "yes", "y", "1"], True),
    **dict.fromkeys(["false", "f", "no", "n", "0"], False),
}


def _conform(frame: pd.DataFrame) -> pd.DataFrame:
    """The frame with string column names, a fresh index and one dtype per type."""
    frame = frame.reset_index(drop=True)
    frame.columns = pd.Index([str(name) for name in frame.columns])
    changed: dict[str, pd.Series] = {}
    for name in frame.columns:
        dtype = _CANONICAL.get(logical_type_of_series(frame[name]))
        if dtype is not None and frame[name].dtype != dtype:
            changed[name] = frame[name].astype(dtype)
    return frame.assign(**changed) if changed else frame


def _floats(series: pd.Series) -> pd.Series:
    return series.astype("float64")


def _ints(series: pd.Series) -> pd.Series:
    return series.astype("Int64")


def _ints_from_floats(values: pd.Series) -> pd.Series:
    """Whole numbers in the int64 range; anything else becomes null."""
    whole = np.isfinite(values) & (values == np.floor(values))
    in_range = (values >= -(2.0**63)) & (values < 2.0**63)
    return values.where(whole & in_range).astype("Int64")


def _int64_or_none(text: str) -> int | None:
    number = int(text)
    return number if _INT64_MIN <= number <= _INT64_MAX else None


def _floats_from_strings(series: pd.Series) -> pd.Series:
    return pd.to_numeric(series, errors="coerce").astype("float64")


def _ints_from_strings(series: pd.Series) -> pd.Series:
    """Integer literals exactly (no detour through float), other numbers if whole."""
    text = series.str.strip()
    literal = text.str.fullmatch(r"[+-]?[0-9]+").to_numpy(dtype=bool, na_value=False)
    parsed = _ints_from_floats(_floats_from_strings(text.mask(literal)))
    exact = text[literal].map(_int64_or_none).astype("Int64")
    return parsed.mask(literal, exact)


def _bools_from_numbers(series: pd.Series) -> pd.Series:
    values = _floats(series)
    return (values == 1.0).astype("boolean").mask(~values.isin([0.0, 1.0]))


def _bools_from_strings(series: pd.Series) -> pd.Series:
    return series.str.strip().str.lower().map(_BOOL_WORDS).astype("boolean")


def _strings_from_datetimes(series: pd.Series) -> pd.Series:
    """ISO-like text per value, so the format never depends on the other rows."""
    suffix = ""
    if isinstance(series.dtype, pd.DatetimeTZDtype):
        series, suffix = series.dt.tz_convert(None), "+00:00"
    whole = series.dt.strftime("%Y-%m-%d %H:%M:%S")
    fraction = series.dt.strftime(".%f").where(series.dt.microsecond != 0, "")
    text: pd.Series = (whole + fraction + suffix).astype(_STRING_DTYPE)
    return text


def _naive_datetimes(series: pd.Series) -> pd.Series:
    if isinstance(series.dtype, pd.DatetimeTZDtype):
        series = series.dt.tz_convert(None)
    return series.astype("datetime64[us]")


def _datetimes_from_strings(series: pd.Series) -> pd.Series:
    """ISO 8601 text; zoned values are converted to UTC, 'now' and 'today' refused."""
    text = series.str.strip()
    relative = text.str.lower().isin(["now", "today"])
    parsed = pd.to_datetime(
        text.mask(relative), format="ISO8601", errors="coerce", utc=True
    )
    return _naive_datetimes(parsed)


def _to_int(series: pd.Series, source: LogicalType) -> pd.Series:
    if source is LogicalType.STRING:
        return _ints_from_strings(series)
    if source is LogicalType.INT:
        return _ints(series)
    return _ints_from_floats(_floats(series))


def _to_float(series: pd.Series, source: LogicalType) -> pd.Series:
    if source is LogicalType.STRING:
        return _floats_from_strings(series)
    return _floats(series)


def _to_bool(series: pd.Series, source: LogicalType) -> pd.Series:
    if source is LogicalType.STRING:
        return _bools_from_strings(series)
    if source is LogicalType.BOOL:
        return series.astype("boolean")
    return _bools_from_numbers(series)


def _to_string(series: pd.Series, source: LogicalType) -> pd.Series:
    if source is LogicalType.DATETIME:
        return _strings_from_datetimes(series)
    return series.astype(_STRING_DTYPE)


def _to_datetime(series: pd.Series, source: LogicalType) -> pd.Series:
    if source is LogicalType.STRING:
        return _datetimes_from_strings(series)
    return _naive_datetimes(series)


Converter = Callable[[pd.Series, LogicalType], pd.Series]
_NON_TIME = frozenset(_ALL_TYPES - {LogicalType.DATETIME})
_CONVERSIONS: dict[LogicalType, tuple[Converter, frozenset[LogicalType]]] = {
    LogicalType.INT: (_to_int, _NON_TIME),
    LogicalType.FLOAT: (_to_float, _NON_TIME),
    LogicalType.BOOL: (_to_bool, _NON_TIME),
    LogicalType.STRING: (_to_string, _ALL_TYPES),
    LogicalType.DATETIME: (
        _to_datetime,
        frozenset({LogicalType.STRING, LogicalType.DATETIME}),
    ),
}


def _convert(series: pd.Series, target: LogicalType) -> pd.Series:
    """The series as ``target``; the caller checked that its type converts."""
    converter = _CONVERSIONS[target][0]
    return converter(series, logical_type_of_series(series))


def _coerce(value: Scalar, target: LogicalType, column: str) -> Any:
    """A user's value as a value of the column's type, the way cast converts it."""
    series = _conform(pd.DataFrame({"value": [value]}))["value"]
    converted = None
    if logical_type_of_series(series) in _CONVERSIONS[target][1]:
        converted = _convert(series, target).iloc[0]
    if converted is None or pd.isna(converted):
        raise _Problem(f"{value!r} is not a valid {target} value for column '{column}'")
    return converted


def _aligned(value: Any, series: pd.Series) -> Any:
    """A coerced (naive, UTC) timestamp made comparable with a zoned column."""
    zoned = isinstance(series.dtype, pd.DatetimeTZDtype)
    if isinstance(value, pd.Timestamp) and zoned and value.tz is None:
        return value.tz_localize("UTC")
    return value


# ---------------------------------------------------------------------------
# Step kinds

StepT = TypeVar("StepT", bound=StepBase)


class _Kind(Generic[StepT]):
    """How one step kind checks a schema, fits on rows and transforms chunks.

    An instance is a fitted step; kinds without state are fitted as is.
    """

    def __init__(self, step: StepT) -> None:
        self.step = step

    @classmethod
    def check(cls, step: StepT, schema: _Schema) -> _Schema:
        raise NotImplementedError

    @classmethod
    def fit(cls, step: StepT, frame: pd.DataFrame, warn: Warn) -> "_Kind[StepT]":
        return cls(step)

    def start(self) -> "_Kind[StepT]":
        """The fitted step for a new stream (kinds that remember rows copy here)."""
        return self

    def transform(self, frame: pd.DataFrame, warn: Warn) -> pd.DataFrame:
        raise NotImplementedError


class _SelectColumns(_Kind[SelectColumnsStep]):
    @classmethod
    def check(cls, step: SelectColumnsStep, schema: _Schema) -> _Schema:
        schema.require(step.columns, _ALL_TYPES, "select_columns")
        return _Schema({name: schema.type_of(name) for name in step.columns})

    def transform(self, frame: pd.DataFrame, warn: Warn) -> pd.DataFrame:
        return frame[list(self.step.columns)]


class _DropColumns(_Kind[DropColumnsStep]):
    @classmethod
    def check(cls, step: DropColumnsStep, schema: _Schema) -> _Schema:
        schema.require(step.columns, _ALL_TYPES, "drop_columns")
        return schema.without(step.columns)

    def transform(self, frame: pd.DataFrame, warn: Warn) -> pd.DataFrame:
        return frame.drop(columns=list(self.step.columns))


class _RenameColumns(_Kind[RenameColumnsStep]):
    @classmethod
    def check(cls, step: RenameColumnsStep, schema: _Schema) -> _Schema:
        mapping = step.mapping
        schema.require(list(mapping), _ALL_TYPES, "rename_columns")
        _require_distinct(list(mapping.values()), "new name")

        staying = [name for name in schema.types if name not in mapping]
        for old, new in mapping.items():
            if new in staying:
                raise _Problem(
                    f"cannot rename '{old}' to '{new}': column '{new}' already exists"
                )

        renamed = {mapping.get(n, n): t for n, t in schema.types.items()}
        pending = {new: schema.type_of(old) for old, new in mapping.items()}
        return _Schema({**renamed, **pending}, schema.encoded)

    def transform(self, frame: pd.DataFrame, warn: Warn) -> pd.DataFrame:
        return frame.rename(columns=dict(self.step.mapping))


class _Cast(_Kind[CastStep]):
    @classmethod
    def check(cls, step: CastStep, schema: _Schema) -> _Schema:
        target = LogicalType(step.to)
        schema.require(step.columns, _CONVERSIONS[target][1], f"cast to {target}")
        return schema.with_types(dict.fromkeys(step.columns, target))

    def transform(self, frame: pd.DataFrame, warn: Warn) -> pd.DataFrame:
        target = LogicalType(self.step.to)
        converted = {name: _convert(frame[name], target) for name in self.step.columns}
        lost = sum(
            int((frame[name].notna() & series.isna()).sum())
            for name, series in converted.items()
        )
        message = f"Values of {_quoted(self.step.columns)} that are not a valid "
        warn("unparseable_values", message + f"{target} became null", lost)
        return frame.assign(**converted)


Matcher = Callable[[pd.Series, Any], pd.Series]
_MATCHERS: dict[str, Matcher] = {
    "eq": operator.eq,
    "ne": operator.ne,
    "lt": operator.lt,
    "le": operator.le,
    "gt": operator.gt,
    "ge": operator.ge,
    "in": lambda series, values: series.isin(values),
    "not_in": lambda series, values: ~series.isin(values),
    "contains": lambda series, text: series.str.contains(text, regex=False),
    "is_null": lambda series, _: series.isna(),
    "not_null": lambda series, _: series.notna(),
}


class _FilterRows(_Kind[FilterRowsStep]):
    """Keeps matching rows; a comparison with a null cell is false."""

    def __init__(self, step: FilterRowsStep, value: Any) -> None:
        super().__init__(step)
        self.value = value

    @classmethod
    def check(cls, step: FilterRowsStep, schema: _Schema) -> _Schema:
        cls._coerced(step, schema)
        return schema

    @classmethod
    def _coerced(cls, step: FilterRowsStep, schema: _Schema) -> Any:
        column_type = schema.type_of(step.column)
        if step.operator == "contains" and column_type is not LogicalType.STRING:
            raise _Problem(
                f"contains needs a string column; '{step.column}' is {column_type}"
            )
        if step.value is None or step.operator == "contains":
            return step.value
        if isinstance(step.value, list):
            return [_coerce(item, column_type, step.column) for item in step.value]
        return _coerce(step.value, column_type, step.column)

    @classmethod
    def fit(
        cls, step: FilterRowsStep, frame: pd.DataFrame, warn: Warn
    ) -> "_FilterRows":
        return cls(step, cls._coerced(step, _frame_schema(frame)))

    def transform(self, frame: pd.DataFrame, warn: Warn) -> pd.DataFrame:
        series = frame[self.step.column]
        if pd.api.types.is_integer_dtype(series.dtype):
            series = _ints(series)
        value = self.value
        if isinstance(value, list):
            value = [_aligned(item, series) for item in value]
        matched = _MATCHERS[self.step.operator](series, _aligned(value, series))
        if self.step.operator not in ("is_null", "not_null"):
            matched = matched & series.notna()
        return frame.loc[matched.to_numpy(dtype=bool, na_value=False)]


def _most_frequent(series: pd.Series) -> Any:
    """The most frequent value, ties going to the smallest; None when all null."""
    counts = series.value_counts(dropna=True)
    if counts.empty:
        return None
    return counts.index[counts == counts.max()].min()


_STATISTICS: dict[str, Callable[[pd.Series], Any]] = {
    "mean": lambda series: series.mean(),
    "median": lambda series: series.median(),
    "most_frequent": _most_frequent,
}


class _FillMissing(_Kind[FillMissingStep]):
    """Fills nulls; a mean or median of an int column is rounded half to even."""

    def __init__(self, step: FillMissingStep, values: dict[str, Any]) -> None:
        super().__init__(step)
        self.values = values

    @classmethod
    def check(cls, step: FillMissingStep, schema: _Schema) -> _Schema:
        statistic = step.strategy in ("mean", "median")
        allowed = _NUMERIC if statistic else _ALL_TYPES
        schema.require(step.columns, allowed, f"fill_missing with {step.strategy}")
        if step.value is not None:
            for name in step.columns:
                _coerce(step.value, schema.type_of(name), name)
        return schema

    @classmethod
    def fit(
        cls, step: FillMissingStep, frame: pd.DataFrame, warn: Warn
    ) -> "_FillMissing":
        values = {name: cls._fill_value(step, frame[name]) for name in step.columns}
        empty = [name for name, value in values.items() if value is None]
        if empty:
            message = f"No {step.strategy} of {_quoted(empty)}: their nulls stay null"
            warn("no_fill_value", message, None)
        return cls(step, {n: v for n, v in values.items() if v is not None})

    @classmethod
    def _fill_value(cls, step: FillMissingStep, series: pd.Series) -> Any:
        column_type = logical_type_of_series(series)
        if step.value is not None:
            return _coerce(step.value, column_type, str(series.name))
        value = _STATISTICS[step.strategy](series)
        if pd.isna(value):
            return None
        if column_type is LogicalType.INT and step.strategy != "most_frequent":
            return min(max(round(float(value)), _INT64_MIN), _INT64_MAX)
        return value

    def transform(self, frame: pd.DataFrame, warn: Warn) -> pd.DataFrame:
        filled = {
            name: frame[name].fillna(_aligned(value, frame[name]))
            for name, value in self.values.items()
        }
        return frame.assign(**filled)


class _DropMissing(_Kind[DropMissingStep]):
    @classmethod
    def check(cls, step: DropMissingStep, schema: _Schema) -> _Schema:
        schema.require(step.columns or [], _ALL_TYPES, "drop_missing")
        return schema

    def transform(self, frame: pd.DataFrame, warn: Warn) -> pd.DataFrame:
        columns = self.step.columns
        return frame.dropna(subset=list(columns) if columns else None)


class _DropDuplicates(_Kind[DropDuplicatesStep]):
    """Keeps the first of equal rows, remembering the rows its stream has seen.

    Rows are remembered by a 64-bit hash (8 bytes per distinct row), so two
    different rows with the same hash count as duplicates and the later one is
    dropped; with n distinct rows the chance of any such pair is about
    n**2 / 2**65: 3e-8 for a million rows, 3% for a billion.
    """

    def __init__(self, step: DropDuplicatesStep) -> None:
        super().__init__(step)
        self.seen = np.empty(0, dtype=np.uint64)

    @classmethod
    def check(cls, step: DropDuplicatesStep, schema: _Schema) -> _Schema:
        schema.require(step.columns or [], _ALL_TYPES, "drop_duplicates")
        return schema

    def start(self) -> "_DropDuplicates":
        return _DropDuplicates(self.step)

    def transform(self, frame: pd.DataFrame, warn: Warn) -> pd.DataFrame:
        columns = list(self.step.columns or frame.columns)
        if not columns or frame.empty:
            return frame
        hashes = pd.util.hash_pandas_object(frame[columns], index=False).to_numpy()
        first = ~pd.Series(hashes).duplicated().to_numpy()
        keep = first & ~self._known(hashes)
        self._remember(hashes[keep])
        kept: pd.DataFrame = frame.loc[keep]
        return kept

    def _known(self, hashes: np.ndarray) -> np.ndarray:
        if not len(self.seen):
            return np.zeros(len(hashes), dtype=bool)
        positions = np.searchsorted(self.seen, hashes)
        found = self.seen[np.minimum(positions, len(self.seen) - 1)] == hashes
        return np.asarray(found & (positions < len(self.seen)))

    def _remember(self, hashes: np.ndarray) -> None:
        new = np.sort(hashes)
        self.seen = np.insert(self.seen, np.searchsorted(self.seen, new), new)


ScaleT = TypeVar("ScaleT", bound=StandardScaleStep | MinMaxScaleStep)


class _Rescale(_Kind[ScaleT]):
    """(x - center) / spread per column, fitted; a constant column becomes 0."""

    def __init__(self, step: ScaleT, params: dict[str, tuple[float, float, bool]]):
        super().__init__(step)
        self.params = params

    @classmethod
    def check(cls, step: ScaleT, schema: _Schema) -> _Schema:
        schema.require(step.columns, _NUMERIC, step.type)
        return schema.with_types(dict.fromkeys(step.columns, LogicalType.FLOAT))

    @classmethod
    def fit(cls, step: ScaleT, frame: pd.DataFrame, warn: Warn) -> "_Rescale[ScaleT]":
        params: dict[str, tuple[float, float, bool]] = {}
        for name in step.columns:
            values = _floats(frame[name])
            constant = bool(values.min() == values.max())
            params[name] = (*cls._center_spread(values), constant)
        return cls(step, params)

    @classmethod
    def _center_spread(cls, values: pd.Series) -> tuple[float, float]:
        raise NotImplementedError

    def transform(self, frame: pd.DataFrame, warn: Warn) -> pd.DataFrame:
        scaled = {
            name: _rescaled(_floats(frame[name]), *params)
            for name, params in self.params.items()
        }
        return frame.assign(**scaled)


def _rescaled(
    values: pd.Series, center: float, spread: float, constant: bool
) -> pd.Series:
    if constant:
        return values.where(values.isna(), 0.0)
    return (values - center) / spread


class _StandardScale(_Rescale[StandardScaleStep]):
    @classmethod
    def _center_spread(cls, values: pd.Series) -> tuple[float, float]:
        return float(values.mean()), float(values.std(ddof=0))


class _MinMaxScale(_Rescale[MinMaxScaleStep]):
    @classmethod
    def _center_spread(cls, values: pd.Series) -> tuple[float, float]:
        return float(values.min()), float(values.max() - values.min())


_ENCODABLE = frozenset({LogicalType.STRING, LogicalType.INT, LogicalType.BOOL})


class _OneHotEncode(_Kind[OneHotEncodeStep]):
    """Indicators for the most frequent values (ties by value), ordered by value."""

    def __init__(self, step: OneHotEncodeStep, categories: dict[str, pd.Index]):
        super().__init__(step)
        self.categories = categories

    @classmethod
    def check(cls, step: OneHotEncodeStep, schema: _Schema) -> _Schema:
        schema.require(step.columns, _ENCODABLE, "one_hot_encode")
        kept = schema.without(step.columns)
        return _Schema(kept.types, schema.encoded | set(step.columns))

    @classmethod
    def fit(
        cls, step: OneHotEncodeStep, frame: pd.DataFrame, warn: Warn
    ) -> "_OneHotEncode":
        categories: dict[str, pd.Index] = {}
        left_out = 0
        for name in step.columns:
            counts = frame[name].value_counts(dropna=True).sort_index()
            ranked = counts.sort_values(ascending=False, kind="stable")
            categories[name] = ranked.index[: step.max_categories].sort_values()
            left_out += len(counts) - len(categories[name])

        fitted = cls(step, categories)
        fitted._check_names(frame)
        message = f"Values beyond the {step.max_categories} most frequent per column"
        warn("categories_left_out", message + " were encoded as all zeros", left_out)
        return fitted

    def _names(self, column: str) -> list[str]:
        return [f"{column}_{value}" for value in self.categories[column]]

    def _check_names(self, frame: pd.DataFrame) -> None:
        taken = {str(name) for name in frame.columns} - set(self.step.columns)
        for column in self.step.columns:
            for name in self._names(column):
                if name in taken:
                    raise _Problem(f"output column '{name}' already exists")
                taken.add(name)

    def transform(self, frame: pd.DataFrame, warn: Warn) -> pd.DataFrame:
        for column in self.step.columns:
            frame = _splice(frame, column, self._indicators(frame[column], column))
        return frame

    def _indicators(self, series: pd.Series, column: str) -> pd.DataFrame:
        codes = self.categories[column].get_indexer(pd.Index(series))
        rows = np.flatnonzero(codes >= 0)
        # One row per category, so the frame takes the array as its block as is.
        matrix = np.zeros((len(self.categories[column]), len(series)), dtype=np.int8)
        matrix[codes[rows], rows] = 1
        names = self._names(column)
        return pd.DataFrame(matrix.T, index=series.index, columns=names, copy=False)


def _splice(frame: pd.DataFrame, column: str, new: pd.DataFrame) -> pd.DataFrame:
    """The frame with ``column`` replaced by the columns of ``new``, in place."""
    position = list(frame.columns).index(column)
    parts = [frame.iloc[:, :position], new, frame.iloc[:, position + 1 :]]
    return pd.concat(parts, axis=1)


class _LogTransform(_Kind[LogTransformStep]):
    @classmethod
    def check(cls, step: LogTransformStep, schema: _Schema) -> _Schema:
        schema.require(step.columns, _NUMERIC, "log_transform")
        return schema.with_types(dict.fromkeys(step.columns, LogicalType.FLOAT))

    def transform(self, frame: pd.DataFrame, warn: Warn) -> pd.DataFrame:
        logged, negative = {}, 0
        for name in self.step.columns:
            values = _floats(frame[name])
            below = values < 0
            negative += int(below.sum())
            logged[name] = np.log1p(values.mask(below))

        message = f"Negative values of {_quoted(self.step.columns)} became null"
        warn("negative_values", message, negative)
        return frame.assign(**logged)


def _int_bound(bound: float | None) -> int | None:
    return None if bound is None else min(max(int(bound), _INT64_MIN), _INT64_MAX)


class _Clip(_Kind[ClipStep]):
    """Clips to the bounds; an int column keeps its type and needs whole bounds."""

    @classmethod
    def check(cls, step: ClipStep, schema: _Schema) -> _Schema:
        schema.require(step.columns, _NUMERIC, "clip")
        whole = all(b is None or b.is_integer() for b in (step.lower, step.upper))
        for name in step.columns:
            if schema.type_of(name) is LogicalType.INT and not whole:
                raise _Problem(f"int column '{name}' needs whole-number bounds")
        return schema

    def transform(self, frame: pd.DataFrame, warn: Warn) -> pd.DataFrame:
        return frame.assign(
            **{name: self._clip(frame[name]) for name in self.step.columns}
        )

    def _clip(self, series: pd.Series) -> pd.Series:
        lower, upper = self.step.lower, self.step.upper
        if pd.api.types.is_integer_dtype(series.dtype):
            return _ints(series).clip(_int_bound(lower), _int_bound(upper))
        return series.clip(lower, upper)


class _Bin(_Kind[BinStep]):
    """Bin k holds (edge k, edge k+1], the first bin its lower edge too.

    Edges are fitted on the finite values; infinities go to the end bins.
    Equal quantile edges are merged, so skewed data may give fewer bins.
    """

    def __init__(self, step: BinStep, edges: np.ndarray | None) -> None:
        super().__init__(step)
        self.edges = edges

    @classmethod
    def check(cls, step: BinStep, schema: _Schema) -> _Schema:
        schema.require([step.column], _NUMERIC, "bin")
        if step.output in (None, step.column):
            return schema.with_types({step.column: LogicalType.INT})
        return schema.adding({step.output: LogicalType.INT})

    @classmethod
    def fit(cls, step: BinStep, frame: pd.DataFrame, warn: Warn) -> "_Bin":
        values = _floats(frame[step.column])
        finite = values[np.isfinite(values)]
        if finite.empty:
            return cls(step, None)
        if step.strategy == "quantile":
            edges = finite.quantile(np.linspace(0, 1, step.bins + 1)).to_numpy()
        else:
            edges = _uniform_edges(float(finite.min()), float(finite.max()), step.bins)
        return cls(step, np.unique(edges))

    def transform(self, frame: pd.DataFrame, warn: Warn) -> pd.DataFrame:
        values = _floats(frame[self.step.column]).to_numpy()
        index = np.zeros(len(values), dtype=np.int64)
        if self.edges is not None:
            index = np.searchsorted(self.edges, values, side="left") - 1
            index = np.clip(index, 0, max(len(self.edges) - 2, 0))
        missing = np.isnan(values) | (self.edges is None)
        binned = pd.Series(pd.arrays.IntegerArray(index, missing), index=frame.index)
        return frame.assign(**{self.step.output or self.step.column: binned})


def _uniform_edges(low: float, high: float, bins: int) -> np.ndarray:
    edges = np.linspace(low, high, bins + 1)
    if not np.isfinite(edges).all():
        steps = np.linspace(0.0, 1.0, bins + 1)
        edges = low * (1.0 - steps) + high * steps
    return edges


_ARITHMETIC: dict[str, Callable[[Any, Any], pd.Series]] = {
    "add": operator.add,
    "sub": operator.sub,
    "mul": operator.mul,
}


class _Derive(_Kind[DeriveStep]):
    """Int with int stays int (wrapping on int64 overflow); division gives floats."""

    def __init__(self, step: DeriveStep, whole: bool) -> None:
        super().__init__(step)
        self.whole = whole

    @classmethod
    def check(cls, step: DeriveStep, schema: _Schema) -> _Schema:
        return schema.adding({step.output: cls._output_type(step, schema)})

    @classmethod
    def _output_type(cls, step: DeriveStep, schema: _Schema) -> LogicalType:
        operands = [step.left] + ([step.right] if isinstance(step.right, str) else [])
        schema.require(list(dict.fromkeys(operands)), _NUMERIC, "derive")
        types = {schema.type_of(name) for name in operands}
        if isinstance(step.right, float):
            whole = step.right.is_integer() and _INT64_MIN <= step.right <= _INT64_MAX
            types.add(LogicalType.INT if whole else LogicalType.FLOAT)
        if step.operator == "div" or LogicalType.FLOAT in types:
            return LogicalType.FLOAT
        return LogicalType.INT

    @classmethod
    def fit(cls, step: DeriveStep, frame: pd.DataFrame, warn: Warn) -> "_Derive":
        output = cls._output_type(step, _frame_schema(frame))
        return cls(step, output is LogicalType.INT)

    def transform(self, frame: pd.DataFrame, warn: Warn) -> pd.DataFrame:
        step = self.step
        convert = _ints if self.whole else _floats
        left = convert(frame[step.left])
        right = convert(
            frame[step.right]
            if isinstance(step.right, str)
            else pd.Series(step.right, index=frame.index)
        )
        if step.operator == "div":
            derived = (left / right).where(right != 0)
        else:
            derived = _ARITHMETIC[step.operator](left, right)
        return frame.assign(**{step.output: derived})


_PART_ATTRIBUTES = {
    "year": "year",
    "month": "month",
    "day": "day",
    "hour": "hour",
    "weekday": "day_of_week",
}


class _DatetimeParts(_Kind[DatetimePartsStep]):
    """Int columns ``{column}_{part}``; weekday counts Monday as 0."""

    @classmethod
    def check(cls, step: DatetimePartsStep, schema: _Schema) -> _Schema:
        schema.require(
            [step.column], frozenset({LogicalType.DATETIME}), "datetime_parts"
        )
        _require_distinct(step.parts, "part")
        names = [f"{step.column}_{part}" for part in step.parts]
        return schema.adding(dict.fromkeys(names, LogicalType.INT))

    def transform(self, frame: pd.DataFrame, warn: Warn) -> pd.DataFrame:
        moments = frame[self.step.column].dt
        parts = {}
        for part in self.step.parts:
            values = getattr(moments, _PART_ATTRIBUTES[part])
            parts[f"{self.step.column}_{part}"] = values.astype("Int64")
        return frame.assign(**parts)


_KINDS: dict[type[StepBase], type[_Kind[Any]]] = {
    SelectColumnsStep: _SelectColumns,
    DropColumnsStep: _DropColumns,
    RenameColumnsStep: _RenameColumns,
    CastStep: _Cast,
    FilterRowsStep: _FilterRows,
    FillMissingStep: _FillMissing,
    DropMissingStep: _DropMissing,
    DropDuplicatesStep: _DropDuplicates,
    StandardScaleStep: _StandardScale,
    MinMaxScaleStep: _MinMaxScale,
    OneHotEncodeStep: _OneHotEncode,
    LogTransformStep: _LogTransform,
    ClipStep: _Clip,
    BinStep: _Bin,
    DeriveStep: _Derive,
    DatetimePartsStep: _DatetimeParts,
}


# ---------------------------------------------------------------------------
# Pipelines


def validate_steps(
    steps: Sequence[Step], columns: Sequence[ColumnSchema]
) -> list[ColumnSchema]:
    """Check each step against the schema the steps before it leave; the output one.

    One-hot indicator columns depend on the data, so they are missing from the
    schema returned here (``FittedPipeline.output_schema`` has them), and a later
    step naming one is checked only when the pipeline is fitted.
    """
    schema = _Schema.of(columns)
    for index, step in enumerate(steps):
        with _problems_of(index, step):
            schema = _KINDS[type(step)].check(step, schema)
    return schema.columns()


def _quiet_arithmetic() -> np.errstate:
    """Infinities and NaN are data here (inf - inf is NaN), not worth a warning."""
    return np.errstate(all="ignore")


class PipelineStream:
    """Applies fitted steps to consecutive chunks of one dataset, in order."""

    def __init__(self, steps: Sequence[_Kind[Any]], tally: _Tally) -> None:
        self._steps = [step.start() for step in steps]
        self._tally = tally

    def transform(self, chunk: pd.DataFrame) -> pd.DataFrame:
        frame = _conform(chunk)
        with _quiet_arithmetic():
            for index, step in enumerate(self._steps):
                frame = step.transform(frame, self._tally.for_step(index))
        return frame.reset_index(drop=True)

    @property
    def warnings(self) -> list[PipelineWarning]:
        """Fitting's warnings and the counts of every chunk so far."""
        return self._tally.warnings()


class FittedPipeline:
    """Steps with the state they learned from the rows that reached them."""

    def __init__(
        self,
        steps: Sequence[_Kind[Any]],
        output_schema: list[ColumnSchema],
        fit_tally: _Tally,
        pass_tally: _Tally,
    ) -> None:
        self._steps = [step.start() for step in steps]  # forget the fitting pass
        self._fit_tally = fit_tally
        self.output_schema = output_schema
        self.warnings = fit_tally.merged(pass_tally).warnings()

    def stream(self) -> PipelineStream:
        return PipelineStream(self._steps, self._fit_tally.copy())


def fit_transform(
    steps: Sequence[Step],
    frame: pd.DataFrame,
    before_step: Callable[[int, Step], None] | None = None,
) -> tuple[pd.DataFrame, FittedPipeline]:
    """Fit each step on the output of the previous ones; the output and the fit.

    ``before_step`` hears of each step as its turn comes, so a long fit can
    report where it is, or stop by raising.
    """
    frame = _conform(frame)
    fitted: list[_Kind[Any]] = []
    fit_tally, pass_tally = _Tally(), _Tally()
    for index, step in enumerate(steps):
        if before_step is not None:
            before_step(index, step)
        kind = _KINDS[type(step)]
        with _problems_of(index, step), _quiet_arithmetic():
            kind.check(step, _frame_schema(frame))
            fitted.append(kind.fit(step, frame, fit_tally.for_step(index)))
            frame = fitted[-1].transform(frame, pass_tally.for_step(index))

    frame = frame.reset_index(drop=True)
    pipeline = FittedPipeline(fitted, schema_of_frame(frame), fit_tally, pass_tally)
    return frame, pipeline


def fit_pipeline(
    steps: Sequence[Step],
    frame: pd.DataFrame,
    before_step: Callable[[int, Step], None] | None = None,
) -> FittedPipeline:
    """Fit each stateful step on the rows that reach it from ``frame``."""
    return fit_transform(steps, frame, before_step)[1]
