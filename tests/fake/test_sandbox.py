"""The control plane: workspaces and tokens, reset/seed/snapshot/restore, the clock, access rules."""

import asyncio
import time
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from fastapi.testclient import TestClient

from fake_intercom import Sandbox, SandboxError, Settings, create_app, events
from fake_intercom.sandbox import provision_workspace
from fake_intercom.sandbox_client import IN_PROCESS_URL
from fake_intercom.store import DERIVED, TABLES, Store, table
from fake_intercom.testing import SyncASGITransport


@pytest.fixture
def sandbox(asgi_transport) -> Iterator[Sandbox]:
    with Sandbox(IN_PROCESS_URL, transport=asgi_transport) as sandbox:
        yield sandbox


def contact_emails(client: httpx.Client) -> list[str]:
    body = client.post(
        "/contacts/search", json={"query": {"field": "email", "operator": "~", "value": "@"}}
    ).json()
    return sorted(contact["email"] for contact in body["data"])


def test_created_workspace_answers_with_its_token_and_is_listed(sandbox: Sandbox) -> None:
    workspace = sandbox.create_workspace(name="Acme support", default_version="2.16")
    assert workspace.token.startswith("sandbox-")
    with workspace.client() as client:
        me = client.get("/me")
    assert me.status_code == 200
    assert me.json()["app"]["id_code"] == workspace.id
    assert workspace.id in {listed.id for listed in sandbox.workspaces()}
    assert workspace.refresh().info["default_version"] == "2.16"
    assert workspace.info["oauth_client_secret"]


def test_chosen_token_duplicate_token_and_unknown_version(sandbox: Sandbox) -> None:
    token = f"chosen-{time.time_ns()}"
    workspace = sandbox.create_workspace(token=token)
    assert workspace.token == token
    with pytest.raises(SandboxError) as duplicate:
        sandbox.create_workspace(token=token)
    assert duplicate.value.status_code == 409
    with pytest.raises(SandboxError) as version:
        sandbox.create_workspace(default_version="9.9")
    assert version.value.status_code == 400


def test_deleted_workspace_and_revoked_token_stop_working(sandbox: Sandbox) -> None:
    workspace = sandbox.create_workspace()
    second = workspace.add_token()
    with workspace.client() as client:
        assert client.get("/me", headers={"Authorization": f"Bearer {second}"}).status_code == 200
        sandbox.call("DELETE", f"/tokens/{second}")
        assert client.get("/me", headers={"Authorization": f"Bearer {second}"}).status_code == 401
        workspace.delete()
        assert client.get("/me").status_code == 401
    with pytest.raises(SandboxError) as gone:
        sandbox.workspace(workspace.id)
    assert gone.value.status_code == 404


def test_reset_to_empty_and_back_to_the_seed(sandbox: Sandbox) -> None:
    workspace = sandbox.create_workspace(records={"contacts": [{"email": "seeded@example.com"}]})
    with workspace.client() as client:
        client.post("/contacts", json={"email": "later@example.com"})
        assert contact_emails(client) == ["later@example.com", "seeded@example.com"]
        workspace.reset()
        assert contact_emails(client) == ["seeded@example.com"]
        workspace.reset(to="empty")
        assert contact_emails(client) == []
        admins = client.get("/admins").json()["admins"]
        assert [admin["id"] for admin in admins] == [workspace.info["owner_admin_id"]]
        workspace.reset()
        assert contact_emails(client) == ["seeded@example.com"]


