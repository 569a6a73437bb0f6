"""The request pipeline in front of every Intercom route, in order: request id, the Host check, the body
limit, bearer token, request journal, IP allowlist, rate limit, version, injected faults; after a write,
webhook dispatch. The control plane gets the Host check, the body limit and its own checks (no
cross-origin request, JSON bodies only) instead of a bearer token.

A plain ASGI middleware rather than `BaseHTTPMiddleware`: it runs on every request and must stay cheap,
so each stage costs a dictionary lookup when it has nothing to do.
"""

import asyncio
import math
import secrets
import time
from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any, Protocol

import orjson

from contracts.versions import ALL_VERSIONS
from fake_intercom.addresses import Network, allows
from fake_intercom.errors import (
    IntercomError,
    cross_origin_refused,
    error_body,
    forbidden,
    host_refused,
    intercom_version_invalid,
    missing_authorization,
    new_request_id,
    rate_limit_exceeded,
    request_too_large,
    token_revoked,
    unauthorized,
    unsupported_media_type,
)
from fake_intercom.faults import ConnectionDropped, Fault, Faults
from fake_intercom.journal import Entry, Journal, recorded_headers
from fake_intercom.settings import MIB, is_loopback_host
from fake_intercom.store import Store, Workspace
from fake_intercom.webhooks import Webhooks

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]
Headers = list[tuple[bytes, bytes]]

# Paths that are not Intercom's REST API and so take no bearer token.
CONTROL_PREFIX = "/_sandbox"
OPEN_PREFIXES = (CONTROL_PREFIX, "/oauth", "/auth/eagle/token", "/docs", "/redoc", "/openapi.json")
# Requests the control plane sends through the API on a workspace's behalf (seeding from records) carry
# this header with the gateway's own key: they are not the integration's traffic, so they skip the rate
# limit, faults and journal.
INTERNAL_HEADER = b"x-fake-intercom-internal"
READ_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
WORKSPACE_HEADER = b"x-sandbox-workspace"
ALLOWLIST_PATH = "/ip_allowlist"


