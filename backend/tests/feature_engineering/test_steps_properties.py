"""Random valid pipelines over random frames: streaming, schemas and errors agree."""

from collections.abc import Callable
from datetime import datetime
from itertools import pairwise
from typing import Any

import numpy as np
import pandas as pd
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pydantic import TypeAdapter, ValidationError

from core.datasets.schemas import ColumnSchema, LogicalType, schema_of_frame
from core.errors import InvalidStepError
from core.feature_engineering.steps import (
    Step,
    fit_pipeline,
    fit_transform,
    validate_steps,
)

STEPS = TypeAdapter(list[Step])
INT, FLOAT, STRING, BOOL, DATETIME = (
    LogicalType.INT,
    LogicalType.FLOAT,
    LogicalType.STRING,
    LogicalType.BOOL,
    LogicalType.DATETIME,
)
NUMERIC = (INT, FLOAT)
COLUMNS = {
    "i": INT,
    "j": INT,
    "f": FLOAT,
    "g": FLOAT,
    "s": STRING,
    "t": STRING,
    "b": BOOL,
    "d": DATETIME,
}
WORDS = [
    "a",
    "b",
    "é",
    "日本",
    "Ω",
    "",
    " 7 ",
    "2.5",
    "TRUE",
    "no",
    "2020-02-29",
    "b_1",
]
OUTPUT_DTYPES = {"Int64", "int8", "float64", "str", "boolean", "datetime64[us]"}
SETTINGS = settings(
    max_examples=200,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)

Draw = Callable[[st.SearchStrategy[Any]], Any]
Spec = dict[str, Any]

# ---------------------------------------------------------------------------
# Frames

VALUES: dict[LogicalType, st.SearchStrategy[Any]] = {
    INT: st.integers(-3, 3) | st.integers(-(2**62), 2**62),
    FLOAT: st.sampled_from([0.0, -0.0, 1.5, np.inf, -np.inf])
    | st.floats(-1e6, 1e6, allow_nan=False),
    STRING: st.sampled_from(WORDS) | st.text(max_size=3),
    BOOL: st.booleans(),
    DATETIME: st.datetimes(datetime(1970, 1, 1), datetime(2100, 1, 1))
    | st.sampled_from([datetime(2020, 1, 6), datetime(2021, 3, 1, 12)]),
}


def as_series(values: list[Any], dtype: LogicalType) -> pd.Series:
    if dtype is INT:
        return pd.Series(pd.array(values, dtype="Int64"))
    if dtype is BOOL:
        return pd.Series(pd.array(values, dtype="boolean"))
    if dtype is FLOAT:
        return pd.Series([np.nan if v is None else v for v in values], dtype="float64")
    if dtype is STRING:
        return pd.Series(values, dtype="str")
    return pd.Series(pd.to_datetime(values).as_unit("us"))


@st.composite
def columns_of(draw: Draw, dtype: LogicalType, rows: int) -> pd.Series:
    value = VALUES[dtype]
    if draw(st.booleans()):
        value = st.just(draw(value))  # a constant column
    cell = st.none() | value if draw(st.booleans()) else value
    return as_series(draw(st.lists(cell, min_size=rows, max_size=rows)), dtype)


@st.composite
def frames(draw: Draw) -> pd.DataFrame:
    rows = draw(st.sampled_from([0, 1]) | st.integers(0, 24))
    names = draw(st.lists(st.sampled_from(list(COLUMNS)), min_size=1, unique=True))
    return pd.DataFrame({name: draw(columns_of(COLUMNS[name], rows)) for name in names})


# ---------------------------------------------------------------------------
# Steps built against the schema they will meet


def names_of(schema: list[ColumnSchema], *types: LogicalType) -> list[str]:
    return [column.name for column in schema if not types or column.dtype in types]


def some(draw: Draw, names: list[str]) -> list[str]:
    return list(draw(st.lists(st.sampled_from(names), min_size=1, unique=True)))


def value_for(draw: Draw, dtype: LogicalType) -> Any:
    if dtype is DATETIME:
        return draw(VALUES[DATETIME]).isoformat()
    if dtype is INT:
        return draw(st.integers(-3, 3) | st.sampled_from(["2", "x"]))
    if dtype is FLOAT:
        return draw(st.floats(-3, 3) | st.sampled_from([0, "1.5"]))
    if dtype is BOOL:
        return draw(st.booleans() | st.sampled_from(["yes", 0]))
    return draw(st.sampled_from(WORDS))


