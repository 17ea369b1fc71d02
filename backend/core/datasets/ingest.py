"""Turning an uploaded file into the stored Parquet dataset, in bounded memory.

CSV and TSV (optionally gzip-compressed) are read with pyarrow's streaming CSV
reader, one block at a time, and written as row groups of a fixed number of rows.
Parquet input is checked and rewritten batch by batch, so every stored dataset
has the same row-group layout and the same small set of column types.

How CSV column types are settled: pyarrow infers every column's type from the
first ``SAMPLE_TYPES_BYTES`` of rows, and the whole file is then read with those
types fixed, so every block agrees. When a later value does not fit (an int
column meets ``1.5``, a number column meets ``n/a!``), that one column is
widened (int to float, seconds to nanoseconds, anything to text) and the file
is converted again from the start. Each restart widens one column one step, so
the number of passes is bounded by a few per column; in practice it is one. The
cost is a full extra pass for each column whose type changes after the sample.

Limits, stated plainly:

- Only ISO 8601 dates and times (and year-first ``YYYY/MM/DD``) become
  timestamps; ``01/02/2024`` stays text because day and month are ambiguous.
  Dates without a time become timestamps at midnight.
- The delimiter (comma, semicolon or tab) and a decimal comma are detected from
  the first ``SAMPLE_BYTES`` of text; a file that changes its layout after that
  fails with a parse error rather than being guessed again.
- Empty cells and the usual markers (``NA``, ``null``, ``NaN``, ...) are missing
  values in every column, text columns included, as pandas reads them.
- Duplicate column names are refused rather than renamed: pipeline steps name
  columns, and a silent rename would make them point at the wrong one.
- Integers beyond int64 become floats (as pandas reads them) and lose digits.
- An opening quote that is never closed swallows the rest of the file into one
  value, as pyarrow parses it; the row count is then the only sign.
- Parquet input is held to ``max_bytes`` only as sent; how far its pages expand
  when decompressed is not checked against the limit.
"""

import codecs
import csv
import gzip
import io
import itertools
import logging
import os
import re
import time
import uuid
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType
from typing import Any

import pyarrow as pa
import pyarrow.csv as pa_csv
import pyarrow.parquet as pq

from core.datasets.schemas import ColumnSchema, schema_of_arrow
from core.datasets.storage import ROW_GROUP_ROWS
from core.errors import InvalidDatasetError, PayloadTooLargeError, UnsupportedMediaError

logger = logging.getLogger(__name__)

BLOCK_BYTES = 1024 * 1024  # CSV text per block; pyarrow reads ~32 blocks ahead
SAMPLE_TYPES_BYTES = 8 * 1024 * 1024  # CSV text the column types are inferred from
SAMPLE_BYTES = 1024 * 1024  # text read up front to check it and find its layout
DETECTION_RECORDS = 200  # records of the sample used to choose the delimiter
PARQUET_READ_BUFFER_BYTES = 1024 * 1024
PARQUET_BATCH_ROWS = 65_536

