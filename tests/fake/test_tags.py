"""Tags: POST /tags in its four forms, tagging contacts, lookups and deletion."""

import httpx
import pytest

from fake_intercom.resources.segments import create_segment
from tests.helpers.api import attach, domain_of, error_of, new_company, new_contact

INVALID = {"code": "parameter_invalid", "message": "invalid tag parameters"}


def new_tag(api: httpx.Client, name: str) -> dict:
    response = api.post("/tags", json={"name": name})
    assert response.status_code == 200, response.text
    return response.json()


def test_create_find_and_list(api: httpx.Client) -> None:
    tag = new_tag(api, "VIP")
    assert tag == {"type": "tag", "id": tag["id"], "name": "VIP"}
    assert tag["id"].isdigit()
    assert api.get(f"/tags/{tag['id']}").json() == tag
    other = new_tag(api, "Churned")
    assert api.get("/tags").json() == {"type": "list", "data": [tag, other]}


def test_same_name_in_any_case_returns_the_existing_tag(api: httpx.Client) -> None:
    tag = new_tag(api, "Beta")
    assert new_tag(api, "beta") == tag
    assert len(api.get("/tags").json()["data"]) == 1


def test_rename_with_id(api: httpx.Client) -> None:
    tag = new_tag(api, "Old")
    renamed = api.post("/tags", json={"name": "New", "id": int(tag["id"])}).json()
    assert renamed == {**tag, "name": "New"}
    assert api.get(f"/tags/{tag['id']}").json()["name"] == "New"
    assert error_of(api.post("/tags", json={"name": "X", "id": "1"}), 404)["code"] == "not_found"
    new_tag(api, "Taken")
    assert error_of(api.post("/tags", json={"name": "taken", "id": tag["id"]}), 400)["code"] == (
        "parameter_invalid"
    )


@pytest.mark.parametrize(
    "body",
    [
        {"test": "invalid"},
        {"name": ""},
        {"name": "   "},
        {"name": "T", "companies": [{"untag": True}]},
        {"name": "T", "users": [{}]},
    ],
)
def test_invalid_bodies(api: httpx.Client, body: dict) -> None:
    assert error_of(api.post("/tags", json=body), 400) == INVALID


def test_wrongly_typed_body_is_parameter_invalid(api: httpx.Client) -> None:
    assert error_of(api.post("/tags", json={"name": ["x"]}), 400)["code"] == "parameter_invalid"
    assert error_of(api.post("/tags", json=["x"]), 400)["code"] == "parameter_invalid"


def test_tag_and_untag_companies(api: httpx.Client) -> None:
    first, second = new_company(api, name="One"), new_company(api, name="Two")
    tag = api.post(
        "/tags",
        json={"name": "Partner", "companies": [{"id": first["id"]}, {"company_id": second["company_id"]}]},
    ).json()
    assert tag == {"type": "tag", "id": tag["id"], "name": "Partner"}
    for company in (first, second):
        tags = api.get(f"/companies/{company['id']}").json()["tags"]
        assert tags == {"type": "tag.list", "tags": [tag]}
    untagged = api.post("/tags", json={"name": "Partner", "companies": [{"id": first["id"], "untag": True}]})
    assert untagged.json() == tag
    assert api.get(f"/companies/{first['id']}").json()["tags"]["tags"] == []
    assert api.get(f"/companies/{second['id']}").json()["tags"]["tags"] == [tag]


def test_tagging_an_unknown_company_is_company_not_found(api: httpx.Client) -> None:
    response = api.post("/tags", json={"name": "test", "companies": [{"company_id": "123"}]})
    assert error_of(response, 404) == {"code": "company_not_found", "message": "Company Not Found"}
    assert api.get("/tags").json()["data"] == [], "a failed request leaves nothing behind"


def test_preview_passes_over_unknown_companies_and_users(api: httpx.Client) -> None:
    """FIDELITY §9.14: on Preview, unknown companies and users are not an error."""
    preview = {"Intercom-Version": "Preview"}
    company, contact_id = new_company(api), new_contact(api)
    companies = [{"company_id": "no-such-company"}, {"id": company["id"]}]
    tagged = api.post("/tags", json={"name": "Preview", "companies": companies}, headers=preview)
    assert tagged.status_code == 200 and tagged.json()["name"] == "Preview"
    users = api.post(
        "/tags", json={"name": "Users", "users": [{"id": "123"}, {"id": contact_id}]}, headers=preview
    )
    assert users.status_code == 200
    assert [t["name"] for t in api.get(f"/contacts/{contact_id}/tags").json()["data"]] == ["Users"]
    nobody = api.post("/tags", json={"name": "Nobody", "users": [{"id": "123"}]}, headers=preview)
    assert nobody.status_code == 200


