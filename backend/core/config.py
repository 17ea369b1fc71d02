"""Settings, read once from the environment (prefix ``ML_WORKFLOW_``)."""

from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

GIB = 1024**3


class Settings(BaseSettings):
    """Every setting of the application; nothing else reads the environment."""

    model_config = SettingsConfigDict(env_prefix="ML_WORKFLOW_", extra="ignore")

    host: str = "127.0.0.1"
    port: int = Field(default=8000, ge=1, le=65535)
    data_dir: Path = Path("var")
    database_url: str | None = None
    # Only the embedded executor exists so far; "celery" joins it with its workers.
    executor: Literal["local"] = "local"
    celery_broker_url: str = "redis://127.0.0.1:6379/0"
    auto_migrate: bool = True
    static_dir: Path | None = None

    preview_row_limit: int = Field(default=200_000, ge=1)
    max_upload_bytes: int = Field(default=2 * GIB, ge=1)

    max_concurrent_jobs: int = Field(default=2, ge=1)
    job_heartbeat_timeout_seconds: float = Field(default=30.0, gt=0)
    job_max_attempts: int = Field(default=3, ge=1)
    job_timeout_seconds: float = Field(default=6 * 3600.0, gt=0)
    job_chunk_rows: int = Field(default=50_000, ge=1)
    dispatcher_poll_seconds: float = Field(default=1.0, gt=0)

    log_format: Literal["text", "json"] = "text"
    log_level: str = "INFO"

    @property
    def resolved_database_url(self) -> str:
        """The configured URL, or a SQLite file inside the data directory."""
        if self.database_url:
            return self.database_url
        return f"sqlite+aiosqlite:///{self.data_dir.resolve() / 'ml_workflow.db'}"

    @property
    def datasets_dir(self) -> Path:
        return self.data_dir / "datasets"

    @property
    def results_dir(self) -> Path:
        return self.data_dir / "results"

    @property
    def uploads_dir(self) -> Path:
        return self.data_dir / "uploads"


@lru_cache
def get_settings() -> Settings:
    return Settings()
