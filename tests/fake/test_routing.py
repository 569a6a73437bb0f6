"""What every route gets from the operation table (version gating before anything else, optional
request bodies where the description does not require one), the dispatch by first path segment
with each of its ways back to FastAPI's own router, and routes built when first used."""

import asyncio
import concurrent.futures
import re
import subprocess
import sys
import time
from typing import Any

import httpx
import pytest
from fastapi import Depends, FastAPI
from fastapi.routing import APIRoute

from contracts.operations import OPERATIONS
from contracts.versions import at_least
from fake_intercom import Settings, create_app
from fake_intercom.context import Ctx, context
from fake_intercom.routing import FirstSegmentDispatch, IntercomRouter, dispatch_by_first_segment
from fake_intercom.testing import SyncASGITransport
from tests.conftest import new_workspace


def test_an_operation_missing_from_the_version_is_refused_before_its_body_is_read(api: httpx.Client) -> None:
    # createAudience exists from 2.16; on 2.15 a wrong body must not be reported as the problem.
    response = api.post("/audiences", json={"name": 42}, headers={"Intercom-Version": "2.15"})
    assert response.status_code == 400
    assert response.json()["errors"][0]["code"] == "intercom_version_invalid"


def test_the_same_request_reaches_validation_on_a_version_that_has_it(api: httpx.Client) -> None:
    response = api.post("/audiences", json={"name": 42}, headers={"Intercom-Version": "2.16"})
    assert response.status_code in (400, 422)
    assert response.json()["errors"][0]["code"] != "intercom_version_invalid"


def test_a_number_too_large_for_the_store_is_the_clients_error(api: httpx.Client) -> None:
    response = api.get("/articles", params={"page": 10**20})
    assert response.status_code == 400
    assert response.json()["errors"][0]["code"] == "parameter_invalid"


def test_a_number_too_large_for_json_is_the_clients_error_and_writes_nothing(api: httpx.Client) -> None:
    # orjson holds 64-bit integers; Intercom's own limits are far below that.
    body = {"name": "Weather", "mock_response": {"degrees": -(2**63) - 1}}
    response = api.post("/data_connectors", json=body, headers={"Intercom-Version": "2.16"})
    assert response.status_code == 400
    assert response.json()["errors"][0]["code"] == "parameter_invalid"
    listed = api.get("/data_connectors", headers={"Intercom-Version": "2.16"}).json()
    assert all(connector["name"] != "Weather" for connector in listed["data"])


OPTIONAL_BODIES = sorted(op.operation_id for op in OPERATIONS.values() if op.optional_body)


@pytest.mark.parametrize("operation_id", OPTIONAL_BODIES)
def test_a_missing_optional_body_reads_as_an_empty_one(app, asgi_transport, operation_id) -> None:
    """FIDELITY §11.6: where the description does not mark the body required, none is `{}`."""
    op = OPERATIONS[operation_id]
    version = "2.16" if at_least(op.since, "2.16") else "2.15"
    _, token = new_workspace(app)
    headers = {"Authorization": f"Bearer {token}", "Intercom-Version": version}
    path = re.sub(r"\{\w+\}", "0", op.path)
    with httpx.Client(base_url="http://fake-intercom.test", transport=asgi_transport) as client:
        answers = [client.request(op.method, path, headers=headers, **body) for body in ({}, {"json": {}})]
    (none, empty) = answers
    assert none.status_code == empty.status_code, (none.text, empty.text)
    if none.status_code >= 400:
        assert none.json()["errors"][0]["code"] == empty.json()["errors"][0]["code"]


def test_real_objects_update_with_no_body(api: httpx.Client) -> None:
    contact = api.post("/contacts", json={"email": "nobody@example.com"}).json()
    assert api.put(f"/contacts/{contact['id']}").json()["id"] == contact["id"]
    attribute = api.post(
        "/data_attributes", json={"name": "tier", "model": "contact", "data_type": "string"}
    ).json()
    assert api.put(f"/data_attributes/{attribute['id']}").status_code == 200
    collection = api.post("/help_center/collections", json={"name": "Guides"}).json()
    assert api.put(f"/help_center/collections/{collection['id']}").json()["name"] == "Guides"


def test_the_fakes_openapi_says_which_bodies_are_optional(app) -> None:
    for path in app.openapi()["paths"].values():
        for operation in path.values():
            op = OPERATIONS.get(operation.get("operationId", ""))
            if op is None or "requestBody" not in operation:
                continue
            assert operation["requestBody"].get("required", False) is not op.optional_body, op.operation_id


