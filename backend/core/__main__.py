"""``python -m core``: serve the API (and the built SPA) with uvicorn."""

from types import FrameType

import uvicorn
from fastapi import FastAPI

from core.app import create_app
from core.config import get_settings


class Server(uvicorn.Server):
    """Uvicorn, with the executor told to take no new job as soon as a stop begins.

    Uvicorn first drains open connections and only then runs the lifespan's
    shut-down; without this, jobs would still be claimed during the drain.
    """

    def __init__(self, config: uvicorn.Config, app: FastAPI) -> None:
        super().__init__(config)
        self._app = app

    def handle_exit(self, sig: int, frame: FrameType | None) -> None:
        executor = getattr(self._app.state, "executor", None)
        if executor is not None:
            executor.stop_claiming()
        super().handle_exit(sig, frame)


def main() -> None:
    settings = get_settings()
    app = create_app(settings)
    config = uvicorn.Config(
        app,
        host=settings.host,
        port=settings.port,
        log_config=None,
        timeout_graceful_shutdown=20,
    )
    Server(config, app).run()


if __name__ == "__main__":
    main()
