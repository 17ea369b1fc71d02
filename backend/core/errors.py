"""One error base class carrying its HTTP status and a stable code."""

from typing import Any, ClassVar

from core.schemas import ApiModel


class ErrorBody(ApiModel):
    """The JSON body of every 4xx answer."""

    detail: str
    code: str
    step_index: int | None = None
    errors: list[dict[str, Any]] | None = None


class AppError(Exception):
    """An expected failure that maps to an HTTP answer."""

    status_code: ClassVar[int] = 400
    code: ClassVar[str] = "bad_request"

    def __init__(self, detail: str, *, step_index: int | None = None) -> None:
        super().__init__(detail)
        self.detail = detail
        self.step_index = step_index

    def body(self) -> ErrorBody:
        return ErrorBody(detail=self.detail, code=self.code, step_index=self.step_index)


class NotFoundError(AppError):
    status_code = 404
    code = "not_found"


class ConflictError(AppError):
    status_code = 409
    code = "conflict"


class DatasetUnavailableError(AppError):
    """The dataset's row exists but its stored file does not."""

    status_code = 409
    code = "dataset_unavailable"


class PayloadTooLargeError(AppError):
    status_code = 413
    code = "payload_too_large"


class UnsupportedMediaError(AppError):
    status_code = 415
    code = "unsupported_format"


class InvalidDatasetError(AppError):
    status_code = 422
    code = "invalid_dataset"


class InvalidStepError(AppError):
    status_code = 422
    code = "invalid_step"


def error_responses(*errors: type[AppError]) -> dict[int | str, dict[str, Any]]:
    """The ``responses=`` entry of a route, so generated clients know its errors."""
    return {
        error.status_code: {"model": ErrorBody, "description": error.__name__}
        for error in errors
    }
