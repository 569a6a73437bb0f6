"""The request journal: what a sandbox_workspace was asked and what it answered, filterable and clearable."""

import contextlib

import httpx
import pytest

from fake_intercom import Sandbox, SandboxWorkspace, Settings
from fake_intercom.journal import Journal


def test_each_request_and_its_answer_are_recorded(
    sandbox_workspace: SandboxWorkspace, workspace_api: httpx.Client
) -> None:
    created = workspace_api.post("/contacts", json={"email": "ada@example.com", "name": "Ada"})
    workspace_api.get("/contacts", params={"per_page": 5})
    workspace_api.get("/contacts/does-not-exist")
    write, listing, missing = sandbox_workspace.journal()
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


def test_the_headers_that_matter_and_the_token_are_recorded(
    sandbox_workspace: SandboxWorkspace, workspace_api: httpx.Client
) -> None:
    second = sandbox_workspace.add_token()
    workspace_api.post(
        "/contacts",
        content=b'{"email": "h@example.com"}',
        headers={
            "Authorization": f"Bearer {second}",
            "Intercom-Version": "2.16",
            "Content-Type": "application/json; charset=utf-8",
            "Accept": "application/json",
            "X-Not-Kept": "secret",
        },
    )
    bare = workspace_api.build_request("GET", "/me")
    del bare.headers["Accept"]
    workspace_api.send(bare)
    sent, bare_entry = sandbox_workspace.journal()
    assert sent["token"] == second
    assert sent["request_headers"] == {
        "Accept": "application/json",
        "Content-Type": "application/json; charset=utf-8",
        "Intercom-Version": "2.16",
    }
    # Only what was sent: no Intercom-Version header means none recorded (the workspace default answered).
    assert bare_entry["token"] == sandbox_workspace.token
    assert bare_entry["request_headers"] == {}


def test_recorded_headers_count_in_the_byte_budget() -> None:
    journal = Journal()
    plain = journal.start("w", "r1", 0.0, 0, "GET", "/me", b"")
    before = journal.total_bytes
    headers = {"Accept": "a" * 10_000, "Intercom-Version": "2.15"}
    entry = journal.start("w", "r2", 0.0, 0, "GET", "/me", b"", token="t" * 100, headers=headers)
    assert entry.cost == plain.cost + 100 + sum(len(name) + len(value) for name, value in headers.items())
    assert journal.total_bytes == before + entry.cost
    journal.clear("w")
    assert journal.total_bytes == 0


def test_filters(sandbox_workspace: SandboxWorkspace, workspace_api: httpx.Client) -> None:
    contact = workspace_api.post("/contacts", json={"email": "f@example.com"}).json()
    workspace_api.get(f"/contacts/{contact['id']}")
    workspace_api.put(f"/contacts/{contact['id']}", json={"name": "F"})
    workspace_api.get("/me")
    assert [e["method"] for e in sandbox_workspace.journal(writes=True)] == ["POST", "PUT"]
    assert [e["path"] for e in sandbox_workspace.journal(writes=False)] == [
        f"/contacts/{contact['id']}",
        "/me",
    ]
    assert [e["operation_id"] for e in sandbox_workspace.journal(path="/contacts/*")] == [
        "ShowContact",
        "UpdateContact",
    ]
    assert len(sandbox_workspace.journal(method="get")) == 2
    assert len(sandbox_workspace.journal(operation_id="UpdateContact")) == 1
    assert len(sandbox_workspace.journal(status=200)) == 4
    first = sandbox_workspace.journal()[0]["id"]
    assert len(sandbox_workspace.journal(after=first)) == 3
    assert [e["path"] for e in sandbox_workspace.journal(limit=1)] == ["/me"]


def test_clear_and_isolation(sandbox_workspace: SandboxWorkspace, workspace_api: httpx.Client) -> None:
    other = sandbox_workspace.sandbox.create_workspace()
    workspace_api.get("/me")
    with other.client() as other_client:
        other_client.get("/admins")
    assert [e["path"] for e in sandbox_workspace.journal()] == ["/me"]
    assert [e["path"] for e in other.journal()] == ["/admins"]
    sandbox_workspace.clear_journal()
    assert sandbox_workspace.journal() == []
    assert len(other.journal()) == 1


def test_rejected_requests_are_marked_injected(
    sandbox_workspace: SandboxWorkspace, workspace_api: httpx.Client
) -> None:
    fault = sandbox_workspace.faults.add(path="/me", status=500, times=1)
    workspace_api.get("/me")
    workspace_api.get("/me")
    injected, real = sandbox_workspace.journal()
    assert (injected["status"], injected["injected"], injected["fault"]) == (500, True, fault["id"])
    assert (real["status"], real["injected"], real["fault"]) == (200, False, None)
    assert sandbox_workspace.journal(injected=False) == [real]


