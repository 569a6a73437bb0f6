"""IntercomClient / AsyncIntercomClient over httpx.MockTransport: headers, retries, errors, pagination."""

import asyncio
import json
import time
from collections.abc import Callable

import httpx
import pytest

from connector import (
    AsyncIntercomClient,
    BadRequestError,
    ConflictError,
    ConnectorTimeoutError,
    ForbiddenError,
    IntercomAPIError,
    IntercomClient,
    NotFoundError,
    RateLimitError,
    ServerError,
    TransportError,
    UnauthorizedError,
    UnprocessableEntityError,
)

Handler = Callable[[httpx.Request], httpx.Response]


def error_list(status: int, code: str, message: str, **headers: str) -> httpx.Response:
    body = {"type": "error.list", "request_id": "req-1", "errors": [{"code": code, "message": message}]}
    return httpx.Response(status, json=body, headers=headers)


class Recorder:
    """A MockTransport that answers from a script of responses and remembers every request."""

    def __init__(self, *responses: httpx.Response | Exception) -> None:
        self.responses = list(responses)
        self.requests: list[httpx.Request] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        answer = self.responses.pop(0) if len(self.responses) > 1 else self.responses[0]
        if isinstance(answer, Exception):
            raise answer
        return answer


def make_client(handler: Handler, **options) -> tuple[IntercomClient, list[float]]:
    slept: list[float] = []
    client = IntercomClient(
        "tok",
        base_url="http://intercom.test",
        transport=httpx.MockTransport(handler),
        sleep=slept.append,
        **options,
    )
    return client, slept


def test_sends_auth_version_and_json_headers():
    recorder = Recorder(httpx.Response(200, json={"type": "admin"}))
    client, _ = make_client(recorder, intercom_version="2.14")
    assert client.call("GET", "/me") == {"type": "admin"}
    headers = recorder.requests[0].headers
    assert headers["authorization"] == "Bearer tok"
    assert headers["intercom-version"] == "2.14"
    assert headers["accept"] == "application/json"


def test_default_version_and_callable_token_read_per_request():
    tokens = iter(["first", "second"])
    recorder = Recorder(httpx.Response(200, json={}))
    client = IntercomClient(
        lambda: next(tokens), base_url="http://x", transport=httpx.MockTransport(recorder)
    )
    client.call("GET", "/me")
    client.call("GET", "/me")
    assert [r.headers["authorization"] for r in recorder.requests] == ["Bearer first", "Bearer second"]
    assert recorder.requests[0].headers["intercom-version"] == "2.15"


@pytest.mark.parametrize(
    ("region", "host"),
    [
        (None, "api.intercom.io"),
        ("us", "api.intercom.io"),
        ("eu", "api.eu.intercom.io"),
        ("AU", "api.au.intercom.io"),
    ],
)
def test_regions(region, host):
    recorder = Recorder(httpx.Response(200, json={}))
    IntercomClient("t", region=region, transport=httpx.MockTransport(recorder)).call("GET", "/me")
    assert recorder.requests[0].url.host == host


def test_base_url_wins_over_region_and_keeps_a_prefix():
    recorder = Recorder(httpx.Response(200, json={}))
    client = IntercomClient(
        "t", base_url="http://h:1/intercom/", region="eu", transport=httpx.MockTransport(recorder)
    )
    client.call("GET", "/contacts", params={"per_page": 5, "starting_after": None})
    assert str(recorder.requests[0].url) == "http://h:1/intercom/contacts?per_page=5"


def test_unknown_region_is_refused():
    with pytest.raises(ValueError, match="region"):
        IntercomClient("t", region="mars")


def test_429_then_200_waits_retry_after():
    recorder = Recorder(
        error_list(429, "rate_limit_exceeded", "Rate Limit Exceeded", **{"Retry-After": "3"}),
        httpx.Response(200, json={"ok": True}),
    )
    client, slept = make_client(recorder)
    assert client.call("POST", "/contacts", json={"email": "a@b.c"}) == {"ok": True}
    assert slept == [3.0]
    assert len(recorder.requests) == 2


def test_429_honours_x_ratelimit_reset_capped():
    reset = str(int(time.time()) + 3600)
    recorder = Recorder(
        error_list(429, "rate_limit_exceeded", "x", **{"X-RateLimit-Reset": reset}),
        httpx.Response(200, json={}),
    )
    client, slept = make_client(recorder, max_retry_wait=7.5)
    client.call("GET", "/contacts")
    assert slept == [7.5]


