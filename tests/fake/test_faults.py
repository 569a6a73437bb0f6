"""Fault injection: errors, 429s with rate-limit headers, dropped connections, delays, counts, chance."""

import time
from collections.abc import Iterator

import httpx
import pytest

from connector import RateLimitError, ServerError
from fake_intercom import Sandbox, SandboxError, SandboxWorkspace
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


def test_error_rule_on_one_operation_fires_n_times(workspace: SandboxWorkspace, client: httpx.Client) -> None:
    rule = workspace.faults.add(operation_id="CreateContact", status=503, times=2)
    for _ in range(2):
        failed = client.post("/contacts", json={"email": "ada@example.com"})
        assert failed.status_code == 503
        body = failed.json()
        assert body["type"] == "error.list" and body["request_id"]
        assert body["errors"] == [
            {"code": "service_unavailable", "message": "Service temporarily unavailable"}
        ]
    assert client.get("/contacts").status_code == 200  # another operation is untouched
    assert client.post("/contacts", json={"email": "ada@example.com"}).status_code == 200
    assert [fault["fired"] for fault in workspace.faults.list()] == [2]
    assert workspace.faults.list()[0]["id"] == rule["id"]


def test_custom_code_message_and_raw_body(workspace: SandboxWorkspace, client: httpx.Client) -> None:
    workspace.faults.add(method="GET", path="/admins", status=403, code="api_plan_restricted", message="Nope")
    workspace.faults.add(method="GET", path="/teams", status=502, body={"html": "bad gateway"})
    assert client.get("/admins").json()["errors"] == [{"code": "api_plan_restricted", "message": "Nope"}]
    bad_gateway = client.get("/teams")
    assert (bad_gateway.status_code, bad_gateway.json()) == (502, {"html": "bad gateway"})


def test_method_and_path_glob_must_both_match(workspace: SandboxWorkspace, client: httpx.Client) -> None:
    contact = client.post("/contacts", json={"email": "glob@example.com"}).json()
    workspace.faults.add(method="DELETE", path="/contacts/*", status=500)
    assert client.get(f"/contacts/{contact['id']}").status_code == 200
    assert client.delete(f"/contacts/{contact['id']}").status_code == 500
    workspace.faults.clear()
    assert client.delete(f"/contacts/{contact['id']}").status_code == 200


def test_operation_rule_matches_its_path_template_only(
    workspace: SandboxWorkspace, client: httpx.Client
) -> None:
    contact = client.post("/contacts", json={"email": "template@example.com"}).json()
    workspace.faults.add(operation_id="ShowContact", status=500)
    assert client.get(f"/contacts/{contact['id']}").status_code == 500
    assert client.get("/contacts").status_code == 200
    assert client.get(f"/contacts/{contact['id']}/tags").status_code == 200


def test_rate_limit_rule_sends_intercoms_429(workspace: SandboxWorkspace, client: httpx.Client) -> None:
    workspace.faults.add(action="rate_limit", path="/me", retry_after=7, times=1)
    limited = client.get("/me")
    assert limited.status_code == 429
    assert limited.json()["errors"][0]["code"] == "rate_limit_exceeded"
    assert limited.headers["X-RateLimit-Remaining"] == "0"
    assert limited.headers["Retry-After"] == "7"
    assert int(limited.headers["X-RateLimit-Reset"]) - time.time() == pytest.approx(7, abs=2)
    assert int(limited.headers["X-RateLimit-Limit"]) > 0
    assert client.get("/me").headers["X-RateLimit-Remaining"] != "0"


def test_connector_retries_an_injected_429_and_writes_once(workspace: SandboxWorkspace) -> None:
    workspace.faults.add(action="rate_limit", operation_id="CreateContact", times=1, retry_after=0)
    with workspace.connector() as connector:
        contact = connector.call("POST", "/contacts", json={"email": "retry@example.com"})
    assert contact["email"] == "retry@example.com"
    assert [entry["status"] for entry in workspace.journal(writes=True)] == [429, 200]
    assert len(workspace.journal(writes=True, injected=False)) == 1