_SUFFIXES = (
    (".csv.gz", "csv.gz"),
    (".tsv.gz", "tsv.gz"),
    (".txt.gz", "csv.gz"),
    (".csv", "csv"),
    (".tsv", "tsv"),
    (".txt", "csv"),
    (".parquet", "parquet"),
    (".pq", "parquet"),
)
_SUPPORTED = (
    "Upload a CSV file (.csv, .tsv or .txt, optionally gzip-compressed as .csv.gz "
    "or .tsv.gz) or a Parquet file (.parquet or .pq)."
)
_TIMESTAMP_PARSERS = [pa_csv.ISO8601, "%Y/%m/%d", "%Y/%m/%d %H:%M:%S", "%Y/%m/%d %H:%M"]
_LINE_END = re.compile(rb"\r\n|\n|\r")
# Spreadsheet programs may name the delimiter on a first line of its own.
_SEPARATOR_LINE = re.compile(r"sep=(?P<delimiter>[,;\t])(?:\r\n|\n|\r)")
_NUMBER = re.compile(r"[-+]?\d+(?:[.,]\d+)?")
_DECIMAL_COMMA = re.compile(r"[-+]?\d+,\d+")
_DECIMAL_POINT = re.compile(r"[-+]?\d+\.\d+")
_CONVERSION_ERROR = re.compile(
    r"In CSV column #(?P<index>\d+): .*?CSV conversion error to (?P<type>[^:]+):"
    r"(?: invalid value '(?P<value>.*)')?",
    re.DOTALL,
)
_ROW_WIDTH_ERROR = re.compile(
    r"Expected (?P<expected>\d+) columns, got (?P<got>\d+): (?P<row>.*)", re.DOTALL
)
_MAGIC_NUMBERS = (
    (b"\x1f\x8b", "The file is gzip-compressed; name it .csv.gz or .tsv.gz."),
    (b"PAR1", "The file is a Parquet file; name it .parquet."),
    (
        b"PK\x03\x04",
        "The file is a ZIP archive (an Excel workbook is one); export the sheet "
        "as CSV and upload that.",
    ),
    (
        b"\xd0\xcf\x11\xe0",
        "The file is an old Excel workbook; export the sheet as CSV and upload that.",
    ),
    (
        b"\xff\xfe",
        'The file is UTF-16 text; save it as UTF-8 ("CSV UTF-8") and upload it again.',
    ),
    (
        b"\xfe\xff",
        'The file is UTF-16 text; save it as UTF-8 ("CSV UTF-8") and upload it again.',
    ),
)


@dataclass(frozen=True)
class IngestedDataset:
    format: str  # "csv", "tsv", "csv.gz", "tsv.gz" or "parquet": what the user sent
    row_count: int
    columns: list[ColumnSchema]
    size_bytes: int  # bytes of the file the user sent (compressed size as sent)


def detect_format(filename: str) -> str:
    """The upload's format from its name; an unknown extension is refused."""
    name = re.split(r"[\\/]", filename.strip())[-1]
    lowered = name.lower()
    for suffix, file_format in _SUFFIXES:
        if lowered.endswith(suffix):
            return file_format

    if not name:
        raise UnsupportedMediaError(
            f"The file has no name, so its type is unknown. {_SUPPORTED}"
        )
    raise UnsupportedMediaError(
        f"'{name}' is not a file type this app reads. {_SUPPORTED}"
    )


def convert_to_parquet(
    source: Path,
    filename: str,
    destination: Path,
    *,
    max_bytes: int,
    row_group_rows: int = ROW_GROUP_ROWS,
) -> IngestedDataset:
    """Convert the upload at ``source`` into a Parquet file at ``destination``.

    The file appears at ``destination`` only once it is complete; on any failure
    nothing is left behind and an :class:`~core.errors.AppError` says why.
    """
    if row_group_rows < 1:
        raise ValueError("row_group_rows must be at least 1")
    file_format = detect_format(filename)
    size_bytes = source.stat().st_size
    if size_bytes > max_bytes:
        raise PayloadTooLargeError(_too_large(max_bytes))
    if size_bytes == 0:
        raise InvalidDatasetError("The file is empty.")

    started = time.monotonic()
    partial = destination.with_name(f".{destination.name}.{uuid.uuid4().hex}.partial")
    try:
        if file_format == "parquet":
            row_count, schema, passes = _convert_parquet(
                source, partial, row_group_rows
            )
        else:
            row_count, schema, passes = _convert_delimited(
                source, file_format, partial, max_bytes, row_group_rows
            )
        os.replace(partial, destination)
    finally:
        partial.unlink(missing_ok=True)

    logger.info(
        "dataset converted",
        extra={
            "format": file_format,
            "rows": row_count,
            "columns": len(schema),
            "passes": passes,
            "size_bytes": size_bytes,
            "duration_ms": round((time.monotonic() - started) * 1000),
        },
    )
    return IngestedDataset(
        format=file_format,
        row_count=row_count,
        columns=schema_of_arrow(schema),
        size_bytes=size_bytes,
    )


