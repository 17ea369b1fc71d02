"""Converting uploads into stored Parquet: real files on disk, read back as stored."""

import gzip
import os
import tracemalloc
from collections.abc import Iterator
from datetime import UTC, date, datetime, time
from decimal import Decimal
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.csv as pa_csv
import pyarrow.parquet as pq
import pytest

from core.datasets import ingest
from core.datasets.ingest import IngestedDataset, convert_to_parquet, detect_format
from core.datasets.schemas import ColumnSchema, LogicalType
from core.datasets.storage import read_all, read_head
from core.errors import (
    AppError,
    InvalidDatasetError,
    PayloadTooLargeError,
    UnsupportedMediaError,
)

LIMIT = 1024 * 1024 * 1024


class Upload:
    """An upload on disk and the place its dataset is stored, in separate folders."""

    def __init__(self, root: Path) -> None:
        self.uploads = root / "uploads"
        self.datasets = root / "datasets"
        self.uploads.mkdir()
        self.datasets.mkdir()
        self.destination = self.datasets / "dataset.parquet"

    def file(self, name: str, content: bytes | str) -> Path:
        path = self.uploads / name
        path.write_bytes(content.encode() if isinstance(content, str) else content)
        return path

    def convert(
        self,
        name: str,
        content: bytes | str,
        *,
        max_bytes: int = LIMIT,
        row_group_rows: int = 50_000,
    ) -> IngestedDataset:
        source = self.file(name, content)
        return convert_to_parquet(
            source,
            name,
            self.destination,
            max_bytes=max_bytes,
            row_group_rows=row_group_rows,
        )

    def frame(self) -> pd.DataFrame:
        return read_head(self.destination, 1_000_000)

    def row_groups(self) -> list[int]:
        metadata = pq.ParquetFile(self.destination).metadata
        return [
            metadata.row_group(index).num_rows
            for index in range(metadata.num_row_groups)
        ]

    def refuses(
        self,
        name: str,
        content: bytes | str,
        error: type[AppError] = InvalidDatasetError,
        *,
        max_bytes: int = LIMIT,
        row_group_rows: int = 50_000,
    ) -> str:
        """Converting fails with ``error`` and leaves nothing in the datasets folder."""
        with pytest.raises(error) as raised:
            self.convert(
                name, content, max_bytes=max_bytes, row_group_rows=row_group_rows
            )
        assert list(self.datasets.iterdir()) == []
        return raised.value.detail


@pytest.fixture
def upload(tmp_path: Path) -> Upload:
    return Upload(tmp_path)


def schema(**columns: LogicalType) -> list[ColumnSchema]:
    return [ColumnSchema(name=name, dtype=dtype) for name, dtype in columns.items()]


def csv_rows(header: str, rows: Iterator[str] | list[str], newline: str = "\n") -> str:
    return newline.join([header, *rows]) + newline


class TestDetectFormat:
    @pytest.mark.parametrize(
        ("filename", "expected"),
        [
            ("sales.csv", "csv"),
            ("SALES.CSV", "csv"),
            ("export.txt", "csv"),
            ("table.tsv", "tsv"),
            ("sales.csv.gz", "csv.gz"),
            ("Sales.CSV.GZ", "csv.gz"),
            ("table.tsv.gz", "tsv.gz"),
            ("events.parquet", "parquet"),
            ("events.PQ", "parquet"),
            ("C:\\Users\\ana\\sales.csv", "csv"),
            ("folder/2024.sales.csv", "csv"),
        ],
    )
    def test_known_extensions_give_their_format(
        self, filename: str, expected: str
    ) -> None:
        assert detect_format(filename) == expected

    @pytest.mark.parametrize(
        "filename", ["report.xlsx", "data.json", "archive.gz", "README", "csv"]
    )
    def test_unknown_extension_is_refused_with_the_supported_ones(
        self, filename: str
    ) -> None:
        with pytest.raises(UnsupportedMediaError) as raised:
            detect_format(filename)

        assert raised.value.status_code == 415
        assert filename in raised.value.detail
        assert ".csv" in raised.value.detail
        assert ".parquet" in raised.value.detail

    def test_missing_name_is_refused(self) -> None:
        with pytest.raises(UnsupportedMediaError, match="no name"):
            detect_format("  ")