def test_connector_gives_up_when_the_fault_persists(workspace: SandboxWorkspace) -> None:
    workspace.faults.add(action="rate_limit", path="/me", retry_after=0)
    workspace.faults.add(status=500, path="/admins")
    with workspace.connector(max_retries=2) as connector:
        with pytest.raises(RateLimitError):
            connector.call("GET", "/me")
        with pytest.raises(ServerError):
            connector.call("GET", "/admins")
    assert len(workspace.journal(path="/me")) == 3


def test_dropped_connection_in_process_is_a_transport_error(workspace: SandboxWorkspace, client) -> None:
    workspace.faults.add(action="drop", path="/me", times=1)
    with pytest.raises(httpx.TransportError):
        client.get("/me")
    assert client.get("/me").status_code == 200
    with workspace.connector(backoff=0) as connector:
        workspace.faults.add(action="drop", path="/me", times=1)
        assert connector.call("GET", "/me")["type"] == "admin"
    dropped = workspace.journal(injected=True)
    assert [entry["status"] for entry in dropped] == [0, 0]


def test_dropped_connection_over_http(app, server_url: str) -> None:
    with Sandbox(server_url) as sandbox:
        workspace = sandbox.create_workspace()
        workspace.faults.add(action="drop", path="/me", times=1)
        with httpx.Client(
            base_url=server_url, headers={"Authorization": f"Bearer {workspace.token}"}
        ) as client:
            with pytest.raises(httpx.TransportError):
                client.get("/me")
            assert client.get("/me").status_code == 200


def test_delay_then_the_real_answer(workspace: SandboxWorkspace, client: httpx.Client) -> None:
    workspace.faults.add(action="delay", path="/me", latency_ms=250)
    started = time.perf_counter()
    response = client.get("/me")
    assert response.status_code == 200 and response.json()["type"] == "admin"
    assert time.perf_counter() - started >= 0.25
    assert workspace.journal(path="/me")[0]["injected"] is False


def test_probability_is_replayable_from_its_seed(workspace: SandboxWorkspace, client: httpx.Client) -> None:
    def pattern() -> list[int]:
        workspace.faults.clear()
        workspace.faults.add(path="/me", status=500, probability=0.5, seed=42)
        return [client.get("/me").status_code for _ in range(20)]

    first = pattern()
    assert first == pattern()
    assert 0 < first.count(500) < 20
    workspace.faults.clear()
    workspace.faults.add(path="/me", status=500, probability=0.0)
    assert {client.get("/me").status_code for _ in range(10)} == {200}


def test_rules_are_per_workspace(asgi_transport, workspace: SandboxWorkspace, client: httpx.Client) -> None:
    other = workspace.sandbox.create_workspace()
    workspace.faults.add(status=500)
    with other.client() as other_client:
        assert other_client.get("/me").status_code == 200
    assert client.get("/me").status_code == 500


def test_faults_come_after_authentication_and_version(
    workspace: SandboxWorkspace, client: httpx.Client
) -> None:
    workspace.faults.add(status=500)
    assert client.get("/me", headers={"Authorization": "Bearer wrong"}).status_code == 401
    assert client.get("/me", headers={"Intercom-Version": "9.9"}).status_code == 400


def test_remove_one_rule_and_bad_rules(workspace: SandboxWorkspace, client: httpx.Client) -> None:
    rule = workspace.faults.add(path="/me", status=500)
    workspace.faults.remove(rule["id"])
    assert client.get("/me").status_code == 200
    with pytest.raises(SandboxError) as missing:
        workspace.faults.remove(rule["id"])
    assert missing.value.status_code == 404
    for bad in (
        {"operation_id": "NoSuchOperation"},
        {"status": 200},
        {"action": "explode"},
        {"probability": 2},
    ):
        with pytest.raises(SandboxError) as invalid:
            workspace.faults.add(**bad)
        assert invalid.value.status_code == 400