def _too_large(max_bytes: int) -> str:
    return (
        f"The file is larger than the limit of {max_bytes:,} bytes once decompressed."
    )


# Column names, shared by both formats.


def _column_names(raw_names: list[str]) -> list[str]:
    """Names as written, with generated ones for blanks; duplicates are refused."""
    seen: set[str] = set()
    duplicates: list[str] = []
    for name in raw_names:
        if not name.strip():
            continue
        if name in seen and name not in duplicates:
            duplicates.append(name)
        seen.add(name)
    if duplicates:
        listed = ", ".join(f"'{name}'" for name in duplicates)
        raise InvalidDatasetError(
            f"The column names {listed} appear more than once; give every column "
            "its own name."
        )

    names: list[str] = []
    for position, name in enumerate(raw_names, start=1):
        if name.strip():
            names.append(name)
            continue
        generated = f"column_{position}"
        while generated in seen:
            generated += "_"
        seen.add(generated)
        names.append(generated)
    return names


# Reading the bytes of a delimited file, plain or gzip-compressed.


class _ContentStream(io.RawIOBase):
    """The file's text as bytes, refusing NUL bytes and content past ``max_bytes``.

    pyarrow reads through it block by block, so these checks cover the whole file
    at the cost of one scan of each block.
    """

    def __init__(
        self,
        raw: io.BufferedIOBase,
        *,
        compressed: bool,
        max_bytes: int,
        refuse_nul: bool = True,
    ) -> None:
        super().__init__()
        self._raw = raw
        self._compressed = compressed
        self._max_bytes = max_bytes
        self._refuse_nul = refuse_nul
        self._seen = 0

    def readable(self) -> bool:
        return True

    def read(self, size: int = -1) -> bytes:
        try:
            data = self._raw.read(size)
        except (EOFError, OSError, zlib.error) as error:
            if not self._compressed:
                raise
            raise InvalidDatasetError(
                "The file is not a valid gzip archive, or it is truncated."
            ) from error

        self._seen += len(data)
        if self._seen > self._max_bytes:
            raise PayloadTooLargeError(_too_large(self._max_bytes))
        if self._refuse_nul and b"\x00" in data:
            raise _binary_content()
        return data

    def readinto(self, buffer: Any) -> int:
        data = self.read(len(buffer))
        buffer[: len(data)] = data
        return len(data)

    def skip(self, size: int) -> None:
        while size > 0:
            data = self.read(min(size, BLOCK_BYTES))
            if not data:
                return
            size -= len(data)

    def close(self) -> None:
        self._raw.close()
        super().close()


def _binary_content() -> InvalidDatasetError:
    return InvalidDatasetError(
        f"The file contains NUL bytes, so it is binary rather than text. {_SUPPORTED}"
    )


def _open_content(
    source: Path, compressed: bool, max_bytes: int, *, refuse_nul: bool = True
) -> _ContentStream:
    raw: io.BufferedIOBase = open(source, "rb")  # noqa: SIM115 - the stream closes it
    if compressed:
        raw = gzip.GzipFile(fileobj=raw, mode="rb")
    return _ContentStream(
        raw, compressed=compressed, max_bytes=max_bytes, refuse_nul=refuse_nul
    )


# The layout of a delimited file, found from a sample of its first bytes.


@dataclass(frozen=True)
class _Layout:
    names: list[str]
    delimiter: str
    decimal_point: str
    data_offset: int  # bytes of content before the first data row