def on_columns(kind: str, *types: LogicalType) -> Callable[..., Spec | None]:
    def build(draw: Draw, schema: list[ColumnSchema]) -> Spec | None:
        names = names_of(schema, *types)
        return {"type": kind, "columns": some(draw, names)} if names else None

    return build


def select_columns(draw: Draw, schema: list[ColumnSchema]) -> Spec:
    return {"type": "select_columns", "columns": some(draw, names_of(schema))}


def drop_columns(draw: Draw, schema: list[ColumnSchema]) -> Spec:
    return {"type": "drop_columns", "columns": some(draw, names_of(schema))}


def rename_columns(draw: Draw, schema: list[ColumnSchema]) -> Spec:
    old = some(draw, names_of(schema))
    new = draw(st.permutations(old)) if draw(st.booleans()) else [f"{n}2" for n in old]
    return {"type": "rename_columns", "mapping": dict(zip(old, new, strict=True))}


def cast(draw: Draw, schema: list[ColumnSchema]) -> Spec:
    to = draw(st.sampled_from(["int", "float", "string", "bool", "datetime"]))
    return {"type": "cast", "columns": some(draw, names_of(schema)), "to": to}


def filter_rows(draw: Draw, schema: list[ColumnSchema]) -> Spec:
    column = draw(st.sampled_from(schema))
    operators = ["eq", "ne", "lt", "le", "gt", "ge", "in", "not_in", "is_null"]
    operators += ["not_null"] + (["contains"] * (column.dtype is STRING))
    operator = draw(st.sampled_from(operators))
    spec = {"type": "filter_rows", "column": column.name, "operator": operator}
    if operator in ("in", "not_in"):
        spec["value"] = [
            value_for(draw, column.dtype) for _ in range(draw(st.integers(0, 3)))
        ]
    elif operator == "contains":
        spec["value"] = draw(st.sampled_from(["a", "", "日", "."]))
    elif operator not in ("is_null", "not_null"):
        spec["value"] = value_for(draw, column.dtype)
    return spec


def fill_missing(draw: Draw, schema: list[ColumnSchema]) -> Spec | None:
    strategy = draw(st.sampled_from(["mean", "median", "most_frequent", "constant"]))
    types = NUMERIC if strategy in ("mean", "median") else ()
    names = names_of(schema, *types)
    if strategy == "constant":
        column = draw(st.sampled_from(schema))
        names, value = [column.name], value_for(draw, column.dtype)
    if not names:
        return None
    spec = {"type": "fill_missing", "columns": some(draw, names), "strategy": strategy}
    return {**spec, "value": value} if strategy == "constant" else spec


def optional_columns(kind: str) -> Callable[..., Spec]:
    def build(draw: Draw, schema: list[ColumnSchema]) -> Spec:
        if draw(st.booleans()):
            return {"type": kind}
        return {"type": kind, "columns": some(draw, names_of(schema))}

    return build


def one_hot_encode(draw: Draw, schema: list[ColumnSchema]) -> Spec | None:
    spec = on_columns("one_hot_encode", STRING, INT, BOOL)(draw, schema)
    return spec and {**spec, "max_categories": draw(st.integers(1, 4))}


def clip(draw: Draw, schema: list[ColumnSchema]) -> Spec | None:
    spec = on_columns("clip", *NUMERIC)(draw, schema)
    lower, upper = sorted(draw(st.lists(st.integers(-3, 3), min_size=2, max_size=2)))
    bounds = draw(st.sampled_from([{"lower": lower}, {"upper": upper}]))
    return spec and {**spec, **bounds}


def bin_column(draw: Draw, schema: list[ColumnSchema]) -> Spec | None:
    names = names_of(schema, *NUMERIC)
    if not names:
        return None
    return {
        "type": "bin",
        "column": draw(st.sampled_from(names)),
        "bins": draw(st.integers(2, 5)),
        "strategy": draw(st.sampled_from(["uniform", "quantile"])),
        "output": draw(st.sampled_from([None, "binned"])),
    }


def derive(draw: Draw, schema: list[ColumnSchema]) -> Spec | None:
    names = names_of(schema, *NUMERIC)
    if not names:
        return None
    right = st.sampled_from(names) | st.sampled_from([0, 2, -1.5])
    return {
        "type": "derive",
        "output": draw(st.sampled_from(["derived", "derived2"])),
        "left": draw(st.sampled_from(names)),
        "operator": draw(st.sampled_from(["add", "sub", "mul", "div"])),
        "right": draw(right),
    }


