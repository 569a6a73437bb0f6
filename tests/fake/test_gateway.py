"""The request pipeline: authentication, Intercom-Version, rate limits, error shapes, transactions."""

import asyncio
import os
import socket
import time
import uuid
from typing import Any

import httpx
import pytest
from fastapi import Depends, FastAPI

from fake_intercom import Settings, create_app
from fake_intercom.context import Ctx, context
from fake_intercom.errors import IntercomError, install_error_handlers
from fake_intercom.gateway import Gateway, RateLimiter
from fake_intercom.routing import IntercomRouter
from fake_intercom.store import DatabaseInUse, Store
from fake_intercom.testing import SyncASGITransport, serve_in_thread
from tests.conftest import new_workspace


def error_of(response: httpx.Response) -> dict:
    body = response.json()
    assert body["type"] == "error.list"
    assert body["request_id"]
    assert "detail" not in body
    return body["errors"][0]


MISSING_AUTHORIZATION = {
    "code": "missing_authorization",
    "message": "No authorization data was found on the request",
}
ACCESS_TOKEN_INVALID = {"code": "unauthorized", "message": "Access Token Invalid"}
TOKEN_REVOKED = {"code": "token_revoked", "message": "The token or API Key has been revoked"}


@pytest.mark.parametrize(
    ("authorization", "error"),
    [
        (None, MISSING_AUTHORIZATION),
        ("", MISSING_AUTHORIZATION),
        ("  ", MISSING_AUTHORIZATION),
        ("Bearer", MISSING_AUTHORIZATION),
        ("Bearer   ", MISSING_AUTHORIZATION),
        ("Bearer wrong", ACCESS_TOKEN_INVALID),
        ("Basic abc", ACCESS_TOKEN_INVALID),
    ],
)
def test_missing_or_unknown_token_is_401(api: httpx.Client, authorization: str | None, error: dict) -> None:
    headers = {} if authorization is None else {"Authorization": authorization}
    with httpx.Client(base_url=api.base_url, transport=api._transport) as anonymous:
        response = anonymous.get("/me", headers=headers)
    assert response.status_code == 401
    assert error_of(response) == error
    # Refused requests carry the rate-limit headers too (FIDELITY §1.3).
    assert {"x-ratelimit-limit", "x-ratelimit-remaining", "x-ratelimit-reset"} <= set(response.headers)


def test_a_revoked_token_is_told_so_and_a_re_added_one_works_again(app, api: httpx.Client) -> None:
    workspace, token = new_workspace(app)
    with httpx.Client(base_url=api.base_url, transport=api._transport) as anonymous:
        bearer = {"Authorization": f"Bearer {token}"}
        assert anonymous.get("/me", headers=bearer).status_code == 200
        assert anonymous.delete(f"/_sandbox/tokens/{token}").status_code == 204
        refused = anonymous.get("/me", headers=bearer)
        assert refused.status_code == 401
        assert error_of(refused) == TOKEN_REVOKED
        assert "x-ratelimit-remaining" in refused.headers
        # Revoking it twice: the token no longer exists.
        assert anonymous.delete(f"/_sandbox/tokens/{token}").status_code == 404
        # Only a hash of a revoked token is kept, never the token itself.
        kept = [
            row
            for table in ("tokens", "revoked_tokens")
            for row in app.state.store.query(f"SELECT * FROM {table}")
        ]
        assert all(token not in map(str, row.values()) for row in kept)
        added = anonymous.post(f"/_sandbox/workspaces/{workspace.id}/tokens", json={"token": token})
        assert added.status_code == 201
        assert anonymous.get("/me", headers=bearer).status_code == 200


def test_the_tokens_of_a_deleted_workspace_are_revoked(app, api: httpx.Client) -> None:
    workspace, token = new_workspace(app)
    with httpx.Client(base_url=api.base_url, transport=api._transport) as anonymous:
        second = anonymous.post(f"/_sandbox/workspaces/{workspace.id}/tokens", json={}).json()["token"]
        assert anonymous.delete(f"/_sandbox/workspaces/{workspace.id}").status_code == 204
        for revoked in (token, second):
            response = anonymous.get("/contacts", headers={"Authorization": f"Bearer {revoked}"})
            assert (response.status_code, error_of(response)) == (401, TOKEN_REVOKED)


