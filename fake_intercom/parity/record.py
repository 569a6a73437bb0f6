"""The recording proxy: clients talk to it as to Intercom; it forwards each request upstream, answers
with what upstream answered, and writes the exchange to a cassette (secrets removed, personal data
redacted on request).

Credentials: a request without an Authorization header is sent with the proxy's token (`--token`);
one carrying that token, or any other credentials, is forwarded as it is, so a check that a bad
token is refused records Intercom's refusal. Without `--token`, the first bearer token a client
presents counts as the workspace's. The cassette keeps only which of these a request carried.
"""

import contextlib
import threading
import time
from collections.abc import AsyncIterator
from typing import IO
from urllib.parse import parse_qsl

import httpx
from starlette.applications import Starlette
from starlette.requests import Request as HTTPRequest
from starlette.responses import Response as HTTPResponse
from starlette.routing import Route

from fake_intercom.errors import error_response, new_request_id
from fake_intercom.parity.cassette import (
    REQUEST_HEADERS,
    RESPONSE_HEADERS,
    Auth,
    Exchange,
    Request,
    Response,
    dump_line,
    encode_content,
    pick_headers,
)
from fake_intercom.parity.redact import Redactor

METHODS = ["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"]
# Hop-by-hop headers, and those httpx sets itself for the upstream connection.
NOT_FORWARDED = frozenset(
    {
        "host",
        "content-length",
        "connection",
        "keep-alive",
        "transfer-encoding",
        "te",
        "trailer",
        "upgrade",
        "proxy-authorization",
        "proxy-connection",
        "accept-encoding",
    }
)
# The content the client gets back is already decoded, so its encoding and length headers go too.
NOT_RETURNED = frozenset(
    {"content-encoding", "content-length", "transfer-encoding", "connection", "keep-alive"}
)
# Credentials shorter than this are not secrets worth scrubbing from text (and would mangle it).
MIN_SCRUBBED_SECRET = 8


class Recorder:
    """Numbers exchanges as they complete, redacts them and appends them to the cassette."""

    def __init__(self, out: IO[str], redactor: Redactor, token: str | None = None) -> None:
        self.out = out
        self.redactor = redactor
        self.token = token
        self.count = 0
        self._lock = threading.Lock()
        if token:
            redactor.add_secret(token)

    def credentials(self, authorization: str | None) -> tuple[str | None, Auth]:
        """What to send upstream in Authorization, and how the cassette names it."""
        if authorization is None:
            return (f"Bearer {self.token}", "token") if self.token else (None, "none")
        if not authorization.strip():
            return authorization, "empty"
        scheme, _, credential = authorization.partition(" ")
        credential = credential.strip()
        if len(credential) >= MIN_SCRUBBED_SECRET:
            self.redactor.add_secret(credential)
        if scheme.lower() == "bearer" and credential:
            if self.token is None:
                self.token = credential
            if credential == self.token:
                return authorization, "token"
        return authorization, "other"

    def write(self, exchange: Exchange) -> Exchange:
        with self._lock:
            self.count += 1
            exchange.n = self.count
            self.redactor.redact(exchange)
            self.out.write(dump_line(exchange))
            self.out.flush()
        return exchange


def recording_proxy(
    upstream: str,
    recorder: Recorder,
    *,
    transport: httpx.AsyncBaseTransport | None = None,
    timeout: float = 60.0,
) -> Starlette:
    """An ASGI app forwarding every request to `upstream` and recording it with `recorder`.
    `transport` replaces the network (the sandbox in-process, in tests)."""
    client = httpx.AsyncClient(base_url=upstream.rstrip("/"), transport=transport, timeout=timeout)

    async def forward(request: HTTPRequest) -> HTTPResponse:
        at = time.time()
        body = await request.body()
        authorization, auth = recorder.credentials(request.headers.get("authorization"))
        headers = [
            (name, value)
            for name, value in request.headers.items()
            if name not in NOT_FORWARDED and name != "authorization"
        ]
        if authorization is not None:
            headers.append(("authorization", authorization))
        query = request.scope.get("query_string", b"").decode("latin-1")
        url = request.url.path + (f"?{query}" if query else "")
        try:
            answer = await client.request(request.method, url, headers=headers, content=body)
        except httpx.HTTPError as error:
            return error_response(
                502,
                "bad_gateway",
                f"The recording proxy could not reach {upstream}: {error}",
                new_request_id(),
            )
        recorder.write(
            Exchange(
                n=0,
                at=at,
                request=Request(
                    method=request.method,
                    path=request.url.path,
                    query=parse_qsl(query, keep_blank_values=True),
                    auth=auth,
                    headers=pick_headers(request.headers.items(), REQUEST_HEADERS),
                    content=encode_content(body, request.headers.get("content-type")),
                ),
                response=Response(
                    status=answer.status_code,
                    headers=pick_headers(answer.headers.items(), RESPONSE_HEADERS),
                    content=encode_content(answer.content, answer.headers.get("content-type")),
                ),
            )
        )
        returned = {name: value for name, value in answer.headers.items() if name.lower() not in NOT_RETURNED}
        return HTTPResponse(answer.content, status_code=answer.status_code, headers=returned)

    @contextlib.asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        yield
        await client.aclose()

    app = Starlette(routes=[Route("/{path:path}", forward, methods=METHODS)], lifespan=lifespan)
    app.state.recorder = recorder
    app.state.client = client
    return app