@pytest.mark.parametrize(
    ("path", "body"),
    [
        ("/contacts", b'{"role": "user", "email": "s1@example.com", "name": "\\ud800"}'),
        ("/contacts", b'{"role": "user", "email": "s2@example.com", "custom_attributes": {"\\ud800": 1}}'),
        ("/tags", b'{"name": "\\udc00 lone low"}'),
        ("/contacts", b'{"role": "user", "email": "s3@example.com", "name": "\xed\xa0\x80"}'),
    ],
)
def test_a_lone_surrogate_is_the_clients_400(api: httpx.Client, path: str, body: bytes) -> None:
    response = api.post(path, content=body, headers={"Content-Type": "application/json"})
    assert response.status_code == 400
    assert response.json()["errors"][0]["code"] == "parameter_invalid"
    assert api.get("/contacts").json()["total_count"] == 0


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"role": "user", "email": "long@example.com", "name": "n" * 256}, "name"),
        (
            {"role": "user", "email": "k@example.com", "custom_attributes": {"k" * 256: 1}},
            "custom_attributes key",
        ),
        (
            {
                "role": "user",
                "email": "v@example.com",
                "custom_attributes": {"notes": "v" * (256 * 1024 + 1)},
            },
            "custom_attributes.notes",
        ),
    ],
)
def test_text_beyond_the_caps_is_400_naming_the_field(api: httpx.Client, body: dict, field: str) -> None:
    response = api.post("/contacts", json=body)
    assert response.status_code == 400
    error = response.json()["errors"][0]
    assert (error["code"], error["field"]) == ("parameter_invalid", field)
    assert api.get("/contacts").json()["total_count"] == 0


def test_nan_and_infinity_are_not_json(api: httpx.Client) -> None:
    for literal in (b"NaN", b"Infinity", b"-Infinity"):
        body = b'{"role": "user", "email": "n@example.com", "custom_attributes": {"x": ' + literal + b"}}"
        response = api.post("/contacts", content=body, headers={"Content-Type": "application/json"})
        assert response.status_code == 400
    assert api.get("/contacts").json()["total_count"] == 0


@pytest.fixture
def file_app(tmp_path):
    app = create_app(Settings(db=str(tmp_path / "fake.db"), token="disk", seed="none"))
    with httpx.Client(
        base_url="http://t", transport=SyncASGITransport(app), headers={"Authorization": "Bearer disk"}
    ) as client:
        yield app, client
    app.state.store.close()


def test_a_full_disk_is_a_503_and_the_next_write_works(file_app) -> None:
    app, client = file_app
    store = app.state.store
    pages = store.scalar("PRAGMA page_count")
    store.execute(f"PRAGMA max_page_count = {pages}")
    bodies = [{"role": "user", "email": f"full{i}@example.com", "name": "x" * 200} for i in range(200)]
    answers = [client.post("/contacts", json=body) for body in bodies]
    full = [answer for answer in answers if answer.status_code != 200]
    assert full, "the database never filled up"
    assert {answer.status_code for answer in full} == {503}
    error = full[0].json()["errors"][0]
    assert error["code"] == "service_unavailable" and "disk is full" in error["message"]
    stored = client.get("/contacts", params={"per_page": 150}).json()["total_count"]
    assert stored == len(answers) - len(full)  # nothing half-written
    store.execute("PRAGMA max_page_count = 1073741823")
    assert client.post("/contacts", json={"role": "user", "email": "after@example.com"}).status_code == 200


def test_a_read_only_database_is_a_503(file_app) -> None:
    app, client = file_app
    app.state.store.execute("PRAGMA query_only = ON")
    response = client.post("/contacts", json={"role": "user", "email": "ro@example.com"})
    assert response.status_code == 503
    assert "read-only" in response.json()["errors"][0]["message"]
    assert client.get("/me").status_code == 200
    app.state.store.execute("PRAGMA query_only = OFF")
    assert client.post("/contacts", json={"role": "user", "email": "rw@example.com"}).status_code == 200


# -- the first-segment dispatch and its fallbacks ------------------------------------------------


@pytest.fixture
def fresh_app() -> FastAPI:
    return create_app(Settings(seed="none"))


def _dispatch_with_recorded_fallback(app: FastAPI) -> tuple[FirstSegmentDispatch, list[str]]:
    dispatch = app.router.middleware_stack
    assert isinstance(dispatch, FirstSegmentDispatch)
    fell_back: list[str] = []

    async def fallback(scope, receive, send) -> None:
        fell_back.append(scope["path"])

    dispatch.fallback = fallback
    return dispatch, fell_back