def _read_layout(source: Path, file_format: str, max_bytes: int) -> _Layout:
    compressed = file_format.endswith(".gz")
    if compressed:
        with open(source, "rb") as raw:
            if raw.read(2) != b"\x1f\x8b":
                raise InvalidDatasetError(
                    "The file is named .gz but is not gzip-compressed."
                )
    with _open_content(source, compressed, max_bytes, refuse_nul=False) as stream:
        sample = stream.read(SAMPLE_BYTES)
        at_end = len(sample) < SAMPLE_BYTES or not stream.read(1)

    text, start = _decode_sample(sample, at_end)
    if not text.strip():
        raise InvalidDatasetError("The file is empty.")

    declared = _SEPARATOR_LINE.match(text)
    if declared is not None:
        delimiter = declared["delimiter"]
        text = text[declared.end() :]
        start += declared.end()
    else:
        prefer_tab = file_format.startswith("tsv")
        delimiter = _detect_delimiter(text, at_end, prefer_tab=prefer_tab)
    raw_names, header_lines = _header(text, delimiter)
    data_offset = _offset_after_lines(sample, start, header_lines)
    if data_offset is None:
        if not at_end:
            raise InvalidDatasetError(
                f"The first row is longer than {SAMPLE_BYTES:,} bytes; the first row "
                "must hold the column names."
            )
        data_offset = len(sample)
    if not sample[data_offset:].strip() and at_end:
        raise InvalidDatasetError("The file has column names but no rows.")

    if all(_NUMBER.fullmatch(name.strip()) for name in raw_names):
        raise InvalidDatasetError(
            "The first row holds only numbers, so it looks like data rather than "
            "column names; add a header row naming the columns."
        )
    return _Layout(
        names=_column_names(raw_names),
        delimiter=delimiter,
        decimal_point=_detect_decimal_point(text, delimiter, at_end),
        data_offset=data_offset,
    )


def _decode_sample(sample: bytes, at_end: bool) -> tuple[str, int]:
    """The sample as text without its BOM, and the byte where the text starts."""
    for magic, message in _MAGIC_NUMBERS:
        if sample.startswith(magic):
            raise InvalidDatasetError(message)

    if b"\x00" in sample:
        raise _binary_content()
    decoder = codecs.getincrementaldecoder("utf-8")()
    try:
        text = decoder.decode(sample, final=at_end)
    except UnicodeDecodeError as error:
        raise InvalidDatasetError(
            f"The file is not UTF-8 text (byte {error.start + 1:,} is not valid "
            "UTF-8); save it as UTF-8 and upload it again."
        ) from error

    if text.startswith("\ufeff"):
        return text[1:], len(codecs.BOM_UTF8)
    return text, 0


def _records(text: str, delimiter: str, at_end: bool) -> list[list[str]]:
    """The first non-blank records of the sample, without one it cut short."""
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    records = [
        record for record in itertools.islice(reader, DETECTION_RECORDS + 1) if record
    ]
    if not at_end and len(records) > 1:
        records.pop()
    return records[:DETECTION_RECORDS]


def _detect_delimiter(text: str, at_end: bool, *, prefer_tab: bool) -> str:
    """Comma, semicolon or tab: the one that splits the header and rows alike.

    A candidate counts only when it splits the header into two or more names. The
    best is the one whose rows most often have as many fields as the header, then
    the one giving more columns; ties go to the preferred delimiter.
    """
    candidates = ["\t", ",", ";"] if prefer_tab else [",", ";", "\t"]
    best = candidates[0]
    best_score = (0.0, 1)
    for delimiter in candidates:
        try:
            records = _records(text, delimiter, at_end)
        except csv.Error:
            continue
        width = len(records[0]) if records else 0
        if width < 2:
            continue
        rows = records[1:]
        matching = sum(1 for row in rows if len(row) == width)
        score = (matching / len(rows) if rows else 1.0, width)
        if score > best_score:
            best, best_score = delimiter, score
    return best


def _header(text: str, delimiter: str) -> tuple[list[str], int]:
    """The header's names and how many physical lines it spans (blank lines too)."""
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        for record in reader:
            if record:
                return record, reader.line_num
    except csv.Error as error:
        raise InvalidDatasetError(
            "The first row cannot be read as column names: one of its values is "
            "unreadable or longer than 128 KiB."
        ) from error
    raise InvalidDatasetError("The file is empty.")