class TestConvertDelimited:
    @pytest.mark.parametrize("delimiter", [",", ";", "\t"])
    def test_each_delimiter_is_detected(self, upload: Upload, delimiter: str) -> None:
        rows = [
            delimiter.join(["1", "2.5", "red", "2024-01-02"]),
            delimiter.join(["2", "3.25", "blue", "2024-02-03"]),
        ]
        content = csv_rows(delimiter.join(["id", "price", "colour", "day"]), rows)

        result = upload.convert("data.csv", content)

        assert result.row_count == 2
        assert result.columns == schema(
            id=LogicalType.INT,
            price=LogicalType.FLOAT,
            colour=LogicalType.STRING,
            day=LogicalType.DATETIME,
        )
        frame = upload.frame()
        assert frame["id"].tolist() == [1, 2]
        assert frame["price"].tolist() == [2.5, 3.25]
        assert frame["colour"].tolist() == ["red", "blue"]
        assert frame["day"].tolist() == [
            pd.Timestamp("2024-01-02"),
            pd.Timestamp("2024-02-03"),
        ]

    def test_commas_inside_quoted_values_do_not_fool_the_semicolon_detector(
        self, upload: Upload
    ) -> None:
        content = csv_rows(
            "name;city;score",
            ['"Smith, Ann";"Paris, FR";1', '"Lee, Bo";"Oslo, NO";2'],
        )

        upload.convert("people.csv", content)

        frame = upload.frame()
        assert list(frame.columns) == ["name", "city", "score"]
        assert frame["name"].tolist() == ["Smith, Ann", "Lee, Bo"]

    def test_semicolon_file_with_decimal_commas_reads_numbers(
        self, upload: Upload
    ) -> None:
        content = csv_rows("item;weight", ["a;1,5", "b;2,25", "c;3"])

        result = upload.convert("weights.csv", content)

        assert result.columns[1] == ColumnSchema(name="weight", dtype=LogicalType.FLOAT)
        assert upload.frame()["weight"].tolist() == [1.5, 2.25, 3.0]

    def test_delimiter_named_on_a_first_line_is_used(self, upload: Upload) -> None:
        upload.convert("excel.csv", "sep=;\r\nname;note\r\nann;a,b\r\n")

        frame = upload.frame()
        assert list(frame.columns) == ["name", "note"]
        assert frame["note"].tolist() == ["a,b"]

    def test_tsv_with_commas_in_a_single_column_stays_one_column(
        self, upload: Upload
    ) -> None:
        content = csv_rows("full name", ["Smith, Ann", "Lee, Bo"])

        result = upload.convert("names.tsv", content)

        assert result.format == "tsv"
        assert upload.frame()["full name"].tolist() == ["Smith, Ann", "Lee, Bo"]

    def test_bom_is_stripped_from_the_first_column_name(self, upload: Upload) -> None:
        content = "\ufeffid,name\r\n1,Zoë\r\n2,Łukasz\r\n".encode()

        upload.convert("excel.csv", content)

        frame = upload.frame()
        assert list(frame.columns) == ["id", "name"]
        assert frame["name"].tolist() == ["Zoë", "Łukasz"]

    @pytest.mark.parametrize(
        ("name", "delimiter", "expected_format"),
        [("data.csv.gz", ",", "csv.gz"), ("data.tsv.gz", "\t", "tsv.gz")],
    )
    def test_gzip_input_is_decompressed_and_reports_the_size_sent(
        self, upload: Upload, name: str, delimiter: str, expected_format: str
    ) -> None:
        rows = [f"{index}{delimiter}label {index % 7}" for index in range(5_000)]
        compressed = gzip.compress(csv_rows(f"n{delimiter}label", rows).encode())

        result = upload.convert(name, compressed, row_group_rows=2_000)

        assert result.format == expected_format
        assert result.size_bytes == len(compressed)
        assert result.row_count == 5_000
        assert upload.row_groups() == [2_000, 2_000, 1_000]
        assert upload.frame()["label"].iloc[-1] == f"label {4_999 % 7}"

    def test_quoted_values_may_hold_delimiters_quotes_and_line_breaks(
        self, upload: Upload
    ) -> None:
        content = 'id,"note\nwith break"\n1,"a, b"\n2,"say ""hi"""\n3,"two\nlines"\n'

        upload.convert("notes.csv", content)

        frame = upload.frame()
        assert list(frame.columns) == ["id", "note\nwith break"]
        assert frame["note\nwith break"].tolist() == ["a, b", 'say "hi"', "two\nlines"]

    def test_blank_column_names_get_generated_names(self, upload: Upload) -> None:
        content = csv_rows("a,,column_2,", ["1,2,3,4"])

        result = upload.convert("blank.csv", content)

        assert [column.name for column in result.columns] == [
            "a",
            "column_2_",
            "column_2",
            "column_4",
        ]
        assert upload.frame().iloc[0].tolist() == [1, 2, 3, 4]

    def test_missing_values_are_nulls_in_every_column_type(
        self, upload: Upload
    ) -> None:
        content = csv_rows(
            "count,ratio,label,flag,when",
            [
                "1,0.5,x,true,2024-01-01 10:00:00",
                ",,,,",
                "NA,NaN,NA,null,",
                "4,1.5,y,false,2024-01-02 11:30:00",
            ],
        )

        result = upload.convert("gaps.csv", content)

        assert result.columns == schema(
            count=LogicalType.INT,
            ratio=LogicalType.FLOAT,
            label=LogicalType.STRING,
            flag=LogicalType.BOOL,
            when=LogicalType.DATETIME,
        )
        frame = upload.frame()
        assert frame["count"].isna().tolist() == [False, True, True, False]
        assert frame["count"].dropna().tolist() == [1, 4]
        assert frame["ratio"].isna().tolist() == [False, True, True, False]
        assert frame["label"].isna().tolist() == [False, True, True, False]
        assert frame["flag"].isna().tolist() == [False, True, True, False]
        assert frame["when"].isna().tolist() == [False, True, True, False]

    def test_datetime_looking_columns_become_timestamps(self, upload: Upload) -> None:
        content = csv_rows(
            "day,moment,zoned,slashed,ambiguous,clock",
            [
                "2024-03-01,2024-03-01T08:15:00,2024-03-01T08:15:00Z,2024/03/01,"
                "01/03/2024,08:15:00",
                "2024-03-02,2024-03-02 09:30:45.250,2024-03-02T10:00:00+02:00,"
                "2024/03/02 07:00:00,02/03/2024,09:30:00",
            ],
        )

        result = upload.convert("times.csv", content)

        assert result.columns == schema(
            day=LogicalType.DATETIME,
            moment=LogicalType.DATETIME,
            zoned=LogicalType.DATETIME,
            slashed=LogicalType.DATETIME,
            ambiguous=LogicalType.STRING,
            clock=LogicalType.STRING,
        )
        frame = upload.frame()
        assert frame["day"].tolist() == [
            pd.Timestamp("2024-03-01"),
            pd.Timestamp("2024-03-02"),
        ]
        assert frame["moment"].iloc[1] == pd.Timestamp("2024-03-02 09:30:45.250")
        assert frame["zoned"].tolist() == [
            pd.Timestamp("2024-03-01 08:15:00", tz="UTC"),
            pd.Timestamp("2024-03-02 08:00:00", tz="UTC"),
        ]
        assert frame["slashed"].iloc[1] == pd.Timestamp("2024-03-02 07:00:00")
        assert frame["ambiguous"].tolist() == ["01/03/2024", "02/03/2024"]
        assert frame["clock"].tolist() == ["08:15:00", "09:30:00"]

    def test_row_groups_hold_the_requested_number_of_rows(self, upload: Upload) -> None:
        content = csv_rows("n,half", (f"{i},{i / 2}" for i in range(2_500)))

        result = upload.convert("many.csv", content, row_group_rows=1_000)

        assert result.row_count == 2_500
        assert upload.row_groups() == [1_000, 1_000, 500]
        head = read_head(upload.destination, 1_200)
        assert head["n"].tolist() == list(range(1_200))
        assert head["half"].iloc[1_199] == 599.5

    def test_file_without_final_newline_keeps_its_last_row(
        self, upload: Upload
    ) -> None:
        upload.convert("short.csv", "a,b\n1,2\n3,4")

        assert upload.frame()["b"].tolist() == [2, 4]