def _scope(path: str, **extra) -> dict:
    return {"type": "http", "method": "GET", "path": path, "headers": [], "query_string": b"", **extra}


async def _nothing() -> dict:
    return {"type": "http.request", "body": b""}


async def _ignore(message) -> None:
    pass


@pytest.mark.parametrize(
    "scope",
    [
        _scope("/admins", type="websocket"),
        _scope("/admins", root_path="/mounted"),
        _scope("admins"),
        _scope("/no_such_resource/anywhere"),
        _scope("/contacts", method="PATCH"),
    ],
    ids=["not-http", "root-path", "relative-path", "no-route-matches", "no-route-serves-the-method"],
)
def test_what_the_dispatch_cannot_route_goes_to_the_router(fresh_app: FastAPI, scope: dict) -> None:
    dispatch, fell_back = _dispatch_with_recorded_fallback(fresh_app)
    asyncio.run(dispatch(scope, _nothing, _ignore))
    assert fell_back == [scope["path"]]


def test_dependency_overrides_and_form_limits_send_everything_to_the_router(fresh_app: FastAPI) -> None:
    dispatch, fell_back = _dispatch_with_recorded_fallback(fresh_app)
    fresh_app.dependency_overrides[context] = context
    asyncio.run(dispatch(_scope("/no_such_resource"), _nothing, _ignore))
    fresh_app.dependency_overrides.clear()
    fresh_app.router.form_limits = object()
    asyncio.run(dispatch(_scope("/no_such_resource"), _nothing, _ignore))
    assert fell_back == ["/no_such_resource", "/no_such_resource"]


def test_a_router_with_middleware_of_its_own_keeps_its_stack() -> None:
    app = FastAPI()
    stack = app.router.middleware_stack = object()  # what a router-level middleware would have built
    dispatch_by_first_segment(app)
    assert app.router.middleware_stack is stack


def test_only_routes_serving_the_method_are_tried() -> None:
    app = FastAPI()
    app.add_api_route("/things/{id}", lambda id: {"route": "get"}, methods=["GET"])
    app.add_api_route("/things/{id}", lambda id: {"route": "put"}, methods=["PUT"])
    app.mount("/things/files", FastAPI())
    dispatch_by_first_segment(app)
    dispatch = app.router.middleware_stack
    assert isinstance(dispatch, FirstSegmentDispatch)
    dispatch._build()
    tried = [getattr(route, "methods", None) for route, _ in dispatch._by_segment[("things", "PUT")]]
    assert tried == [{"PUT"}, None]

    assert _asked(app, "PUT", "/things/1").json() == {"route": "put"}


def test_a_route_added_later_is_found(fresh_app: FastAPI) -> None:
    dispatch = fresh_app.router.middleware_stack
    built = dispatch._built_for
    fresh_app.add_api_route("/_probe", lambda: {"found": True})
    transport = httpx.ASGITransport(app=fresh_app)

    async def probe() -> httpx.Response:
        token = fresh_app.state.settings.token
        headers = {"Authorization": f"Bearer {token}"}
        async with httpx.AsyncClient(transport=transport, base_url="http://test", headers=headers) as client:
            return await client.get("/_probe")

    assert asyncio.run(probe()).json() == {"found": True}
    assert dispatch._built_for == built + 1


def _get(app: FastAPI, path: str) -> httpx.Response:
    """`path` as the default workspace asks for it."""
    token = app.state.settings.token
    with httpx.Client(
        transport=SyncASGITransport(app),
        base_url="http://test",
        headers={"Authorization": f"Bearer {token}"},
    ) as client:
        return client.get(path)


def test_a_direct_route_that_returns_an_object_is_serialised_once(fresh_app: FastAPI) -> None:
    # A GET by id is called without FastAPI's parameter solving; a result that is not a Response is
    # handed to FastAPI's own handler to serialise, and the endpoint does not run a second time.
    calls: list[str] = []
    router = IntercomRouter()

    @router.operation("retrieveAdmin")
    async def admin_as_an_object(admin_id: str, ctx: Ctx = Depends(context)) -> Any:
        calls.append(admin_id)
        return {"type": "admin", "id": admin_id, "name": None}

    fresh_app.router.routes[0:0] = router.routes
    response = _get(fresh_app, "/admins/42")
    assert response.status_code == 200
    assert response.json() == {"type": "admin", "id": "42", "name": None}
    assert calls == ["42"]