def test_snapshot_restore_brings_back_content_but_never_reissues_an_id(sandbox: Sandbox) -> None:
    workspace = sandbox.create_workspace()
    with workspace.client() as client:
        first = client.post("/contacts", json={"email": "first@example.com"}).json()
        tag = client.post("/tags", json={"name": "VIP"}).json()
        workspace.snapshot("one contact")
        second_tag = client.post("/tags", json={"name": "Churn risk"}).json()
        client.post("/contacts", json={"email": "second@example.com"})
        client.delete(f"/contacts/{first['id']}")
        workspace.restore("one contact")
        assert contact_emails(client) == ["first@example.com"]
        assert [t["id"] for t in client.get("/tags").json()["data"]] == [tag["id"]]
        # An id given out after the snapshot stays unknown: the next tag gets a new one.
        assert client.get(f"/tags/{second_tag['id']}").status_code == 404
        partner = client.post("/tags", json={"name": "Partner"}).json()
        assert int(partner["id"]) > int(second_tag["id"])
        third = client.post("/contacts", json={"email": "third@example.com"}).json()
        workspace.reset(to="empty")
        assert client.post("/contacts", json={"email": "fourth@example.com"}).json()["id"] != third["id"]
    assert "one contact" in workspace.snapshots()
    with pytest.raises(SandboxError) as missing:
        workspace.restore("never taken")
    assert missing.value.status_code == 404


@pytest.mark.parametrize("name", ["release/1.2", "a b?c#d%20e&f", "nightly/ünï/cödé", "a/../b"])
def test_a_snapshot_name_with_reserved_characters_restores_and_deletes(sandbox: Sandbox, name: str) -> None:
    workspace = sandbox.create_workspace()
    workspace.snapshot(name)
    with workspace.client() as client:
        client.post("/contacts", json={"email": "after@example.com"})
        workspace.restore(name)
        assert contact_emails(client) == []
    workspace.delete_snapshot(name)
    assert name not in workspace.snapshots()
    with pytest.raises(SandboxError) as gone:
        workspace.delete_snapshot(name)
    assert gone.value.status_code == 404


@pytest.mark.parametrize("name", [".", ".."])
def test_a_snapshot_name_no_url_can_carry_is_refused(sandbox: Sandbox, name: str) -> None:
    """Browsers and URL libraries resolve a `.` or `..` path segment, even percent-encoded."""
    with pytest.raises(SandboxError) as refused:
        sandbox.create_workspace().snapshot(name)
    assert refused.value.status_code == 400
    assert refused.value.code == "parameter_invalid" and "name cannot be . or .." in str(refused.value)


def test_a_token_with_reserved_characters_can_be_revoked(sandbox: Sandbox) -> None:
    """OAuth access tokens are base64: `/`, `+` and `=` are common in them."""
    workspace = sandbox.create_workspace()
    token = workspace.add_token("dG9r/OjE+Mjo=")
    sandbox.revoke_token(token)
    with workspace.client() as client:
        refused = client.get("/me", headers={"Authorization": f"Bearer {token}"})
    assert refused.json()["errors"][0]["code"] == "token_revoked"


def test_snapshots_cover_tables_declared_later(request) -> None:
    spec = table("sandbox_test_widgets", {"id": str, "data": str})
    request.addfinalizer(lambda: TABLES.pop(spec.name))
    store = Store()
    workspace = store.create_workspace(name="w", token="t")
    store.insert("sandbox_test_widgets", {"workspace_id": workspace.id, "id": "1", "data": "{}"})
    store.snapshot_workspace(workspace, "before")
    store.insert("sandbox_test_widgets", {"workspace_id": workspace.id, "id": "2", "data": "{}"})
    store.restore_workspace(workspace, "before")
    assert store.scalar(f"SELECT COUNT(*) FROM [{spec.name}]") == 1
    store.clear_workspace(workspace.id)
    assert store.scalar(f"SELECT COUNT(*) FROM [{spec.name}]") == 0
    assert store.workspace_for_token("t") is not None


def test_restore_leaves_other_workspaces_alone(sandbox: Sandbox) -> None:
    mine, theirs = sandbox.create_workspace(), sandbox.create_workspace()
    mine.snapshot("empty")
    with mine.client() as client, theirs.client() as other:
        client.post("/contacts", json={"email": "mine@example.com"})
        other.post("/contacts", json={"email": "theirs@example.com"})
        mine.restore("empty")
        assert contact_emails(client) == []
        assert contact_emails(other) == ["theirs@example.com"]