def datetime_parts(draw: Draw, schema: list[ColumnSchema]) -> Spec | None:
    names = names_of(schema, DATETIME)
    if not names:
        return None
    parts = st.lists(
        st.sampled_from(["year", "month", "day", "hour", "weekday"]),
        min_size=1,
        unique=True,
    )
    return {"type": "datetime_parts", "column": names[0], "parts": draw(parts)}


BUILDERS: list[Callable[..., Spec | None]] = [
    select_columns,
    drop_columns,
    rename_columns,
    cast,
    filter_rows,
    fill_missing,
    optional_columns("drop_missing"),
    optional_columns("drop_duplicates"),
    on_columns("standard_scale", *NUMERIC),
    on_columns("min_max_scale", *NUMERIC),
    one_hot_encode,
    on_columns("log_transform", *NUMERIC),
    clip,
    bin_column,
    derive,
    datetime_parts,
]


def valid_steps(specs: list[Spec], columns: list[ColumnSchema]) -> list[Step] | None:
    try:
        steps = STEPS.validate_python(specs)
        validate_steps(steps, columns)
    except (InvalidStepError, ValidationError):
        return None
    return steps


@st.composite
def pipelines(draw: Draw, columns: list[ColumnSchema]) -> list[Step]:
    """Up to five steps, each valid against the schema the previous ones leave."""
    specs: list[Spec] = []
    steps: list[Step] = []
    for _ in range(draw(st.sampled_from([0, 8]) | st.integers(1, 8))):
        schema = validate_steps(steps, columns)
        spec = draw(st.sampled_from(BUILDERS))(draw, schema) if schema else None
        candidate = spec and valid_steps([*specs, spec], columns)
        if candidate is not None:
            specs.append(spec)
            steps = candidate
        if len(steps) == 5:
            break
    return steps


def chunks_of(draw: Draw, frame: pd.DataFrame) -> list[pd.DataFrame]:
    """Consecutive slices, some of them empty, each indexed from 0 as read from disk."""
    cuts = draw(st.lists(st.integers(0, len(frame)), max_size=4))
    edges = [0, *sorted(cuts), len(frame)]
    return [
        frame.iloc[start:stop].reset_index(drop=True) for start, stop in pairwise(edges)
    ]


def fitted_or_none(steps: list[Step], frame: pd.DataFrame) -> Any:
    """The fit, or None when one-hot indicator names clash with other columns."""
    try:
        return fit_transform(steps, frame)
    except InvalidStepError as error:
        clash = error.detail
    assert "(one_hot_encode): output column" in clash
    return None


# ---------------------------------------------------------------------------
# Properties


@SETTINGS
@given(st.data())
def test_streaming_chunks_gives_what_fit_transform_gives(data: st.DataObject) -> None:
    frame = data.draw(frames())
    steps = data.draw(pipelines(schema_of_frame(frame)))
    result = fitted_or_none(steps, frame)
    if result is None:
        return
    output, pipeline = result

    stream = pipeline.stream()
    parts = [stream.transform(chunk) for chunk in chunks_of(data.draw, frame)]

    pd.testing.assert_frame_equal(pd.concat(parts, ignore_index=True), output)
    assert stream.warnings == pipeline.warnings


@SETTINGS
@given(st.data())
def test_validated_schema_is_the_schema_of_the_output(data: st.DataObject) -> None:
    frame = data.draw(frames())
    steps = data.draw(pipelines(schema_of_frame(frame)))
    validated = validate_steps(steps, schema_of_frame(frame))
    result = fitted_or_none(steps, frame)
    if result is None:
        return
    output, pipeline = result

    assert schema_of_frame(output) == pipeline.output_schema
    assert {str(dtype) for dtype in output.dtypes} <= OUTPUT_DTYPES
    if all(step.type != "one_hot_encode" for step in steps):
        assert validated == pipeline.output_schema
    else:
        known = {column.name for column in validated}
        assert [c for c in pipeline.output_schema if c.name in known] == validated


@settings(SETTINGS, max_examples=100)
@given(st.data())
def test_drop_duplicates_over_chunks_matches_pandas(data: st.DataObject) -> None:
    frame = data.draw(frames())
    subset = data.draw(st.none() | st.just(some(data.draw, list(frame.columns))))
    spec = {"type": "drop_duplicates"} | ({"columns": subset} if subset else {})
    stream = fit_pipeline(STEPS.validate_python([spec]), frame).stream()

    parts = [stream.transform(chunk) for chunk in chunks_of(data.draw, frame)]

    expected = frame.drop_duplicates(subset=subset).reset_index(drop=True)
    pd.testing.assert_frame_equal(pd.concat(parts, ignore_index=True), expected)