def test_workspaces_never_see_each_other(app, api: httpx.Client) -> None:
    _, other_token = new_workspace(app)
    mine = api.get("/me").json()
    theirs = api.get("/me", headers={"Authorization": f"Bearer {other_token}"}).json()
    assert mine["app"]["id_code"] != theirs["app"]["id_code"]
    theirs_headers = {"Authorization": f"Bearer {other_token}"}
    api.put(
        f"/admins/{theirs['id']}/away",
        json={"away_mode_enabled": True, "away_mode_reassign": False},
        headers=theirs_headers,
    )
    assert api.get(f"/admins/{mine['id']}").json()["away_mode_enabled"] is False
    assert api.get(f"/admins/{theirs['id']}", headers=theirs_headers).json()["away_mode_enabled"] is True


@pytest.mark.parametrize("version", ["1.0", "2.11", "2.15", "2.16", "Preview", "Unstable"])
def test_every_known_version_is_accepted(api: httpx.Client, version: str) -> None:
    assert api.get("/me", headers={"Intercom-Version": version}).status_code == 200


@pytest.mark.parametrize("version", ["3.0", "preview", "2.15.1", "latest"])
def test_unknown_version_is_400(api: httpx.Client, version: str) -> None:
    response = api.get("/me", headers={"Intercom-Version": version})
    assert response.status_code == 400
    assert error_of(response)["code"] == "intercom_version_invalid"


def test_unknown_route_and_unsupported_method_are_404(api: httpx.Client) -> None:
    for response in (api.get("/no/such/path"), api.delete("/me"), api.patch("/admins")):
        assert response.status_code == 404
        assert error_of(response)["code"] == "not_found"


@pytest.mark.parametrize("path", ["/contacts/", "/contacts/%2F%2F", "/admins//", "/me/"])
def test_a_trailing_slash_is_404_not_a_redirect(api: httpx.Client, path: str) -> None:
    response = api.get(path, headers={"Host": "attacker.example"})
    assert response.status_code == 404
    assert "location" not in response.headers
    assert error_of(response)["code"] == "not_found"


def test_malformed_json_is_400(api: httpx.Client) -> None:
    admin_id = api.get("/me").json()["id"]
    response = api.put(
        f"/admins/{admin_id}/away", content=b"{not json", headers={"Content-Type": "application/json"}
    )
    assert response.status_code == 400
    assert error_of(response)["code"] == "parameter_invalid"


def test_validation_error_names_the_field(api: httpx.Client) -> None:
    admin_id = api.get("/me").json()["id"]
    response = api.put(
        f"/admins/{admin_id}/away", json={"away_mode_enabled": "maybe", "away_mode_reassign": False}
    )
    assert response.status_code == 400
    assert error_of(response)["field"] == "away_mode_enabled"


@pytest.mark.parametrize(
    ("method", "path", "body", "message"),
    [
        (
            "POST",
            "/contacts/search",
            {"query": {"field": "name", "operator": "=", "value": "x"}, "pagination": {"per_page": "ten"}},
            "pagination.per_page must be an integer",
        ),
        ("POST", "/contacts", {"email": 5}, "email must be a string"),
        ("PUT", "/admins/{me}/away", {"away_mode_enabled": "maybe", "away_mode_reassign": False}, None),
        ("GET", "/admins/activity_logs?created_at_after=0&per_page=0", None, "per_page must be at least 1"),
        ("POST", "/tags", {"name": ["x"]}, "name must be a string"),
        ("POST", "/contacts", {"email": "a@b.c", "avatar": "nope"}, "avatar must be an absolute http(s) URL"),
    ],
)
def test_validation_messages_read_like_intercoms(api: httpx.Client, method, path, body, message) -> None:
    """No validation library's wording ("Input should be a valid integer...") reaches a client."""
    path = path.replace("{me}", api.get("/me").json()["id"])
    error = error_of(api.request(method, path, json=body))
    assert error["code"] == "parameter_invalid"
    assert "Input should" not in error["message"] and "Value error" not in error["message"]
    if message:
        assert error["message"] == message