def test_seed_from_records_goes_through_the_api(sandbox: Sandbox) -> None:
    workspace = sandbox.create_workspace()
    created = workspace.seed(
        records={
            "companies": [{"company_id": "acme", "name": "Acme"}],
            "contacts": [{"email": "ada@example.com", "name": "Ada"}, {"role": "lead", "name": "Lead"}],
            "requests": [{"method": "POST", "path": "/tags", "body": {"name": "Seeded"}}],
        }
    )
    assert [c["type"] for c in created["contacts"]] == ["contact", "contact"]
    assert created["companies"][0]["company_id"] == "acme"
    assert created["requests"][0]["name"] == "Seeded"
    # Seeding is the control plane's doing, not the integration's.
    assert workspace.journal() == []
    with workspace.client() as client:
        assert client.get(f"/contacts/{created['contacts'][0]['id']}").json()["name"] == "Ada"


def test_seed_records_refer_to_what_earlier_ones_created(sandbox: Sandbox) -> None:
    workspace = sandbox.create_workspace()
    created = workspace.seed(
        records={
            "contacts": [{"email": "ada@example.com"}],
            "tags": [{"name": "vip", "users": [{"id": {"$created": "contacts/0/id"}}]}],
            "conversations": [{"from": {"type": "user", "id": {"$created": "contacts/0/id"}}, "body": "Hi"}],
            "requests": [
                {"method": "POST", "path": "/contacts/{contacts/0/id}/notes", "body": {"body": "Seeded"}}
            ],
        }
    )
    contact_id = created["contacts"][0]["id"]
    assert created["conversations"][0]["conversation_id"]
    assert created["requests"][0]["contact"]["id"] == contact_id
    with workspace.client() as client:
        tags = client.get(f"/contacts/{contact_id}/tags").json()["data"]
        assert [tag["name"] for tag in tags] == ["vip"]


@pytest.mark.parametrize(
    "records",
    [
        {"widgets": [{}]},
        {"contacts": {"email": "x"}},
        {"contacts": [{"email": "not-an-email", "role": "nope"}]},
        {"tags": [{"name": "vip", "users": [{"id": {"$created": "contacts/0/id"}}]}]},
        {"contacts": [{"email": "a@example.com"}], "requests": [{"path": "/contacts/{contacts/1/id}/notes"}]},
    ],
)
def test_bad_records_are_400(sandbox: Sandbox, records: dict) -> None:
    workspace = sandbox.create_workspace()
    with pytest.raises(SandboxError) as bad:
        workspace.seed(records=records)
    assert bad.value.status_code == 400


def test_demo_seed_and_reset_back_to_it(sandbox: Sandbox) -> None:
    workspace = sandbox.create_workspace(seed="demo")
    with workspace.client() as client:
        total = client.get("/contacts").json()["total_count"]
        assert total >= 100
        client.post("/contacts", json={"email": "extra@example.com"})
        workspace.reset()
        assert client.get("/contacts").json()["total_count"] == total


def test_clock_freeze_set_advance_unfreeze(sandbox: Sandbox) -> None:
    workspace = sandbox.create_workspace()
    assert workspace.clock.freeze(at=1_700_000_000) == 1_700_000_000
    with workspace.client() as client:
        contact = client.post("/contacts", json={"email": "frozen@example.com"}).json()
        assert contact["created_at"] == 1_700_000_000
        assert workspace.clock.advance(hours=2, minutes=1) == 1_700_007_260
        updated = client.put(f"/contacts/{contact['id']}", json={"name": "Later"}).json()
        assert updated["updated_at"] == 1_700_007_260
    assert workspace.clock.set(1_800_000_000) == 1_800_000_000
    assert workspace.clock.now() == 1_800_000_000
    running_from = workspace.clock.unfreeze()
    assert running_from >= 1_800_000_000
    assert 1_800_000_000 <= workspace.clock.now() < 1_800_000_000 + 60
    assert abs(workspace.clock.real() - time.time()) < 5
    with pytest.raises(SandboxError):
        workspace.clock.advance(seconds=-(2**31) * 2)