def test_429_exhausted_raises_rate_limit_error_with_retry_after():
    recorder = Recorder(error_list(429, "rate_limit_exceeded", "Rate Limit Exceeded", **{"Retry-After": "2"}))
    client, slept = make_client(recorder, max_retries=2)
    with pytest.raises(RateLimitError) as caught:
        client.call("GET", "/contacts")
    assert caught.value.retry_after == 2.0
    assert caught.value.retryable
    assert len(recorder.requests) == 3
    assert slept == [2.0, 2.0]


def test_post_is_not_retried_on_5xx():
    recorder = Recorder(error_list(500, "server_error", "boom"), httpx.Response(200, json={}))
    client, slept = make_client(recorder)
    with pytest.raises(ServerError):
        client.call("POST", "/contacts", json={})
    assert len(recorder.requests) == 1
    assert slept == []


@pytest.mark.parametrize("method", ["GET", "PUT", "DELETE"])
def test_idempotent_methods_are_retried_on_5xx_with_backoff(method):
    recorder = Recorder(httpx.Response(502), httpx.Response(503), httpx.Response(200, json={"ok": 1}))
    client, slept = make_client(recorder, backoff=0.25)
    assert client.call(method, "/contacts/1") == {"ok": 1}
    assert len(recorder.requests) == 3
    assert slept == [0.25, 0.5]


def test_search_walk_may_retry_its_post():
    recorder = Recorder(httpx.Response(503), httpx.Response(200, json={"data": [1], "pages": {}}))
    client, _ = make_client(recorder)
    assert list(
        client.iter_search("/contacts/search", {"field": "role", "operator": "=", "value": "user"})
    ) == [1]
    assert len(recorder.requests) == 2


def test_transport_errors_retry_get_then_raise():
    recorder = Recorder(httpx.ConnectError("refused"))
    client, slept = make_client(recorder, max_retries=1)
    with pytest.raises(TransportError) as caught:
        client.call("GET", "/me")
    assert not isinstance(caught.value, ConnectorTimeoutError)
    assert len(recorder.requests) == 2
    assert len(slept) == 1


def test_transport_errors_do_not_retry_post():
    recorder = Recorder(httpx.ReadError("reset"))
    client, _ = make_client(recorder)
    with pytest.raises(TransportError):
        client.call("POST", "/contacts", json={})
    assert len(recorder.requests) == 1


def test_timeout_is_a_timeout_error():
    recorder = Recorder(httpx.ReadTimeout("slow"))
    client, _ = make_client(recorder, max_retries=0)
    with pytest.raises(TimeoutError) as caught:
        client.call("GET", "/me")
    assert isinstance(caught.value, ConnectorTimeoutError)


@pytest.mark.parametrize(
    ("status", "cls"),
    [
        (400, BadRequestError),
        (401, UnauthorizedError),
        (403, ForbiddenError),
        (404, NotFoundError),
        (409, ConflictError),
        (422, UnprocessableEntityError),
        (429, RateLimitError),
        (500, ServerError),
        (503, ServerError),
        (418, IntercomAPIError),
    ],
)
def test_error_list_becomes_typed_error(status, cls):
    recorder = Recorder(error_list(status, "some_code", "Something wrong"))
    client, _ = make_client(recorder, max_retries=0)
    with pytest.raises(cls) as caught:
        client.call("POST", "/x", json={})
    error = caught.value
    assert type(error) is cls
    assert (error.status_code, error.code, error.message, error.request_id) == (
        status,
        "some_code",
        "Something wrong",
        "req-1",
    )
    assert error.errors == [{"code": "some_code", "message": "Something wrong"}]
    assert error.body["type"] == "error.list"
    assert (error.http_status, error.error_code) == (status, "some_code")


def test_error_without_error_list_keeps_text_and_header_request_id():
    recorder = Recorder(httpx.Response(404, text="nope", headers={"X-Request-Id": "hdr-1"}))
    client, _ = make_client(recorder)
    with pytest.raises(NotFoundError) as caught:
        client.call("GET", "/x")
    assert (caught.value.code, caught.value.message, caught.value.request_id) == (None, "nope", "hdr-1")


def test_error_with_field_map_body():
    recorder = Recorder(httpx.Response(422, json={"errors": {"rating": "is invalid"}}))
    client, _ = make_client(recorder)
    with pytest.raises(UnprocessableEntityError) as caught:
        client.call("POST", "/fin/csat", json={})
    assert caught.value.errors == [{"code": "validation_error", "field": "rating", "message": "is invalid"}]


def test_request_returns_error_responses_untouched():
    recorder = Recorder(error_list(404, "not_found", "Resource Not Found"))
    client, _ = make_client(recorder)
    response = client.request("GET", "/tags/1")
    assert response.status_code == 404
    assert response.json()["errors"][0]["code"] == "not_found"


