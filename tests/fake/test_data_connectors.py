"""Data connectors and their execution results (2.16)."""

import httpx

from tests.fake.test_office_hours import V216, error_of
from tests.helpers.api import domain_of

ORDER_LOOKUP = {
    "name": "Get Order Status",
    "http_method": "get",
    "url": "https://api.example.com/orders/{{order_id}}/status",
    "audiences": ["leads", "visitors"],
    "headers": [{"name": "Content-Type", "value": "application/json"}],
    "data_inputs": [{"name": "order_id", "type": "string", "description": "The order", "required": True}],
    "validate_missing_attributes": True,
}


def new_connector(api: httpx.Client, **fields) -> dict:
    response = api.post("/data_connectors", json={"name": "My Connector", **fields}, headers=V216)
    assert response.status_code == 201, response.text
    return response.json()


def executions(api: httpx.Client, connector_id: str, **params) -> dict:
    response = api.get(f"/data_connectors/{connector_id}/execution_results", params=params, headers=V216)
    assert response.status_code == 200, response.text
    return response.json()


def test_create_minimal_and_full(api: httpx.Client, workspace) -> None:
    minimal = new_connector(api)
    assert minimal["state"] == "draft" and minimal["http_method"] == "get"
    assert minimal["created_by_admin_id"] == workspace[0].owner_admin_id
    assert minimal["execution_results_url"] == f"/data_connectors/{minimal['id']}/execution_results"
    assert minimal["created_at"].endswith("Z") and minimal["response_fields"] == []
    assert executions(api, minimal["id"])["data"] == []
    full = new_connector(api, **ORDER_LOOKUP)
    assert full["data_inputs"] == [
        {
            "name": "order_id",
            "type": "string",
            "description": "The order",
            "required": True,
            "default_value": "",
        }
    ]
    assert (
        full["audiences"] == ["leads", "visitors"]
        and full["configuration_response_type"] == "test_response_type"
    )
    assert api.get(f"/data_connectors/{full['id']}", headers=V216).json() == full


def test_mock_response_generates_fields_and_runs_succeed(api: httpx.Client) -> None:
    connector = new_connector(
        api,
        **{**ORDER_LOOKUP, "data_inputs": [{"name": "order_id", "default_value": "A1"}]},
        mock_response={"order": {"id": 12345, "status": "shipped", "paid": True}},
    )
    assert connector["configuration_response_type"] == "mock_response_type"
    assert connector["response_fields"] == [
        {"path": "order.id", "type": "integer", "example_value": "12345", "redacted": False},
        {"path": "order.status", "type": "string", "example_value": "shipped", "redacted": False},
        {"path": "order.paid", "type": "boolean", "example_value": "true", "redacted": False},
    ]
    [run] = executions(api, connector["id"])["data"]
    assert run["success"] is True and run["http_status"] == 200 and "response_body" not in run
    assert run["request_url"] == "https://api.example.com/orders/A1/status"
    shown = api.get(f"/data_connectors/{connector['id']}/execution_results/{run['id']}", headers=V216).json()
    assert shown["response_body"] == '{"order":{"id":12345,"status":"shipped","paid":true}}'
    assert shown["request_body"] is None and shown["raw_response_body"] == shown["response_body"]
    with_bodies = executions(api, connector["id"], include_bodies="true")["data"][0]
    assert with_bodies["response_body"] == shown["response_body"]


def test_failed_runs_are_recorded_and_filtered(api: httpx.Client, app, workspace) -> None:
    store, ws = domain_of(app, workspace)
    connector = new_connector(api, **ORDER_LOOKUP)
    [missing] = executions(api, connector["id"])["data"]
    assert missing["success"] is False and missing["error_type"] == "request_validation_error"
    store.update_workspace(store.workspace(ws.id), clock_offset=5)
    api.patch(
        f"/data_connectors/{connector['id']}", json={"validate_missing_attributes": False}, headers=V216
    )
    # Not a change to the request: nothing runs.
    assert len(executions(api, connector["id"])["data"]) == 1
    api.patch(f"/data_connectors/{connector['id']}", json={"url": "https://x.test/{{nope}}"}, headers=V216)
    newest = executions(api, connector["id"])["data"]
    assert [r["error_type"] for r in newest] == ["request_configuration_error", "request_validation_error"]
    only = executions(api, connector["id"], error_type="request_configuration_error")["data"]
    assert len(only) == 1 and executions(api, connector["id"], success="true")["data"] == []
    first = executions(api, connector["id"], per_page=1)
    assert len(first["data"]) == 1 and first["pages"]["next"]["starting_after"]
    second = executions(
        api, connector["id"], per_page=1, starting_after=first["pages"]["next"]["starting_after"]
    )
    assert second["data"][0]["id"] == missing["id"] and second["pages"]["next"] is None
    assert executions(api, connector["id"], start_ts=0, end_ts=1)["data"] == []
    bad = api.get(
        f"/data_connectors/{connector['id']}/execution_results", params={"error_type": "x"}, headers=V216
    )
    assert error_of(bad, 400)["code"] == "parameter_invalid"
    stamp = api.get(
        f"/data_connectors/{connector['id']}/execution_results", params={"start_ts": "y"}, headers=V216
    )
    assert error_of(stamp, 400)["message"] == "start_ts must be a Unix timestamp (integer)"
    gone = api.get(f"/data_connectors/{connector['id']}/execution_results/1", headers=V216)
    assert error_of(gone, 404)["code"] == "execution_result_not_found"