def test_clock_listeners_see_the_jump(sandbox: Sandbox) -> None:
    workspace = sandbox.create_workspace()
    workspace.clock.freeze(at=1_000_000)
    seen: list[tuple[str, int, int]] = []
    listener = events.on_clock_change(lambda store, ws, before, after: seen.append((ws.id, before, after)))
    try:
        workspace.clock.advance(days=1)
    finally:
        events.clock_changed.unregister(listener)
    assert seen == [(workspace.id, 1_000_000, 1_086_400)]


def test_reset_puts_the_clock_back_on_real_time(sandbox: Sandbox) -> None:
    workspace = sandbox.create_workspace()
    workspace.clock.freeze(at=1_000)
    workspace.reset()
    assert abs(workspace.clock.now() - time.time()) < 5


def test_accept_any_token_gives_each_unknown_token_its_own_workspace() -> None:
    app = create_app(Settings(accept_any_token=True))
    with httpx.Client(base_url="http://t", transport=SyncASGITransport(app)) as client:

        def me(token: str) -> dict:
            response = client.get("/me", headers={"Authorization": f"Bearer {token}"})
            assert response.status_code == 200
            return response.json()

        first, again, other = me("worker-gw0"), me("worker-gw0"), me("worker-gw1")
        assert first["app"]["id_code"] == again["app"]["id_code"] != other["app"]["id_code"]
        client.post(
            "/contacts", json={"email": "a@example.com"}, headers={"Authorization": "Bearer worker-gw0"}
        )
        listed = client.get("/contacts", headers={"Authorization": "Bearer worker-gw1"}).json()
        assert listed["total_count"] == 0
        assert client.get("/me").status_code == 401


def test_without_accept_any_token_unknown_tokens_are_401(api: httpx.Client) -> None:
    assert api.get("/me", headers={"Authorization": "Bearer nobody-knows-me"}).status_code == 401


@pytest.mark.parametrize(
    ("settings", "headers", "status"),
    [
        ({"host": "127.0.0.1"}, {}, 200),
        ({"host": "0.0.0.0"}, {}, 403),
        ({"host": "0.0.0.0", "control_secret": "s3cret"}, {}, 401),
        ({"host": "0.0.0.0", "control_secret": "s3cret"}, {"X-Sandbox-Secret": "wrong"}, 401),
        ({"host": "0.0.0.0", "control_secret": "s3cret"}, {"X-Sandbox-Secret": "s3cret"}, 200),
        ({"host": "127.0.0.1", "control_secret": "s3cret"}, {}, 401),
    ],
)
def test_control_plane_access(settings: dict, headers: dict, status: int) -> None:
    app = create_app(Settings(**settings))
    with httpx.Client(base_url="http://t", transport=SyncASGITransport(app)) as client:
        response = client.get("/_sandbox/workspaces", headers=headers)
    assert response.status_code == status
    if status != 200:
        assert response.json()["type"] == "error.list"


def test_control_plane_is_documented_under_its_own_tag(app) -> None:
    spec = app.openapi()
    assert any(tag["name"] == "Sandbox" and tag["description"] for tag in spec["tags"])
    sandbox_operations = [
        operation
        for path, item in spec["paths"].items()
        if path.startswith("/_sandbox")
        for operation in item.values()
    ]
    assert len(sandbox_operations) >= 20
    assert all(operation["tags"] == ["Sandbox"] for operation in sandbox_operations)


@pytest.fixture(scope="module")
def served() -> Iterator[Sandbox]:
    """The fake on a real loopback socket, as `serve` and `Sandbox.serve()` run it."""
    with Sandbox.serve() as sandbox:
        yield sandbox


