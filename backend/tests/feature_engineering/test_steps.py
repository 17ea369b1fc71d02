"""Each pipeline step against the same computation written directly in pandas."""

from typing import Any

import numpy as np
import pandas as pd
import pytest
from pydantic import TypeAdapter, ValidationError

from core.datasets.schemas import ColumnSchema, LogicalType, schema_of_frame
from core.errors import InvalidStepError
from core.feature_engineering.schemas import StepWarning
from core.feature_engineering.steps import (
    FittedPipeline,
    PipelineWarning,
    Step,
    fit_pipeline,
    fit_transform,
    validate_steps,
)

STEPS = TypeAdapter(list[Step])


def make_steps(*specs: dict[str, Any]) -> list[Step]:
    return STEPS.validate_python(list(specs))


def run(frame: pd.DataFrame, *specs: dict[str, Any]) -> pd.DataFrame:
    return fit_transform(make_steps(*specs), frame)[0]


def fitted(frame: pd.DataFrame, *specs: dict[str, Any]) -> FittedPipeline:
    return fit_pipeline(make_steps(*specs), frame)


def ints(*values: int | None) -> pd.Series:
    return pd.Series(pd.array(list(values), dtype="Int64"))


def strings(*values: str | None) -> pd.Series:
    return pd.Series(list(values), dtype="str")


def bools(*values: bool | None) -> pd.Series:
    return pd.Series(pd.array(list(values), dtype="boolean"))


def datetimes(*values: str | None) -> pd.Series:
    return pd.Series(pd.to_datetime(list(values), format="ISO8601").as_unit("us"))


def people() -> pd.DataFrame:
    """Six rows of every logical type, with nulls in each column."""
    return pd.DataFrame(
        {
            "age": ints(31, None, 45, 31, 22, 67),
            "income": [52_000.5, 61_250.0, np.nan, 48_000.0, 75_500.25, 39_999.0],
            "city": strings("Oslo", "Kraków", "Oslo", None, "東京", "Oslo"),
            "member": bools(True, False, None, True, True, False),
            "joined": datetimes(
                "2020-01-06", "2021-03-15T08:30:00", None, "2019-12-31T23:59:59",
                "2022-07-04T12:00:00", "2020-02-29",
            ),
        }
    )  # fmt: skip


def assert_floats(actual: pd.Series, expected: pd.Series) -> None:
    pd.testing.assert_series_equal(
        actual.reset_index(drop=True),
        expected.reset_index(drop=True).astype("float64"),
        check_names=False,
        check_exact=False,
        rtol=1e-9,
        atol=1e-12,
    )


def assert_same(actual: pd.Series | pd.DataFrame, expected: Any) -> None:
    if isinstance(actual, pd.DataFrame):
        pd.testing.assert_frame_equal(actual, expected.reset_index(drop=True))
    else:
        pd.testing.assert_series_equal(
            actual.reset_index(drop=True),
            expected.reset_index(drop=True),
            check_names=False,
        )


def schema(**types: LogicalType) -> list[ColumnSchema]:
    return [ColumnSchema(name=name, dtype=dtype) for name, dtype in types.items()]


def invalid(frame: pd.DataFrame, *specs: dict[str, Any]) -> InvalidStepError:
    with pytest.raises(InvalidStepError) as raised:
        validate_steps(make_steps(*specs), schema_of_frame(frame))
    return raised.value