class TestColumnTypesAcrossTheFile:
    """Values after the type sample that do not fit the type inferred from it."""

    @pytest.fixture(autouse=True)
    def small_sample(self, monkeypatch: pytest.MonkeyPatch) -> None:
        monkeypatch.setattr(ingest, "SAMPLE_TYPES_BYTES", 4 * 1024)
        monkeypatch.setattr(ingest, "BLOCK_BYTES", 16 * 1024)

    def late_rows(self, early: str, late: list[str], count: int = 3_000) -> str:
        return csv_rows("id,value", [f"{i},{early}" for i in range(count)] + late)

    def test_int_column_with_a_late_float_becomes_float(self, upload: Upload) -> None:
        content = self.late_rows("7", ["3000,7.25"])

        result = upload.convert("late.csv", content, row_group_rows=1_000)

        assert result.columns[1] == ColumnSchema(name="value", dtype=LogicalType.FLOAT)
        values = read_all(upload.destination)["value"]
        assert values.iloc[0] == 7.0
        assert values.iloc[-1] == 7.25
        assert upload.row_groups() == [1_000, 1_000, 1_000, 1]

    def test_int_column_with_late_text_becomes_text_with_its_values_kept(
        self, upload: Upload
    ) -> None:
        content = self.late_rows("7", ["3000,7.5", "3001,seven"])

        result = upload.convert("late.csv", content)

        assert result.columns[1] == ColumnSchema(name="value", dtype=LogicalType.STRING)
        values = read_all(upload.destination)["value"]
        assert values.iloc[0] == "7"
        assert values.iloc[-2:].tolist() == ["7.5", "seven"]

    def test_column_empty_in_the_sample_takes_the_type_of_later_values(
        self, upload: Upload
    ) -> None:
        content = self.late_rows("", ["3000,12", "3001,13"])

        result = upload.convert("sparse.csv", content)

        assert result.columns[1] == ColumnSchema(name="value", dtype=LogicalType.INT)
        values = read_all(upload.destination)["value"]
        assert values.isna().sum() == 3_000
        assert values.iloc[-2:].tolist() == [12, 13]

    def test_column_empty_throughout_is_stored_as_text(self, upload: Upload) -> None:
        result = upload.convert("empty-column.csv", self.late_rows("", []))

        assert result.columns[1] == ColumnSchema(name="value", dtype=LogicalType.STRING)
        assert read_all(upload.destination)["value"].isna().all()

    def test_timestamps_gaining_fractions_keep_both_precisions(
        self, upload: Upload
    ) -> None:
        content = self.late_rows("2024-01-01 00:00:00", ["3000,2024-01-01 00:00:00.5"])

        result = upload.convert("times.csv", content)

        assert result.columns[1].dtype == LogicalType.DATETIME
        values = read_all(upload.destination)["value"]
        assert values.iloc[0] == pd.Timestamp("2024-01-01")
        assert values.iloc[-1] == pd.Timestamp("2024-01-01 00:00:00.5")

    def test_bool_column_with_a_late_other_value_becomes_text(
        self, upload: Upload
    ) -> None:
        content = self.late_rows("true", ["3000,maybe"])

        result = upload.convert("flags.csv", content)

        assert result.columns[1].dtype == LogicalType.STRING
        assert read_all(upload.destination)["value"].iloc[-1] == "maybe"

    def test_several_late_changes_are_all_absorbed(self, upload: Upload) -> None:
        rows = [f"{i},{i},2024-01-01,x" for i in range(3_000)]
        rows += ["3000,1.5,2024-01-01,y", "3001,2,not a date,z"]
        content = csv_rows("id,amount,day,tag", rows)

        result = upload.convert("mixed.csv", content)

        assert result.columns == schema(
            id=LogicalType.INT,
            amount=LogicalType.FLOAT,
            day=LogicalType.STRING,
            tag=LogicalType.STRING,
        )
        frame = read_all(upload.destination)
        assert frame["amount"].iloc[-2:].tolist() == [1.5, 2.0]
        assert frame["day"].iloc[-1] == "not a date"