def test_live_and_draft_versions_and_delete(api: httpx.Client) -> None:
    connector = new_connector(api, name="Original")
    assert error_of(
        api.get(f"/data_connectors/{connector['id']}", params={"state_version": "x"}, headers=V216), 400
    )
    live = api.patch(f"/data_connectors/{connector['id']}", json={"state": "live"}, headers=V216).json()
    assert live["state"] == "live"
    conflict = api.delete(f"/data_connectors/{connector['id']}", headers=V216)
    assert error_of(conflict, 409) == {
        "code": "conflict",
        "message": "Data connector must be in draft state to be deleted",
    }
    api.patch(f"/data_connectors/{connector['id']}", json={"state": "draft"}, headers=V216)
    api.patch(f"/data_connectors/{connector['id']}", json={"name": "Edited"}, headers=V216)
    assert api.get(f"/data_connectors/{connector['id']}", headers=V216).json()["name"] == "Original"
    draft = api.get(
        f"/data_connectors/{connector['id']}", params={"state_version": "draft"}, headers=V216
    ).json()
    assert draft["name"] == "Edited" and draft["state"] == "draft"
    removed = api.delete(f"/data_connectors/{connector['id']}", headers=V216).json()
    assert removed == {"id": connector["id"], "object": "data_connector", "deleted": True}
    assert (
        error_of(api.get(f"/data_connectors/{connector['id']}", headers=V216), 404)["code"]
        == "data_connector_not_found"
    )


def test_validation(api: httpx.Client) -> None:
    assert error_of(api.post("/data_connectors", json={}, headers=V216), 422)["message"] == "Name is required"
    audiences = api.post("/data_connectors", json={"name": "x", "audiences": ["admins"]}, headers=V216)
    assert (
        error_of(audiences, 422)["message"]
        == "Invalid audiences. Must be a subset of: leads, users, visitors"
    )
    connector = new_connector(api)
    method = api.patch(f"/data_connectors/{connector['id']}", json={"http_method": "head"}, headers=V216)
    assert error_of(method, 422)["message"] == "Http Method isn't an option"
    state = api.patch(f"/data_connectors/{connector['id']}", json={"state": "on"}, headers=V216)
    assert error_of(state, 422)["message"] == "Invalid state. Must be one of: draft, live"
    assert api.get(f"/data_connectors/{connector['id']}", headers=V216).json() == connector


def test_list_newest_update_first_with_cursor(api: httpx.Client, app, workspace) -> None:
    store, ws = domain_of(app, workspace)
    ids = []
    for index in range(3):
        store.update_workspace(store.workspace(ws.id), clock_offset=index)
        ids.append(new_connector(api, name=f"C{index}")["id"])
    store.update_workspace(store.workspace(ws.id), clock_offset=10)
    api.patch(f"/data_connectors/{ids[0]}", json={"description": "touched"}, headers=V216)
    first = api.get("/data_connectors", params={"per_page": 2}, headers=V216).json()
    assert [c["id"] for c in first["data"]] == [ids[0], ids[2]]
    assert set(first["data"][0]) == {
        "type", "id", "name", "description", "state", "http_method", "direct_fin_usage", "created_by_admin_id",
        "updated_by_admin_id", "created_at", "updated_at", "execution_results_url",
    }  # fmt: skip
    cursor = first["pages"]["next"]["starting_after"]
    second = api.get(
        "/data_connectors", params={"per_page": 2, "starting_after": cursor}, headers=V216
    ).json()
    assert [c["id"] for c in second["data"]] == [ids[1]]
    # Cursor pages as the description shows them: `next` is {starting_after} or null, no page numbers.
    assert first["pages"] == {"type": "pages", "per_page": 2, "next": {"starting_after": cursor}}
    assert second["pages"] == {"type": "pages", "per_page": 2, "next": None}
    assert (
        error_of(api.get("/data_connectors", params={"starting_after": "bad"}, headers=V216), 400)["code"]
        == "client_error"
    )
    assert error_of(api.get("/data_connectors", params={"per_page": 51}, headers=V216), 400)


def test_only_in_216(api: httpx.Client) -> None:
    assert error_of(api.get("/data_connectors"), 400)["code"] == "intercom_version_invalid"


def test_a_connector_without_body_template_has_no_body(api: httpx.Client) -> None:
    connector = new_connector(api)
    assert (
        "body" not in connector
        and "body" not in api.get(f"/data_connectors/{connector['id']}", headers=V216).json()
    )
    posting = new_connector(api, http_method="post", body='{"text": "{{message}}"}')
    assert posting["body"] == '{"text": "{{message}}"}'