class TestColumnSelection:
    def test_select_columns_keeps_the_columns_in_the_order_given(self) -> None:
        frame = people()

        output = run(frame, {"type": "select_columns", "columns": ["city", "age"]})

        assert_same(output, frame[["city", "age"]])

    def test_drop_columns_removes_the_columns(self) -> None:
        frame = people()

        output = run(frame, {"type": "drop_columns", "columns": ["income", "joined"]})

        assert_same(output, frame.drop(columns=["income", "joined"]))

    def test_rename_columns_renames_in_place_and_may_swap_names(self) -> None:
        frame = people()
        mapping = {"age": "city", "city": "age", "member": "is_member"}

        output = run(frame, {"type": "rename_columns", "mapping": mapping})

        assert_same(output, frame.rename(columns=mapping))

    def test_an_unknown_column_is_named(self) -> None:
        error = invalid(people(), {"type": "select_columns", "columns": ["age", "x"]})

        assert error.detail == "Step 1 (select_columns): unknown column 'x'"
        assert error.step_index == 0

    def test_a_column_listed_twice_is_rejected(self) -> None:
        error = invalid(people(), {"type": "drop_columns", "columns": ["age", "age"]})

        assert "column 'age' is listed more than once" in error.detail

    def test_renaming_onto_a_remaining_column_is_rejected(self) -> None:
        error = invalid(
            people(), {"type": "rename_columns", "mapping": {"age": "city"}}
        )

        assert error.detail == (
            "Step 1 (rename_columns): cannot rename 'age' to 'city': "
            "column 'city' already exists"
        )

    def test_renaming_two_columns_to_one_name_is_rejected(self) -> None:
        mapping = {"age": "x", "city": "x"}

        error = invalid(people(), {"type": "rename_columns", "mapping": mapping})

        assert "new name 'x' is listed more than once" in error.detail

    def test_each_step_sees_the_schema_left_by_the_steps_before(self) -> None:
        error = invalid(
            people(),
            {"type": "rename_columns", "mapping": {"age": "years"}},
            {"type": "standard_scale", "columns": ["years"]},
            {"type": "standard_scale", "columns": ["age"]},
        )

        assert error.detail == "Step 3 (standard_scale): unknown column 'age'"
        assert error.step_index == 2


class TestCast:
    def test_strings_to_int_parse_whole_numbers_exactly(self) -> None:
        texts = ["1", " -2 ", "3.0", "1e3", "9007199254740993", "x", "2.5", None]
        frame = pd.DataFrame({"n": strings(*texts)})

        pipeline = fitted(frame, {"type": "cast", "columns": ["n"], "to": "int"})
        output = run(frame, {"type": "cast", "columns": ["n"], "to": "int"})

        expected = ints(1, -2, 3, 1000, 9007199254740993, None, None, None)
        assert_same(output["n"], expected)
        message = "Values of 'n' that are not a valid int became null"
        assert pipeline.warnings == [
            PipelineWarning(0, "unparseable_values", message, 2)
        ]

    def test_floats_to_int_keep_whole_numbers_only(self) -> None:
        frame = pd.DataFrame({"x": [1.0, 2.5, np.nan, -3.0, np.inf, 1e19]})

        output = run(frame, {"type": "cast", "columns": ["x"], "to": "int"})

        assert_same(output["x"], ints(1, None, None, -3, None, None))

    def test_strings_to_float_match_pandas_to_numeric(self) -> None:
        column = strings("1.5", " 2 ", "-1e-3", "abc", None, "inf")

        output = run(
            pd.DataFrame({"x": column}),
            {"type": "cast", "columns": ["x"], "to": "float"},
        )

        assert_floats(output["x"], pd.to_numeric(column, errors="coerce"))

    def test_strings_to_bool_understand_common_words(self) -> None:
        column = strings("true", " FALSE", "yes", "n", "1", "0", "maybe", None)

        output = run(
            pd.DataFrame({"x": column}),
            {"type": "cast", "columns": ["x"], "to": "bool"},
        )

        assert_same(
            output["x"], bools(True, False, True, False, True, False, None, None)
        )

    def test_numbers_to_bool_accept_only_zero_and_one(self) -> None:
        frame = pd.DataFrame({"x": ints(0, 1, 2, None)})

        output = run(frame, {"type": "cast", "columns": ["x"], "to": "bool"})

        assert_same(output["x"], bools(False, True, None, None))

    def test_strings_to_datetime_parse_iso_8601_into_naive_utc(self) -> None:
        column = strings(
            "2020-01-02", "2020-01-02T03:04:05", "2020-01-02 03:04:05+02:00",
            "now", "02/01/2020", None,
        )  # fmt: skip

        output = run(
            pd.DataFrame({"x": column}),
            {"type": "cast", "columns": ["x"], "to": "datetime"},
        )

        expected = datetimes(
            "2020-01-02", "2020-01-02T03:04:05", "2020-01-02T01:04:05", None, None, None
        )
        assert_same(output["x"], expected)
        assert output["x"].dtype == "datetime64[us]"

    def test_datetimes_to_string_do_not_depend_on_the_other_rows(self) -> None:
        frame = pd.DataFrame({"d": datetimes("2020-01-01", "2020-01-02T10:00:00.5")})
        step = {"type": "cast", "columns": ["d"], "to": "string"}

        alone = run(frame.iloc[:1], step)
        together = run(frame, step)

        assert alone["d"].tolist() == ["2020-01-01 00:00:00"]
        assert together["d"].tolist() == [
            "2020-01-01 00:00:00",
            "2020-01-02 10:00:00.500000",
        ]

    def test_numbers_and_bools_to_string_match_pandas(self) -> None:
        frame = people()

        output = run(
            frame,
            {"type": "cast", "columns": ["age", "income", "member"], "to": "string"},
        )

        for name in ("age", "income", "member"):
            assert_same(output[name], frame[name].astype("str"))

    def test_a_datetime_cannot_be_cast_to_a_number(self) -> None:
        error = invalid(people(), {"type": "cast", "columns": ["joined"], "to": "int"})

        assert error.detail.startswith("Step 1 (cast): column 'joined' is datetime")


