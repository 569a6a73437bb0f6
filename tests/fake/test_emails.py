"""Email settings: the workspace's sender addresses."""

import httpx

from fake_intercom.resources.emails import create_email_setting
from tests.helpers.api import domain_of, error_of


def test_list_and_retrieve(api: httpx.Client, app, workspace) -> None:
    assert api.get("/emails").json() == {"type": "list", "data": []}
    store, ws = domain_of(app, workspace)
    first = create_email_setting(store, ws, "Support@Company.test", ws.id, forwarding_enabled=True)
    second = create_email_setting(store, ws, "hello@company.test", ws.id, verified=False)
    listed = api.get("/emails").json()["data"]
    assert [item["id"] for item in listed] == [first["id"], second["id"]]
    got = api.get(f"/emails/{first['id']}").json()
    assert got["type"] == "email_setting" and got["domain"] == "company.test"
    assert got["brand_id"] == ws.id and got["forwarding_enabled"] is True
    assert got["forwarded_email_last_received_at"] is None
    assert api.get(f"/brands/{ws.id}").json()["default_address_settings_id"] == first["id"]


def test_unknown_email_setting(api: httpx.Client) -> None:
    error = error_of(api.get("/emails/999"), 404)
    assert error == {"code": "not_found", "message": "Email setting not found"}


def test_demo_workspace_has_brands_addresses_and_the_rest(app) -> None:
    """One demo seed checks every demo hook of brief D's resources."""
    from tests.conftest import new_workspace

    ws, _token = new_workspace(app, "demo")
    store = app.state.store

    def count(table: str) -> int:
        return int(store.scalar(f"SELECT COUNT(*) FROM {table} WHERE workspace_id = ?", (ws.id,)))

    brands = store.query("SELECT id FROM brands WHERE workspace_id = ?", (ws.id,))
    emails = store.query("SELECT brand_id FROM email_settings WHERE workspace_id = ?", (ws.id,))
    assert len(brands) == 2 and len(emails) == 3
    assert {row["brand_id"] for row in emails} == {row["id"] for row in brands}
    assert count("away_status_reasons") == 4 and count("workflows") == 3 and count("calls") == 8
    assert count("custom_object_types") == 2 and count("custom_object_instances") == 18
