"""The engine and the session factory, created once by ``init_db()`` at start-up.

Background work reaches the factory through :func:`get_session_factory` at the
moment it runs, never at import time, so a job that runs before ``init_db()``
fails with :class:`DatabaseNotInitializedError` instead of waiting forever.
"""

from collections.abc import AsyncIterator, Callable
from typing import Any

from sqlalchemy import event
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import (
    AsyncEngine,
    AsyncSession,
    async_sessionmaker,
    create_async_engine,
)
from sqlalchemy.orm import Session, SessionTransaction

engine: AsyncEngine | None = None
async_session_factory: async_sessionmaker[AsyncSession] | None = None

AFTER_COMMIT_KEY = "after_commit"


class DatabaseNotInitializedError(RuntimeError):
    """Raised when the database is used before ``init_db()`` has run."""

    def __init__(self) -> None:
        super().__init__(
            "The database is not initialised: init_db() must run before any job "
            "or request touches it"
        )


def is_sqlite(url: str) -> bool:
    return make_url(url).get_backend_name() == "sqlite"


def _configure_sqlite(dbapi_connection: Any, _record: Any) -> None:
    # WAL lets readers (pollers) go on while the dispatcher writes progress.
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=30000")
    cursor.close()


async def init_db(database_url: str) -> AsyncEngine:
    """Create the engine and the session factory; idempotent for the same URL."""
    global engine, async_session_factory

    if engine is not None:
        if engine.url.render_as_string(hide_password=False) == database_url:
            return engine
        await dispose_db()

    if is_sqlite(database_url):
        new_engine = create_async_engine(
            database_url, connect_args={"timeout": 30}, pool_pre_ping=False
        )
        event.listen(new_engine.sync_engine, "connect", _configure_sqlite)
    else:
        new_engine = create_async_engine(
            database_url, pool_pre_ping=True, pool_size=10, max_overflow=10
        )

    engine = new_engine
    async_session_factory = async_sessionmaker(new_engine, expire_on_commit=False)
    return new_engine


async def dispose_db() -> None:
    """Close every pooled connection and forget the factory."""
    global engine, async_session_factory

    if engine is not None:
        await engine.dispose()
    engine = None
    async_session_factory = None


def get_session_factory() -> async_sessionmaker[AsyncSession]:
    """The factory ``init_db()`` made; raises if it has not run."""
    if async_session_factory is None:
        raise DatabaseNotInitializedError()
    return async_session_factory


def after_commit(session: AsyncSession, callback: Callable[[], None]) -> None:
    """Run ``callback`` once the session's transaction has committed; never if it
    rolls back. Whoever owns the unit of work commits as usual."""
    session.info.setdefault(AFTER_COMMIT_KEY, []).append(callback)


@event.listens_for(Session, "after_commit")
def _run_after_commit(session: Session) -> None:
    for callback in session.info.pop(AFTER_COMMIT_KEY, []):
        callback()


@event.listens_for(Session, "after_soft_rollback")
def _drop_after_commit(session: Session, previous: SessionTransaction) -> None:
    # A savepoint rolling back leaves the outer transaction, and its callbacks.
    if not previous.nested:
        session.info.pop(AFTER_COMMIT_KEY, None)


async def get_session() -> AsyncIterator[AsyncSession]:
    """One session per request; the only place a request's work is committed."""
    factory = get_session_factory()
    async with factory() as session:
        try:
            yield session
            await session.commit()
        except BaseException:
            await session.rollback()
            raise
