"""`IntercomClient` and `AsyncIntercomClient`: one design over httpx, sync and async.

Both add auth and `Intercom-Version`, retry what is safe to retry, turn error answers into typed
`IntercomAPIError`s and walk Intercom's three pagination styles. Everything that does not do I/O
(configuration, retry decisions, pagination state) lives in shared code, so the two differ only
in `await`.
"""

import asyncio
import time
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator, Mapping
from typing import Any

import httpx

from connector.errors import (
    ConnectorTimeoutError,
    TransportError,
    error_from_response,
    retry_after_seconds,
)

REGIONS = {
    "us": "https://api.intercom.io",
    "eu": "https://api.eu.intercom.io",
    "au": "https://api.au.intercom.io",
}
DEFAULT_BASE_URL = REGIONS["us"]
DEFAULT_VERSION = "2.15"
DEFAULT_TIMEOUT = 30.0
IDEMPOTENT_METHODS = frozenset({"GET", "HEAD", "PUT", "DELETE", "OPTIONS"})
USER_AGENT = "fake-intercom-connector/0.1"

Token = str | Callable[[], str] | None
Params = Mapping[str, Any] | None


def resolve_base_url(base_url: str | None = None, region: str | None = None) -> str:
    """`base_url` wins (the fake, a proxy...); otherwise the region's host; otherwise the US one."""
    if base_url:
        return base_url.rstrip("/")
    if region is None:
        return DEFAULT_BASE_URL
    try:
        return REGIONS[region.lower()]
    except KeyError:
        raise ValueError(f"Unknown Intercom region {region!r}; expected one of {sorted(REGIONS)}") from None


def retryable(method: str, idempotent: bool | None, response: httpx.Response | None = None) -> bool:
    """Whether the same request may be sent again: the rule the client's own retries follow.

    A 429 was not processed, so anything may be repeated (after the wait Intercom asks for). A 5xx or
    a lost connection may have been processed, so only a request that can be repeated without doing
    twice what it does: GET, PUT, DELETE..., or one the caller declares `idempotent` (a search POST).
    """
    if response is not None and response.status_code == 429:
        return True
    if response is not None and response.status_code < 500:
        return False
    return idempotent if idempotent is not None else method.upper() in IDEMPOTENT_METHODS


def _clean(params: Params) -> dict[str, Any] | None:
    """Drop unset query parameters, so callers can pass optional values straight through."""
    if not params:
        return None
    return {key: value for key, value in params.items() if value is not None}


def parse_body(response: httpx.Response) -> Any:
    if not response.content:
        return None
    try:
        return response.json()
    except ValueError:
        return response.text


class _Walk:
    """The state of one paginated walk: which request comes next, and where the items are."""

    def __init__(self, method: str, path: str, items_key: str, idempotent: bool | None = None) -> None:
        self.method = method
        self.path = path
        self.items_key = items_key
        self.idempotent = idempotent

    def request(self) -> dict[str, Any]:
        raise NotImplementedError

    def advance(self, body: Any) -> bool:
        """Move to the next page; False when `body` was the last one."""
        raise NotImplementedError

    def items(self, body: Any) -> list[Any]:
        items = body.get(self.items_key) if isinstance(body, dict) else None
        return items if isinstance(items, list) else []

    def call_args(self) -> dict[str, Any]:
        return {"method": self.method, "path": self.path, "idempotent": self.idempotent, **self.request()}


def _next_cursor(body: Any) -> str | None:
    pages = body.get("pages") if isinstance(body, dict) else None
    following = pages.get("next") if isinstance(pages, dict) else None
    cursor = following.get("starting_after") if isinstance(following, dict) else None
    return cursor or None


class _CursorWalk(_Walk):
    """GET lists: `pages.next.starting_after` goes back as the `starting_after` query parameter."""

    def __init__(self, path: str, params: Params, items_key: str) -> None:
        super().__init__("GET", path, items_key)
        self.params = dict(params or {})
        self.seen: set[str] = set()

    def request(self) -> dict[str, Any]:
        return {"params": self.params}

    def advance(self, body: Any) -> bool:
        cursor = _next_cursor(body)
        # A cursor seen before would loop forever; treat it as the end.
        if cursor is None or cursor in self.seen or not self.items(body):
            return False
        self.seen.add(cursor)
        self.params["starting_after"] = cursor
        return True