BROWSER_ATTACKS = [
    pytest.param({"Host": "attacker.example:8000"}, 403, id="dns-rebinding host"),
    pytest.param({"Host": "127.attacker.example"}, 403, id="127-prefixed name"),
    pytest.param({"Origin": "https://attacker.example"}, 403, id="foreign origin"),
    pytest.param({"Origin": "null"}, 403, id="opaque origin"),
    pytest.param({"Sec-Fetch-Site": "cross-site"}, 403, id="cross-site fetch"),
    pytest.param({"Sec-Fetch-Site": "same-site", "Origin": "http://localhost:3000"}, 403, id="another port"),
    pytest.param({"Content-Type": "text/plain"}, 415, id="text/plain form"),
    pytest.param({"Content-Type": "application/x-www-form-urlencoded"}, 415, id="urlencoded form"),
    pytest.param({"Content-Type": "multipart/form-data; boundary=x"}, 415, id="multipart form"),
]


@pytest.mark.parametrize(("headers", "status"), BROWSER_ATTACKS)
def test_the_control_plane_refuses_what_a_foreign_web_page_can_send(
    served: Sandbox, headers: dict, status: int
) -> None:
    workspace = served.create_workspace(records={"contacts": [{"email": "kept@example.com"}]})
    with httpx.Client(base_url=served.base_url) as browser:
        reset = browser.post(f"/_sandbox/workspaces/{workspace.id}/reset", headers=headers, json=None)
        assert reset.status_code == status, reset.text
        assert reset.json()["type"] == "error.list"
        if headers.get("Content-Type") is None:
            listed = browser.get("/_sandbox/workspaces", headers=headers)
            assert listed.status_code == 403
            assert "sandbox-" not in listed.text  # no token leaks
    with workspace.client() as client:
        client.post("/contacts", json={"email": "after@example.com"})
        assert len(contact_emails(client)) == 2  # the reset never ran


def test_a_foreign_host_cannot_reach_the_api_over_loopback_either(served: Sandbox) -> None:
    with httpx.Client(base_url=served.base_url) as client:
        response = client.get("/me", headers={"Host": "attacker.example", "Authorization": "Bearer x"})
    assert response.status_code == 403
    assert response.json()["errors"][0]["code"] == "forbidden"


@pytest.mark.parametrize(
    "headers",
    [
        {},
        {"Host": "localhost"},
        {"Host": "localhost:8000"},
        {"Host": "sandbox.localhost"},
        {"Content-Type": "application/json"},
        {"Content-Type": "application/json; charset=utf-8"},
        {"Sec-Fetch-Site": "same-origin"},
        {"Sec-Fetch-Site": "none"},
    ],
)
def test_what_clients_and_curl_send_is_accepted(served: Sandbox, headers: dict) -> None:
    workspace = served.create_workspace()
    with httpx.Client(base_url=served.base_url) as client:
        response = client.post(f"/_sandbox/workspaces/{workspace.id}/clock/unfreeze", headers=headers)
        assert response.status_code == 200, response.text
        assert client.get("/_sandbox/workspaces", headers=headers).status_code == 200


def test_the_sandbox_docs_page_is_same_origin(served: Sandbox) -> None:
    workspace = served.create_workspace()
    with httpx.Client(base_url=served.base_url) as page:
        response = page.post(
            f"/_sandbox/workspaces/{workspace.id}/snapshots",
            json={"name": "from the docs"},
            headers={"Origin": served.base_url, "Sec-Fetch-Site": "same-origin"},
        )
    assert response.status_code == 201


def test_allowed_hosts_extend_the_loopback_names() -> None:
    with (
        Sandbox.serve(allowed_hosts=["intercom.test"]) as sandbox,
        httpx.Client(base_url=sandbox.base_url) as client,
    ):
        assert client.get("/_sandbox/workspaces", headers={"Host": "intercom.test:80"}).status_code == 200
        assert client.get("/_sandbox/workspaces", headers={"Host": "other.test"}).status_code == 403