def _offset_after_lines(sample: bytes, start: int, lines: int) -> int | None:
    """The byte after the ``lines``-th line end from ``start``, if the sample has it."""
    ends = list(itertools.islice(_LINE_END.finditer(sample, start), lines))
    if len(ends) < lines:
        return None
    return int(ends[-1].end())


def _detect_decimal_point(text: str, delimiter: str, at_end: bool) -> str:
    """A comma when a semicolon file writes its numbers only as ``1,5``."""
    if delimiter != ";":
        return "."
    cells = [
        cell.strip() for row in _records(text, delimiter, at_end)[1:] for cell in row
    ]
    uses_comma = any(_DECIMAL_COMMA.fullmatch(cell) for cell in cells)
    uses_point = any(_DECIMAL_POINT.fullmatch(cell) for cell in cells)
    return "," if uses_comma and not uses_point else "."


# Converting a delimited file, widening columns whose type changes after the sample.


@dataclass(frozen=True)
class _DelimitedSource:
    path: Path
    compressed: bool
    max_bytes: int
    layout: _Layout

    def open_data(self) -> _ContentStream:
        """The content from the first data row on, the header already skipped."""
        stream = _open_content(self.path, self.compressed, self.max_bytes)
        try:
            stream.skip(self.layout.data_offset)
        except BaseException:
            stream.close()
            raise
        return stream

    def convert_options(
        self, column_types: dict[str, pa.DataType]
    ) -> pa_csv.ConvertOptions:
        return _convert_options(self.layout, column_types)

    def parse_options(self) -> pa_csv.ParseOptions:
        return pa_csv.ParseOptions(
            delimiter=self.layout.delimiter, newlines_in_values=True
        )


class _Retype(Exception):
    """Convert again from the start with this column's type widened."""

    def __init__(self, column: str, arrow_type: pa.DataType) -> None:
        super().__init__(column, arrow_type)
        self.column = column
        self.arrow_type = arrow_type


def _convert_delimited(
    path: Path, file_format: str, partial: Path, max_bytes: int, row_group_rows: int
) -> tuple[int, pa.Schema, int]:
    layout = _read_layout(path, file_format, max_bytes)
    source = _DelimitedSource(path, file_format.endswith(".gz"), max_bytes, layout)
    column_types = _sample_types(source)

    # Every retype moves one column at least one step up a short ladder.
    max_passes = 4 * len(layout.names) + 1
    for passes in range(1, max_passes + 1):
        try:
            rows, schema = _convert_delimited_once(
                source, column_types, partial, row_group_rows
            )
        except _Retype as retype:
            logger.info(
                "csv column retyped",
                extra={
                    "column": retype.column,
                    "from_type": str(column_types[retype.column]),
                    "to_type": str(retype.arrow_type),
                    "pass": passes,
                },
            )
            column_types = {**column_types, retype.column: retype.arrow_type}
            continue

        if rows == 0:
            raise InvalidDatasetError("The file has column names but no rows.")
        return rows, schema, passes
    raise InvalidDatasetError("The column types of this file could not be settled.")


def _convert_options(
    layout: _Layout, column_types: dict[str, pa.DataType]
) -> pa_csv.ConvertOptions:
    return pa_csv.ConvertOptions(
        column_types=column_types,
        strings_can_be_null=True,
        timestamp_parsers=_TIMESTAMP_PARSERS,
        decimal_point=layout.decimal_point,
    )