class TestConvertParquet:
    def write_parquet(self, upload: Upload, table: pa.Table, **options: object) -> Path:
        path = upload.uploads / "input.parquet"
        pq.write_table(table, path, **options)
        return path

    def test_rows_are_rewritten_into_our_row_groups(self, upload: Upload) -> None:
        table = pa.table(
            {
                "n": pa.array(range(2_345), pa.int64()),
                "label": [f"item {i % 10}" for i in range(2_345)],
            }
        )
        path = self.write_parquet(upload, table, row_group_size=333)

        result = convert_to_parquet(
            path,
            "input.parquet",
            upload.destination,
            max_bytes=LIMIT,
            row_group_rows=1_000,
        )

        assert result.format == "parquet"
        assert result.row_count == 2_345
        assert result.size_bytes == path.stat().st_size
        assert upload.row_groups() == [1_000, 1_000, 345]
        frame = upload.frame()
        assert frame["n"].tolist() == list(range(2_345))
        assert frame["label"].iloc[-1] == "item 4"

    def test_types_are_normalised_to_the_stored_kinds(self, upload: Upload) -> None:
        table = pa.table(
            {
                "category": pa.array(["a", "b", "a"]).dictionary_encode(),
                "day": pa.array([date(2024, 1, 1), None, date(2024, 1, 3)]),
                "paris": pa.array(
                    [datetime(2024, 1, 1, 12, tzinfo=UTC)] * 3,
                    pa.timestamp("us", tz="Europe/Paris"),
                ),
                "price": pa.array(
                    [Decimal("1.25"), Decimal("2.50"), None], pa.decimal128(10, 2)
                ),
                "big": pa.array([1, 2, 3], pa.uint64()),
                "clock": pa.array([time(8, 0), time(9, 30), None]),
                "nothing": pa.nulls(3),
                "raw": pa.array([b"abc", b"d", None], pa.binary()),
                "small": pa.array([1, 2, 3], pa.int8()),
                "flag": [True, False, None],
            }
        )
        path = self.write_parquet(upload, table)

        result = convert_to_parquet(
            path, "input.pq", upload.destination, max_bytes=LIMIT
        )

        assert result.columns == schema(
            category=LogicalType.STRING,
            day=LogicalType.DATETIME,
            paris=LogicalType.DATETIME,
            price=LogicalType.FLOAT,
            big=LogicalType.INT,
            clock=LogicalType.STRING,
            nothing=LogicalType.STRING,
            raw=LogicalType.STRING,
            small=LogicalType.INT,
            flag=LogicalType.BOOL,
        )
        stored = pq.read_schema(upload.destination)
        assert stored.field("category").type == pa.string()
        assert stored.field("paris").type == pa.timestamp("us", tz="UTC")
        frame = upload.frame()
        assert frame["category"].tolist() == ["a", "b", "a"]
        assert frame["day"].iloc[2] == pd.Timestamp("2024-01-03")
        assert frame["paris"].iloc[0] == pd.Timestamp("2024-01-01 12:00", tz="UTC")
        assert frame["price"].iloc[:2].tolist() == [1.25, 2.5]
        assert frame["clock"].iloc[1] == "09:30:00.000000"
        assert frame["raw"].iloc[0] == "abc"

    def test_nested_column_is_refused_by_name(self, upload: Upload) -> None:
        table = pa.table({"id": [1, 2], "tags": [["a"], ["b", "c"]]})
        path = self.write_parquet(upload, table)

        with pytest.raises(InvalidDatasetError, match="'tags'"):
            convert_to_parquet(path, "x.parquet", upload.destination, max_bytes=LIMIT)
        assert list(upload.datasets.iterdir()) == []

    def test_bytes_that_are_not_utf8_text_are_refused(self, upload: Upload) -> None:
        table = pa.table({"raw": pa.array([b"ok", b"\xff\xfe"], pa.binary())})
        path = self.write_parquet(upload, table)

        with pytest.raises(InvalidDatasetError, match="'raw'"):
            convert_to_parquet(path, "x.parquet", upload.destination, max_bytes=LIMIT)
        assert list(upload.datasets.iterdir()) == []

    def test_parquet_without_rows_is_refused(self, upload: Upload) -> None:
        path = self.write_parquet(upload, pa.table({"a": pa.array([], pa.int64())}))

        with pytest.raises(InvalidDatasetError, match="no rows"):
            convert_to_parquet(path, "x.parquet", upload.destination, max_bytes=LIMIT)
        assert list(upload.datasets.iterdir()) == []


