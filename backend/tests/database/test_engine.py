"""The session factory exists only once init_db() has run."""

import pytest
from sqlalchemy import text

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


@pytest.mark.usefixtures("db")
class TestAfterCommit:
    async def test_callback_runs_once_the_transaction_commits(self) -> None:
        calls: list[str] = []
        async with database.get_session_factory()() as session:
            database.after_commit(session, lambda: calls.append("done"))
            assert calls == []
            await session.commit()

        assert calls == ["done"]

    async def test_callback_is_dropped_when_the_transaction_rolls_back(self) -> None:
        calls: list[str] = []
        async with database.get_session_factory()() as session:
            await session.execute(text("SELECT 1"))
            database.after_commit(session, lambda: calls.append("done"))
            await session.rollback()
            await session.commit()

        assert calls == []

    async def test_a_savepoint_rolling_back_keeps_the_outer_callbacks(self) -> None:
        calls: list[str] = []
        async with database.get_session_factory()() as session:
            database.after_commit(session, lambda: calls.append("outer"))
            savepoint = await session.begin_nested()
            await savepoint.rollback()
            await session.commit()

        assert calls == ["outer"]
