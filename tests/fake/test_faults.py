"""Fault injection: errors, 429s with rate-limit headers, dropped connections, delays, counts, chance."""

import time

import httpx
import pytest

from connector import RateLimitError, ServerError
from connector.pytest_plugin import client_for
from fake_intercom import Sandbox, SandboxError, SandboxWorkspace


def test_error_rule_on_one_operation_fires_n_times(
    sandbox_workspace: SandboxWorkspace, workspace_api: httpx.Client
) -> None:
    rule = sandbox_workspace.faults.add(operation_id="CreateContact", status=503, times=2)
    for _ in range(2):
        failed = workspace_api.post("/contacts", json={"email": "ada@example.com"})
        assert failed.status_code == 503
        body = failed.json()
        assert body["type"] == "error.list" and body["request_id"]
        assert body["errors"] == [
            {"code": "service_unavailable", "message": "Service temporarily unavailable"}
        ]
    assert workspace_api.get("/contacts").status_code == 200  # another operation is untouched
    assert workspace_api.post("/contacts", json={"email": "ada@example.com"}).status_code == 200
    assert [fault["fired"] for fault in sandbox_workspace.faults.list()] == [2]
    assert sandbox_workspace.faults.list()[0]["id"] == rule["id"]


def test_custom_code_message_and_raw_body(
    sandbox_workspace: SandboxWorkspace, workspace_api: httpx.Client
) -> None:
    sandbox_workspace.faults.add(
        method="GET", path="/admins", status=403, code="api_plan_restricted", message="Nope"
    )
    sandbox_workspace.faults.add(method="GET", path="/teams", status=502, body={"html": "bad gateway"})
    assert workspace_api.get("/admins").json()["errors"] == [
        {"code": "api_plan_restricted", "message": "Nope"}
    ]
    bad_gateway = workspace_api.get("/teams")
    assert (bad_gateway.status_code, bad_gateway.json()) == (502, {"html": "bad gateway"})


def test_method_and_path_glob_must_both_match(
    sandbox_workspace: SandboxWorkspace, workspace_api: httpx.Client
) -> None:
    contact = workspace_api.post("/contacts", json={"email": "glob@example.com"}).json()
    sandbox_workspace.faults.add(method="DELETE", path="/contacts/*", status=500)
    assert workspace_api.get(f"/contacts/{contact['id']}").status_code == 200
    assert workspace_api.delete(f"/contacts/{contact['id']}").status_code == 500
    sandbox_workspace.faults.clear()
    assert workspace_api.delete(f"/contacts/{contact['id']}").status_code == 200


def test_operation_rule_matches_its_path_template_only(
    sandbox_workspace: SandboxWorkspace, workspace_api: httpx.Client
) -> None:
    contact = workspace_api.post("/contacts", json={"email": "template@example.com"}).json()
    sandbox_workspace.faults.add(operation_id="ShowContact", status=500)
    assert workspace_api.get(f"/contacts/{contact['id']}").status_code == 500
    assert workspace_api.get("/contacts").status_code == 200
    assert workspace_api.get(f"/contacts/{contact['id']}/tags").status_code == 200


def test_rate_limit_rule_sends_intercoms_429(
    sandbox_workspace: SandboxWorkspace, workspace_api: httpx.Client
) -> None:
    sandbox_workspace.faults.add(action="rate_limit", path="/me", retry_after=7, times=1)
    limited = workspace_api.get("/me")
    assert limited.status_code == 429
    assert limited.json()["errors"][0]["code"] == "rate_limit_exceeded"
    assert limited.headers["X-RateLimit-Remaining"] == "0"
    assert limited.headers["Retry-After"] == "7"
    assert int(limited.headers["X-RateLimit-Reset"]) - time.time() == pytest.approx(7, abs=2)
    assert int(limited.headers["X-RateLimit-Limit"]) > 0
    assert workspace_api.get("/me").headers["X-RateLimit-Remaining"] != "0"


def test_connector_retries_an_injected_429_and_writes_once(sandbox_workspace: SandboxWorkspace) -> None:
    sandbox_workspace.faults.add(action="rate_limit", operation_id="CreateContact", times=1, retry_after=0)
    with client_for(sandbox_workspace) as connector:
        contact = connector.call("POST", "/contacts", json={"email": "retry@example.com"})
    assert contact["email"] == "retry@example.com"
    assert [entry["status"] for entry in sandbox_workspace.journal(writes=True)] == [429, 200]
    assert len(sandbox_workspace.journal(writes=True, injected=False)) == 1