def test_routes_whose_first_segment_is_a_parameter_and_mounts_are_always_tried() -> None:
    app = FastAPI()
    app.add_api_route("/admins", lambda: {"route": "admins"})
    app.mount("/files", FastAPI())
    app.add_api_route("/{anything}", lambda anything: {"route": anything})
    dispatch_by_first_segment(app)
    dispatch = app.router.middleware_stack
    assert isinstance(dispatch, FirstSegmentDispatch)
    assert [type(route).__name__ for route, _ in dispatch._anywhere["GET"]] == ["Mount", "APIRoute"]

    assert _asked(app, "GET", "/admins").json() == {"route": "admins"}
    assert _asked(app, "GET", "/contacts").json() == {"route": "contacts"}


def _asked(app: FastAPI, method: str, path: str) -> httpx.Response:
    async def ask() -> httpx.Response:
        async with httpx.AsyncClient(
            transport=httpx.ASGITransport(app=app), base_url="http://test"
        ) as client:
            return await client.request(method, path)

    return asyncio.run(ask())


# -- routes built on first use -------------------------------------------------------------------


def _built(route: Any) -> bool:
    return "dependant" in vars(route)


def test_a_route_is_built_when_it_first_serves_a_request(fresh_app: FastAPI) -> None:
    router = IntercomRouter()

    @router.operation("retrieveAdmin")
    async def probe_admin(admin_id: str, ctx: Ctx = Depends(context)) -> Any:
        return {"type": "admin", "id": admin_id}

    route = router.routes[0]
    # Matching, and what the app asks of a route it includes, leave it unbuilt.
    assert route.path == "/admins/{admin_id}" and route.methods == {"GET"}
    assert getattr(route, "original_router", None) is None
    assert not _built(route)
    fresh_app.router.routes[0:0] = router.routes
    assert _get(fresh_app, "/admins/7").json() == {"type": "admin", "id": "7"}
    assert _built(route)


def test_a_route_fastapi_refuses_is_refused_when_first_used() -> None:
    # Declared, it cannot be checked yet; built (for a request or the OpenAPI document), it is.
    router = IntercomRouter()

    @router.operation("retrieveAdmin")
    async def unsolvable(admin_id: list[str], ctx: Ctx = Depends(context)) -> Any:
        return None

    with pytest.raises(AssertionError):
        _ = router.routes[0].dependant


def test_starting_and_serving_a_request_builds_only_the_routes_it_used() -> None:
    # In a process of its own: the suite's other tests have built the routes of this one.
    script = """
import asyncio, httpx
from fake_intercom import Settings, create_app
from fake_intercom.routing import LazyRoute
app = create_app(Settings(seed="none"))
async def get():
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
        headers = {"Authorization": "Bearer " + app.state.settings.token}
        return (await client.get("/me", headers=headers)).status_code
status = asyncio.run(get())
from fake_intercom.routing import SOLE_ROUTE
routes = [getattr(getattr(r, "original_router", None), SOLE_ROUTE, r) for r in app.router.routes]
lazy = [r for r in routes if isinstance(r, LazyRoute)]
print(status, len(lazy), sorted(r.path for r in lazy if "dependant" in vars(r)))
"""
    output = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True
    ).stdout.split(maxsplit=2)
    assert output[0] == "200"
    assert int(output[1]) > 200
    assert output[2].strip() == "['/me']"


def test_a_route_asked_for_by_two_threads_at_once_is_built_once(monkeypatch: pytest.MonkeyPatch) -> None:
    # An in-process server answers from a thread of its own while a test may read the OpenAPI document.
    router = IntercomRouter()

    @router.operation("retrieveAdmin")
    async def probe_admin(admin_id: str, ctx: Ctx = Depends(context)) -> Any:
        return None

    route = router.routes[0]
    builds: list[int] = []
    build = APIRoute.__init__

    def slow_build(self: APIRoute, *args: Any, **options: Any) -> None:
        if self is route:
            builds.append(1)
            time.sleep(0.05)  # long enough for the other thread to ask meanwhile
        build(self, *args, **options)

    monkeypatch.setattr(APIRoute, "__init__", slow_build)
    with concurrent.futures.ThreadPoolExecutor(2) as pool:
        dependants = list(pool.map(lambda _: route.dependant, range(2)))
    assert builds == [1]
    assert dependants[0] is dependants[1]
