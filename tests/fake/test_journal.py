"""The request journal: what a workspace was asked and what it answered, filterable and clearable."""

from collections.abc import Iterator

import httpx
import pytest

from fake_intercom import Sandbox, SandboxWorkspace, Settings
from fake_intercom.sandbox_client import IN_PROCESS_URL


@pytest.fixture
def workspace(asgi_transport) -> Iterator[SandboxWorkspace]:
    with Sandbox(IN_PROCESS_URL, transport=asgi_transport) as sandbox:
        workspace = sandbox.create_workspace()
        yield workspace
        workspace.delete()


@pytest.fixture
def client(workspace: SandboxWorkspace) -> Iterator[httpx.Client]:
    with workspace.client() as client:
        yield client


def test_each_request_and_its_answer_are_recorded(workspace: SandboxWorkspace, client: httpx.Client) -> None:
    created = client.post("/contacts", json={"email": "ada@example.com", "name": "Ada"})
    client.get("/contacts", params={"per_page": 5})
    client.get("/contacts/does-not-exist")
    write, listing, missing = workspace.journal()
    assert write["method"] == "POST" and write["path"] == "/contacts"
    assert write["operation_id"] == "CreateContact"
    assert write["request_body"] == {"email": "ada@example.com", "name": "Ada"}
    assert write["status"] == 200
    assert write["response_body"]["id"] == created.json()["id"]
    assert write["request_id"] == created.headers["X-Request-Id"]
    assert write["duration_ms"] >= 0 and write["workspace_time"] > 0
    assert listing["query"] == {"per_page": "5"} and listing["operation_id"] == "ListContacts"
    assert missing["status"] == 404 and missing["response_body"]["errors"][0]["code"]
    assert write["id"] < listing["id"] < missing["id"]


def test_filters(workspace: SandboxWorkspace, client: httpx.Client) -> None:
    contact = client.post("/contacts", json={"email": "f@example.com"}).json()
    client.get(f"/contacts/{contact['id']}")
    client.put(f"/contacts/{contact['id']}", json={"name": "F"})
    client.get("/me")
    assert [e["method"] for e in workspace.journal(writes=True)] == ["POST", "PUT"]
    assert [e["path"] for e in workspace.journal(writes=False)] == [f"/contacts/{contact['id']}", "/me"]
    assert [e["operation_id"] for e in workspace.journal(path="/contacts/*")] == [
        "ShowContact",
        "UpdateContact",
    ]
    assert len(workspace.journal(method="get")) == 2
    assert len(workspace.journal(operation_id="UpdateContact")) == 1
    assert len(workspace.journal(status=200)) == 4
    first = workspace.journal()[0]["id"]
    assert len(workspace.journal(after=first)) == 3
    assert [e["path"] for e in workspace.journal(limit=1)] == ["/me"]


def test_clear_and_isolation(workspace: SandboxWorkspace, client: httpx.Client) -> None:
    other = workspace.sandbox.create_workspace()
    client.get("/me")
    with other.client() as other_client:
        other_client.get("/admins")
    assert [e["path"] for e in workspace.journal()] == ["/me"]
    assert [e["path"] for e in other.journal()] == ["/admins"]
    workspace.clear_journal()
    assert workspace.journal() == []
    assert len(other.journal()) == 1


def test_rejected_requests_are_marked_injected(workspace: SandboxWorkspace, client: httpx.Client) -> None:
    fault = workspace.faults.add(path="/me", status=500, times=1)
    client.get("/me")
    client.get("/me")
    injected, real = workspace.journal()
    assert (injected["status"], injected["injected"], injected["fault"]) == (500, True, fault["id"])
    assert (real["status"], real["injected"], real["fault"]) == (200, False, None)
    assert workspace.journal(injected=False) == [real]


def test_rate_limited_requests_are_journaled() -> None:
    with Sandbox.in_process(rate_limit=1) as sandbox:
        workspace = sandbox.create_workspace()
        with workspace.client() as client:
            client.get("/me")
            assert client.get("/me").status_code == 429
        assert [(e["status"], e["injected"]) for e in workspace.journal()] == [(200, False), (429, True)]


def test_journal_can_be_switched_off() -> None:
    with Sandbox.in_process(Settings(journal=False)) as sandbox:
        workspace = sandbox.create_workspace()
        with workspace.client() as client:
            client.get("/me")
        assert workspace.journal() == []


def test_large_bodies_are_truncated_not_refused(workspace: SandboxWorkspace, client: httpx.Client) -> None:
    response = client.post("/contacts", json={"email": "big@example.com", "name": "x" * 100_000})
    assert response.status_code in (200, 400)
    entry = workspace.journal()[0]
    assert isinstance(entry["request_body"], str) and len(entry["request_body"]) == 64 * 1024