def test_only_real_loopback_addresses_are_loopback() -> None:
    assert Settings(host="127.0.0.1").loopback and Settings(host="::1").loopback
    assert Settings(host="localhost").loopback and Settings(host="127.8.9.10").loopback
    assert not Settings(host="127.attacker.example").loopback
    assert not Settings(host="0.0.0.0").loopback


def test_workspace_ids_are_not_predictable(sandbox: Sandbox) -> None:
    first = create_app(Settings(token="same-token"))
    second = create_app(Settings(token="same-token"))
    assert first.state.workspace.id != second.state.workspace.id
    ids = {sandbox.create_workspace(name="same").id for _ in range(5)}
    assert len(ids) == 5


def test_a_workspace_created_with_a_bad_record_leaves_nothing_and_can_be_retried(sandbox: Sandbox) -> None:
    token = f"retry-{time.time_ns()}"
    records = {"contacts": [{"email": "good@example.com"}, {"email": "bad", "role": "nope"}]}
    with pytest.raises(SandboxError) as bad:
        sandbox.create_workspace(token=token, records=records)
    assert bad.value.status_code == 400
    assert all(listed.token != token for listed in sandbox.workspaces())
    with httpx.Client(base_url=IN_PROCESS_URL, transport=sandbox.transport) as client:
        assert client.get("/me", headers={"Authorization": f"Bearer {token}"}).status_code == 401
    retried = sandbox.create_workspace(token=token, records={"contacts": [{"email": "good@example.com"}]})
    with retried.client() as client:
        assert contact_emails(client) == ["good@example.com"]


def test_seed_with_a_bad_record_keeps_none_of_the_records_before_it(sandbox: Sandbox) -> None:
    workspace = sandbox.create_workspace(records={"contacts": [{"email": "first@example.com"}]})
    records = {
        "contacts": [{"email": "second@example.com"}],
        "requests": [
            {"method": "POST", "path": "/tags", "body": {"name": "Kept?"}},
            {"method": "POST", "path": "/nowhere"},
        ],
    }
    with pytest.raises(SandboxError) as bad:
        workspace.seed(records=records)
    assert bad.value.status_code == 400
    with workspace.client() as client:
        assert contact_emails(client) == ["first@example.com"]
        assert client.get("/tags").json()["data"] == []
    workspace.reset()
    with workspace.client() as client:
        assert contact_emails(client) == ["first@example.com"]  # the seed to return to is untouched too


def test_accept_any_token_is_capped_expires_idle_workspaces_and_names_the_new_one() -> None:
    app = create_app(Settings(accept_any_token=True, any_token_limit=2, any_token_idle_seconds=1))
    with httpx.Client(base_url="http://t", transport=SyncASGITransport(app)) as client:

        def me(token: str) -> httpx.Response:
            return client.get("/me", headers={"Authorization": f"Bearer {token}"})

        first = me("ci-job-1")
        assert first.status_code == 200
        assert first.headers["x-sandbox-workspace"] == first.json()["app"]["id_code"]
        assert "x-sandbox-workspace" not in me("ci-job-1").headers
        assert me("ci-job-2").status_code == 200
        third = me("ci-job-3")
        assert third.status_code == 401
        assert "--any-token-limit" in third.json()["errors"][0]["message"]
        time.sleep(1.1)
        assert me("ci-job-3").status_code == 200  # the idle ones were deleted to make room
        assert app.state.store.workspace(first.json()["app"]["id_code"]) is None
        assert len(app.state.any_tokens.last_used) == 1
        # An idle workspace's token was not revoked: it gets a fresh workspace; a revoked one does not.
        assert me("ci-job-1").status_code == 200
        assert client.delete("/_sandbox/tokens/ci-job-3").status_code == 204
        revoked = me("ci-job-3")
        assert revoked.status_code == 401
        assert revoked.json()["errors"][0]["code"] == "token_revoked"