def _sample_types(source: _DelimitedSource) -> dict[str, pa.DataType]:
    """Every column's type, as pyarrow infers it from the first ``SAMPLE_TYPES_BYTES``.

    One byte more than the sample is read so that pyarrow sees more data follow
    and leaves a record the sample cuts in two out of the inference.
    """
    with source.open_data() as stream:
        sample = stream.read(SAMPLE_TYPES_BYTES + 1)
    if not sample.strip():
        raise InvalidDatasetError("The file has column names but no rows.")

    try:
        reader = pa_csv.open_csv(
            pa.BufferReader(sample),
            read_options=pa_csv.ReadOptions(
                column_names=source.layout.names,
                block_size=SAMPLE_TYPES_BYTES,
                use_threads=False,
            ),
            parse_options=source.parse_options(),
            convert_options=source.convert_options({}),
        )
    except pa.ArrowException as error:
        raise _csv_error(error, source.layout, {}) from error
    schema = reader.schema
    reader.close()
    return {field.name: _storable(field.name, field.type) for field in schema}


def _storable(column: str, arrow_type: pa.DataType) -> pa.DataType:
    """The type to read an inferred column as: dates as timestamps, times as text."""
    if pa.types.is_date(arrow_type):
        return pa.timestamp("s")
    if pa.types.is_time(arrow_type):
        return pa.string()
    if pa.types.is_binary(arrow_type) or pa.types.is_large_binary(arrow_type):
        raise _not_utf8(column)
    return arrow_type


def _convert_delimited_once(
    source: _DelimitedSource,
    column_types: dict[str, pa.DataType],
    partial: Path,
    row_group_rows: int,
) -> tuple[int, pa.Schema]:
    # Columns still null after the sample are stored as text unless a value shows up.
    schema = pa.schema(
        [
            (name, pa.string() if pa.types.is_null(arrow_type) else arrow_type)
            for name, arrow_type in column_types.items()
        ]
    )
    stream = source.open_data()
    reader = None
    try:
        try:
            reader = pa_csv.open_csv(
                stream,
                read_options=pa_csv.ReadOptions(
                    column_names=source.layout.names, block_size=BLOCK_BYTES
                ),
                parse_options=source.parse_options(),
                convert_options=source.convert_options(column_types),
            )
        except pa.ArrowException as error:
            raise _csv_error(error, source.layout, column_types) from error

        with _RowGroupWriter(partial, schema, row_group_rows) as writer:
            while True:
                try:
                    batch = reader.read_next_batch()
                except StopIteration:
                    break
                except pa.ArrowException as error:
                    raise _csv_error(error, source.layout, column_types) from error
                writer.write(_conform(batch, schema))
        return writer.rows, schema
    finally:
        if reader is not None:
            reader.close()
        stream.close()


def _not_utf8(column: str) -> InvalidDatasetError:
    return InvalidDatasetError(
        f"Column '{column}' contains text that is not UTF-8; save the file as UTF-8 "
        "and upload it again."
    )


def _csv_error(
    error: pa.ArrowException, layout: _Layout, current: dict[str, pa.DataType]
) -> Exception:
    """A retype when a value outgrew its column's type, else the user's error."""
    message = str(error)
    conversion = _CONVERSION_ERROR.search(message)
    if conversion is not None:
        index = int(conversion["index"])
        name = layout.names[index] if index < len(layout.names) else f"#{index + 1}"
        arrow_type = current.get(name, pa.string())
        if pa.types.is_string(arrow_type) or pa.types.is_large_string(arrow_type):
            return _not_utf8(name)
        value = conversion["value"]
        return _Retype(name, _wider_type(name, arrow_type, value, layout))

    row_width = _ROW_WIDTH_ERROR.search(message)
    if row_width is not None:
        row = row_width["row"].strip()
        shown = row if len(row) <= 80 else row[:77] + "..."
        return InvalidDatasetError(
            f"A row has {row_width['got']} values where the header names "
            f"{row_width['expected']} columns: '{shown}'."
        )
    return InvalidDatasetError(f"The file cannot be read as CSV: {message}")