class RateLimiter:
    """Intercom's per-minute limit as it enforces it: in 10-second windows of a sixth of the limit each
    (10,000 a minute is 1,667 every 10 seconds, FIDELITY §6.2), counted per workspace. `X-RateLimit-*`
    report the current window: its allowance, what is left of it, and when the next one starts."""

    WINDOW_SECONDS = 10

    def __init__(self, limit_per_minute: int, clock: Callable[[], float] = time.time) -> None:
        self.clock = clock
        self.limit_per_minute = limit_per_minute
        self.limit = math.ceil(limit_per_minute * self.WINDOW_SECONDS / 60)
        self._windows: dict[str, tuple[int, int]] = {}

    def _current(self, key: str) -> tuple[int, int]:
        window_start = int(self.clock() // self.WINDOW_SECONDS * self.WINDOW_SECONDS)
        start, used = self._windows.get(key, (window_start, 0))
        return (window_start, 0) if start != window_start else (start, used)

    def hit(self, key: str) -> tuple[bool, int, int]:
        """Count one request; return (allowed, remaining, reset epoch seconds)."""
        start, used = self._current(key)
        allowed = used < self.limit
        if allowed:
            used += 1
        self._windows[key] = (start, used)
        return allowed, max(self.limit - used, 0), start + self.WINDOW_SECONDS

    def peek(self, key: str) -> tuple[int, int]:
        """(remaining, reset) of the window, without counting a request."""
        start, used = self._current(key)
        return max(self.limit - used, 0), start + self.WINDOW_SECONDS

    def headers(self, remaining: int, reset: int) -> list[tuple[bytes, bytes]]:
        return [
            (b"x-ratelimit-limit", str(self.limit).encode()),
            (b"x-ratelimit-remaining", str(remaining).encode()),
            (b"x-ratelimit-reset", str(reset).encode()),
        ]

    def forget(self, key: str) -> None:
        self._windows.pop(key, None)


class UnknownTokens(Protocol):
    """Workspaces for bearer tokens nobody made (`--accept-any-token`)."""

    full_message: str

    def provision(self, token: str) -> Workspace | None: ...

    def touch(self, workspace_id: str) -> None: ...


# A workspace id -> the networks it accepts requests from, or None while its IP allowlist is disabled.
AllowlistReader = Callable[[str], list[Network] | None]


class Gateway:
    def __init__(
        self,
        app: ASGIApp,
        store: Store,
        limiter: RateLimiter,
        faults: Faults | None = None,
        journal: Journal | None = None,
        webhooks: Webhooks | None = None,
        unknown_token: UnknownTokens | None = None,
        internal_key: bytes | None = None,
        max_body_bytes: int = 4 * MIB,
        allowed_hosts: tuple[str, ...] = (),
        allowlist: AllowlistReader | None = None,
    ) -> None:
        self.app = app
        self.store = store
        self.limiter = limiter
        self.faults = faults
        self.journal = journal
        self.webhooks = webhooks
        self.unknown_token = unknown_token
        self.internal_key = internal_key or secrets.token_hex(16).encode()
        self.max_body_bytes = max_body_bytes
        self.allowed_hosts = frozenset(host.lower() for host in allowed_hosts)
        # Host header values and server addresses already judged, so each costs one lookup after the first.
        self._good_hosts: set[bytes] = set()
        self._loopback_servers: dict[str, bool] = {}
        self.allowlist = allowlist
        # Per workspace, its allowed networks while its IP allowlist is enabled, else None: read once,
        # forgotten after a write to the allowlist or when the store replaces content wholesale.
        self._allowlists: dict[str, list[Network] | None] = {}
        self._allowlists_generation = store.generation

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        request_id = new_request_id()
        state = scope.setdefault("state", {})
        state["request_id"] = request_id
        headers: Headers = [(b"x-request-id", request_id.encode())]
        request_headers = dict(scope["headers"])
        refusal = self._refusal(scope, request_headers)
        if refusal is not None:
            await _send_error(send, refusal, request_id, headers)
            return
        if b"content-length" not in request_headers and scope["method"] not in READ_METHODS:
            # A body of unknown length (chunked) is read here, so that its size is known before any route
            # starts: one larger than the limit is refused, not half-read.
            body = await _read_body(receive, self.max_body_bytes)
            if body is None:
                await _send_error(send, request_too_large(self.max_body_bytes), request_id, headers)
                return
            receive = _replaying(body, receive)
        if scope["path"].startswith(OPEN_PREFIXES):
            try:
                await self.app(scope, receive, _adding_headers(send, headers))
            finally:
                # The control plane writes too (seeding, the clock waking conversations...).
                self._dispatch(scope["method"])
            return

        workspace = None
        refused: IntercomError | None = None  # without another reason: unauthorized
        scheme, _, token = request_headers.get(b"authorization", b"").decode("latin-1").strip().partition(" ")
        token = token.strip()
        if not scheme or (scheme.lower() == "bearer" and not token):
            refused = missing_authorization()
        elif scheme.lower() == "bearer":
            workspace = self.store.workspace_for_token(token)
            if workspace is None and self.store.is_revoked(token):
                refused = token_revoked()
            elif self.unknown_token is not None:
                if workspace is None:
                    workspace = self.unknown_token.provision(token)
                    if workspace is None:
                        refused = unauthorized(self.unknown_token.full_message)
                    else:  # the first answer says which workspace the new token got
                        headers.append((WORKSPACE_HEADER, workspace.id.encode()))
                else:
                    self.unknown_token.touch(workspace.id)
        if workspace is not None and workspace.id in self.store.in_steps:
            await self.store.settled(workspace.id)
            workspace = self.store.workspace(workspace.id)  # the result, or None if it was deleted
        if workspace is None:
            # Refused requests carry the rate-limit headers too (FIDELITY §1.3), not counted: a caller
            # without a workspace has no budget to spend.
            headers += self.limiter.headers(*self.limiter.peek(""))
            await _send_error(send, refused or unauthorized(), request_id, headers)
            return
        internal = request_headers.get(INTERNAL_HEADER) == self.internal_key
        method = scope["method"]
        entry = None
        if self.journal is not None and not internal:
            entry = self.journal.start(
                workspace.id,
                request_id,
                time.time(),
                self.store.now(workspace),
                method,
                scope["path"],
                scope.get("query_string", b""),
                token=token,
                headers=recorded_headers(request_headers),
            )
            receive = _recording_body(receive, self.journal, entry)
            send = _recording_response(send, self.journal, entry)

        if not internal:
            networks = self._allowlist(workspace.id)
            if networks is not None:
                client = scope.get("client")
                address = client[0] if client else ""
                if not allows(networks, address):
                    await _send_error(
                        send,
                        forbidden(
                            f"Your IP ({address or 'unknown'}) is not on this workspace's IP allowlist"
                        ),
                        request_id,
                        headers,
                    )
                    return

        if not internal:
            allowed, remaining, reset = self.limiter.hit(workspace.id)
            headers += self.limiter.headers(remaining, reset)
            if not allowed:
                retry_after = max(math.ceil(reset - self.limiter.clock()), 1)
                headers.append((b"retry-after", str(retry_after).encode()))
                if entry is not None:
                    entry.injected = True
                    await _drain_body(receive)
                await _send_error(send, rate_limit_exceeded(), request_id, headers)
                return

        version = request_headers.get(b"intercom-version", b"").decode("latin-1").strip()
        if not version:
            version = workspace.default_version
        elif version not in ALL_VERSIONS:
            await _send_error(
                send,
                intercom_version_invalid(f"The requested version could not be found: {version}"),
                request_id,
                headers,
            )
            return

        if self.faults is not None and not internal:
            fault = self.faults.match(workspace.id, method, scope["path"])
            if fault is not None:
                if entry is not None:
                    entry.fault = fault.id
                if await self._inject(fault, receive, send, request_id, headers, entry):
                    return

        state["workspace"] = workspace
        state["version"] = version
        try:
            await self.app(scope, receive, _adding_headers(send, headers))
        finally:
            if entry is not None:
                route = scope.get("route")
                entry.operation_id = getattr(route, "operation_id", None)
                entry.duration_ms = (time.time() - entry.at) * 1000
            if method not in READ_METHODS and scope["path"] == ALLOWLIST_PATH:
                self._allowlists.pop(workspace.id, None)
            self._dispatch(method)

    def _refusal(self, scope: Scope, headers: dict[bytes, bytes]) -> IntercomError | None:
        """The error a request gets before anything reads it, or None."""
        host = headers.get(b"host")
        if host is not None and host not in self._good_hosts and self._reached_by_loopback(scope):
            # A request that came in on a loopback address must name this machine: a web page that
            # rebinds its own name to 127.0.0.1 still sends that name.
            name = (
                host.decode("latin-1").rsplit(":", 1)[0]
                if not host.endswith(b"]")
                else host.decode("latin-1")
            )
            if not (is_loopback_host(name) or name.lower() in self.allowed_hosts):
                return host_refused(name)
            if len(self._good_hosts) < 64:
                self._good_hosts.add(host)
        length = headers.get(b"content-length")
        if length is not None and (not length.isdigit() or int(length) > self.max_body_bytes):
            return request_too_large(self.max_body_bytes)
        if scope["path"].startswith(CONTROL_PREFIX):
            if _cross_origin(scope, headers):
                return cross_origin_refused()
            if scope["method"] not in READ_METHODS and not _json_or_empty(headers):
                return unsupported_media_type()
        return None

    def _reached_by_loopback(self, scope: Scope) -> bool:
        """Whether the connection arrived on a loopback address of this machine (an in-process call has
        no socket: its `server` is the URL's host name)."""
        server = scope.get("server")
        if not server:
            return False
        address = str(server[0])
        known = self._loopback_servers.get(address)
        if known is None:
            known = is_loopback_host(address) and address != "localhost"
            if len(self._loopback_servers) < 64:
                self._loopback_servers[address] = known
        return known

    def _allowlist(self, workspace_id: str) -> list[Network] | None:
        """The networks the workspace accepts requests from, or None when its allowlist is disabled."""
        if self._allowlists_generation != self.store.generation:
            self._allowlists.clear()
            self._allowlists_generation = self.store.generation
        if workspace_id in self._allowlists:
            return self._allowlists[workspace_id]
        networks = self.allowlist(workspace_id) if self.allowlist is not None else None
        self._allowlists[workspace_id] = networks
        return networks

    def _dispatch(self, method: str) -> None:
        # After the route's transaction has committed: the outbox holds only what really happened.
        if method not in READ_METHODS and self.webhooks is not None and self.webhooks.active:
            self.webhooks.dispatch()

    async def _inject(
        self,
        fault: Fault,
        receive: Receive,
        send: Send,
        request_id: str,
        headers: Headers,
        entry: Entry | None,
    ) -> bool:
        """Act out `fault`; True when it answered the request, False when the route should answer."""
        spec = fault.spec
        if spec.latency_ms:
            await asyncio.sleep(spec.latency_ms / 1000)
        if spec.action == "delay":
            return False
        if entry is not None:
            entry.injected = True
            # The journal shows what the client sent, even when no route read it.
            await _drain_body(receive)
            entry.duration_ms = (time.time() - entry.at) * 1000
        if spec.action == "drop":
            # Start a response and never finish it: a server closes the connection mid-answer.
            await send(
                {"type": "http.response.start", "status": 200, "headers": [(b"content-length", b"1024")]}
            )
            if entry is not None:
                entry.status = 0  # no answer reached the client
            raise ConnectionDropped()
        error = fault.error()
        if spec.action == "rate_limit":
            reset = int(time.time()) + spec.retry_after
            headers = [
                *(header for header in headers if not header[0].startswith(b"x-ratelimit-")),
                (b"x-ratelimit-limit", str(self.limiter.limit).encode()),
                (b"x-ratelimit-remaining", b"0"),
                (b"x-ratelimit-reset", str(reset).encode()),
                (b"retry-after", str(spec.retry_after).encode()),
            ]
        if spec.body is not None:
            await _send_json(send, error.status, orjson.dumps(spec.body), headers)
        else:
            await _send_error(send, error, request_id, headers)
        return True


def _cross_origin(scope: Scope, headers: dict[bytes, bytes]) -> bool:
    """Whether a browser sent this request from a page of another origin. Clients that are not
    browsers (httpx, curl, the Sandbox client) send neither header; the sandbox's own /docs page is
    same-origin."""
    site = headers.get(b"sec-fetch-site")
    if site is not None and site not in (b"same-origin", b"none"):
        return True
    origin = headers.get(b"origin")
    if origin is None:
        return False
    own = f"{scope.get('scheme', 'http')}://".encode() + headers.get(b"host", b"")
    return origin.lower() != own.lower()


def _json_or_empty(headers: dict[bytes, bytes]) -> bool:
    """A control-plane write carries JSON, or nothing at all (no body, no Content-Type): a form or
    text/plain body is what a web page can send without asking first."""
    content_type = headers.get(b"content-type")
    if content_type is None:
        return headers.get(b"content-length", b"0") == b"0" and b"transfer-encoding" not in headers
    media_type = content_type.split(b";", 1)[0].strip().lower()
    return media_type == b"application/json" or (
        media_type.startswith(b"application/") and media_type.endswith(b"+json")
    )


async def _read_body(receive: Receive, limit: int) -> bytes | None:
    """The whole body, or None once it grows past `limit`."""
    chunks: list[bytes] = []
    size = 0
    while True:
        message = await receive()
        if message["type"] != "http.request":
            break
        chunk = message.get("body", b"")
        size += len(chunk)
        if size > limit:
            return None
        chunks.append(chunk)
        if not message.get("more_body", False):
            break
    return b"".join(chunks)


def _replaying(body: bytes, receive: Receive) -> Receive:
    """`receive` for a body already read: the body once, then whatever the connection says next."""
    sent = False

    async def replay() -> Message:
        nonlocal sent
        if sent:
            return await receive()
        sent = True
        return {"type": "http.request", "body": body, "more_body": False}

    return replay


async def _drain_body(receive: Receive) -> None:
    while True:
        message = await receive()
        if message["type"] != "http.request" or not message.get("more_body"):
            return


def _recording_body(receive: Receive, journal: Journal, entry: Entry) -> Receive:
    async def wrapped() -> Message:
        message = await receive()
        if message["type"] == "http.request":
            journal.record_request(entry, message.get("body", b""))
        return message

    return wrapped


def _recording_response(send: Send, journal: Journal, entry: Entry) -> Send:
    async def wrapped(message: Message) -> None:
        if message["type"] == "http.response.start":
            entry.status = message["status"]
        elif message["type"] == "http.response.body":
            journal.record_response(entry, message.get("body", b""))
        await send(message)

    return wrapped


def _adding_headers(send: Send, headers: Headers) -> Send:
    async def wrapped(message: Message) -> None:
        if message["type"] == "http.response.start":
            message["headers"] = [*message.get("headers", []), *headers]
        await send(message)

    return wrapped


async def _send_json(send: Send, status: int, body: bytes, headers: Headers) -> None:
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


async def _send_error(send: Send, error: IntercomError, request_id: str, headers: Headers) -> None:
    await _send_json(send, error.status, error_body(error.code, error.message, request_id), headers)