def test_rate_limit_headers_and_429() -> None:
    # 18 a minute is 3 every 10 seconds, the window Intercom enforces its limit in (FIDELITY §6.2).
    app = create_app(Settings(rate_limit=18, token="limited"))
    app.state.limiter.clock = lambda: 1_700_000_003.0  # well inside one window
    with httpx.Client(
        base_url="http://t", transport=SyncASGITransport(app), headers={"Authorization": "Bearer limited"}
    ) as client:
        remaining = [int(client.get("/me").headers["X-RateLimit-Remaining"]) for _ in range(3)]
        assert remaining == [2, 1, 0]
        limited = client.get("/me")
    assert limited.status_code == 429
    assert error_of(limited)["code"] == "rate_limit_exceeded"
    assert limited.headers["X-RateLimit-Limit"] == "3"
    assert limited.headers["X-RateLimit-Remaining"] == "0"
    assert limited.headers["X-RateLimit-Reset"] == "1700000010"
    assert limited.headers["Retry-After"] == "7"


def test_the_window_is_ten_seconds_and_a_sixth_of_the_minute() -> None:
    now = [1_700_000_000.0]
    limiter = RateLimiter(10_000, clock=lambda: now[0])
    assert limiter.limit == 1_667
    assert [limiter.hit("w")[0] for _ in range(1_668)].count(False) == 1
    now[0] += 10
    assert limiter.hit("w") == (True, 1_666, 1_700_000_020)


def test_a_401_carries_the_rate_limit_headers(api: httpx.Client) -> None:
    with httpx.Client(base_url=api.base_url, transport=api._transport) as anonymous:
        response = anonymous.get("/me", headers={"Authorization": "Bearer wrong"})
    assert response.status_code == 401
    assert {"x-ratelimit-limit", "x-ratelimit-remaining", "x-ratelimit-reset"} <= set(response.headers)


def test_a_failed_write_leaves_nothing_behind() -> None:
    store = Store()
    workspace = store.create_workspace(name="w", token="t")
    router = IntercomRouter()

    @router.operation("setAwayAdmin")
    async def half_then_fail(admin_id: int, ctx: Ctx = Depends(context)) -> None:
        ctx.store.insert("teams", {"workspace_id": ctx.ws, "id": "1", "name": "half-written", "data": "{}"})
        raise IntercomError(400, "parameter_invalid", "fails after writing")

    app = FastAPI()
    app.state.store = store
    app.state.settings = Settings()
    install_error_handlers(app)
    app.include_router(router)
    app.add_middleware(Gateway, store=store, limiter=RateLimiter(100))
    with httpx.Client(
        base_url="http://t", transport=SyncASGITransport(app), headers={"Authorization": "Bearer t"}
    ) as c:
        response = c.put("/admins/1/away")
    assert response.status_code == 400
    assert store.scalar("SELECT COUNT(*) FROM teams WHERE workspace_id = ?", (workspace.id,)) == 0


def test_database_file_persists_across_restarts(tmp_path) -> None:
    settings = Settings(db=str(tmp_path / "fake.db"), token="persist", seed="none")
    first = create_app(settings)
    with httpx.Client(
        base_url="http://t", transport=SyncASGITransport(first), headers={"Authorization": "Bearer persist"}
    ) as c:
        admin_id = c.get("/me").json()["id"]
        c.put(f"/admins/{admin_id}/away", json={"away_mode_enabled": True, "away_mode_reassign": False})
    first.state.store.close()
    second = create_app(settings)
    with httpx.Client(
        base_url="http://t", transport=SyncASGITransport(second), headers={"Authorization": "Bearer persist"}
    ) as c:
        assert c.get(f"/admins/{admin_id}").json()["away_mode_enabled"] is True
    second.state.store.close()


