"""Audiences (2.16): CRUD, validation and membership evaluated against contacts."""

import httpx

from fake_intercom.resources._contact_store import contact_json
from fake_intercom.resources.audiences import find_audience, matches
from tests.fake.test_office_hours import V216, error_of
from tests.helpers.api import attach, domain_of, new_company, new_contact

VIP = {
    "name": "VIP Customers",
    "predicates": [
        {"attribute": "company.name", "type": "string", "comparison": "contains", "value": "Acme"}
    ],
    "role_predicates": [{"attribute": "role", "type": "role", "comparison": "eq", "value": "user"}],
}


def new_audience(api: httpx.Client, body: dict = VIP) -> dict:
    response = api.post("/audiences", json=body, headers=V216)
    assert response.status_code == 201, response.text
    return response.json()


def test_crud(api: httpx.Client) -> None:
    audience = new_audience(api)
    assert audience["type"] == "audience" and audience["name"] == "VIP Customers"
    assert (
        audience["predicates"] == VIP["predicates"] and audience["role_predicates"] == VIP["role_predicates"]
    )
    assert api.get(f"/audiences/{audience['id']}", headers=V216).json() == audience
    other = new_audience(api, {"name": "Everyone"})
    assert other["predicates"] == [] and other["role_predicates"] == []
    listed = api.get("/audiences", headers=V216).json()
    assert listed["data"] == [audience, other]
    assert {k: listed[k] for k in ("total_count", "page", "per_page", "total_pages")} == {
        "total_count": 2, "page": 1, "per_page": 50, "total_pages": 1,
    }  # fmt: skip
    second_page = api.get("/audiences", params={"per_page": 1, "page": 2}, headers=V216).json()
    assert second_page["data"] == [other] and second_page["total_pages"] == 2
    predicates = [
        {"attribute": "custom_attributes.plan", "type": "string", "comparison": "eq", "value": "enterprise"}
    ]
    updated = api.put(
        f"/audiences/{audience['id']}", json={"name": "Enterprise", "predicates": predicates}, headers=V216
    ).json()
    assert updated["name"] == "Enterprise" and updated["predicates"] == predicates
    assert updated["role_predicates"] == VIP["role_predicates"]
    deleted = api.delete(f"/audiences/{audience['id']}", headers=V216)
    assert deleted.status_code == 204 and deleted.content == b""
    missing = api.get(f"/audiences/{audience['id']}", headers=V216)
    assert error_of(missing, 404) == {"code": "not_found", "message": "Resource Not Found"}
    assert error_of(api.delete(f"/audiences/{audience['id']}", headers=V216), 404)


def test_validation(api: httpx.Client) -> None:
    assert error_of(api.post("/audiences", json={}, headers=V216), 422) == {
        "code": "validation_error",
        "message": "Name is required",
    }
    unknown = {"name": "x", "predicates": [{"attribute": "shoe_size", "comparison": "eq", "value": "9"}]}
    assert error_of(api.post("/audiences", json=unknown, headers=V216), 422)["code"] == "validation_error"
    bad_op = {"name": "x", "predicates": [{"attribute": "email", "comparison": "like", "value": "a"}]}
    assert error_of(api.post("/audiences", json=bad_op, headers=V216), 422)["code"] == "validation_error"
    audience = new_audience(api)
    blank = api.put(f"/audiences/{audience['id']}", json={"name": " "}, headers=V216)
    assert error_of(blank, 422)["message"] == "Name must not be blank"
    assert api.get("/audiences", headers=V216).json()["total_count"] == 1
    assert error_of(api.get("/audiences", params={"per_page": 51}, headers=V216), 400)


def test_membership(api: httpx.Client, app, workspace) -> None:
    store, ws = domain_of(app, workspace)
    audience = find_audience(store, ws.id, new_audience(api)["id"])
    member = new_contact(api)
    attach(api, member, new_company(api, name="Acme Analytics")["id"])
    outsider = new_contact(api)
    attach(api, outsider, new_company(api, name="Globex")["id"])
    lead = api.post("/contacts", json={"role": "lead"}).json()["id"]

    def contact(contact_id: str) -> dict:
        from types import SimpleNamespace

        ctx = SimpleNamespace(store=store, ws=ws.id, version="2.15")
        return contact_json(ctx, contact_id)

    assert matches(store, ws.id, audience, contact(member))
    assert not matches(store, ws.id, audience, contact(outsider))
    assert not matches(store, ws.id, audience, contact(lead))
    known = {"name": "x", "predicates": [{"attribute": "email", "comparison": "unknown"}]}
    no_email = find_audience(store, ws.id, new_audience(api, known)["id"])
    assert matches(store, ws.id, no_email, contact(lead)) and not matches(
        store, ws.id, no_email, contact(member)
    )


def test_only_in_216(api: httpx.Client) -> None:
    assert error_of(api.get("/audiences"), 400)["code"] == "intercom_version_invalid"


def test_a_known_or_unknown_predicate_has_no_value(api: httpx.Client) -> None:
    predicates = [{"attribute": "email", "type": "string", "comparison": "known"}]
    audience = new_audience(api, {"name": "Reachable", "predicates": predicates})
    assert audience["predicates"] == predicates
    assert api.get(f"/audiences/{audience['id']}", headers=V216).json()["predicates"] == predicates
