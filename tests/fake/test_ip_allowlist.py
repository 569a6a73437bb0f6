"""The IP allowlist: read, update, validation, and lock-out protection."""

import httpx

from tests.fake.test_companies import error_of

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