def test_a_second_server_on_the_same_file_is_refused(tmp_path) -> None:
    settings = Settings(db=str(tmp_path / "fake.db"), token="first", seed="none")
    first = create_app(settings)
    with pytest.raises(DatabaseInUse, match="in use by another fake-intercom process"):
        create_app(settings.model_copy(update={"token": "second"}))
    first.state.store.close()
    create_app(settings).state.store.close()  # free again once the first one closed


def test_the_internal_header_needs_the_apps_own_key(app, api: httpx.Client) -> None:
    from fake_intercom.gateway import INTERNAL_HEADER

    workspace = app.state.store.workspace_for_token(api.headers["Authorization"].split()[1])
    api.get("/me", headers={INTERNAL_HEADER.decode(): "a-guess"})
    assert [entry.path for entry in app.state.journal.entries(workspace.id)] == ["/me"]
    api.get("/me", headers={INTERNAL_HEADER.decode(): app.state.internal_key.decode()})
    assert len(app.state.journal.entries(workspace.id)) == 1


def test_control_plane_takes_no_bearer_token_but_gets_a_request_id(api: httpx.Client) -> None:
    response = api.get("/_sandbox/workspaces", headers={"Authorization": "Bearer not-a-token"})
    assert response.status_code == 200
    assert response.headers["X-Request-Id"]
    assert "X-RateLimit-Limit" not in response.headers


def test_every_request_id_is_a_new_random_uuid(api: httpx.Client) -> None:
    # Intercom's request ids are UUIDs (FIDELITY §1.2); clients parse them as such.
    answers = [api.get("/nowhere") for _ in range(200)]
    ids = [answer.headers["X-Request-Id"] for answer in answers]
    assert [answer.json()["request_id"] for answer in answers] == ids
    assert len(set(ids)) == len(ids)
    parsed = [uuid.UUID(request_id) for request_id in ids]
    assert [str(each) for each in parsed] == ids
    assert {(each.version, each.variant) for each in parsed} == {(4, uuid.RFC_4122)}
    assert {request_id[19] for request_id in ids} == set("89ab")


def test_a_body_over_the_limit_is_413_and_nothing_is_stored() -> None:
    app = create_app(Settings(token="big", max_body_bytes=64 * 1024))
    with httpx.Client(
        base_url="http://t", transport=SyncASGITransport(app), headers={"Authorization": "Bearer big"}
    ) as client:
        body = {"role": "user", "email": "big@example.com", "custom_attributes": {"x": "y" * 70_000}}
        response = client.post("/contacts", json=body)
        assert response.status_code == 413
        assert error_of(response)["code"] == "request_too_large"

        def chunked():
            yield b'{"role": "user", "email": "chunked@example.com", "name": "'
            for _ in range(100):
                yield b"z" * 1024
            yield b'"}'

        streamed = client.post("/contacts", content=chunked(), headers={"Content-Type": "application/json"})
        assert streamed.status_code == 413
        small = client.post(
            "/contacts",
            content=iter([b'{"role": "user", ', b'"email": "ok@example.com"}']),
            headers={"Content-Type": "application/json"},
        )
        assert small.status_code == 200, small.text
        assert client.get("/contacts").json()["total_count"] == 1
        control = client.post("/_sandbox/workspaces", json={"name": "n" * 70_000})
        assert control.status_code == 413


def _raw(url: str) -> socket.socket:
    host, port = url.removeprefix("http://").split(":")
    return socket.create_connection((host, int(port)), timeout=10)


def _answer(sock: socket.socket) -> bytes:
    received = b""
    while chunk := sock.recv(65536):
        received += chunk
    return received


def test_slow_clients_are_timed_out_with_an_error_list() -> None:
    settings = Settings(token="slow", header_timeout=0.3, body_timeout=0.3)
    with serve_in_thread(create_app(settings)) as url:
        silent = _raw(url)  # connects and says nothing
        trickling = _raw(url)
        trickling.sendall(b"GET /me HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ")
        slow_body = _raw(url)
        slow_body.sendall(
            b"POST /contacts HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer slow\r\n"
            b"Content-Type: application/json\r\nContent-Length: 100\r\n\r\n{"
        )
        for sock in (silent, trickling, slow_body):
            started = time.monotonic()
            answer = _answer(sock)
            assert time.monotonic() - started < 5
            assert answer.startswith(b"HTTP/1.1 408"), answer
            assert b'"request_timeout"' in answer and b'"error.list"' in answer
            sock.close()


