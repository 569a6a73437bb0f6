"""Data attributes: built-in lists per model, custom attribute creation, updates and archiving."""

import httpx
import pytest

from fake_intercom.errors import IntercomError
from fake_intercom.resources.data_attributes import check_custom_attributes, create_data_attribute

SPEC_COMPANY_BUILTINS = [
    "name", "company_id", "last_request_at", "remote_created_at", "user_count", "session_count", "name",
    "monthly_spend", "size", "industry", "website", "id", "created_at", "updated_at", "id", "app_id",
]  # fmt: skip


def create(api: httpx.Client, **body) -> httpx.Response:
    return api.post("/data_attributes", json={"model": "contact", "data_type": "string", **body})


def error(response: httpx.Response, status: int) -> dict:
    assert response.status_code == status, response.text
    return response.json()["errors"][0]


def test_company_builtins_follow_the_spec_example(api: httpx.Client) -> None:
    listed = api.get("/data_attributes", params={"model": "company"}).json()
    assert listed["type"] == "list"
    assert [item["name"] for item in listed["data"]] == SPEC_COMPANY_BUILTINS
    assert all("id" not in item and item["custom"] is False for item in listed["data"])
    plan = [item for item in listed["data"] if item["full_name"] == "plan.name"]
    assert plan and plan[0]["label"] == "Plan"


def test_default_list_has_contact_then_company_attributes(api: httpx.Client) -> None:
    models = [item["model"] for item in api.get("/data_attributes").json()["data"]]
    assert models[0] == "contact" and models[-1] == "company"
    assert "conversation" not in models


def test_create_string_attribute(api: httpx.Client) -> None:
    response = create(api, name="Mithril Shirt", model="company", description="Light and strong")
    assert response.status_code == 200, response.text
    attribute = response.json()
    assert isinstance(attribute["id"], int)
    assert attribute["full_name"] == "custom_attributes.Mithril Shirt"
    assert attribute["label"] == "Mithril Shirt"
    assert attribute["model"] == "company" and attribute["data_type"] == "string"
    assert (
        attribute["custom"] is True and attribute["archived"] is False and attribute["api_writable"] is True
    )
    assert attribute["admin_id"] == api.get("/me").json()["id"]
    assert "options" not in attribute
    listed = api.get("/data_attributes", params={"model": "company"}).json()["data"]
    assert listed[-1] == attribute


def test_create_options_and_datetime_attributes(api: httpx.Client) -> None:
    options = create(api, name="tier", data_type="options", options=[{"value": "gold"}, {"value": "silver"}])
    assert options.json()["data_type"] == "string"
    assert options.json()["options"] == ["gold", "silver"]
    assert create(api, name="renewal_date", data_type="datetime").json()["data_type"] == "date"


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ({"name": "!nv@l!d n@me"}, "Your name for this attribute must only contain alphanumeric characters"),
        ({"name": "ring", "data_type": "mithril"}, "Data Type isn't an option"),
        ({"name": "ring", "model": None}, "The Data Attribute model field must be either contact or company"),
        (
            {"name": "ring", "model": "ticket"},
            "The Data Attribute model field must be either contact or company",
        ),
        ({"name": "ring", "data_type": "options", "options": [{"value": "1-10"}]}, "at least two"),
        ({"name": "ring", "data_type": "options", "options": {"value": "1-10"}}, "Options isn't an array"),
    ],
)
def test_invalid_creations_are_parameter_invalid(api: httpx.Client, body: dict, message: str) -> None:
    found = error(create(api, **body), 400)
    assert found["code"] == "parameter_invalid"
    assert message in found["message"]


def test_missing_name_is_parameter_not_found(api: httpx.Client) -> None:
    assert (
        error(api.post("/data_attributes", json={"model": "contact"}), 400)["code"] == "parameter_not_found"
    )


