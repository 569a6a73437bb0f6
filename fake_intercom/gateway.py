"""The request pipeline in front of every Intercom route: request id, bearer token, version, rate limit.

A plain ASGI middleware rather than `BaseHTTPMiddleware`: it runs on every request and must stay cheap.
"""

import math
import time
from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any

from contracts.versions import ALL_VERSIONS
from fake_intercom.errors import error_body, new_request_id
from fake_intercom.store import Store

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

# Paths that are not Intercom's REST API and so take no bearer token.
OPEN_PREFIXES = ("/_sandbox", "/oauth", "/auth/eagle/token", "/docs", "/redoc", "/openapi.json")


class RateLimiter:
    """Fixed windows per workspace, as Intercom reports them in `X-RateLimit-*`."""

    def __init__(self, limit: int, window_seconds: int = 60) -> None:
        self.limit = limit
        self.window = window_seconds
        self._windows: dict[str, tuple[int, int]] = {}

    def hit(self, key: str) -> tuple[bool, int, int]:
        """Count one request; return (allowed, remaining, reset epoch seconds)."""
        now = time.time()
        window_start = int(now // self.window * self.window)
        start, used = self._windows.get(key, (window_start, 0))
        if start != window_start:
            start, used = window_start, 0
        allowed = used < self.limit
        if allowed:
            used += 1
        self._windows[key] = (start, used)
        return allowed, max(self.limit - used, 0), start + self.window


class Gateway:
    def __init__(self, app: ASGIApp, store: Store, limiter: RateLimiter) -> None:
        self.app = app
        self.store = store
        self.limiter = limiter

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        request_id = new_request_id()
        state = scope.setdefault("state", {})
        state["request_id"] = request_id
        headers = [(b"x-request-id", request_id.encode())]
        if scope["path"].startswith(OPEN_PREFIXES):
            await self.app(scope, receive, _adding_headers(send, headers))
            return

        request_headers = dict(scope["headers"])
        workspace = None
        scheme, _, token = request_headers.get(b"authorization", b"").decode("latin-1").partition(" ")
        if scheme.lower() == "bearer" and token.strip():
            workspace = self.store.workspace_for_token(token.strip())
        if workspace is None:
            await _send_error(send, 401, "unauthorized", "Access Token Invalid", request_id, headers)
            return

        allowed, remaining, reset = self.limiter.hit(workspace.id)
        headers += [
            (b"x-ratelimit-limit", str(self.limiter.limit).encode()),
            (b"x-ratelimit-remaining", str(remaining).encode()),
            (b"x-ratelimit-reset", str(reset).encode()),
        ]
        if not allowed:
            retry_after = max(math.ceil(reset - time.time()), 1)
            headers.append((b"retry-after", str(retry_after).encode()))
            await _send_error(send, 429, "rate_limit_exceeded", "Rate Limit Exceeded", request_id, headers)
            return

        version = request_headers.get(b"intercom-version", b"").decode("latin-1").strip()
        if not version:
            version = workspace.default_version
        elif version not in ALL_VERSIONS:
            await _send_error(
                send,
                400,
                "intercom_version_invalid",
                f"The requested version could not be found: {version}",
                request_id,
                headers,
            )
            return
        state["workspace"] = workspace
        state["version"] = version
        await self.app(scope, receive, _adding_headers(send, headers))


def _adding_headers(send: Send, headers: list[tuple[bytes, bytes]]) -> Send:
    async def wrapped(message: Message) -> None:
        if message["type"] == "http.response.start":
            message["headers"] = [*message.get("headers", []), *headers]
        await send(message)

    return wrapped


async def _send_error(
    send: Send, status: int, code: str, message: str, request_id: str, headers: list[tuple[bytes, bytes]]
) -> None:
    body = error_body(code, message, request_id)
    await send(
        {
            "type": "http.response.start",
            "status": status,
            "headers": [
                (b"content-type", b"application/json"),
                (b"content-length", str(len(body)).encode()),
                *headers,
            ],
        }
    )
    await send({"type": "http.response.body", "body": body})