class TestFilterRows:
    @pytest.mark.parametrize(
        ("operator", "compare"),
        [
            ("eq", lambda s, v: s == v),
            ("ne", lambda s, v: s != v),
            ("lt", lambda s, v: s < v),
            ("le", lambda s, v: s <= v),
            ("gt", lambda s, v: s > v),
            ("ge", lambda s, v: s >= v),
        ],
    )
    def test_comparisons_drop_rows_whose_cell_is_null(
        self, operator: str, compare: Any
    ) -> None:
        frame = people()
        step = {"type": "filter_rows", "column": "age", "operator": operator}

        output = run(frame, {**step, "value": 31})

        keep = compare(frame["age"], 31).fillna(False) & frame["age"].notna()
        assert_same(output, frame[keep.astype(bool)])

    def test_in_and_not_in_never_keep_null_cells(self) -> None:
        frame = people()
        step = {"type": "filter_rows", "column": "city", "value": ["Oslo", "東京"]}

        kept = run(frame, {**step, "operator": "in"})
        others = run(frame, {**step, "operator": "not_in"})

        chosen = frame["city"].isin(["Oslo", "東京"])
        assert_same(kept, frame[chosen])
        assert_same(others, frame[~chosen & frame["city"].notna()])

    def test_is_null_and_not_null(self) -> None:
        frame = people()

        nulls = run(
            frame, {"type": "filter_rows", "column": "income", "operator": "is_null"}
        )
        values = run(
            frame, {"type": "filter_rows", "column": "income", "operator": "not_null"}
        )

        assert_same(nulls, frame[frame["income"].isna()])
        assert_same(values, frame[frame["income"].notna()])

    def test_contains_is_a_literal_substring_never_a_pattern(self) -> None:
        frame = pd.DataFrame({"s": strings("a.c", "abc", "x(y", None)})
        step = {"type": "filter_rows", "column": "s", "operator": "contains"}

        dotted = run(frame, {**step, "value": "."})
        bracket = run(frame, {**step, "value": "("})

        assert dotted["s"].tolist() == ["a.c"]
        assert bracket["s"].tolist() == ["x(y"]

    def test_a_value_is_coerced_to_the_column_type(self) -> None:
        frame = people()
        step = {"type": "filter_rows", "operator": "ge"}

        by_number = run(frame, {**step, "column": "age", "value": "45"})
        by_date = run(frame, {**step, "column": "joined", "value": "2021-01-01"})

        assert by_number["age"].tolist() == [45, 67]
        assert_same(by_date, frame[frame["joined"] >= pd.Timestamp("2021-01-01")])

    def test_a_value_that_is_not_of_the_column_type_is_rejected(self) -> None:
        step = {"type": "filter_rows", "column": "age", "operator": "eq"}

        word = invalid(people(), {**step, "value": "abc"})
        fraction = invalid(people(), {**step, "value": 2.5})

        assert word.detail == (
            "Step 1 (filter_rows): 'abc' is not a valid int value for column 'age'"
        )
        assert "2.5 is not a valid int value" in fraction.detail

    def test_contains_needs_a_string_column(self) -> None:
        step = {"type": "filter_rows", "column": "age", "operator": "contains"}

        error = invalid(people(), {**step, "value": "3"})

        assert "contains needs a string column" in error.detail

    @pytest.mark.parametrize(
        "spec",
        [
            {"operator": "in", "value": "Oslo"},
            {"operator": "eq", "value": ["Oslo"]},
            {"operator": "eq"},
            {"operator": "is_null", "value": "Oslo"},
            {"operator": "contains", "value": 3},
        ],
    )
    def test_a_value_that_does_not_suit_the_operator_is_rejected(
        self, spec: dict[str, Any]
    ) -> None:
        with pytest.raises(ValidationError):
            make_steps({"type": "filter_rows", "column": "city", **spec})

    def test_a_value_that_looks_like_code_is_only_compared(self) -> None:
        frame = pd.DataFrame({"s": strings("__import__('os')", "a")})
        step = {"type": "filter_rows", "column": "s", "operator": "eq"}

        output = run(frame, {**step, "value": "__import__('os')"})

        assert output["s"].tolist() == ["__import__('os')"]