class _SearchWalk(_Walk):
    """Search: the cursor travels inside the POST body's `pagination` (a query-string cursor is ignored)."""

    def __init__(self, path: str, query: Mapping[str, Any], per_page: int | None, items_key: str) -> None:
        # Search has no side effects, so it may be retried like a GET although it is a POST.
        super().__init__("POST", path, items_key, idempotent=True)
        self.query = dict(query)
        self.pagination: dict[str, Any] = {} if per_page is None else {"per_page": per_page}
        self.seen: set[str] = set()

    def request(self) -> dict[str, Any]:
        body: dict[str, Any] = {"query": self.query}
        if self.pagination:
            body["pagination"] = dict(self.pagination)
        return {"json": body}

    def advance(self, body: Any) -> bool:
        cursor = _next_cursor(body)
        if cursor is None or cursor in self.seen or not self.items(body):
            return False
        self.seen.add(cursor)
        self.pagination["starting_after"] = cursor
        return True


class _PageWalk(_Walk):
    """page/per_page lists: ask for page+1 until a page is empty or `pages.next` is gone."""

    def __init__(self, path: str, params: Params, items_key: str, method: str = "GET") -> None:
        super().__init__(method, path, items_key, idempotent=True if method == "POST" else None)
        self.params = dict(params or {})
        self.params.setdefault("page", 1)

    def request(self) -> dict[str, Any]:
        return {"params": self.params}

    def advance(self, body: Any) -> bool:
        pages = body.get("pages") if isinstance(body, dict) else None
        if not self.items(body) or not isinstance(pages, dict) or not pages.get("next"):
            return False
        total_pages = pages.get("total_pages")
        page = int(self.params["page"])
        if isinstance(total_pages, int) and page >= total_pages:
            return False
        self.params["page"] = page + 1
        return True


class _BaseClient:
    """Configuration and every decision that does not need I/O."""

    def __init__(
        self,
        token: Token = None,
        *,
        base_url: str | None = None,
        region: str | None = None,
        intercom_version: str | None = DEFAULT_VERSION,
        timeout: float | httpx.Timeout = DEFAULT_TIMEOUT,
        max_retries: int = 2,
        max_retry_wait: float = 30.0,
        backoff: float = 0.5,
        headers: Mapping[str, str] | None = None,
    ) -> None:
        self.base_url = resolve_base_url(base_url, region)
        self.token = token
        self.intercom_version = intercom_version
        self.timeout = timeout
        self.max_retries = max(0, max_retries)
        self.max_retry_wait = max_retry_wait
        self.backoff = backoff
        self.default_headers = dict(headers or {})

    def _headers(self, extra: Mapping[str, str] | None = None) -> dict[str, str]:
        headers = {"Accept": "application/json", "User-Agent": USER_AGENT, **self.default_headers}
        # A callable token is read on every request, so a refreshed token is picked up without a new client.
        token = self.token() if callable(self.token) else self.token
        if token:
            headers["Authorization"] = f"Bearer {token}"
        if self.intercom_version:
            headers["Intercom-Version"] = self.intercom_version
        headers.update(extra or {})
        return headers

    def _backoff(self, attempt: int) -> float:
        return min(self.backoff * 2**attempt, self.max_retry_wait)

    def _retry_delay(
        self,
        method: str,
        attempt: int,
        idempotent: bool | None,
        response: httpx.Response | None = None,
    ) -> float | None:
        """Seconds to wait before attempt `attempt + 1`, or None to stop.

        A 429 was not processed, so any method may be retried after the wait Intercom asks for.
        5xx and transport errors may have been processed, so only idempotent requests are retried.
        """
        if attempt >= self.max_retries or not retryable(method, idempotent, response):
            return None
        if response is not None and response.status_code == 429:
            asked = retry_after_seconds(response.headers)
            return min(asked, self.max_retry_wait) if asked is not None else self._backoff(attempt)
        return self._backoff(attempt)

    def _send_kwargs(
        self,
        params: Params,
        json: Any,
        headers: Mapping[str, str] | None,
        timeout: float | httpx.Timeout | None,
    ) -> dict[str, Any]:
        kwargs: dict[str, Any] = {"params": _clean(params), "headers": self._headers(headers)}
        if json is not None:
            kwargs["json"] = json
        if timeout is not None:
            kwargs["timeout"] = timeout
        return kwargs

    @staticmethod
    def _transport_error(
        exc: httpx.TransportError, method: str, path: str, idempotent: bool | None = None
    ) -> TransportError:
        what = f"{method} {path}"
        error = (
            ConnectorTimeoutError(f"{what} timed out: {exc}")
            if isinstance(exc, httpx.TimeoutException)
            else TransportError(f"{what} failed: {exc}")
        )
        error.retryable = retryable(method, idempotent)
        return error

    @staticmethod
    def _result(response: httpx.Response, idempotent: bool | None = None) -> Any:
        if response.is_error:
            error = error_from_response(response)
            error.retryable = retryable(response.request.method, idempotent, response)
            raise error
        return parse_body(response)