def test_name_collisions(api: httpx.Client) -> None:
    builtin = error(create(api, name="email"), 400)
    assert builtin["message"] == (
        "You already have 'email' in your people data. To save this as new people data, use a different name."
    )
    assert create(api, name="The One Ring", model="company").status_code == 200
    across = error(create(api, name="The One Ring", data_type="integer"), 400)
    assert across["code"] == "parameter_invalid"
    assert across["message"] == (
        "You already have 'The One Ring' in your company data. "
        "To save this as new people data, use a different name."
    )
    assert "new company data" in error(create(api, name="the one ring", model="company"), 400)["message"]


def test_update_description_options_and_messenger_writable(api: httpx.Client) -> None:
    attribute = create(api, name="The One Ring").json()
    response = api.put(
        f"/data_attributes/{attribute['id']}",
        json={"description": "Just a plain old ring", "options": [{"value": "1-10"}, {"value": "11-20"}],
              "messenger_writable": True},
    )  # fmt: skip
    assert response.status_code == 200, response.text
    updated = response.json()
    assert updated["description"] == "Just a plain old ring"
    assert updated["options"] == ["1-10", "11-20"]
    assert updated["messenger_writable"] is True
    assert updated["id"] == attribute["id"] and updated["name"] == attribute["name"]


def test_archived_attributes_are_hidden_unless_asked(api: httpx.Client) -> None:
    attribute = create(api, name="old_flag", data_type="boolean").json()
    archived = api.put(f"/data_attributes/{attribute['id']}", json={"archived": True}).json()
    assert archived["archived"] is True
    names = [item["name"] for item in api.get("/data_attributes", params={"model": "contact"}).json()["data"]]
    assert "old_flag" not in names
    with_archived = api.get("/data_attributes", params={"model": "contact", "include_archived": "true"})
    assert "old_flag" in [item["name"] for item in with_archived.json()["data"]]
    restored = api.put(f"/data_attributes/{attribute['id']}", json={"archived": False}).json()
    assert restored["archived"] is False


@pytest.mark.parametrize("attribute_id", ["999999", "abc"])
def test_update_unknown_attribute_is_field_not_found(api: httpx.Client, attribute_id: str) -> None:
    found = error(api.put(f"/data_attributes/{attribute_id}", json={"description": "x"}), 404)
    assert found == {"code": "field_not_found", "message": "We couldn't find that data attribute to update"}


def test_update_options_must_be_an_array(api: httpx.Client) -> None:
    attribute = create(api, name="size_band").json()
    found = error(api.put(f"/data_attributes/{attribute['id']}", json={"options": {"value": "1-10"}}), 400)
    assert found["message"] == "Options isn't an array"


def test_conversation_model_per_version(api: httpx.Client) -> None:
    listed = api.get(
        "/data_attributes", params={"model": "conversation"}, headers={"Intercom-Version": "2.15"}
    )
    assert listed.status_code == 200
    assert {item["model"] for item in listed.json()["data"]} == {"conversation"}
    gone = api.get("/data_attributes", params={"model": "conversation"}, headers={"Intercom-Version": "2.16"})
    assert error(gone, 422)["code"] == "parameter_invalid"


def test_company_model_needs_version_2(api: httpx.Client) -> None:
    old = api.get("/data_attributes", params={"model": "company"}, headers={"Intercom-Version": "1.4"})
    assert error(old, 400)["code"] == "intercom_version_invalid"


def test_domain_functions_check_custom_values(app, workspace) -> None:
    store, ws = app.state.store, workspace[0]
    create_data_attribute(store, ws, "contact", "plan_seats", "integer")
    check_custom_attributes(store, ws.id, "contact", {"plan_seats": 3})
    with pytest.raises(IntercomError, match="does not exist"):
        check_custom_attributes(store, ws.id, "contact", {"unknown": 1})
    with pytest.raises(IntercomError, match="must be a integer value"):
        check_custom_attributes(store, ws.id, "contact", {"plan_seats": "three"})
    with pytest.raises(IntercomError, match="must be a integer value"):
        check_custom_attributes(store, ws.id, "contact", {"plan_seats": True})
