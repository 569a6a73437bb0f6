"""Custom object instances: upsert, get by id and external id, delete, 2.15 vs 2.16 on the shared route."""

import httpx
import pytest

from fake_intercom.resources.custom_object_instances import create_custom_object_type
from tests.helpers.api import domain_of, error_of

V216 = {"Intercom-Version": "2.16"}
ORDER = {"order_number": "string", "total_amount": "float", "paid": "boolean", "customer": "contact"}


@pytest.fixture
def order_type(app, workspace) -> str:
    store, ws = domain_of(app, workspace)
    create_custom_object_type(store, ws, "Order", ORDER)
    return "Order"


def upsert(api: httpx.Client, external_id: str, **attributes) -> dict:
    response = api.post(
        "/custom_object_instances/Order", json={"external_id": external_id, "custom_attributes": attributes}
    )
    assert response.status_code == 200, response.text
    return response.json()


def test_upsert_by_external_id(api: httpx.Client, order_type: str) -> None:
    created = upsert(api, "123", order_number="ORDER-1", total_amount=99.99)
    assert created["type"] == "Order" and created["external_id"] == "123" and created["id"].isdigit()
    assert created["custom_attributes"] == {"order_number": "ORDER-1", "total_amount": 99.99}
    assert created["external_created_at"] is None
    updated = api.post(
        "/custom_object_instances/Order",
        json={
            "external_id": 123,
            "external_updated_at": 1392036272,
            "custom_attributes": {"total_amount": 5, "order_number": None},
        },
    ).json()
    assert updated["id"] == created["id"] and updated["custom_attributes"] == {"total_amount": 5}
    assert updated["external_updated_at"] == 1392036272


def test_get_by_id_or_external_id_and_delete(api: httpx.Client, order_type: str) -> None:
    instance = upsert(api, "ext-1", paid=True)
    assert api.get(f"/custom_object_instances/Order/{instance['id']}").json() == instance
    assert api.get("/custom_object_instances/Order/ext-1").json() == instance
    assert api.get("/custom_object_instances/Order", params={"external_id": "ext-1"}).json() == instance
    deleted = api.delete(f"/custom_object_instances/Order/{instance['id']}").json()
    assert deleted == {"id": instance["id"], "object": "Order", "deleted": True}
    missing = {"code": "not_found", "message": "Custom object instance not found"}
    assert error_of(api.get(f"/custom_object_instances/Order/{instance['id']}"), 404) == missing
    other = upsert(api, "ext-2")
    by_external = api.delete("/custom_object_instances/Order", params={"external_id": "ext-2"}).json()
    assert by_external == {"id": other["id"], "object": "Order", "deleted": True}
    assert (
        error_of(api.delete("/custom_object_instances/Order", params={"external_id": "ext-2"}), 404)
        == missing
    )


def test_unknown_type_and_bad_attributes(api: httpx.Client, order_type: str) -> None:
    unknown = {"code": "not_found", "message": "Custom object type `Invoice` not found"}
    assert error_of(api.post("/custom_object_instances/Invoice", json={"external_id": "1"}), 404) == unknown
    assert error_of(api.get("/custom_object_instances/Invoice", params={"external_id": "1"}), 404) == unknown
    assert error_of(api.get("/custom_object_instances/Invoice/1"), 404) == unknown
    assert error_of(api.delete("/custom_object_instances/Invoice/1"), 404) == unknown
    bad_type = api.post(
        "/custom_object_instances/Order", json={"external_id": "1", "custom_attributes": {"paid": "yes"}}
    )
    assert error_of(bad_type, 400)["field"] == "custom_attributes.paid"
    no_such = api.post(
        "/custom_object_instances/Order", json={"external_id": "1", "custom_attributes": {"colour": "red"}}
    )
    assert error_of(no_such, 400)["code"] == "parameter_invalid"
    assert error_of(api.post("/custom_object_instances/Order", json={}), 400)["code"] == "parameter_not_found"
    assert (
        api.get("/custom_object_instances/Order", params={"external_id": "1"}, headers=V216).status_code
        == 404
    )


def test_the_shared_route_follows_the_version(api: httpx.Client, order_type: str) -> None:
    first = upsert(api, "a", customer="contact-1")
    second = upsert(api, "b", customer=["contact-2", "contact-1"])
    third = upsert(api, "c")
    # 2.15: get by external id, which is required.
    missing = error_of(api.get("/custom_object_instances/Order"), 400)
    assert missing["code"] == "parameter_not_found" and missing["field"] == "external_id"
    # 2.16: a list, newest first, page-numbered; with external_id a single instance.
    listed = api.get("/custom_object_instances/Order", headers=V216).json()
    assert [i["id"] for i in listed["data"]] == [third["id"], second["id"], first["id"]]
    assert listed["total_count"] == 3 and listed["pages"]["per_page"] == 20
    paged = api.get("/custom_object_instances/Order", params={"per_page": 2, "page": 2}, headers=V216).json()
    assert [i["id"] for i in paged["data"]] == [first["id"]] and paged["pages"]["total_pages"] == 2
    assert (
        api.get("/custom_object_instances/Order", params={"external_id": "b"}, headers=V216).json() == second
    )
    referencing = api.get(
        "/custom_object_instances/Order", params={"references_contact_id": "contact-1"}, headers=V216
    )
    assert [i["id"] for i in referencing.json()["data"]] == [second["id"], first["id"]]
    assert (
        api.get(
            "/custom_object_instances/Order", params={"references_conversation_id": "9"}, headers=V216
        ).json()["data"]
        == []
    )