@pytest.mark.parametrize("action", ["error", "rate_limit", "drop"])
def test_a_request_answered_by_a_fault_is_journaled_with_its_body(
    sandbox_workspace: SandboxWorkspace, workspace_api: httpx.Client, action: str
) -> None:
    """What the client sent, even though no route read it: a retried write shows as the same body twice."""
    sandbox_workspace.faults.add(action=action, operation_id="CreateContact", times=1, retry_after=0)
    with contextlib.suppress(httpx.TransportError):
        workspace_api.post("/contacts", json={"email": "ada@example.com"})
    workspace_api.post("/contacts", json={"email": "ada@example.com"})
    injected, real = sandbox_workspace.journal()
    assert injected["injected"] and not real["injected"]
    assert injected["request_body"] == real["request_body"] == {"email": "ada@example.com"}


def test_rate_limited_requests_are_journaled() -> None:
    with Sandbox.in_process(rate_limit=1) as sandbox:
        sandbox_workspace = sandbox.create_workspace()
        with sandbox_workspace.client() as workspace_api:
            workspace_api.get("/me")
            assert workspace_api.get("/me").status_code == 429
            workspace_api.post("/contacts", json={"email": "limited@example.com"})
        assert [(e["status"], e["injected"]) for e in sandbox_workspace.journal()] == [
            (200, False),
            (429, True),
            (429, True),
        ]
        assert sandbox_workspace.journal()[-1]["request_body"] == {"email": "limited@example.com"}


def test_journal_can_be_switched_off() -> None:
    with Sandbox.in_process(Settings(journal=False)) as sandbox:
        sandbox_workspace = sandbox.create_workspace()
        with sandbox_workspace.client() as workspace_api:
            workspace_api.get("/me")
        assert sandbox_workspace.journal() == []


def test_large_bodies_are_truncated_not_refused(
    sandbox_workspace: SandboxWorkspace, workspace_api: httpx.Client
) -> None:
    response = workspace_api.post("/contacts", json={"email": "big@example.com", "name": "x" * 100_000})
    assert response.status_code in (200, 400)
    entry = sandbox_workspace.journal()[0]
    assert entry["request_truncated"] and entry["request_size"] > 100_000
    assert entry["request_body"].endswith(
        f"[truncated: the first {64 * 1024} of {entry['request_size']} bytes]"
    )


def _fill(journal: Journal, workspace_id: str, count: int, body: bytes) -> None:
    for index in range(count):
        entry = journal.start(workspace_id, f"r{index}", 0.0, 0, "POST", "/contacts", b"")
        journal.record_request(entry, body)
        journal.record_response(entry, body)


def test_the_journal_keeps_to_its_byte_budgets() -> None:
    journal = Journal(size=5_000, workspace_budget=1_000_000, total_budget=1_500_000)
    big = b"x" * 100_000
    _fill(journal, "busy", 50, big)
    kept = journal.entries("busy")
    assert sum(entry.cost for entry in kept) <= 1_000_000
    assert len(kept) == 1_000_000 // kept[0].cost and kept[-1].request_id == "r49"  # the newest stay
    _fill(journal, "other", 50, big)
    assert journal.total_bytes <= 1_500_000
    assert journal.entries("other")[-1].request_id == "r49"
    assert len(journal.entries("busy")) < len(kept)  # the oldest entries of any workspace went first
    journal.clear("other")
    journal.clear("busy")
    assert journal.total_bytes == 0


def test_a_body_larger_than_the_cut_costs_only_the_cut() -> None:
    journal = Journal()
    _fill(journal, "w", 1, b"y" * 1_000_000)
    (entry,) = journal.entries("w")
    assert entry.request_size == 1_000_000 and len(entry.request_body) == 64 * 1024
    assert journal.total_bytes < 2 * 64 * 1024 + 2_000


def test_the_journal_read_is_paged(sandbox_workspace: SandboxWorkspace, workspace_api: httpx.Client) -> None:
    for _ in range(7):
        workspace_api.get("/me")
    first = sandbox_workspace.journal_page(per_page=3)
    assert len(first["data"]) == 3 and first["total_count"] == 7
    second = sandbox_workspace.journal_page(per_page=3, after=first["pages"]["next"]["after"])
    assert second["data"][0]["id"] > first["data"][-1]["id"]
    assert len(sandbox_workspace.journal()) == 7  # the client reads every page
    last = sandbox_workspace.journal_page(per_page=10)
    assert last["pages"].get("next") is None