def _wider_type(
    column: str, current: pa.DataType, value: str | None, layout: _Layout
) -> pa.DataType:
    """The narrowest type above ``current`` that holds ``value``; string at worst."""
    if value is None:
        return pa.string()
    if pa.types.is_null(current):
        inferred = _storable(column, _inferred_type(value, layout))
        return pa.string() if pa.types.is_null(inferred) else inferred

    ladder: list[pa.DataType] = []
    if pa.types.is_integer(current):
        ladder = [pa.float64()]
    elif pa.types.is_timestamp(current) and current.unit != "ns":
        ladder = [pa.timestamp("ns", tz=current.tz)]
    for candidate in ladder:
        if _holds(candidate, value, layout):
            return candidate
    return pa.string()


def _one_value_csv(value: str) -> io.BytesIO:
    quoted = value.replace('"', '""')
    return io.BytesIO(f'value\n"{quoted}"\n'.encode("utf-8", "surrogateescape"))


def _holds(arrow_type: pa.DataType, value: str, layout: _Layout) -> bool:
    try:
        pa_csv.read_csv(
            _one_value_csv(value),
            parse_options=pa_csv.ParseOptions(newlines_in_values=True),
            convert_options=_convert_options(layout, {"value": arrow_type}),
        )
    except pa.ArrowException:
        return False
    return True


def _inferred_type(value: str, layout: _Layout) -> pa.DataType:
    try:
        table = pa_csv.read_csv(
            _one_value_csv(value),
            parse_options=pa_csv.ParseOptions(newlines_in_values=True),
            convert_options=_convert_options(layout, {}),
        )
    except pa.ArrowException:
        return pa.string()
    return table.schema.field("value").type


# Rewriting a Parquet upload with our row groups and types.


def _convert_parquet(
    source: Path, partial: Path, row_group_rows: int
) -> tuple[int, pa.Schema, int]:
    _check_parquet_magic(source)
    try:
        parquet = pq.ParquetFile(
            source, buffer_size=PARQUET_READ_BUFFER_BYTES, pre_buffer=False
        )
    except (pa.ArrowException, OSError) as error:
        raise InvalidDatasetError(
            "The file is not a valid Parquet file, or it is damaged."
        ) from error

    with parquet:
        source_schema = parquet.schema_arrow
        if len(source_schema) == 0:
            raise InvalidDatasetError("The Parquet file has no columns.")
        if parquet.metadata.num_rows == 0:
            raise InvalidDatasetError("The Parquet file has columns but no rows.")

        names = _column_names([field.name for field in source_schema])
        schema = pa.schema(
            [
                (name, _stored_type(field))
                for name, field in zip(names, source_schema, strict=True)
            ]
        )
        batches = parquet.iter_batches(
            batch_size=min(row_group_rows, PARQUET_BATCH_ROWS)
        )
        with _RowGroupWriter(partial, schema, row_group_rows) as writer:
            for batch in _damage_checked(batches):
                writer.write(_conform(batch, schema))
    return writer.rows, schema, 1


def _check_parquet_magic(source: Path) -> None:
    with open(source, "rb") as raw:
        head = raw.read(4)
        raw.seek(0, os.SEEK_END)
        if raw.tell() >= 12:
            raw.seek(-4, os.SEEK_END)
        tail = raw.read(4)

    if head == b"PARE" or tail == b"PARE":
        raise InvalidDatasetError("Encrypted Parquet files are not supported.")
    if head != b"PAR1" or tail != b"PAR1":
        raise InvalidDatasetError(
            "The file is named .parquet but is not a Parquet file (or it is truncated)."
        )


def _damage_checked(batches: Iterator[pa.RecordBatch]) -> Iterator[pa.RecordBatch]:
    while True:
        try:
            batch = next(batches)
        except StopIteration:
            return
        except (pa.ArrowException, OSError) as error:
            raise InvalidDatasetError(
                f"The Parquet file is damaged and cannot be read: {error}"
            ) from error
        yield batch


