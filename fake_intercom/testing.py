"""Running the fake inside a test process: a sync httpx transport over ASGI, a real server thread, a
local webhook receiver, and the state machine kit (`IntercomStateMachine`, its drivers and model; see
`fake_intercom.stateful`, imported on first use since it needs hypothesis)."""

import asyncio
import contextlib
import hashlib
import hmac
import http.server
import json
import socket
import threading
import time
from collections.abc import Iterator
from typing import Any

import httpx
import uvicorn

from fake_intercom.serving import server_config
from fake_intercom.settings import Settings


class SyncASGITransport(httpx.BaseTransport):
    """Lets a plain `httpx.Client` (and so any sync SDK) call an ASGI app in-process.

    The app runs on its own event loop in a background thread, as it would under a server.
    """

    def __init__(self, app: Any) -> None:
        self._transport = httpx.ASGITransport(app=app)
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self._loop.run_forever, daemon=True, name="fake-intercom-asgi")
        self._thread.start()

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        body = request.read()

        async def call() -> tuple[int, list[tuple[bytes, bytes]], bytes]:
            forwarded = httpx.Request(request.method, request.url, headers=request.headers, content=body)
            response = await self._transport.handle_async_request(forwarded)
            content = await response.aread()
            return response.status_code, response.headers.raw, content

        status, headers, content = asyncio.run_coroutine_threadsafe(call(), self._loop).result()
        return httpx.Response(status, headers=headers, content=content, request=request)

    def close(self) -> None:
        """Clients close their transport; one transport may serve many clients, so only `stop` ends it."""

    def stop(self) -> None:
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(timeout=5)


def free_port(host: str = "127.0.0.1") -> int:
    with socket.socket() as sock:
        sock.bind((host, 0))
        return int(sock.getsockname()[1])


@contextlib.contextmanager
def serve_in_thread(app: Any, host: str = "127.0.0.1", port: int | None = None) -> Iterator[str]:
    """Serve `app` with uvicorn on a loopback port for the duration of the block; yield its base URL."""
    port = port or free_port(host)
    settings = getattr(getattr(app, "state", None), "settings", None) or Settings()
    server = uvicorn.Server(server_config(app, settings, host=host, port=port, lifespan="off"))
    thread = threading.Thread(target=server.run, daemon=True, name="fake-intercom-server")
    thread.start()
    deadline = time.monotonic() + 10
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise RuntimeError("the fake Intercom server did not start")
        time.sleep(0.01)
    try:
        yield f"http://{host}:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=10)


class WebhookReceiver:
    """A local HTTP endpoint that records the notifications posted to it (a stand-in for an integration's
    webhook handler). `status` is what it answers, so tests can make it fail.

    >>> with WebhookReceiver() as receiver:  # doctest: +SKIP
    ...     workspace.webhooks.subscribe(receiver.url, ["contact.user.created"])
    ...     notification = receiver.wait_for("contact.user.created")
    """

    def __init__(self, host: str = "127.0.0.1", status: int = 200) -> None:
        self.status = status
        self.received: list[ReceivedWebhook] = []
        self._arrived = threading.Condition()
        receiver = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                with receiver._arrived:
                    receiver.received.append(ReceivedWebhook(dict(self.headers.items()), body))
                    receiver._arrived.notify_all()
                self.send_response(receiver.status)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, format: str, *args: Any) -> None:
                """Quiet: tests read `received` instead."""

        self._server = http.server.ThreadingHTTPServer((host, 0), Handler)
        self.url = f"http://{host}:{self._server.server_address[1]}/webhooks"
        self._thread = threading.Thread(
            target=self._server.serve_forever, daemon=True, name="webhook-receiver"
        )
        self._thread.start()

    def wait_for(self, topic: str, count: int = 1, timeout: float = 10.0) -> "ReceivedWebhook":
        """The `count`-th notification of `topic` (waiting for it), or TimeoutError."""
        deadline = time.monotonic() + timeout
        with self._arrived:
            while True:
                matching = [hook for hook in self.received if hook.topic == topic]
                if len(matching) >= count:
                    return matching[count - 1]
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    raise TimeoutError(f"no {topic!r} notification #{count} within {timeout}s")
                self._arrived.wait(remaining)

    def close(self) -> None:
        self._server.shutdown()
        self._server.server_close()

    def __enter__(self) -> "WebhookReceiver":
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()


class ReceivedWebhook:
    def __init__(self, headers: dict[str, str], body: bytes) -> None:
        self.headers = {key.lower(): value for key, value in headers.items()}
        self.body = body
        self.json: dict[str, Any] = json.loads(body) if body else {}

    @property
    def topic(self) -> str | None:
        return self.json.get("topic")

    @property
    def item(self) -> Any:
        return self.json.get("data", {}).get("item")

    def signature_valid(self, client_secret: str) -> bool:
        """Whether `X-Hub-Signature` is the HMAC-SHA1 of the raw body keyed by `client_secret`."""
        expected = "sha1=" + hmac.new(client_secret.encode(), self.body, hashlib.sha1).hexdigest()
        return hmac.compare_digest(expected, self.headers.get("x-hub-signature", ""))


_STATEFUL = (
    "HttpDriver",
    "InboxModel",
    "IntercomDriver",
    "IntercomError",
    "IntercomStateMachine",
    "run_state_machine",
)


def __getattr__(name: str) -> Any:
    if name in _STATEFUL:
        from fake_intercom import stateful

        return getattr(stateful, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
