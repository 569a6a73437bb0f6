"""Serving the app with uvicorn: the connection limit and the timeouts a slow client is held to."""

from typing import Any

import uvicorn

from fake_intercom.settings import Settings


def server_config(app: Any, settings: Settings, **overrides: Any) -> uvicorn.Config:
    options: dict[str, Any] = {
        "host": settings.host,
        "port": settings.port,
        "log_level": "warning",
        "timeout_keep_alive": settings.keep_alive_timeout,
        "limit_concurrency": settings.max_connections,
    }
    options.update(overrides)
    return uvicorn.Config(app, **options)


def run(app: Any, settings: Settings) -> None:
    uvicorn.Server(server_config(app, settings)).run()