def test_empty_body_is_none():
    client, _ = make_client(Recorder(httpx.Response(202)))
    assert client.call("POST", "/x") is None


def cursor_pages(request: httpx.Request) -> httpx.Response:
    """Three pages of two items: cursor `c1`, `c2`, then no next."""
    after = request.url.params.get("starting_after")
    page = {None: 0, "c1": 1, "c2": 2}[after]
    body = {"type": "list", "data": [page * 2, page * 2 + 1], "pages": {"type": "pages", "page": page + 1}}
    if page < 2:
        body["pages"]["next"] = {"page": page + 2, "starting_after": f"c{page + 1}"}
    return httpx.Response(200, json=body)


def test_iter_cursor_follows_starting_after():
    requests: list[httpx.Request] = []

    def handler(request):
        requests.append(request)
        return cursor_pages(request)

    client, _ = make_client(handler)
    assert list(client.iter_cursor("/contacts", {"per_page": 2})) == [0, 1, 2, 3, 4, 5]
    assert [r.url.params.get("starting_after") for r in requests] == [None, "c1", "c2"]
    assert all(r.url.params["per_page"] == "2" for r in requests)


def test_iter_cursor_stops_on_a_repeated_cursor():
    body = {"data": [1], "pages": {"next": {"starting_after": "same"}}}
    recorder = Recorder(httpx.Response(200, json=body))
    client, _ = make_client(recorder)
    assert list(client.iter_cursor("/contacts")) == [1, 1]
    assert len(recorder.requests) == 2


def test_iter_search_puts_the_cursor_in_the_body():
    seen = []

    def handler(request):
        body = json.loads(request.content)
        seen.append(body)
        after = (body.get("pagination") or {}).get("starting_after")
        if after is None:
            return httpx.Response(200, json={"data": ["a"], "pages": {"next": {"starting_after": "k1"}}})
        return httpx.Response(200, json={"data": ["b"], "pages": {"next": None}})

    client, _ = make_client(handler)
    query = {"field": "email", "operator": "~", "value": "@x"}
    assert list(client.iter_search("/contacts/search", query, per_page=1)) == ["a", "b"]
    assert seen == [
        {"query": query, "pagination": {"per_page": 1}},
        {"query": query, "pagination": {"per_page": 1, "starting_after": "k1"}},
    ]


def numbered_pages(total_pages: int) -> Handler:
    def handler(request: httpx.Request) -> httpx.Response:
        page = int(request.url.params["page"])
        items = [f"p{page}"]
        following = f"http://x/companies?page={page + 1}" if page < total_pages else None
        return httpx.Response(
            200, json={"data": items, "pages": {"page": page, "total_pages": total_pages, "next": following}}
        )

    return handler


def test_iter_pages_until_no_next():
    client, _ = make_client(numbered_pages(3))
    assert list(client.iter_pages("/companies", {"per_page": 1})) == ["p1", "p2", "p3"]


def test_iter_pages_stops_on_an_empty_page():
    recorder = Recorder(
        httpx.Response(200, json={"data": ["x"], "pages": {"next": "u"}}),
        httpx.Response(200, json={"data": [], "pages": {"next": "u"}}),
    )
    client, _ = make_client(recorder)
    assert list(client.iter_pages("/companies")) == ["x"]
    assert len(recorder.requests) == 2


def test_iter_pages_with_post_list_sends_query_params():
    recorder = Recorder(httpx.Response(200, json={"data": [1], "pages": {"next": None}}))
    client, _ = make_client(recorder)
    assert list(client.iter_pages("/companies/list", {"per_page": 60}, method="POST")) == [1]
    request = recorder.requests[0]
    assert (request.method, request.url.params["page"], request.url.params["per_page"]) == ("POST", "1", "60")


def test_async_client_retries_and_paginates():
    slept: list[float] = []

    async def sleep(seconds: float) -> None:
        slept.append(seconds)

    calls = {"n": 0}

    def handler(request):
        calls["n"] += 1
        if calls["n"] == 1:
            return error_list(429, "rate_limit_exceeded", "slow down", **{"Retry-After": "1"})
        return cursor_pages(request)

    async def run():
        async with AsyncIntercomClient(
            "t", base_url="http://x", transport=httpx.MockTransport(handler), sleep=sleep
        ) as client:
            items = [item async for item in client.iter_cursor("/contacts")]
            with pytest.raises(NotFoundError):
                await AsyncIntercomClient(
                    "t",
                    base_url="http://x",
                    transport=httpx.MockTransport(lambda r: error_list(404, "not_found", "x")),
                ).call("GET", "/tags/9")
            return items

    assert asyncio.run(run()) == [0, 1, 2, 3, 4, 5]
    assert slept == [1.0]