class TestFillMissing:
    @pytest.mark.parametrize("strategy", ["mean", "median"])
    def test_statistics_of_a_float_column_match_pandas(self, strategy: str) -> None:
        frame = people()
        income = frame["income"]

        output = run(
            frame, {"type": "fill_missing", "columns": ["income"], "strategy": strategy}
        )

        assert_floats(output["income"], income.fillna(getattr(income, strategy)()))

    def test_the_mean_of_an_int_column_is_rounded_half_to_even(self) -> None:
        frame = pd.DataFrame({"x": ints(1, 4, None), "y": ints(1, 2, None)})

        output = run(
            frame, {"type": "fill_missing", "columns": ["x", "y"], "strategy": "mean"}
        )

        assert_same(output["x"], ints(1, 4, 2))
        assert_same(output["y"], ints(1, 2, 2))

    def test_most_frequent_ties_go_to_the_smallest_value(self) -> None:
        frame = pd.DataFrame(
            {"s": strings("b", "a", None, "b", "a"), "n": ints(3, 1, 3, 1, None)}
        )

        output = run(
            frame,
            {
                "type": "fill_missing",
                "columns": ["s", "n"],
                "strategy": "most_frequent",
            },
        )

        assert output["s"].tolist() == ["b", "a", "a", "b", "a"]
        assert_same(output["n"], ints(3, 1, 3, 1, 1))

    def test_a_constant_is_coerced_to_each_column(self) -> None:
        frame = people()
        step = {"type": "fill_missing", "strategy": "constant"}

        output = run(
            frame,
            {**step, "columns": ["age"], "value": "0"},
            {**step, "columns": ["joined"], "value": "2000-01-01"},
        )

        assert_same(output["age"], frame["age"].fillna(0))
        assert_same(
            output["joined"], frame["joined"].fillna(pd.Timestamp("2000-01-01"))
        )

    def test_a_constant_that_does_not_fit_the_column_is_rejected(self) -> None:
        spec = {"type": "fill_missing", "columns": ["member"], "strategy": "constant"}

        error = invalid(people(), {**spec, "value": "perhaps"})

        assert "'perhaps' is not a valid bool value for column 'member'" in error.detail

    def test_constant_needs_a_value_and_statistics_take_none(self) -> None:
        with pytest.raises(ValidationError, match="needs a value"):
            make_steps(
                {"type": "fill_missing", "columns": ["a"], "strategy": "constant"}
            )
        with pytest.raises(ValidationError, match="takes no value"):
            make_steps(
                {
                    "type": "fill_missing",
                    "columns": ["a"],
                    "strategy": "mean",
                    "value": 1,
                }
            )

    def test_the_mean_of_a_string_column_is_rejected(self) -> None:
        spec = {"type": "fill_missing", "columns": ["city"], "strategy": "mean"}

        error = invalid(people(), spec)

        assert error.detail == (
            "Step 1 (fill_missing): column 'city' is string, "
            "but fill_missing with mean needs float or int columns"
        )

    def test_a_column_without_values_keeps_its_nulls_and_says_so(self) -> None:
        frame = pd.DataFrame({"x": [np.nan, np.nan]})
        spec = {"type": "fill_missing", "columns": ["x"], "strategy": "median"}

        output, pipeline = fit_transform(make_steps(spec), frame)

        assert output["x"].isna().all()
        assert [w.code for w in pipeline.warnings] == ["no_fill_value"]