def _stored_type(field: pa.Field) -> pa.DataType:
    """The type a Parquet column is stored as; nested and binary kinds are refused."""
    arrow_type = field.type
    if pa.types.is_dictionary(arrow_type):
        arrow_type = arrow_type.value_type

    if pa.types.is_null(arrow_type) or pa.types.is_time(arrow_type):
        return pa.string()
    if pa.types.is_string(arrow_type) or pa.types.is_large_string(arrow_type):
        return arrow_type
    if pa.types.is_string_view(arrow_type) or _is_bytes(arrow_type):
        return pa.string()  # bytes must be UTF-8 text; the cast checks it
    if pa.types.is_boolean(arrow_type) or pa.types.is_float32(arrow_type):
        return arrow_type
    if pa.types.is_float64(arrow_type):
        return arrow_type
    if pa.types.is_float16(arrow_type):
        return pa.float32()
    if pa.types.is_uint64(arrow_type):
        return pa.int64()
    if pa.types.is_integer(arrow_type):
        return arrow_type
    if pa.types.is_decimal(arrow_type):
        return pa.float64()  # exact to about 15 significant digits
    if pa.types.is_date32(arrow_type):
        return pa.timestamp("s")
    if pa.types.is_date64(arrow_type):
        return pa.timestamp("ms")
    if pa.types.is_timestamp(arrow_type):
        return pa.timestamp(arrow_type.unit, tz="UTC" if arrow_type.tz else None)

    raise InvalidDatasetError(
        f"Column '{field.name}' holds {arrow_type} values, which datasets cannot "
        "store; flatten or convert it to numbers, text or timestamps first."
    )


def _is_bytes(arrow_type: pa.DataType) -> bool:
    return bool(
        pa.types.is_binary(arrow_type)
        or pa.types.is_large_binary(arrow_type)
        or pa.types.is_binary_view(arrow_type)
    )


# Writing, shared by both formats.


def _conform(batch: pa.RecordBatch, schema: pa.Schema) -> pa.RecordBatch:
    """``batch`` with the stored names and types; a value that cannot convert fails."""
    if batch.schema.equals(schema):
        return batch

    arrays = []
    for column, field in zip(batch.columns, schema, strict=True):
        if pa.types.is_dictionary(column.type):
            column = column.dictionary_decode()
        if column.type != field.type:
            try:
                column = column.cast(field.type)
            except pa.ArrowException as error:
                raise InvalidDatasetError(
                    f"Column '{field.name}' has a value that cannot be stored as "
                    f"{field.type}: {error}"
                ) from error
        arrays.append(column)
    return pa.RecordBatch.from_arrays(arrays, schema=schema)


class _RowGroupWriter:
    """Writes row groups of exactly ``rows_per_group`` rows; the last may be shorter."""

    def __init__(self, path: Path, schema: pa.Schema, rows_per_group: int) -> None:
        # On mixed tables zstd without dictionary pages came out about half the size
        # of snappy with dictionaries, for the same CPU time.
        self._writer = pq.ParquetWriter(
            path, schema, compression="zstd", use_dictionary=False
        )
        self._schema = schema
        self._rows_per_group = rows_per_group
        self._pending: list[pa.RecordBatch] = []
        self._pending_rows = 0
        self.rows = 0

    def write(self, batch: pa.RecordBatch) -> None:
        self._pending.append(batch)
        self._pending_rows += batch.num_rows
        while self._pending_rows >= self._rows_per_group:
            self._write_group(self._rows_per_group)

    def _write_group(self, rows: int) -> None:
        table = pa.Table.from_batches(self._pending, schema=self._schema)
        self._writer.write_table(table.slice(0, rows), row_group_size=rows)

        rest = table.slice(rows)
        self._pending = rest.to_batches()
        self._pending_rows = rest.num_rows
        self.rows += rows

    def __enter__(self) -> "_RowGroupWriter":
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        try:
            if exc_type is None and self._pending_rows:
                self._write_group(self._pending_rows)
        finally:
            self._writer.close()