def test_connector_gives_up_when_the_fault_persists(sandbox_workspace: SandboxWorkspace) -> None:
    sandbox_workspace.faults.add(action="rate_limit", path="/me", retry_after=0)
    sandbox_workspace.faults.add(status=500, path="/admins")
    with client_for(sandbox_workspace, max_retries=2) as connector:
        with pytest.raises(RateLimitError):
            connector.call("GET", "/me")
        with pytest.raises(ServerError):
            connector.call("GET", "/admins")
    assert len(sandbox_workspace.journal(path="/me")) == 3


def test_dropped_connection_in_process_is_a_transport_error(
    sandbox_workspace: SandboxWorkspace, workspace_api
) -> None:
    sandbox_workspace.faults.add(action="drop", path="/me", times=1)
    with pytest.raises(httpx.TransportError):
        workspace_api.get("/me")
    assert workspace_api.get("/me").status_code == 200
    with client_for(sandbox_workspace, backoff=0) as connector:
        sandbox_workspace.faults.add(action="drop", path="/me", times=1)
        assert connector.call("GET", "/me")["type"] == "admin"
    dropped = sandbox_workspace.journal(injected=True)
    assert [entry["status"] for entry in dropped] == [0, 0]


def test_dropped_connection_over_http(app, server_url: str) -> None:
    with Sandbox(server_url) as sandbox:
        sandbox_workspace = sandbox.create_workspace()
        sandbox_workspace.faults.add(action="drop", path="/me", times=1)
        with httpx.Client(
            base_url=server_url, headers={"Authorization": f"Bearer {sandbox_workspace.token}"}
        ) as workspace_api:
            with pytest.raises(httpx.TransportError):
                workspace_api.get("/me")
            assert workspace_api.get("/me").status_code == 200


def test_delay_then_the_real_answer(sandbox_workspace: SandboxWorkspace, workspace_api: httpx.Client) -> None:
    sandbox_workspace.faults.add(action="delay", path="/me", latency_ms=250)
    started = time.perf_counter()
    response = workspace_api.get("/me")
    assert response.status_code == 200 and response.json()["type"] == "admin"
    assert time.perf_counter() - started >= 0.25
    assert sandbox_workspace.journal(path="/me")[0]["injected"] is False


def test_probability_is_replayable_from_its_seed(
    sandbox_workspace: SandboxWorkspace, workspace_api: httpx.Client
) -> None:
    def pattern() -> list[int]:
        sandbox_workspace.faults.clear()
        sandbox_workspace.faults.add(path="/me", status=500, probability=0.5, seed=42)
        return [workspace_api.get("/me").status_code for _ in range(20)]

    first = pattern()
    assert first == pattern()
    assert 0 < first.count(500) < 20
    sandbox_workspace.faults.clear()
    sandbox_workspace.faults.add(path="/me", status=500, probability=0.0)
    assert {workspace_api.get("/me").status_code for _ in range(10)} == {200}


def test_rules_are_per_workspace(
    asgi_transport, sandbox_workspace: SandboxWorkspace, workspace_api: httpx.Client
) -> None:
    other = sandbox_workspace.sandbox.create_workspace()
    sandbox_workspace.faults.add(status=500)
    with other.client() as other_client:
        assert other_client.get("/me").status_code == 200
    assert workspace_api.get("/me").status_code == 500


def test_faults_come_after_authentication_and_version(
    sandbox_workspace: SandboxWorkspace, workspace_api: httpx.Client
) -> None:
    sandbox_workspace.faults.add(status=500)
    assert workspace_api.get("/me", headers={"Authorization": "Bearer wrong"}).status_code == 401
    assert workspace_api.get("/me", headers={"Intercom-Version": "9.9"}).status_code == 400


def test_remove_one_rule_and_bad_rules(
    sandbox_workspace: SandboxWorkspace, workspace_api: httpx.Client
) -> None:
    rule = sandbox_workspace.faults.add(path="/me", status=500)
    sandbox_workspace.faults.remove(rule["id"])
    assert workspace_api.get("/me").status_code == 200
    with pytest.raises(SandboxError) as missing:
        sandbox_workspace.faults.remove(rule["id"])
    assert missing.value.status_code == 404
    for bad in (
        {"operation_id": "NoSuchOperation"},
        {"status": 200},
        {"action": "explode"},
        {"probability": 2},
    ):
        with pytest.raises(SandboxError) as invalid:
            sandbox_workspace.faults.add(**bad)
        assert invalid.value.status_code == 400