class TestRowRemoval:
    def test_drop_missing_over_some_or_all_columns(self) -> None:
        frame = people()

        some = run(frame, {"type": "drop_missing", "columns": ["age", "city"]})
        every = run(frame, {"type": "drop_missing"})

        assert_same(some, frame.dropna(subset=["age", "city"]))
        assert_same(every, frame.dropna())

    def test_drop_duplicates_keeps_the_first_occurrence(self) -> None:
        frame = people()

        by_city = run(frame, {"type": "drop_duplicates", "columns": ["city"]})
        whole = run(pd.concat([frame, frame.iloc[::-1]]), {"type": "drop_duplicates"})

        assert_same(by_city, frame.drop_duplicates(subset=["city"]))
        assert_same(whole, frame)

    def test_drop_duplicates_remembers_rows_across_chunks(self) -> None:
        frame = pd.DataFrame({"s": strings("a", "b", "a", None, "b", None, "c")})
        stream = fitted(frame, {"type": "drop_duplicates"}).stream()

        chunks = [frame.iloc[:2], frame.iloc[2:5], frame.iloc[5:]]
        outputs = [stream.transform(chunk.reset_index(drop=True)) for chunk in chunks]

        shown = [output["s"].fillna("<null>").tolist() for output in outputs]
        assert shown == [["a", "b"], ["<null>"], ["c"]]
        assert_same(pd.concat(outputs, ignore_index=True), frame.drop_duplicates())

    def test_each_stream_starts_without_memory(self) -> None:
        frame = pd.DataFrame({"s": strings("a", "a")})
        pipeline = fitted(frame, {"type": "drop_duplicates"})

        first = pipeline.stream().transform(frame)
        second = pipeline.stream().transform(frame)

        assert first["s"].tolist() == second["s"].tolist() == ["a"]


class TestScaling:
    def test_standard_scale_uses_the_population_std(self) -> None:
        frame = people()

        output = run(frame, {"type": "standard_scale", "columns": ["age", "income"]})

        for name in ("age", "income"):
            values = frame[name].astype("float64")
            expected = (values - values.mean()) / values.std(ddof=0)
            assert_floats(output[name], expected)

    def test_min_max_scale_maps_onto_zero_to_one(self) -> None:
        frame = people()

        output = run(frame, {"type": "min_max_scale", "columns": ["age", "income"]})

        for name in ("age", "income"):
            values = frame[name].astype("float64")
            expected = (values - values.min()) / (values.max() - values.min())
            assert_floats(output[name], expected)

    @pytest.mark.parametrize("kind", ["standard_scale", "min_max_scale"])
    def test_a_constant_column_becomes_zero_and_nulls_stay(self, kind: str) -> None:
        frame = pd.DataFrame({"x": [0.1, np.nan, 0.1, 0.1]})

        output = run(frame, {"type": kind, "columns": ["x"]})

        assert_floats(output["x"], pd.Series([0.0, np.nan, 0.0, 0.0]))

    def test_scaling_a_string_column_is_rejected(self) -> None:
        error = invalid(
            people(), {"type": "standard_scale", "columns": ["age", "city"]}
        )

        assert error.detail == (
            "Step 1 (standard_scale): column 'city' is string, "
            "but standard_scale needs float or int columns"
        )

    def test_log_transform_is_log1p_with_negatives_as_null(self) -> None:
        frame = pd.DataFrame(
            {"x": [0.0, 1.5, -0.5, np.nan, 1e6], "n": ints(-1, 2, 3, 4, 5)}
        )

        output, pipeline = fit_transform(
            make_steps({"type": "log_transform", "columns": ["x", "n"]}), frame
        )

        for name in ("x", "n"):
            values = frame[name].astype("float64")
            assert_floats(output[name], np.log1p(values.where(values >= 0)))
        assert [(w.code, w.count) for w in pipeline.warnings] == [
            ("negative_values", 2)
        ]

    def test_clip_matches_pandas_and_keeps_int_columns_int(self) -> None:
        frame = people()

        output = run(
            frame,
            {
                "type": "clip",
                "columns": ["age", "income"],
                "lower": 30,
                "upper": 50_000,
            },
        )

        assert_same(output["age"], frame["age"].clip(30, 50_000))
        assert_floats(output["income"], frame["income"].clip(30, 50_000))

    def test_clip_bounds_must_be_whole_for_an_int_column(self) -> None:
        error = invalid(people(), {"type": "clip", "columns": ["age"], "upper": 40.5})

        assert "int column 'age' needs whole-number bounds" in error.detail

    @pytest.mark.parametrize(
        "bounds", [{}, {"lower": 2, "upper": 1}, {"lower": float("nan")}]
    )
    def test_clip_needs_bounds_in_order(self, bounds: dict[str, float]) -> None:
        with pytest.raises(ValidationError):
            make_steps({"type": "clip", "columns": ["x"], **bounds})


