"""``python -m core``: serve the API (and the built SPA) with uvicorn."""

import uvicorn

from core.app import create_app
from core.config import get_settings


def main() -> None:
    settings = get_settings()
    uvicorn.run(
        create_app(settings),
        host=settings.host,
        port=settings.port,
        log_config=None,
        timeout_graceful_shutdown=20,
    )


if __name__ == "__main__":
    main()
