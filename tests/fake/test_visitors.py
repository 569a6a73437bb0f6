"""Visitors: retrieve by user_id, update, and convert into a lead or user."""

import httpx
import pytest

from fake_intercom.resources.data_attributes import create_data_attribute
from fake_intercom.resources.visitors import create_visitor

NOT_FOUND = [{"code": "not_found", "message": "Visitor Not Found"}]


@pytest.fixture
def visitor(app, workspace) -> dict:
    return create_visitor(
        app.state.store, workspace[0], {"name": "Anon", "custom_attributes": {"plan": "free"}}
    )


def test_created_visitor_has_intercoms_shape(visitor: dict, workspace) -> None:
    assert visitor["type"] == "visitor"
    assert len(visitor["id"]) == 24 and int(visitor["id"], 16) >= 0
    assert visitor["anonymous"] is True and visitor["email"] == ""
    assert visitor["app_id"] == workspace[0].id
    assert visitor["companies"] == {"type": "company.list", "companies": []}


def test_retrieve_by_user_id(api: httpx.Client, visitor: dict) -> None:
    response = api.get("/visitors", params={"user_id": visitor["user_id"]})
    assert response.status_code == 200
    assert response.json() == visitor


def test_retrieve_unknown_visitor(api: httpx.Client) -> None:
    response = api.get("/visitors", params={"user_id": "fail"})
    assert response.status_code == 404 and response.json()["errors"] == NOT_FOUND
    assert api.get("/visitors").status_code == 400


@pytest.mark.parametrize("key", ["id", "user_id"])
def test_update_name_by_id_or_user_id(api: httpx.Client, visitor: dict, key: str) -> None:
    response = api.put("/visitors", json={key: visitor[key], "name": "Gareth Bale"})
    assert response.status_code == 200, response.text
    assert response.json()["name"] == "Gareth Bale"
    assert api.get("/visitors", params={"user_id": visitor["user_id"]}).json()["name"] == "Gareth Bale"


def test_update_custom_attributes_must_be_defined(app, workspace, api: httpx.Client, visitor: dict) -> None:
    unknown = api.put("/visitors", json={"id": visitor["id"], "custom_attributes": {"paid_subscriber": True}})
    assert unknown.status_code == 400 and unknown.json()["errors"][0]["code"] == "parameter_invalid"
    create_data_attribute(app.state.store, workspace[0], "contact", "paid_subscriber", "boolean")
    response = api.put(
        "/visitors", json={"id": visitor["id"], "custom_attributes": {"paid_subscriber": True}}
    )
    assert response.json()["custom_attributes"] == {"plan": "free", "paid_subscriber": True}


def test_update_unknown_or_unidentified_visitor(api: httpx.Client) -> None:
    response = api.put("/visitors", json={"user_id": "fail", "name": "Christian Fail"})
    assert response.status_code == 404 and response.json()["errors"] == NOT_FOUND
    assert api.put("/visitors", json={"name": "Nobody"}).status_code == 400


def test_convert_to_a_new_user(api: httpx.Client, visitor: dict) -> None:
    body = {"type": "user", "visitor": {"user_id": visitor["user_id"]}, "user": {"email": "foo@bar.com"}}
    response = api.post("/visitors/convert", json=body)
    assert response.status_code == 200, response.text
    contact = response.json()
    assert contact["type"] == "contact" and contact["role"] == "user"
    assert contact["email"] == "foo@bar.com" and contact["name"] == "Anon"
    assert api.get(f"/contacts/{contact['id']}").json()["email"] == "foo@bar.com"
    assert api.get("/visitors", params={"user_id": visitor["user_id"]}).status_code == 404


def test_convert_to_a_lead_keeps_defined_custom_attributes(app, workspace, api, visitor) -> None:
    create_data_attribute(app.state.store, workspace[0], "contact", "plan", "string")
    body = {"type": "lead", "visitor": {"id": visitor["id"]}, "user": {"user_id": "lead-1"}}
    contact = api.post("/visitors/convert", json=body).json()
    assert contact["role"] == "lead" and contact["external_id"] == "lead-1"
    assert contact["custom_attributes"] == {"plan": "free"}


def test_convert_merges_into_an_existing_user(api: httpx.Client, visitor: dict) -> None:
    user = api.post(
        "/contacts", json={"role": "user", "external_id": "u-1", "email": "u1@example.com"}
    ).json()
    body = {"type": "user", "visitor": {"user_id": visitor["user_id"]}, "user": {"user_id": "u-1"}}
    merged = api.post("/visitors/convert", json=body).json()
    assert merged["id"] == user["id"]
    assert api.get("/visitors", params={"user_id": visitor["user_id"]}).status_code == 404


def test_convert_errors(api: httpx.Client, visitor: dict) -> None:
    unknown = api.post(
        "/visitors/convert", json={"type": "user", "visitor": {"user_id": "fail"}, "user": {"email": "a@b.c"}}
    )
    assert unknown.status_code == 404 and unknown.json()["errors"] == NOT_FOUND
    bad_type = api.post(
        "/visitors/convert",
        json={"type": "admin", "visitor": {"id": visitor["id"]}, "user": {"email": "a@b.c"}},
    )
    assert bad_type.status_code == 400 and bad_type.json()["errors"][0]["code"] == "parameter_invalid"
    no_user = api.post(
        "/visitors/convert",
        json={"type": "user", "visitor": {"id": visitor["id"]}, "user": {"id": "6762f0d01bb69f9f2193bb7d"}},
    )
    assert no_user.status_code == 404 and no_user.json()["errors"][0]["message"] == "User Not Found"
    assert api.get("/visitors", params={"user_id": visitor["user_id"]}).status_code == 200


def test_convert_merges_by_email_when_user_id_is_new(api: httpx.Client, visitor: dict) -> None:
    user = api.post("/contacts", json={"role": "user", "email": "known@example.com"}).json()
    body = {
        "type": "user",
        "visitor": {"id": visitor["id"]},
        "user": {"user_id": "new-id", "email": "known@example.com"},
    }
    assert api.post("/visitors/convert", json=body).json()["id"] == user["id"]


def test_huge_integer_custom_attribute_is_refused(app, workspace, api: httpx.Client, visitor: dict) -> None:
    create_data_attribute(app.state.store, workspace[0], "contact", "seats", "integer")
    response = api.put("/visitors", json={"id": visitor["id"], "custom_attributes": {"seats": 2**70}})
    assert response.status_code == 400