class TestOneHotEncode:
    def test_matches_pandas_get_dummies_in_place_of_the_column(self) -> None:
        frame = people()

        output = run(frame, {"type": "one_hot_encode", "columns": ["city"]})

        dummies = pd.get_dummies(frame["city"], prefix="city", prefix_sep="_")
        expected = pd.concat(
            [
                frame[["age", "income"]],
                dummies.astype("int8"),
                frame[["member", "joined"]],
            ],
            axis=1,
        )
        assert_same(output, expected)

    def test_only_the_most_frequent_values_get_columns_ties_by_value(self) -> None:
        frame = pd.DataFrame({"c": strings("z", "y", "x", "z", "y", "x", "w", None)})

        output, pipeline = fit_transform(
            make_steps(
                {"type": "one_hot_encode", "columns": ["c"], "max_categories": 2}
            ),
            frame,
        )

        assert list(output.columns) == ["c_x", "c_y"]
        assert output["c_x"].tolist() == [0, 0, 1, 0, 0, 1, 0, 0]
        assert (output.dtypes == "int8").all()
        assert [(w.code, w.count) for w in pipeline.warnings] == [
            ("categories_left_out", 2)
        ]

    def test_int_and_bool_columns_are_named_by_their_values(self) -> None:
        frame = pd.DataFrame({"n": ints(2, 1, None), "b": bools(True, None, False)})

        output = run(frame, {"type": "one_hot_encode", "columns": ["n", "b"]})

        assert list(output.columns) == ["n_1", "n_2", "b_False", "b_True"]
        assert output.to_numpy().tolist() == [[0, 1, 0, 1], [1, 0, 0, 0], [0, 0, 1, 0]]

    def test_unseen_values_in_a_later_chunk_are_all_zeros(self) -> None:
        frame = pd.DataFrame({"c": strings("a", "b")})
        stream = fitted(frame, {"type": "one_hot_encode", "columns": ["c"]}).stream()

        output = stream.transform(pd.DataFrame({"c": strings("c", "b")}))

        assert output.to_numpy().tolist() == [[0, 0], [0, 1]]

    def test_an_indicator_that_clashes_with_a_column_fails_when_fitted(self) -> None:
        frame = pd.DataFrame({"c": strings("a", "b"), "c_a": ints(1, 2)})
        steps = make_steps(
            {"type": "drop_missing"}, {"type": "one_hot_encode", "columns": ["c"]}
        )

        validate_steps(steps, schema_of_frame(frame))
        with pytest.raises(InvalidStepError) as raised:
            fit_pipeline(steps, frame)

        assert raised.value.detail == (
            "Step 2 (one_hot_encode): output column 'c_a' already exists"
        )
        assert raised.value.step_index == 1

    def test_indicators_can_be_named_by_later_steps(self) -> None:
        frame = pd.DataFrame({"c": strings("a", "b")})
        steps = make_steps(
            {"type": "one_hot_encode", "columns": ["c"]},
            {"type": "drop_columns", "columns": ["c_x"]},
        )

        validate_steps(steps, schema_of_frame(frame))
        with pytest.raises(InvalidStepError, match=r"Step 2 .* unknown column 'c_x'"):
            fit_pipeline(steps, frame)

    def test_a_float_column_is_rejected(self) -> None:
        error = invalid(people(), {"type": "one_hot_encode", "columns": ["income"]})

        assert "column 'income' is float" in error.detail