def test_a_nearer_deadline_than_the_one_awaited_is_kept() -> None:
    """The headers' deadline is far and awaited first; the body's, set when the headers are in, is
    nearer, and it is the one that refuses."""
    settings = Settings(token="near", header_timeout=5, body_timeout=0.3)
    with serve_in_thread(create_app(settings)) as url:
        sock = _raw(url)
        sock.sendall(
            b"POST /contacts HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer near\r\n"
            b"Content-Type: application/json\r\nContent-Length: 100\r\n\r\n{"
        )
        started = time.monotonic()
        answer = _answer(sock)
        sock.close()
    assert time.monotonic() - started < 3
    assert answer.startswith(b"HTTP/1.1 408"), answer


def test_a_kept_alive_connection_gets_a_deadline_for_each_request() -> None:
    settings = Settings(token="again", header_timeout=0.3, body_timeout=0.3)
    with serve_in_thread(create_app(settings)) as url:
        sock = _raw(url)
        request = b"GET /me HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer again\r\n\r\n"
        for _ in range(3):  # each within its deadline, though together they take longer
            sock.sendall(request)
            assert sock.recv(65536).startswith(b"HTTP/1.1 200")
            time.sleep(0.2)
        sock.sendall(b"GET /me HTTP/1.1\r\nHost: 127.0.0.1\r\n")
        answer = _answer(sock)
        sock.close()
    assert answer.startswith(b"HTTP/1.1 408"), answer


class _NotingLoop:
    """An app that notes the event loop serving it (the server runs it in a thread of its own)."""

    def __init__(self, app: FastAPI) -> None:
        self.app = app
        self.state = app.state
        self.loop: asyncio.AbstractEventLoop | None = None

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        self.loop = asyncio.get_running_loop()
        await self.app(scope, receive, send)


def test_headers_that_arrived_in_time_are_answered_when_the_loop_is_late() -> None:
    """The server's loop is busy, in its I/O phase, from before the header deadline to after it; the
    request came well within it. The deadline must not refuse bytes the loop has not read yet."""
    app = _NotingLoop(create_app(Settings(token="busy", header_timeout=1.0)))
    with serve_in_thread(app) as url:  # type: ignore[arg-type]
        with httpx.Client(base_url=url) as client:
            assert client.get("/me", headers={"Authorization": "Bearer busy"}).status_code == 200
        loop = app.loop
        assert loop is not None
        readable, writable = os.pipe()

        def busy() -> None:
            loop.remove_reader(readable)
            time.sleep(1.5)

        sock = _raw(url)
        time.sleep(0.2)  # accepted: the deadline runs from here
        loop.call_soon_threadsafe(loop.add_reader, readable, busy)
        os.write(writable, b"x")
        time.sleep(0.1)
        sock.sendall(
            b"GET /me HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer busy\r\nConnection: close\r\n\r\n"
        )
        answer = _answer(sock)
        sock.close()
        os.close(readable)
        os.close(writable)
    assert answer.startswith(b"HTTP/1.1 200"), answer


def test_connections_beyond_the_limit_are_refused_with_an_error_list() -> None:
    with serve_in_thread(create_app(Settings(token="many", max_connections=2))) as url:
        held = [_raw(url), _raw(url)]
        time.sleep(0.1)
        extra = _raw(url)
        answer = _answer(extra)
        assert answer.startswith(b"HTTP/1.1 503") and b'"service_unavailable"' in answer
        for sock in held:
            sock.close()
        time.sleep(0.1)
        with httpx.Client(base_url=url) as client:
            assert client.get("/me", headers={"Authorization": "Bearer many"}).status_code == 200


def test_oversized_headers_are_431() -> None:
    with serve_in_thread(create_app(Settings(token="h"))) as url:
        sock = _raw(url)
        sock.sendall(b"GET /me HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Big: " + b"a" * 70_000 + b"\r\n\r\n")
        assert _answer(sock).startswith(b"HTTP/1.1 431")
