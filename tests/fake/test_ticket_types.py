"""Ticket types and their attributes."""

import uuid

import httpx

from tests.helpers.api import error_of

DEFAULT_NAMES = ["_default_title_", "_default_description_"]


def new_type(api: httpx.Client, **fields) -> dict:
    body = {"name": f"Type {uuid.uuid4().hex[:6]}", "description": "A type", **fields}
    response = api.post("/ticket_types", json=body)
    assert response.status_code == 200, response.text
    return response.json()


def new_attribute(api: httpx.Client, type_id: str, **fields) -> dict:
    body = {
        "name": f"Attr {uuid.uuid4().hex[:6]}",
        "description": "An attribute",
        "data_type": "string",
        **fields,
    }
    response = api.post(f"/ticket_types/{type_id}/attributes", json=body)
    assert response.status_code == 200, response.text
    return response.json()


def test_create_has_default_attributes_and_states(api: httpx.Client, workspace) -> None:
    created = new_type(api, name="Bug Report", category="Back-office", icon="🐞")
    assert created["type"] == "ticket_type" and created["id"].isdigit()
    assert (created["name"], created["category"], created["icon"]) == ("Bug Report", "Back-office", "🐞")
    assert created["workspace_id"] == workspace[0].id
    assert created["archived"] is False and created["is_internal"] is False
    attributes = created["ticket_type_attributes"]["data"]
    assert [a["name"] for a in attributes] == DEFAULT_NAMES
    title, description = attributes
    assert title["default"] is True and title["input_options"] == {"multiline": False}
    assert description["input_options"] == {"multiline": True} and description["order"] == 1
    assert title["ticket_type_id"] == int(created["id"])
    states = created["ticket_states"]["data"]
    assert [s["category"] for s in states] == ["submitted", "in_progress", "waiting_on_customer", "resolved"]
    assert states[2]["external_label"] == "Waiting on you"
    # Every type shares the workspace's default states.
    assert new_type(api)["ticket_states"] == created["ticket_states"]


def test_defaults_and_validation(api: httpx.Client) -> None:
    created = new_type(api)
    assert created["category"] == "Customer" and created["icon"] == "🎟️"
    assert error_of(api.post("/ticket_types", json={}), 400)["code"] == "parameter_not_found"
    assert error_of(api.post("/ticket_types", json={"name": " "}), 400)["code"] == "parameter_invalid"
    bad_category = api.post("/ticket_types", json={"name": "X", "category": "Sales"})
    assert error_of(bad_category, 400)["code"] == "parameter_invalid"
    duplicate = api.post("/ticket_types", json={"name": created["name"].upper()})
    assert error_of(duplicate, 400)["code"] == "parameter_invalid"


def test_get_list_and_update(api: httpx.Client) -> None:
    first, second = new_type(api), new_type(api)
    assert api.get(f"/ticket_types/{first['id']}").json() == first
    listed = api.get("/ticket_types").json()
    assert listed["type"] == "list" and [t["id"] for t in listed["data"]] == [first["id"], second["id"]]
    updated = api.put(f"/ticket_types/{first['id']}", json={"name": "Renamed", "archived": True}).json()
    assert updated["name"] == "Renamed" and updated["archived"] is True
    assert updated["description"] == first["description"]
    assert api.get(f"/ticket_types/{first['id']}").json() == updated
    clash = api.put(f"/ticket_types/{first['id']}", json={"name": second["name"]})
    assert error_of(clash, 400)["code"] == "parameter_invalid"
    assert error_of(api.get("/ticket_types/999999"), 404)["code"] == "not_found"
    assert error_of(api.put("/ticket_types/999999", json={"name": "x"}), 404)["code"] == "not_found"


def test_attributes_are_created_in_order_and_shown_on_the_type(api: httpx.Client) -> None:
    ticket_type = new_type(api)
    text = new_attribute(api, ticket_type["id"], name="Browser", multiline=True, required_to_create=True)
    assert text["type"] == "ticket_type_attribute" and text["order"] == 2
    assert text["input_options"] == {"multiline": True} and text["required_to_create"] is True
    assert text["visible_to_contacts"] is True and text["default"] is False
    choice = new_attribute(api, ticket_type["id"], name="Severity", data_type="list", list_items="Low, High")
    options = choice["input_options"]["list_options"]
    assert [o["label"] for o in options] == ["Low", "High"] and all(not o["archived"] for o in options)
    shown = api.get(f"/ticket_types/{ticket_type['id']}").json()["ticket_type_attributes"]["data"]
    assert [a["name"] for a in shown] == [*DEFAULT_NAMES, "Browser", "Severity"]


def test_attribute_validation(api: httpx.Client) -> None:
    type_id = new_type(api)["id"]
    new_attribute(api, type_id, name="Browser")
    url = f"/ticket_types/{type_id}/attributes"
    bad_type = api.post(url, json={"name": "X", "description": "d", "data_type": "color"})
    assert error_of(bad_type, 400)["code"] == "parameter_invalid"
    taken = api.post(url, json={"name": "browser", "description": "d", "data_type": "string"})
    assert error_of(taken, 400)["code"] == "parameter_invalid"
    no_items = api.post(url, json={"name": "L", "description": "d", "data_type": "list"})
    assert error_of(no_items, 400)["code"] == "parameter_invalid"
    missing = api.post(url, json={"name": "Y", "data_type": "string"})
    assert error_of(missing, 400)["code"] == "parameter_not_found"
    unknown_type = api.post(
        "/ticket_types/999999/attributes", json={"name": "Z", "description": "d", "data_type": "string"}
    )
    assert error_of(unknown_type, 404)["code"] == "not_found"


def test_update_attribute(api: httpx.Client) -> None:
    ticket_type = new_type(api)
    choice = new_attribute(api, ticket_type["id"], name="Severity", data_type="list", list_items="Low,High")
    url = f"/ticket_types/{ticket_type['id']}/attributes/{choice['id']}"
    updated = api.put(
        url, json={"description": "How bad", "list_items": "High,Critical", "required_to_create": True}
    )
    assert updated.status_code == 200, updated.text
    body = updated.json()
    assert body["description"] == "How bad" and body["required_to_create"] is True
    options = {o["label"]: o for o in body["input_options"]["list_options"]}
    before = {o["label"]: o for o in choice["input_options"]["list_options"]}
    # Options keep their ids; one no longer listed is archived.
    assert options["High"]["id"] == before["High"]["id"] and options["Low"]["archived"] is True
    assert options["Critical"]["archived"] is False
    archived = api.put(url, json={"archived": True}).json()
    assert archived["archived"] is True
    shown = api.get(f"/ticket_types/{ticket_type['id']}").json()["ticket_type_attributes"]["data"]
    assert next(a for a in shown if a["id"] == choice["id"])["archived"] is True
    title = ticket_type["ticket_type_attributes"]["data"][0]
    default_url = f"/ticket_types/{ticket_type['id']}/attributes/{title['id']}"
    assert error_of(api.put(default_url, json={"archived": True}), 400)["code"] == "parameter_invalid"
    assert api.put(default_url, json={"description": "The title"}).json()["description"] == "The title"
    other_type = new_type(api)
    elsewhere = api.put(
        f"/ticket_types/{other_type['id']}/attributes/{choice['id']}", json={"description": "x"}
    )
    assert error_of(elsewhere, 404)["code"] == "not_found"