class TestBin:
    def test_uniform_bins_match_pandas_cut_on_equal_width_edges(self) -> None:
        frame = people()

        output = run(frame, {"type": "bin", "column": "income", "bins": 4})

        values = frame["income"]
        edges = np.linspace(values.min(), values.max(), 5)
        expected = pd.cut(values, edges, labels=False, include_lowest=True)
        assert_same(output["income"], expected.astype("Int64"))

    def test_a_value_on_an_edge_falls_in_the_lower_bin(self) -> None:
        frame = pd.DataFrame({"x": [0.0, 1.0, 2.0, 3.0, 4.0, 2.5]})

        output = run(frame, {"type": "bin", "column": "x", "bins": 4})

        expected = pd.cut(
            frame["x"], [0, 1, 2, 3, 4], labels=False, include_lowest=True
        )
        assert_same(output["x"], expected.astype("Int64"))
        assert output["x"].tolist() == [0, 0, 1, 2, 3, 2]

    def test_quantile_bins_match_pandas_qcut(self) -> None:
        frame = pd.DataFrame({"x": [float(v) for v in range(20)] + [np.nan]})

        output = run(
            frame, {"type": "bin", "column": "x", "bins": 3, "strategy": "quantile"}
        )

        expected = pd.qcut(frame["x"], 3, labels=False, duplicates="drop")
        assert_same(output["x"], expected.astype("Int64"))

    def test_repeated_quantile_edges_are_merged(self) -> None:
        frame = pd.DataFrame({"x": [0.0] * 8 + [1.0, 2.0]})

        output = run(
            frame, {"type": "bin", "column": "x", "bins": 4, "strategy": "quantile"}
        )

        expected = pd.qcut(frame["x"], 4, labels=False, duplicates="drop")
        assert_same(output["x"], expected.astype("Int64"))

    def test_a_constant_column_falls_in_bin_zero(self) -> None:
        frame = pd.DataFrame({"x": ints(5, 5, None)})

        output = run(frame, {"type": "bin", "column": "x", "bins": 3, "output": "b"})

        assert_same(output["b"], ints(0, 0, None))
        assert_same(output["x"], frame["x"])

    def test_the_output_column_must_be_new(self) -> None:
        spec = {"type": "bin", "column": "age", "bins": 3, "output": "income"}

        error = invalid(people(), spec)

        assert error.detail == "Step 1 (bin): output column 'income' already exists"


class TestDerive:
    @pytest.mark.parametrize(
        ("operator", "compute"),
        [
            ("add", lambda a, b: a + b),
            ("sub", lambda a, b: a - b),
            ("mul", lambda a, b: a * b),
            ("div", lambda a, b: (a / b).where(b != 0)),
        ],
    )
    def test_two_columns_match_pandas(self, operator: str, compute: Any) -> None:
        frame = pd.DataFrame(
            {"a": [1.5, -2.0, 3.0, np.nan], "b": [0.5, 0.0, -4.0, 1.0]}
        )
        spec = {"type": "derive", "output": "c", "left": "a", "right": "b"}

        output = run(frame, {**spec, "operator": operator})

        assert_floats(output["c"], compute(frame["a"], frame["b"]))

    def test_division_by_zero_is_null(self) -> None:
        frame = pd.DataFrame({"a": ints(1, 0, None)})
        spec = {"type": "derive", "output": "c", "left": "a", "operator": "div"}

        by_zero = run(frame, {**spec, "right": 0})
        by_column = run(frame, {**spec, "right": "a"})

        assert by_zero["c"].isna().all()
        assert_floats(by_column["c"], pd.Series([1.0, np.nan, np.nan]))

    def test_ints_with_a_whole_number_stay_int(self) -> None:
        frame = pd.DataFrame({"a": ints(1, None, 3)})
        spec = {"type": "derive", "output": "c", "left": "a", "operator": "mul"}

        whole = run(frame, {**spec, "right": 2})
        fractional = run(frame, {**spec, "right": 0.5})

        assert_same(whole["c"], ints(2, None, 6))
        assert_floats(fractional["c"], pd.Series([0.5, np.nan, 1.5]))

    def test_strings_are_rejected(self) -> None:
        spec = {"type": "derive", "output": "c", "left": "city", "operator": "add"}

        error = invalid(people(), {**spec, "right": 1})

        assert "column 'city' is string, but derive needs" in error.detail

    def test_the_output_column_must_be_new(self) -> None:
        spec = {"type": "derive", "output": "age", "left": "age", "operator": "add"}

        error = invalid(people(), {**spec, "right": 1})

        assert error.detail == "Step 1 (derive): output column 'age' already exists"