@pytest.mark.parametrize("plane", ["api", "control"])
def test_calls_on_a_workspace_replaced_in_steps_wait_for_the_last_step(plane: str) -> None:
    app = create_app(Settings(seed="none"))
    store = app.state.store

    async def scenario() -> None:
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://127.0.0.1") as client:
            made = (await client.post("/_sandbox/workspaces", json={"token": "in-steps"})).json()
            other = (await client.post("/_sandbox/workspaces", json={"token": "elsewhere"})).json()

            async def answered_for(workspace: dict[str, Any], token: str) -> bool:
                if plane == "api":
                    me = await client.get("/me", headers={"Authorization": f"Bearer {token}"})
                    return bool(me.json()["app"]["id_code"] == workspace["id"])
                path = f"/_sandbox/workspaces/{workspace['id']}/snapshots"
                return (await client.post(path, json={"name": "midway"})).status_code == 201

            store.in_steps.add(made["id"])
            waiting = asyncio.ensure_future(answered_for(made, "in-steps"))
            assert await answered_for(other, "elsewhere")
            await asyncio.sleep(0.05)
            assert not waiting.done()
            store.in_steps.discard(made["id"])
            assert await waiting

    asyncio.run(scenario())


def rows_left(store: Store, workspace_id: str) -> dict[str, int]:
    """The tables still holding rows of the workspace: content, snapshots, undo log, derived."""
    names = [
        *(spec.name for spec in TABLES.values() if "workspace_id" in spec.columns),
        *store._snapshot_tables(),
        *(name for spec in DERIVED.values() for name in spec.scoped),
        "_undo",
        "contact_search",
    ]
    counted = {
        name: store.scalar(f"SELECT COUNT(*) FROM [{name}] WHERE workspace_id = ?", (workspace_id,))
        for name in names
    }
    return {name: count for name, count in counted.items() if count}


def test_a_deleted_workspaces_rows_go_in_steps_while_other_workspaces_answer() -> None:
    """The workspace is gone at once; its rows are deleted afterwards, a short transaction at a time,
    and another workspace's requests are answered between them (it used to be one transaction of the
    workspace's size, which stopped the whole server)."""
    app = create_app(Settings(seed="none", rate_limit=10**9))
    store = app.state.store

    async def scenario() -> tuple[str, int]:
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://127.0.0.1") as client:
            big = (await client.post("/_sandbox/workspaces", json={"token": "big", "seed": "demo"})).json()
            await client.post(f"/_sandbox/workspaces/{big['id']}/snapshots", json={"name": "kept"})
            await client.post("/_sandbox/workspaces", json={"token": "other"})
            assert rows_left(store, big["id"])
            deleting = asyncio.ensure_future(client.delete(f"/_sandbox/workspaces/{big['id']}"))
            meanwhile = 0
            while not deleting.done():
                await asyncio.sleep(0)  # an in-process request need not wait for anything: let others in
                me = await client.get("/me", headers={"Authorization": "Bearer other"})
                assert me.status_code == 200
                meanwhile += bool(rows_left(store, big["id"]))
            assert (await deleting).status_code == 204
            return big["id"], meanwhile

    big, meanwhile = asyncio.run(scenario())
    assert meanwhile > 10
    assert store.query("SELECT workspace_id FROM _deleted") == []
    assert rows_left(store, big) == {}


def test_rows_of_a_workspace_deleted_before_a_stop_are_deleted_after_it(tmp_path) -> None:
    path = str(tmp_path / "stopped.db")
    store = Store(path)
    workspace = provision_workspace(store, name="Big", token="big", seed="demo")
    store.delete_workspace(workspace.id)
    steps = store.sweep_steps()
    for _ in range(5):
        next(steps)
    steps.close()  # the server stopped here
    store.close()
    assert rows_left(Store(path), workspace.id)
    reopened = create_app(Settings(db=path, seed="none"))
    with TestClient(reopened):  # started: its lifespan tidies the store in the background
        deadline = time.monotonic() + 30
        while rows_left(reopened.state.store, workspace.id) and time.monotonic() < deadline:
            time.sleep(0.01)
    assert rows_left(reopened.state.store, workspace.id) == {}
