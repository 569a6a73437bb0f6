"""Serving the app with uvicorn, holding clients to a connection limit and to timeouts.

uvicorn's keep-alive timeout ends idle connections between requests, but nothing of uvicorn ends a
client that trickles its headers or its body byte by byte, and its concurrency limit answers in plain
text. So the HTTP protocol is uvicorn's own (httptools) with deadlines added: the headers of a request
must be in within `header_timeout` of its first byte (or of the connection, for the first request), its
body within `body_timeout` of its headers, and headers stay under `MAX_HEADER_BYTES`. A refusal is an
error.list like every other answer, and the connection is closed after it.
"""

import asyncio
from typing import Any

import uvicorn

from fake_intercom.errors import error_body, new_request_id
from fake_intercom.settings import Settings

MAX_HEADER_BYTES = 64 * 1024
# Seconds a deadline waits, once it is due, for the loop to read what has already arrived.
READ_BEFORE_REFUSING = 0.001

try:
    from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol
except ImportError:  # no httptools on this platform: uvicorn's own limits only
    HttpToolsProtocol = None  # type: ignore[assignment,misc]


def refusal(status: int, reason: bytes, code: str, message: str) -> bytes:
    """A complete HTTP response carrying an error.list, for a connection about to be closed."""
    body = error_body(code, message, new_request_id())
    head = (
        b"HTTP/1.1 %d %s\r\ncontent-type: application/json\r\ncontent-length: %d\r\nconnection: close\r\n\r\n"
        % (status, reason, len(body))
    )
    return head + body


if HttpToolsProtocol is not None:

    class GuardedProtocol(HttpToolsProtocol):
        """uvicorn's httptools protocol with deadlines, a header size cap and a connection limit; the
        limits are set on a subclass made for the settings (`protocol_for`)."""

        header_timeout = 10.0
        body_timeout = 30.0
        max_connections = 512

        def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
            # When the current deadline falls (loop time), None while nothing is awaited; and the timer
            # that will look at it, which may be set for an earlier deadline than the current one.
            self._due: float | None = None
            self._deadline: asyncio.TimerHandle | None = None
            self._header_bytes = 0
            self._refused = False
            super().connection_made(transport)
            if len(self.connections) > self.max_connections:
                self._refuse(
                    503,
                    b"Service Unavailable",
                    "service_unavailable",
                    f"The sandbox is serving its maximum of {self.max_connections} connections (--max-connections)",
                )
                return
            self._arm(self.header_timeout)

        def connection_lost(self, exc: Exception | None) -> None:
            self._disarm()
            if self._deadline is not None:
                self._deadline.cancel()
                self._deadline = None
            super().connection_lost(exc)

        def data_received(self, data: bytes) -> None:
            if not self._refused:
                super().data_received(data)

        def on_message_begin(self) -> None:
            self._header_bytes = 0
            if self._due is None:
                self._arm(self.header_timeout)
            super().on_message_begin()

        def on_url(self, url: bytes) -> None:
            self._count_header_bytes(len(url))
            super().on_url(url)

        def on_header(self, name: bytes, value: bytes) -> None:
            self._count_header_bytes(len(name) + len(value))
            super().on_header(name, value)

        def on_headers_complete(self) -> None:
            if self._refused:
                return
            self._arm(self.body_timeout)
            super().on_headers_complete()

        def on_body(self, body: bytes) -> None:
            if not self._refused:
                super().on_body(body)

        def on_message_complete(self) -> None:
            if self._refused:
                return
            self._disarm()
            super().on_message_complete()

        def send_400_response(self, msg: str) -> None:
            # Broken HTTP framing: the same refusal as any other bad request, in Intercom's shape.
            self._refuse(400, b"Bad Request", "parameter_invalid", msg)

        def _count_header_bytes(self, size: int) -> None:
            self._header_bytes += size
            if self._header_bytes > MAX_HEADER_BYTES and not self._refused:
                self._refuse(
                    431,
                    b"Request Header Fields Too Large",
                    "request_too_large",
                    f"The request's headers are larger than {MAX_HEADER_BYTES} bytes",
                )

        # A deadline is a time to compare with, set and cleared twice a request; a timer is made only when
        # none would look at it soon enough, and finding the deadline moved or gone it sets itself again
        # or ends. Making and cancelling a timer at each stage of every request cost more than the rest
        # of these guards.

        def _arm(self, seconds: float) -> None:
            self._due = self.loop.time() + seconds
            if self._deadline is None or self._deadline.when() > self._due:
                if self._deadline is not None:
                    self._deadline.cancel()
                self._deadline = self.loop.call_at(self._due, self._too_slow)

        def _disarm(self) -> None:
            self._due = None

        def _awaited(self) -> bool:
            """Whether the deadline is yet to come (the timer set for it again); False if it has passed,
            or if nothing is awaited any more."""
            self._deadline = None
            if self._due is None:
                return True
            # A timer may run a little early (uvloop counts in milliseconds): that close counts as due.
            if self.loop.time() + READ_BEFORE_REFUSING < self._due:
                self._deadline = self.loop.call_at(self._due, self._too_slow)
                return True
            return False

        def _too_slow(self) -> None:
            if self._awaited():
                return
            # A busy loop can come to a deadline before it reads bytes that arrived in time (uvloop runs
            # due timers before it polls the sockets): refuse only after one more poll. A timer of 0 would
            # run before that poll (uvloop makes it a call_soon); any positive delay runs after it.
            self._deadline = self.loop.call_later(READ_BEFORE_REFUSING, self._still_too_slow)

        def _still_too_slow(self) -> None:
            if self._awaited():
                return
            self._due = None
            if self.cycle is not None and not self.cycle.response_complete and self.cycle.response_started:
                self.transport.close()  # an answer is on its way: nothing well-formed can be added
                return
            self._refuse(
                408,
                b"Request Timeout",
                "request_timeout",
                "The request was not received in time (--header-timeout, --body-timeout)",
            )

        def _refuse(self, status: int, reason: bytes, code: str, message: str) -> None:
            self._refused = True
            self._disarm()
            if self.cycle is not None and not self.cycle.response_complete:
                # A request already handed to the app: it sees the client gone, and its answer is dropped.
                self.cycle.disconnected = True
                self.cycle.message_event.set()
            if not self.transport.is_closing():
                self.transport.write(refusal(status, reason, code, message))
                self.transport.close()


def protocol_for(settings: Settings) -> Any:
    """The HTTP protocol class uvicorn should use for these settings."""
    if HttpToolsProtocol is None:
        return "auto"
    return type(
        "SandboxProtocol",
        (GuardedProtocol,),
        {
            "header_timeout": settings.header_timeout,
            "body_timeout": settings.body_timeout,
            "max_connections": settings.max_connections,
        },
    )


def server_config(app: Any, settings: Settings, **overrides: Any) -> uvicorn.Config:
    options: dict[str, Any] = {
        "host": settings.host,
        "port": settings.port,
        "log_level": "warning",
        "http": protocol_for(settings),
        "timeout_keep_alive": settings.keep_alive_timeout,
        # An open inspector page holds a stream of the journal: stop waiting for it soon after Ctrl-C.
        "timeout_graceful_shutdown": 2,
        # Without httptools, uvicorn's own limit (answered in plain text) is the one there is.
        "limit_concurrency": None if HttpToolsProtocol is not None else settings.max_connections,
    }
    options.update(overrides)
    return uvicorn.Config(app, **options)


def run(app: Any, settings: Settings) -> None:
    uvicorn.Server(server_config(app, settings)).run()
