"""The session factory exists only once init_db() has run."""

import pytest

from core.config import Settings
from core.database import engine as database
from core.executors.local import LocalExecutor


def test_factory_before_init_db_raises_a_clear_error() -> None:
    with pytest.raises(database.DatabaseNotInitializedError, match="init_db"):
        database.get_session_factory()


async def test_executor_started_before_init_db_fails_instead_of_waiting(
    settings: Settings,
) -> None:
    executor = LocalExecutor(settings)

    with pytest.raises(database.DatabaseNotInitializedError):
        await executor.start()
