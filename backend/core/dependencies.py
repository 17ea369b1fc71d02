"""Request dependencies shared by the domains' routes."""

from typing import Annotated

from fastapi import Depends, Request
from sqlalchemy.ext.asyncio import AsyncSession

from core.config import Settings
from core.database.engine import get_session
from core.executors.base import Executor

# "function" scope: the session commits before the response is sent, so a client
# that reads what it just created always finds it.
SessionDep = Annotated[AsyncSession, Depends(get_session, scope="function")]


def get_app_settings(request: Request) -> Settings:
    settings: Settings = request.app.state.settings
    return settings


def get_executor(request: Request) -> Executor:
    executor: Executor = request.app.state.executor
    return executor


SettingsDep = Annotated[Settings, Depends(get_app_settings)]
ExecutorDep = Annotated[Executor, Depends(get_executor)]