class IntercomClient(_BaseClient):
    """Synchronous Intercom REST client.

    >>> client = IntercomClient("tok", base_url="http://127.0.0.1:8000")  # the fake, or region="eu"
    >>> client.call("GET", "/me")["type"]  # doctest: +SKIP
    'admin'
    """

    def __init__(
        self,
        token: Token = None,
        *,
        transport: httpx.BaseTransport | None = None,
        http_client: httpx.Client | None = None,
        sleep: Callable[[float], None] = time.sleep,
        event_hooks: Mapping[str, list[Callable[..., Any]]] | None = None,
        **config: Any,
    ) -> None:
        super().__init__(token, **config)
        self._sleep = sleep
        self._owns_http = http_client is None
        self._http = http_client or httpx.Client(
            base_url=self.base_url, transport=transport, timeout=self.timeout, event_hooks=event_hooks
        )

    def request(
        self,
        method: str,
        path: str,
        params: Params = None,
        json: Any = None,
        *,
        headers: Mapping[str, str] | None = None,
        timeout: float | httpx.Timeout | None = None,
        idempotent: bool | None = None,
    ) -> httpx.Response:
        """Send one request (retrying what is safe) and return the final response, error or not."""
        method = method.upper()
        kwargs = self._send_kwargs(params, json, headers, timeout)
        attempt = 0
        while True:
            try:
                response = self._http.request(method, path, **kwargs)
            except httpx.TransportError as exc:
                delay = self._retry_delay(method, attempt, idempotent)
                if delay is None:
                    raise self._transport_error(exc, method, path, idempotent) from exc
            else:
                delay = self._retry_delay(method, attempt, idempotent, response)
                if delay is None:
                    return response
                response.close()
            self._sleep(delay)
            attempt += 1

    def send_unauthenticated(self, method: str, url: str, **kwargs: Any) -> httpx.Response:
        """One request outside the REST API (the OAuth token endpoint): no bearer token, no version, no retry."""
        try:
            return self._http.request(method, url, **kwargs)
        except httpx.TransportError as exc:
            raise self._transport_error(exc, method, url) from exc

    def call(
        self,
        method: str,
        path: str,
        params: Params = None,
        json: Any = None,
        **kwargs: Any,
    ) -> Any:
        """`request`, then the parsed JSON body, or the typed `IntercomAPIError` for an error answer."""
        return self._result(self.request(method, path, params, json, **kwargs), kwargs.get("idempotent"))

    def iter_cursor(self, path: str, params: Params = None, items_key: str = "data") -> Iterator[Any]:
        """Every item of a cursor-paginated GET list (`pages.next.starting_after`)."""
        return self._walk(_CursorWalk(path, params, items_key))

    def iter_search(
        self,
        path: str,
        query: Mapping[str, Any],
        per_page: int | None = None,
        items_key: str = "data",
    ) -> Iterator[Any]:
        """Every hit of a search (`POST /contacts/search`...), the cursor sent in the body's `pagination`."""
        return self._walk(_SearchWalk(path, query, per_page, items_key))

    def iter_pages(
        self, path: str, params: Params = None, items_key: str = "data", method: str = "GET"
    ) -> Iterator[Any]:
        """Every item of a page/per_page list (`GET /companies`, `POST /companies/list`...)."""
        return self._walk(_PageWalk(path, params, items_key, method.upper()))

    def _walk(self, walk: _Walk) -> Iterator[Any]:
        while True:
            body = self.call(**walk.call_args())
            yield from walk.items(body)
            if not walk.advance(body):
                return

    def close(self) -> None:
        if self._owns_http:
            self._http.close()

    def __enter__(self) -> "IntercomClient":
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()


