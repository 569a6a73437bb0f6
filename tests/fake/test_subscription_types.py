"""Subscription types and a contact's opt-ins and opt-outs."""

import httpx
import pytest

from fake_intercom.resources.subscription_types import create_subscription_type


@pytest.fixture
def types(app, workspace) -> dict[str, dict]:
    store, ws = app.state.store, workspace[0]
    return {
        "newsletter": create_subscription_type(
            store, ws, "Newsletters", "opt_out", description="Monthly news"
        ),
        "beta": create_subscription_type(
            store, ws, "Beta program", "opt_in", content_types=("email", "sms_message")
        ),
    }


@pytest.fixture
def contact(api: httpx.Client) -> dict:
    response = api.post("/contacts", json={"role": "user", "email": "sub@example.com"})
    assert response.status_code == 200, response.text
    return response.json()


def consents(app, workspace, contact_id: str) -> dict[str, str]:
    rows = app.state.store.query(
        "SELECT subscription_type_id, consent FROM contact_subscriptions WHERE workspace_id = ? AND contact_id = ?",
        (workspace[0].id, contact_id),
    )
    return {row["subscription_type_id"]: row["consent"] for row in rows}


def test_empty_workspace_has_no_subscription_types(api: httpx.Client) -> None:
    assert api.get("/subscription_types").json() == {"type": "list", "data": []}


def test_list_shape(api: httpx.Client, types: dict) -> None:
    listed = api.get("/subscription_types").json()["data"]
    assert [item["id"] for item in listed] == [types["newsletter"]["id"], types["beta"]["id"]]
    newsletter = listed[0]
    assert newsletter["type"] == "subscription"
    assert newsletter["state"] == "live" and newsletter["consent_type"] == "opt_out"
    assert newsletter["default_translation"] == {
        "name": "Newsletters",
        "description": "Monthly news",
        "locale": "en",
    }
    assert newsletter["translations"] == [newsletter["default_translation"]]
    assert listed[1]["content_types"] == ["email", "sms_message"]


def test_attach_records_the_types_consent(api, app, workspace, types, contact) -> None:
    for key in ("newsletter", "beta"):
        sub = types[key]
        response = api.post(
            f"/contacts/{contact['id']}/subscriptions",
            json={"id": int(sub["id"]), "consent_type": sub["consent_type"]},
        )
        assert response.status_code == 200, response.text
        assert response.json() == sub
    assert consents(app, workspace, contact["id"]) == {
        types["newsletter"]["id"]: "opt_out",
        types["beta"]["id"]: "opt_in",
    }


def test_attach_twice_keeps_one_row(api, app, workspace, types, contact) -> None:
    body = {"id": types["beta"]["id"], "consent_type": "opt_in"}
    for _ in range(2):
        assert api.post(f"/contacts/{contact['id']}/subscriptions", json=body).status_code == 200
    assert len(consents(app, workspace, contact["id"])) == 1


def test_detach(api, app, workspace, types, contact) -> None:
    sub = types["newsletter"]
    api.post(f"/contacts/{contact['id']}/subscriptions", json={"id": sub["id"], "consent_type": "opt_out"})
    response = api.delete(f"/contacts/{contact['id']}/subscriptions/{sub['id']}")
    assert response.status_code == 200 and response.json()["id"] == sub["id"]
    assert consents(app, workspace, contact["id"]) == {}


@pytest.mark.parametrize("method", ["post", "delete"])
def test_unknown_contact_is_user_not_found(api: httpx.Client, types: dict, method: str) -> None:
    sub_id = types["beta"]["id"]
    if method == "post":
        response = api.post(
            "/contacts/6762f0d01bb69f9f2193bb7d/subscriptions", json={"id": sub_id, "consent_type": "opt_in"}
        )
    else:
        response = api.delete(f"/contacts/6762f0d01bb69f9f2193bb7d/subscriptions/{sub_id}")
    assert response.status_code == 404
    assert response.json()["errors"] == [{"code": "not_found", "message": "User Not Found"}]


@pytest.mark.parametrize("method", ["post", "delete"])
def test_unknown_subscription_is_resource_not_found(api: httpx.Client, contact: dict, method: str) -> None:
    if method == "post":
        response = api.post(
            f"/contacts/{contact['id']}/subscriptions", json={"id": "invalid_id", "consent_type": "opt_in"}
        )
    else:
        response = api.delete(f"/contacts/{contact['id']}/subscriptions/invalid_id")
    assert response.status_code == 404
    assert response.json()["errors"] == [{"code": "not_found", "message": "Resource Not Found"}]


def test_bad_consent_type(api: httpx.Client, types: dict, contact: dict) -> None:
    response = api.post(
        f"/contacts/{contact['id']}/subscriptions", json={"id": types["beta"]["id"], "consent_type": "maybe"}
    )
    assert response.status_code == 400
    assert response.json()["errors"][0]["code"] == "parameter_invalid"


def test_missing_consent_type(api: httpx.Client, types: dict, contact: dict) -> None:
    response = api.post(f"/contacts/{contact['id']}/subscriptions", json={"id": types["beta"]["id"]})
    assert response.status_code == 400
    assert response.json()["errors"][0]["code"] == "parameter_not_found"
