"""Ticket states: the workspace's defaults, shared by every type, and custom states."""

import httpx

from fake_intercom.resources.ticket_states import create_ticket_state, link_state
from tests.fake.test_ticket_types import new_type
from tests.helpers.api import domain_of

CATEGORIES = ["submitted", "in_progress", "waiting_on_customer", "resolved"]


def test_an_empty_workspace_lists_the_default_states(api: httpx.Client) -> None:
    listed = api.get("/ticket_states").json()
    assert listed["type"] == "list"
    assert [s["category"] for s in listed["data"]] == CATEGORIES
    assert [s["internal_label"] for s in listed["data"]] == [
        "Submitted",
        "In progress",
        "Waiting on customer",
        "Resolved",
    ]
    assert all(
        s["type"] == "ticket_state" and s["ticket_types"] == {"type": "list", "data": []}
        for s in listed["data"]
    )
    # Listing twice makes no second set.
    assert api.get("/ticket_states").json() == listed


def test_states_name_their_types(api: httpx.Client, app, workspace) -> None:
    first, second = new_type(api, category="Back-office"), new_type(api)
    store, ws = domain_of(app, workspace)
    custom = create_ticket_state(store, ws, "submitted", "Triage", "Received")
    link_state(store, ws.id, second["id"], custom["id"])
    listed = api.get("/ticket_states").json()["data"]
    assert len(listed) == 5
    default_types = [t["id"] for t in listed[0]["ticket_types"]["data"]]
    assert default_types == [first["id"], second["id"]]
    summary = listed[0]["ticket_types"]["data"][0]
    assert summary == {
        "type": "ticket_type",
        "id": first["id"],
        "name": first["name"],
        "description": first["description"],
        "icon": first["icon"],
        "archived": False,
        "is_internal": False,
        "category": "Back-office",
    }
    assert listed[4]["internal_label"] == "Triage" and listed[4]["external_label"] == "Received"
    assert [t["id"] for t in listed[4]["ticket_types"]["data"]] == [second["id"]]
    states = api.get(f"/ticket_types/{second['id']}").json()["ticket_states"]["data"]
    assert [s["id"] for s in states][-1] == custom["id"]
    assert custom["id"] not in [
        s["id"] for s in api.get(f"/ticket_types/{first['id']}").json()["ticket_states"]["data"]
    ]