class TestDatetimeParts:
    def test_parts_match_pandas_with_monday_as_zero(self) -> None:
        frame = people()
        parts = ["year", "month", "day", "hour", "weekday"]

        output = run(
            frame, {"type": "datetime_parts", "column": "joined", "parts": parts}
        )

        for part in parts:
            attribute = "day_of_week" if part == "weekday" else part
            expected = getattr(frame["joined"].dt, attribute).astype("Int64")
            assert_same(output[f"joined_{part}"], expected)
        assert output["joined_weekday"].iloc[0] == 0  # 2020-01-06 was a Monday

    def test_a_non_datetime_column_is_rejected(self) -> None:
        spec = {"type": "datetime_parts", "column": "city", "parts": ["year"]}

        error = invalid(people(), spec)

        assert error.detail.startswith(
            "Step 1 (datetime_parts): column 'city' is string"
        )

    def test_a_part_that_clashes_with_a_column_is_rejected(self) -> None:
        frame = people().assign(joined_year=1)
        spec = {"type": "datetime_parts", "column": "joined", "parts": ["year"]}

        error = invalid(frame, spec)

        assert "output column 'joined_year' already exists" in error.detail


class TestWarnings:
    def test_stream_counts_are_summed_over_chunks(self) -> None:
        frame = pd.DataFrame({"x": strings("1", "a", "b", "2", "c")})
        spec = {"type": "cast", "columns": ["x"], "to": "int"}
        pipeline = fitted(frame, spec)
        stream = pipeline.stream()

        stream.transform(frame.iloc[:2])
        stream.transform(frame.iloc[2:].reset_index(drop=True))

        assert [w.count for w in stream.warnings] == [3]
        assert stream.warnings == pipeline.warnings

    def test_fitting_warnings_are_reported_by_every_stream(self) -> None:
        frame = pd.DataFrame({"c": strings("a", "b", "c")})
        spec = {"type": "one_hot_encode", "columns": ["c"], "max_categories": 1}
        pipeline = fitted(frame, spec)

        stream = pipeline.stream()
        stream.transform(frame)

        assert stream.warnings == pipeline.warnings
        assert [(w.code, w.count) for w in stream.warnings] == [
            ("categories_left_out", 2)
        ]

    def test_warnings_convert_to_the_api_model(self) -> None:
        frame = pd.DataFrame({"x": [-1.0, 2.0]})
        pipeline = fitted(frame, {"type": "log_transform", "columns": ["x"]})

        shown = [
            StepWarning.model_validate(w, from_attributes=True)
            for w in pipeline.warnings
        ]

        assert [w.model_dump() for w in shown] == [
            {
                "step_index": 0,
                "code": "negative_values",
                "message": "Negative values of 'x' became null",
                "count": 1,
            }
        ]


class TestSchemas:
    def test_the_validated_schema_is_the_schema_of_the_output(self) -> None:
        frame = people()
        steps = make_steps(
            {"type": "cast", "columns": ["age"], "to": "float"},
            {"type": "bin", "column": "age", "bins": 2, "output": "age_bin"},
            {"type": "derive", "output": "ratio", "left": "income", "operator": "div",
             "right": "age"},
            {"type": "datetime_parts", "column": "joined", "parts": ["month"]},
            {"type": "cast", "columns": ["member"], "to": "string"},
        )  # fmt: skip

        validated = validate_steps(steps, schema_of_frame(frame))
        output, pipeline = fit_transform(steps, frame)

        assert validated == schema_of_frame(output) == pipeline.output_schema
        assert validated[-3:] == schema(
            age_bin=LogicalType.INT,
            ratio=LogicalType.FLOAT,
            joined_month=LogicalType.INT,
        )

    def test_an_empty_pipeline_returns_the_frame(self) -> None:
        frame = people()

        output, pipeline = fit_transform([], frame)

        assert_same(output, frame)
        assert pipeline.output_schema == schema_of_frame(frame)
