"""Receiving a multipart upload straight into the data directory, in bounded memory.

The request body is parsed as it arrives: the file part is written to disk chunk
by chunk (so the size limit holds while the bytes come in, and nothing is
buffered or copied through a temporary file elsewhere), and the one text field,
``name``, is kept in memory up to a small bound.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import anyio
from python_multipart.exceptions import MultipartParseError
from python_multipart.multipart import MultipartParser, parse_options_header
from starlette.requests import Request

from core.errors import InvalidDatasetError, PayloadTooLargeError

FILE_FIELD = "file"
NAME_FIELD = "name"
MAX_FIELD_BYTES = 4096
# Room for the multipart framing around the file in a declared Content-Length.
FRAMING_SLACK_BYTES = 64 * 1024

# The request body as the OpenAPI document describes it.
UPLOAD_REQUEST_BODY = {
    "required": True,
    "content": {
        "multipart/form-data": {
            "schema": {
                "type": "object",
                "title": "DatasetUpload",
                "required": [FILE_FIELD],
                "properties": {
                    FILE_FIELD: {
                        "type": "string",
                        "format": "binary",
                        "description": "CSV, TSV, gzipped CSV or TSV, or Parquet",
                    },
                    NAME_FIELD: {
                        "type": "string",
                        "maxLength": 255,
                        "description": "A label; the file name when omitted",
                    },
                },
            }
        }
    },
}


@dataclass
class ReceivedUpload:
    filename: str | None = None
    name: str | None = None
    file_bytes: int = 0


@dataclass
class _FormCollector:
    """The parser's callbacks: which part is being read, and what it holds."""

    on_file_start: Callable[[str], object]
    received: ReceivedUpload = field(default_factory=ReceivedUpload)
    pending: list[bytes] = field(default_factory=list)
    _header_field: bytes = b""
    _header_value: bytes = b""
    _disposition: bytes = b""
    _part: str | None = None
    _name: bytearray = field(default_factory=bytearray)

    def callbacks(self) -> dict[str, Callable[..., None]]:
        return {
            "on_part_begin": self._part_begin,
            "on_header_field": self._header_field_data,
            "on_header_value": self._header_value_data,
            "on_header_end": self._header_end,
            "on_headers_finished": self._headers_finished,
            "on_part_data": self._part_data,
            "on_part_end": self._part_end,
        }

    def _part_begin(self) -> None:
        self._disposition = b""
        self._part = None

    def _header_field_data(self, data: bytes, start: int, end: int) -> None:
        self._header_field += data[start:end]

    def _header_value_data(self, data: bytes, start: int, end: int) -> None:
        self._header_value += data[start:end]

    def _header_end(self) -> None:
        if self._header_field.lower() == b"content-disposition":
            self._disposition = self._header_value
        self._header_field = self._header_value = b""

    def _headers_finished(self) -> None:
        _, options = parse_options_header(self._disposition)
        part = options.get(b"name", b"").decode("utf-8", "replace")
        if part == FILE_FIELD and self.received.filename is None:
            filename = options.get(b"filename", b"").decode("utf-8", "replace")
            self.received.filename = filename
            self.on_file_start(filename)
            self._part = FILE_FIELD
        elif part == NAME_FIELD:
            self._part = NAME_FIELD

    def _part_data(self, data: bytes, start: int, end: int) -> None:
        if self._part == FILE_FIELD:
            self.pending.append(data[start:end])
            self.received.file_bytes += end - start
        elif self._part == NAME_FIELD:
            self._name += data[start:end]
            if len(self._name) > MAX_FIELD_BYTES:
                raise InvalidDatasetError("The name field is too long")

    def _part_end(self) -> None:
        if self._part == NAME_FIELD:
            self.received.name = self._name.decode("utf-8", "replace")
        self._part = None


def _boundary(request: Request) -> bytes:
    content_type, options = parse_options_header(request.headers.get("content-type"))
    boundary = options.get(b"boundary")
    if content_type != b"multipart/form-data" or not boundary:
        raise InvalidDatasetError(
            "Send the dataset as multipart/form-data with the file in a 'file' field"
        )
    return boundary


def _check_declared_length(request: Request, max_bytes: int) -> None:
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > max_bytes + FRAMING_SLACK_BYTES:
        raise PayloadTooLargeError(
            f"The file is larger than the limit of {max_bytes:,} bytes"
        )


async def receive_upload(
    request: Request,
    target: Path,
    max_bytes: int,
    on_file_start: Callable[[str], object],
) -> ReceivedUpload:
    """Stream the request's file part into ``target``; ``on_file_start`` may refuse
    the file by its name before any of its bytes are written."""
    parser = MultipartParser(_boundary(request), None)
    collector = _FormCollector(on_file_start)
    parser.callbacks = collector.callbacks()  # type: ignore[assignment]
    _check_declared_length(request, max_bytes)

    try:
        async with await anyio.open_file(target, "wb") as out:
            async for chunk in request.stream():
                parser.write(chunk)
                if collector.received.file_bytes > max_bytes:
                    raise PayloadTooLargeError(
                        f"The file is larger than the limit of {max_bytes:,} bytes"
                    )
                if collector.pending:
                    await out.write(b"".join(collector.pending))
                    collector.pending.clear()
        parser.finalize()
    except MultipartParseError as error:
        raise InvalidDatasetError(f"The upload is not a valid form: {error}") from error

    if collector.received.filename is None:
        raise InvalidDatasetError("The upload has no 'file' field")
    return collector.received