class AsyncIntercomClient(_BaseClient):
    """The asynchronous twin of `IntercomClient`: same arguments, same methods, awaited."""

    def __init__(
        self,
        token: Token = None,
        *,
        transport: httpx.AsyncBaseTransport | None = None,
        http_client: httpx.AsyncClient | None = None,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
        event_hooks: Mapping[str, list[Callable[..., Any]]] | None = None,
        **config: Any,
    ) -> None:
        super().__init__(token, **config)
        self._sleep = sleep
        self._owns_http = http_client is None
        self._http = http_client or httpx.AsyncClient(
            base_url=self.base_url, transport=transport, timeout=self.timeout, event_hooks=event_hooks
        )

    async def request(
        self,
        method: str,
        path: str,
        params: Params = None,
        json: Any = None,
        *,
        headers: Mapping[str, str] | None = None,
        timeout: float | httpx.Timeout | None = None,
        idempotent: bool | None = None,
    ) -> httpx.Response:
        method = method.upper()
        kwargs = self._send_kwargs(params, json, headers, timeout)
        attempt = 0
        while True:
            try:
                response = await self._http.request(method, path, **kwargs)
            except httpx.TransportError as exc:
                delay = self._retry_delay(method, attempt, idempotent)
                if delay is None:
                    raise self._transport_error(exc, method, path, idempotent) from exc
            else:
                delay = self._retry_delay(method, attempt, idempotent, response)
                if delay is None:
                    return response
                await response.aclose()
            await self._sleep(delay)
            attempt += 1

    async def send_unauthenticated(self, method: str, url: str, **kwargs: Any) -> httpx.Response:
        try:
            return await self._http.request(method, url, **kwargs)
        except httpx.TransportError as exc:
            raise self._transport_error(exc, method, url) from exc

    async def call(
        self,
        method: str,
        path: str,
        params: Params = None,
        json: Any = None,
        **kwargs: Any,
    ) -> Any:
        return self._result(
            await self.request(method, path, params, json, **kwargs), kwargs.get("idempotent")
        )

    def iter_cursor(self, path: str, params: Params = None, items_key: str = "data") -> AsyncIterator[Any]:
        return self._walk(_CursorWalk(path, params, items_key))

    def iter_search(
        self,
        path: str,
        query: Mapping[str, Any],
        per_page: int | None = None,
        items_key: str = "data",
    ) -> AsyncIterator[Any]:
        return self._walk(_SearchWalk(path, query, per_page, items_key))

    def iter_pages(
        self, path: str, params: Params = None, items_key: str = "data", method: str = "GET"
    ) -> AsyncIterator[Any]:
        return self._walk(_PageWalk(path, params, items_key, method.upper()))

    async def _walk(self, walk: _Walk) -> AsyncIterator[Any]:
        while True:
            body = await self.call(**walk.call_args())
            for item in walk.items(body):
                yield item
            if not walk.advance(body):
                return

    async def aclose(self) -> None:
        if self._owns_http:
            await self._http.aclose()

    async def __aenter__(self) -> "AsyncIntercomClient":
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.aclose()
