"""The IP allowlist: read, update, validation, and lock-out protection."""

import asyncio

import httpx
import pytest

from fake_intercom import Settings, create_app
from tests.conftest import new_workspace
from tests.helpers.api import error_of

# httpx's ASGI transport presents every in-process call as coming from 127.0.0.1.
CALLER = "127.0.0.1"


def test_disabled_and_empty_until_set(api: httpx.Client) -> None:
    assert api.get("/ip_allowlist").json() == {"type": "ip_allowlist", "enabled": False, "ip_allowlist": []}


def test_update_round_trip_and_partial_updates(api: httpx.Client) -> None:
    body = {"enabled": True, "ip_allowlist": ["192.168.1.0/24", "10.0.0.1", "127.0.0.0/8"]}
    updated = api.put("/ip_allowlist", json=body)
    assert updated.status_code == 200, updated.text
    assert updated.json() == {"type": "ip_allowlist", **body}
    assert api.get("/ip_allowlist").json() == updated.json()
    disabled = api.put("/ip_allowlist", json={"enabled": False}).json()
    assert disabled["enabled"] is False and disabled["ip_allowlist"] == body["ip_allowlist"]


def test_lock_out_is_refused(api: httpx.Client) -> None:
    response = api.put("/ip_allowlist", json={"enabled": True, "ip_allowlist": ["192.168.1.0/24"]})
    error = error_of(response, 422)
    assert error["code"] == "parameter_invalid"
    assert error["message"] == (
        f"Your IP ({CALLER}) is not on the allowlist. Saving would lock you out of this workspace."
    )
    assert api.get("/ip_allowlist").json()["enabled"] is False
    # Disabled, any list may be saved; enabling later must still include the caller.
    assert api.put("/ip_allowlist", json={"ip_allowlist": ["192.168.1.0/24"]}).status_code == 200
    assert error_of(api.put("/ip_allowlist", json={"enabled": True}), 422)["code"] == "parameter_invalid"


def test_malformed_entries_are_refused(api: httpx.Client) -> None:
    for entry in ("300.1.1.1", "10.0.0.0/33", "not-an-ip", ""):
        error = error_of(api.put("/ip_allowlist", json={"ip_allowlist": [entry]}), 422)
        assert error["field"] == "ip_allowlist" and entry in error["message"]
    assert api.put("/ip_allowlist", json={"ip_allowlist": ["2001:db8::/32"]}).status_code == 200


# -- enforcement: requests from addresses outside an enabled allowlist are refused ------------------

OUTSIDER = "198.51.100.7"


@pytest.fixture(scope="module")
def own_app():
    # An app of this module's own: its calls come from chosen addresses, on event loops of their own.
    return create_app(Settings(seed="none"))


def call(app, address: str, token: str, method: str, path: str, json=None) -> httpx.Response:
    async def go() -> httpx.Response:
        transport = httpx.ASGITransport(app=app, client=(address, 40000))
        async with httpx.AsyncClient(
            transport=transport,
            base_url="http://fake-intercom.test",
            headers={"Authorization": f"Bearer {token}"},
        ) as client:
            return await client.request(method, path, json=json)

    return asyncio.run(go())


def enabled_workspace(app, entries: list[str]) -> tuple[str, str]:
    workspace, token = new_workspace(app)
    enabled = call(app, CALLER, token, "PUT", "/ip_allowlist", {"enabled": True, "ip_allowlist": entries})
    assert enabled.status_code == 200, enabled.text
    return workspace.id, token


def test_an_enabled_allowlist_refuses_every_other_address(own_app) -> None:
    _, token = enabled_workspace(own_app, [CALLER, "203.0.113.0/24"])
    refused = call(own_app, OUTSIDER, token, "GET", "/me")
    error = error_of(refused, 403)
    assert error["code"] == "forbidden"
    assert OUTSIDER in error["message"] and "allowlist" in error["message"]
    assert refused.headers["X-Request-Id"] == refused.json()["request_id"]
    # Writes are refused before they reach the route, the allowlist itself included.
    assert call(own_app, OUTSIDER, token, "PUT", "/ip_allowlist", {"enabled": False}).status_code == 403
    assert call(own_app, OUTSIDER, token, "POST", "/contacts", {"email": "x@example.com"}).status_code == 403
    assert call(own_app, "203.0.113.200", token, "GET", "/me").status_code == 200
    assert call(own_app, CALLER, token, "GET", "/ip_allowlist").json()["enabled"] is True
    assert call(own_app, CALLER, token, "POST", "/contacts/search", {"query": {}}).status_code != 403


def test_addresses_of_the_other_ip_version_and_unknown_clients_are_refused(own_app) -> None:
    _, token = enabled_workspace(own_app, [CALLER])
    assert call(own_app, "::1", token, "GET", "/me").status_code == 403
    assert call(own_app, "testclient", token, "GET", "/me").status_code == 403


def test_a_disabled_or_changed_allowlist_applies_from_the_next_request(own_app) -> None:
    _, token = enabled_workspace(own_app, [CALLER])
    assert call(own_app, OUTSIDER, token, "GET", "/me").status_code == 403
    widened = call(
        own_app, CALLER, token, "PUT", "/ip_allowlist", {"ip_allowlist": [CALLER, f"{OUTSIDER}/32"]}
    )
    assert widened.status_code == 200
    assert call(own_app, OUTSIDER, token, "GET", "/me").status_code == 200
    assert call(own_app, CALLER, token, "PUT", "/ip_allowlist", {"ip_allowlist": [CALLER]}).status_code == 200
    assert call(own_app, OUTSIDER, token, "GET", "/me").status_code == 403
    assert call(own_app, CALLER, token, "PUT", "/ip_allowlist", {"enabled": False}).status_code == 200
    assert call(own_app, OUTSIDER, token, "GET", "/me").status_code == 200


def test_it_is_per_workspace_and_the_control_plane_can_lift_it(own_app) -> None:
    workspace_id, token = enabled_workspace(own_app, [CALLER])
    _, other_token = new_workspace(own_app)
    assert call(own_app, OUTSIDER, other_token, "GET", "/me").status_code == 200
    # A locked-out integration is rescued through the control plane: resetting empties the allowlist.
    reset = call(
        own_app, OUTSIDER, token, "POST", f"/_sandbox/workspaces/{workspace_id}/reset", {"to": "empty"}
    )
    assert reset.status_code == 200, reset.text
    assert call(own_app, OUTSIDER, token, "GET", "/me").status_code == 200


def test_refused_requests_are_in_the_journal(own_app) -> None:
    workspace_id, token = enabled_workspace(own_app, [CALLER])
    call(own_app, OUTSIDER, token, "GET", "/me")
    journal = call(
        own_app, CALLER, token, "GET", f"/_sandbox/workspaces/{workspace_id}/journal?path=/me"
    ).json()
    assert [entry["status"] for entry in journal["data"]] == [403]