class TestBadInputs:
    def test_empty_file(self, upload: Upload) -> None:
        assert "empty" in upload.refuses("empty.csv", b"")

    def test_file_of_blank_lines(self, upload: Upload) -> None:
        assert "empty" in upload.refuses("blank.csv", "\n\r\n  \n")

    @pytest.mark.parametrize("content", ["a,b,c\n", "a,b,c", "a,b,c\n\n\n"])
    def test_header_without_rows(self, upload: Upload, content: str) -> None:
        assert "no rows" in upload.refuses("header.csv", content)

    def test_binary_garbage(self, upload: Upload) -> None:
        garbage = np.random.default_rng(7).integers(0, 256, 50_000, np.uint8)

        detail = upload.refuses("garbage.csv", garbage.tobytes())

        assert "binary" in detail

    def test_high_bytes_without_nuls(self, upload: Upload) -> None:
        garbage = np.random.default_rng(7).integers(128, 256, 50_000, np.uint8)

        assert "UTF-8" in upload.refuses("garbage.csv", garbage.tobytes())

    def test_gzip_of_nothing(self, upload: Upload) -> None:
        assert "empty" in upload.refuses("nothing.csv.gz", gzip.compress(b""))

    def test_text_that_is_not_utf8(self, upload: Upload) -> None:
        content = "name,city\nJosé,Málaga\n".encode("latin-1")

        assert "UTF-8" in upload.refuses("latin1.csv", content)

    def test_non_utf8_text_after_the_sample(
        self, upload: Upload, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        monkeypatch.setattr(ingest, "SAMPLE_BYTES", 1024)
        monkeypatch.setattr(ingest, "SAMPLE_TYPES_BYTES", 1024)
        monkeypatch.setattr(ingest, "BLOCK_BYTES", 4096)
        rows = [f"{i},plain" for i in range(2_000)]
        content = csv_rows("id,word", rows).encode() + "9,Málaga\n".encode("latin-1")

        detail = upload.refuses("late.csv", content, row_group_rows=500)

        assert "'word'" in detail
        assert "UTF-8" in detail

    def test_nul_bytes_after_the_sample(
        self, upload: Upload, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        monkeypatch.setattr(ingest, "SAMPLE_BYTES", 1024)
        rows = [f"{i},plain" for i in range(2_000)]
        content = csv_rows("id,word", rows).encode() + b"9,nul\x00byte\n"

        assert "NUL" in upload.refuses("nul.csv", content, row_group_rows=500)

    def test_utf16_text_gets_a_hint(self, upload: Upload) -> None:
        content = "a,b\n1,2\n".encode("utf-16")

        assert "UTF-16" in upload.refuses("excel.txt", content)

    def test_parquet_named_csv_gets_a_hint(self, upload: Upload) -> None:
        path = upload.uploads / "real.parquet"
        pq.write_table(pa.table({"a": [1]}), path)

        assert ".parquet" in upload.refuses("data.csv", path.read_bytes())

    def test_gzip_named_csv_gets_a_hint(self, upload: Upload) -> None:
        assert ".csv.gz" in upload.refuses("data.csv", gzip.compress(b"a,b\n1,2\n"))

    def test_file_named_parquet_that_is_not_one(self, upload: Upload) -> None:
        assert "Parquet" in upload.refuses("data.parquet", "a,b\n1,2\n")

    def test_truncated_parquet(self, upload: Upload) -> None:
        path = upload.uploads / "whole.parquet"
        pq.write_table(pa.table({"a": list(range(1_000))}), path)
        data = path.read_bytes()

        assert "Parquet" in upload.refuses("cut.parquet", data[: len(data) // 2])

    def test_parquet_with_a_damaged_middle(self, upload: Upload) -> None:
        path = upload.uploads / "whole.parquet"
        table = pa.table({"a": [f"value {i}" for i in range(5_000)]})
        pq.write_table(table, path, compression="snappy", use_dictionary=False)
        data = bytearray(path.read_bytes())
        middle = len(data) // 2
        data[middle - 64 : middle + 64] = b"\xff" * 128

        detail = upload.refuses("damaged.parquet", bytes(data))

        assert "Parquet" in detail

    def test_corrupt_gzip(self, upload: Upload) -> None:
        content = b"\x1f\x8b\x08\x00" + bytes(range(256)) * 4

        assert "gzip" in upload.refuses("broken.csv.gz", content)

    def test_truncated_gzip(self, upload: Upload) -> None:
        rows = (f"{i},{i * 3}" for i in range(200_000))
        compressed = gzip.compress(csv_rows("a,b", rows).encode())

        detail = upload.refuses(
            "cut.csv.gz", compressed[: len(compressed) * 2 // 3], row_group_rows=10_000
        )

        assert "gzip" in detail

    def test_file_named_gz_that_is_not_compressed(self, upload: Upload) -> None:
        assert "gzip" in upload.refuses("plain.csv.gz", "a,b\n1,2\n")

    def test_unknown_extension(self, upload: Upload) -> None:
        upload.refuses("sheet.xlsx", "a,b\n1,2\n", UnsupportedMediaError)

    def test_file_over_the_limit_once_decompressed(self, upload: Upload) -> None:
        rows = ("0,0,0,0,0,0,0,0" for _ in range(300_000))
        text = csv_rows("a,b,c,d,e,f,g,h", rows).encode()
        compressed = gzip.compress(text)
        limit = len(text) // 2
        assert len(compressed) < limit

        detail = upload.refuses(
            "bomb.csv.gz", compressed, PayloadTooLargeError, max_bytes=limit
        )

        assert f"{limit:,}" in detail

    def test_file_over_the_limit_as_sent(self, upload: Upload) -> None:
        upload.refuses("big.csv", "a,b\n1,2\n", PayloadTooLargeError, max_bytes=4)

    def test_row_with_too_many_values(self, upload: Upload) -> None:
        rows = [f"{i},{i}" for i in range(5_000)] + ["1,2,3"]

        detail = upload.refuses(
            "ragged.csv", csv_rows("a,b", rows), row_group_rows=1_000
        )

        assert "3 values" in detail
        assert "2 columns" in detail

    def test_duplicate_column_names(self, upload: Upload) -> None:
        detail = upload.refuses("dupes.csv", "id,name,id\n1,a,2\n")

        assert "'id'" in detail

    def test_duplicate_column_names_in_parquet(self, upload: Upload) -> None:
        table = pa.Table.from_arrays([pa.array([1]), pa.array([2])], names=["x", "x"])
        path = upload.uploads / "dupes.parquet"
        pq.write_table(table, path)

        assert "'x'" in upload.refuses("dupes.parquet", path.read_bytes())

    def test_numbers_in_the_first_row_mean_the_header_is_missing(
        self, upload: Upload
    ) -> None:
        assert "header" in upload.refuses("noheader.csv", "1,2,3\n4,5,6\n")


class TestBoundedMemory:
    """Peak memory stays the same when the file grows: blocks stream through."""

    def peak_bytes(self, upload: Upload, rows: int) -> tuple[int, int]:
        """Peak bytes held by pyarrow and by Python converting a file, and its size."""
        generator = np.random.default_rng(1)
        table = pa.table(
            {
                "id": np.arange(rows),
                "value": generator.normal(size=rows),
                "label": pa.array([f"label {i % 97}" for i in range(rows)]),
            }
        )
        source = upload.uploads / f"rows-{rows}.csv"
        pa_csv.write_csv(table, source)
        del table

        pool = pa.proxy_memory_pool(pa.default_memory_pool())
        previous = pa.default_memory_pool()
        pa.set_memory_pool(pool)
        tracemalloc.start()
        try:
            convert_to_parquet(
                source,
                source.name,
                upload.destination,
                max_bytes=LIMIT,
                row_group_rows=10_000,
            )
            python_peak = tracemalloc.get_traced_memory()[1]
        finally:
            tracemalloc.stop()
            pa.set_memory_pool(previous)
        size = source.stat().st_size
        os.unlink(source)
        return int(pool.max_memory()) + python_peak, size

    def test_peak_memory_does_not_grow_with_the_file(
        self, upload: Upload, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        monkeypatch.setattr(ingest, "BLOCK_BYTES", 64 * 1024)
        monkeypatch.setattr(ingest, "SAMPLE_TYPES_BYTES", 256 * 1024)

        smaller, _ = self.peak_bytes(upload, 200_000)
        larger, larger_size = self.peak_bytes(upload, 800_000)

        assert larger < smaller * 1.25
        assert larger < larger_size / 4