def test_untagging_with_an_unknown_tag_is_not_found(api: httpx.Client) -> None:
    company = new_company(api)
    response = api.post("/tags", json={"name": "Never", "companies": [{"id": company["id"], "untag": True}]})
    assert error_of(response, 404)["code"] == "not_found"


def test_tag_users(api: httpx.Client) -> None:
    contact_ids = [new_contact(api), new_contact(api)]
    tag = api.post("/tags", json={"name": "Imported", "users": [{"id": c} for c in contact_ids]}).json()
    for contact_id in contact_ids:
        contact_tags = api.get(f"/contacts/{contact_id}/tags").json()["data"]
        assert [t["id"] for t in contact_tags] == [tag["id"]]
    response = api.post("/tags", json={"name": "test", "users": [{"id": "123"}]})
    assert error_of(response, 404) == {"code": "not_found", "message": "User Not Found"}


def test_attach_and_detach_a_contact_tag(api: httpx.Client, workspace) -> None:
    contact_id = new_contact(api)
    tag = new_tag(api, "Manual tag")
    attached = api.post(f"/contacts/{contact_id}/tags", json={"id": int(tag["id"])}).json()
    owner = workspace[0].owner_admin_id
    assert attached["type"] == "tag" and attached["id"] == tag["id"] and attached["name"] == "Manual tag"
    assert isinstance(attached["applied_at"], int)
    assert attached["applied_by"] == {"type": "admin", "id": owner}
    contact = api.get(f"/contacts/{contact_id}").json()
    assert [t["id"] for t in contact["tags"]["data"]] == [tag["id"]]
    detached = api.delete(f"/contacts/{contact_id}/tags/{tag['id']}").json()
    assert detached == attached
    assert api.get(f"/contacts/{contact_id}").json()["tags"]["data"] == []


def test_contact_tag_errors(api: httpx.Client) -> None:
    contact_id = new_contact(api)
    tag = new_tag(api, "T")
    user_not_found = {"code": "not_found", "message": "User Not Found"}
    resource_not_found = {"code": "not_found", "message": "Resource Not Found"}
    missing = "000000000000000000000000"
    assert error_of(api.post(f"/contacts/{missing}/tags", json={"id": tag["id"]}), 404) == user_not_found
    assert error_of(api.post(f"/contacts/{contact_id}/tags", json={"id": "123"}), 404) == resource_not_found
    assert error_of(api.delete(f"/contacts/{missing}/tags/{tag['id']}"), 404) == user_not_found
    assert error_of(api.delete(f"/contacts/{contact_id}/tags/123"), 404) == resource_not_found
    assert error_of(api.post(f"/contacts/{contact_id}/tags", json={}), 400)["code"] == "parameter_not_found"


def test_unknown_tag_is_not_found(api: httpx.Client) -> None:
    for response in (api.get("/tags/123"), api.delete("/tags/123")):
        assert error_of(response, 404) == {"code": "not_found", "message": "Resource Not Found"}


def test_delete_answers_an_empty_200_and_untags_everything(api: httpx.Client) -> None:
    contact_id = new_contact(api)
    company = new_company(api)
    attach(api, contact_id, company["id"])
    tag = api.post("/tags", json={"name": "Gone", "companies": [{"id": company["id"]}]}).json()
    api.post(f"/contacts/{contact_id}/tags", json={"id": tag["id"]})
    response = api.delete(f"/tags/{tag['id']}")
    assert response.status_code == 200 and response.content == b""
    assert error_of(api.get(f"/tags/{tag['id']}"), 404)["code"] == "not_found"
    assert api.get(f"/companies/{company['id']}").json()["tags"]["tags"] == []
    assert api.get(f"/contacts/{contact_id}/tags").json()["data"] == []


def test_a_tag_a_segment_depends_on_cannot_be_deleted(api: httpx.Client, app, workspace) -> None:
    store, ws = domain_of(app, workspace)
    tag = new_tag(api, "Segmented")
    create_segment(store, ws, "Seg 1", "user", [], tag_id=tag["id"])
    error = error_of(api.delete(f"/tags/{tag['id']}"), 400)
    assert error == {
        "code": "tag_has_dependent_objects",
        "message": "Unable to delete Tag with dependent objects. Segments: Seg 1.",
    }
    assert api.get(f"/tags/{tag['id']}").status_code == 200
