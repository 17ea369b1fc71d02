"""The FastAPI application: routes, error handling, start-up and shut-down."""

import logging
from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import anyio
from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import FileResponse, JSONResponse
from fastapi.routing import APIRoute
from sqlalchemy import text
from starlette.exceptions import HTTPException as StarletteHTTPException

from core.config import Settings, get_settings
from core.database import engine as database
from core.database.migrate import upgrade_database
from core.datasets.routes import router as datasets_router
from core.errors import AppError, ErrorBody
from core.executors.local import LocalExecutor
from core.feature_engineering.routes import router as pipelines_router
from core.logging import configure_logging
from core.schemas import ApiModel

API_PREFIX = "/ml-workflow/api"

logger = logging.getLogger(__name__)


class Health(ApiModel):
    status: str
    database: str
    executor: str


def operation_id(route: APIRoute) -> str:
    """``tag-name`` operation ids, so generated clients read well."""
    name = route.name.replace("_", "-")
    return f"{route.tags[0]}-{name}" if route.tags else name


def _step_position(location: list[Any]) -> int | None:
    """Where a step's index sits in an error's location, if the error is in a step."""
    if "steps" in location:
        at = location.index("steps") + 1
        if at < len(location) and isinstance(location[at], int):
            return at
    return None


def describe_invalid_field(location: list[Any], message: str) -> str:
    """A request validation error as a person reads it, steps counted from 1.

    In a step, pydantic's location is ``steps, index, type, field...``.
    """
    parts = [part for part in location if part != "body"]
    at = _step_position(parts)
    if at is None:
        where = ".".join(str(part) for part in parts)
        return f"{where}: {message}" if where else message

    rest = parts[at + 1 :]
    step = f"Step {parts[at] + 1}" + (f" ({rest[0]})" if rest else "")
    field = ".".join(str(part) for part in rest[1:])
    return f"{step}: {field}: {message}" if field else f"{step}: {message}"


def _validation_body(raw_errors: Sequence[Any]) -> ErrorBody:
    errors = []
    for raw in raw_errors:
        location = list(raw.get("loc", ()))
        message = str(raw.get("msg", "invalid"))
        at = _step_position(location)
        errors.append(
            {
                "loc": location,
                "msg": message,
                "type": raw.get("type"),
                "message": describe_invalid_field(location, message),
                "step_index": location[at] if at is not None else None,
            }
        )
    step_indexes = [e["step_index"] for e in errors if e["step_index"] is not None]
    return ErrorBody(
        detail="; ".join(e["message"] for e in errors[:5])
        or "The request is not valid",
        code="validation_error",
        step_index=step_indexes[0] if step_indexes else None,
        errors=errors,
    )


def install_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(AppError)
    async def app_error(_: Request, error: AppError) -> JSONResponse:
        return JSONResponse(
            error.body().model_dump(exclude_none=True), error.status_code
        )

    @app.exception_handler(RequestValidationError)
    async def invalid_request(
        _: Request, error: RequestValidationError
    ) -> JSONResponse:
        body = _validation_body(error.errors())
        return JSONResponse(body.model_dump(exclude_none=True), 422)

    @app.exception_handler(Exception)
    async def unexpected(request: Request, error: Exception) -> JSONResponse:
        logger.error("request failed", exc_info=error, extra={"path": request.url.path})
        body = ErrorBody(detail="The server failed to answer", code="internal_error")
        return JSONResponse(body.model_dump(exclude_none=True), 500)

    @app.exception_handler(StarletteHTTPException)
    async def http_error(_: Request, error: StarletteHTTPException) -> JSONResponse:
        code = "not_found" if error.status_code == 404 else "http_error"
        body = ErrorBody(detail=str(error.detail), code=code)
        return JSONResponse(body.model_dump(exclude_none=True), error.status_code)


def mount_spa(app: FastAPI, static_dir: Path) -> None:
    """Serve the built SPA; unknown paths outside the API get its index.html."""
    index = static_dir / "index.html"
    root = static_dir.resolve()

    @app.get("/{path:path}", include_in_schema=False)
    async def spa(path: str) -> FileResponse:
        if path.startswith(API_PREFIX.strip("/")):
            raise StarletteHTTPException(404, f"No route {path}")
        candidate = (static_dir / path).resolve()
        if path and candidate.is_file() and candidate.is_relative_to(root):
            return FileResponse(candidate)
        return FileResponse(index)


def create_app(settings: Settings | None = None) -> FastAPI:
    settings = settings or get_settings()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        configure_logging(settings.log_format, settings.log_level)
        for folder in (
            settings.datasets_dir,
            settings.results_dir,
            settings.uploads_dir,
        ):
            folder.mkdir(parents=True, exist_ok=True)
        url = settings.resolved_database_url
        if settings.auto_migrate:
            await anyio.to_thread.run_sync(upgrade_database, url)
        await database.init_db(url)

        executor = LocalExecutor(settings)
        app.state.executor = executor
        await executor.start()
        logger.info(
            "application started", extra={"host": settings.host, "port": settings.port}
        )
        try:
            yield
        finally:
            await executor.stop()
            await database.dispose_db()
            logger.info("application stopped")

    app = FastAPI(
        title="ml-workflow",
        version="0.1.0",
        summary="Feature-engineering pipelines over tabular data",
        lifespan=lifespan,
        generate_unique_id_function=operation_id,
        openapi_url=f"{API_PREFIX}/openapi.json",
        docs_url=f"{API_PREFIX}/docs",
        redoc_url=None,
    )
    app.state.settings = settings
    install_error_handlers(app)

    @app.get(f"{API_PREFIX}/health", tags=["health"], name="read")
    async def health() -> Health:
        """Liveness of the API, its database and its executor."""
        database_state = "ok"
        try:
            async with database.get_session_factory()() as session:
                await session.execute(text("SELECT 1"))
        except Exception:
            database_state = "unavailable"
        return Health(
            status="ok" if database_state == "ok" else "degraded",
            database=database_state,
            executor=settings.executor,
        )

    # Request validation errors share the ErrorBody shape of every other 4xx.
    invalid: dict[int | str, dict[str, Any]] = {
        422: {"model": ErrorBody, "description": "The request is not valid"}
    }
    app.include_router(datasets_router, prefix=API_PREFIX, responses=invalid)
    app.include_router(pipelines_router, prefix=API_PREFIX, responses=invalid)

    static_dir = settings.static_dir
    if static_dir is not None and (static_dir / "index.html").is_file():
        mount_spa(app, static_dir)
    return app
