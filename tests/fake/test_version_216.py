"""What changes between Intercom-Version 2.15 and 2.16 (FIDELITY.md §2.3-2.4), for brief E's resources."""

import re

import httpx
import pytest

from contracts.operations import OPERATIONS
from tests.helpers.api import new_contact

V215 = {"Intercom-Version": "2.15"}
V216 = {"Intercom-Version": "2.16"}
RESOURCES = {
    "macros",
    "office_hours",
    "conversation_attributes",
    "data_connectors",
    "audiences",
    "banners",
    "teams",
    "admins",
    "contacts",
    "notes",
}
NEW_IN_216 = sorted(
    (op for op in OPERATIONS.values() if op.since == "2.16" and op.resource in RESOURCES),
    key=lambda op: op.operation_id,
)
# Passes every request model of these operations, so what answers is the version gate.
VALID_BODY = {
    "name": "x",
    "time_zone_name": "UTC",
    "time_intervals": [],
    "exception_date": "2026-01-01",
    "exception_type": "closed",
    "data_type": "string",
    "label": "x",
    "created_at_after": 0,
    "body": "x",
}


def test_every_new_operation_is_covered() -> None:
    assert len(NEW_IN_216) == 39


@pytest.mark.parametrize("operation", NEW_IN_216, ids=lambda op: op.operation_id)
def test_new_operations_are_refused_on_215(api: httpx.Client, operation) -> None:
    path = re.sub(r"\{[^}]+\}", "1", operation.path)
    body = VALID_BODY if operation.method in ("POST", "PUT", "PATCH") else None
    response = api.request(operation.method, path, json=body, headers=V215)
    assert response.status_code == 400, response.text
    assert response.json()["errors"][0] == {
        "code": "intercom_version_invalid",
        "message": "Requested resource is not available in current API version.",
    }
    # 2.16 answers it: found or not, never the version error.
    answered = api.request(operation.method, path, json=body, headers=V216)
    assert "intercom_version_invalid" not in answered.text


def test_contact_owner_id_is_a_string_from_216(api: httpx.Client, workspace) -> None:
    owner = workspace[0].owner_admin_id
    contact = api.post("/contacts", json={"email": "own@example.com", "owner_id": int(owner)}).json()
    assert api.get(f"/contacts/{contact['id']}", headers=V215).json()["owner_id"] == int(owner)
    assert api.get(f"/contacts/{contact['id']}", headers=V216).json()["owner_id"] == owner


def test_merged_contact_is_404_then_410(api: httpx.Client) -> None:
    user = new_contact(api, "same@example.com")
    lead = api.post("/contacts", json={"role": "lead", "email": "same@example.com"}).json()["id"]
    assert api.post("/contacts/merge", json={"from": lead, "into": user}, headers=V216).status_code == 200
    old = api.get(f"/contacts/{lead}", headers=V215)
    assert old.status_code == 404 and "Link" not in old.headers
    new = api.get(f"/contacts/{lead}", headers=V216)
    assert new.status_code == 410 and new.json()["errors"][0]["code"] == "contact_merged"
    assert new.headers["Link"] == f'</contacts/{user}>; rel="canonical"'
    history = api.get(f"/contacts/{user}/merge_history", headers=V216).json()["data"]
    assert [entry["source_contact_id"] for entry in history] == [lead]


def test_merge_of_non_duplicates_needs_skip_from_216(api: httpx.Client) -> None:
    user = new_contact(api, "a@example.com")
    lead = api.post("/contacts", json={"role": "lead", "email": "b@example.com"}).json()["id"]
    refused = api.post("/contacts/merge", json={"from": lead, "into": user}, headers=V216)
    assert refused.status_code == 400 and refused.json()["errors"][0]["code"] == "invalid_merge"
    assert api.get(f"/contacts/{lead}").status_code == 200
    assert api.post("/contacts/merge", json={"from": lead, "into": user}, headers=V215).status_code == 200


def test_contact_search_sort_order_is_checked_from_216(api: httpx.Client) -> None:
    body = {
        "query": {"field": "role", "operator": "=", "value": "user"},
        "sort": {"field": "created_at", "order": "newest"},
    }
    assert api.post("/contacts/search", json=body, headers=V215).status_code == 200
    refused = api.post("/contacts/search", json=body, headers=V216)
    assert refused.status_code == 400 and refused.json()["errors"][0]["code"] == "invalid_sort_order"


def test_conversation_data_attributes_move_in_216(api: httpx.Client) -> None:
    listed = api.get("/data_attributes", params={"model": "conversation"}, headers=V215)
    assert listed.status_code == 200 and listed.json()["data"]
    assert api.get("/data_attributes", params={"model": "conversation"}, headers=V216).status_code == 422
    assert api.get("/conversations/attributes", headers=V216).status_code == 200


def test_demo_seed_has_the_216_resources(app, asgi_transport) -> None:
    from tests.conftest import _client, new_workspace

    _, token = new_workspace(app, "demo")
    with _client("http://fake-intercom.test", token, asgi_transport) as api:
        macros = api.get("/macros", headers=V216).json()["data"]
        assert macros and any('<attribute key="user.first_name"' in macro["body"] for macro in macros)
        schedules = api.get("/office_hours_schedules", headers=V216).json()["data"]
        assert [s["twenty_four_seven"] for s in schedules] == [False, True]
        exceptions = api.get(
            f"/office_hours_schedules/{schedules[0]['id']}/office_hours_exceptions", headers=V216
        )
        assert len(exceptions.json()["data"]) == 2
        attributes = api.get("/conversations/attributes", headers=V216).json()["data"]
        assert any(attribute["data_type"] == "list" for attribute in attributes)
        [connector] = api.get("/data_connectors", headers=V216).json()["data"]
        assert connector["state"] == "live"
        runs = api.get(f"/data_connectors/{connector['id']}/execution_results", headers=V216).json()["data"]
        assert runs and all(run["success"] for run in runs)
        assert api.get("/audiences", headers=V216).json()["total_count"] == 2
