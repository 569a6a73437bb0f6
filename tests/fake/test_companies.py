"""Companies: upsert, lookups, the three list styles, contact links and their errors."""

import httpx
import pytest

from fake_intercom.resources.companies import attach_contact, create_company
from fake_intercom.resources.segments import create_segment
from fake_intercom.store import Store, Workspace
from tests.helpers.api import attach, domain_of, error_of, new_company, new_contact


@pytest.fixture
def domain(app, workspace) -> tuple[Store, Workspace]:
    return domain_of(app, workspace)


def test_create_returns_the_full_company(api: httpx.Client, workspace) -> None:
    company = new_company(
        api,
        name="Blue Sun",
        plan="Pro",
        size=40,
        website="https://bluesun.test",
        industry="Manufacturing",
        monthly_spend=155.98,
        remote_created_at=1374138000,
        custom_attributes={"tier": "gold"},
    )
    assert company["type"] == "company"
    assert len(company["id"]) == 24 and int(company["id"], 16) >= 0
    assert company["app_id"] == workspace[0].id
    assert company["name"] == "Blue Sun"
    assert company["monthly_spend"] == 155
    assert company["plan"]["type"] == "plan" and company["plan"]["name"] == "Pro" and company["plan"]["id"]
    assert company["user_count"] == 0 and company["session_count"] == 0
    assert company["tags"] == {"type": "tag.list", "tags": []}
    assert company["segments"] == {"type": "segment.list", "segments": []}
    assert company["custom_attributes"] == {"tier": "gold"}
    assert company["remote_created_at"] == 1374138000
    assert company["created_at"] == company["updated_at"]
    assert "last_request_at" not in company


def test_unset_optional_fields_are_left_out(api: httpx.Client) -> None:
    company = new_company(api, name="Bare")
    for key in ("size", "website", "industry", "remote_created_at", "last_request_at"):
        assert key not in company
    assert company["plan"] == {}


def test_post_with_a_known_company_id_updates_it(api: httpx.Client) -> None:
    first = new_company(api, name="Before", custom_attributes={"a": "1", "b": "2"})
    second = api.post(
        "/companies",
        json={"company_id": first["company_id"], "name": "After", "custom_attributes": {"b": "3"}},
    ).json()
    assert second["id"] == first["id"]
    assert second["company_id"] == first["company_id"]
    assert second["name"] == "After"
    assert second["custom_attributes"] == {"a": "1", "b": "3"}


def test_numeric_company_id_is_a_string(api: httpx.Client) -> None:
    company = api.post("/companies", json={"company_id": 42, "name": "Numbers"}).json()
    assert company["company_id"] == "42"
    assert api.get("/companies", params={"company_id": "42"}).json()["id"] == company["id"]


def test_unknown_body_key_is_bad_request(api: httpx.Client) -> None:
    error = error_of(api.post("/companies", json={"test": "invalid"}), 400)
    assert error == {"code": "bad_request", "message": "bad 'test' parameter"}
    company = new_company(api, name="X")
    error = error_of(api.put(f"/companies/{company['id']}", json={"colour": "blue"}), 400)
    assert error == {"code": "bad_request", "message": "bad 'colour' parameter"}


def test_company_needs_an_id_or_a_name(api: httpx.Client) -> None:
    assert error_of(api.post("/companies", json={"industry": "Retail"}), 400)["code"] == "parameter_not_found"
    named = api.post("/companies", json={"name": "No Id"}).json()
    assert named["company_id"]


def test_bad_field_type_is_400_not_500(api: httpx.Client) -> None:
    assert error_of(api.post("/companies", json={"company_id": "x", "size": "many"}), 400)["code"] == (
        "parameter_invalid"
    )


def test_get_update_and_delete_by_id(api: httpx.Client) -> None:
    company = new_company(api, name="Lifecycle")
    assert api.get(f"/companies/{company['id']}").json()["name"] == "Lifecycle"
    updated = api.put(
        f"/companies/{company['id']}",
        json={"name": "Renamed", "website": "https://r.test", "company_id": "new"},
    ).json()
    assert updated["name"] == "Renamed" and updated["website"] == "https://r.test"
    assert updated["company_id"] == company["company_id"], "company_id cannot be changed"
    deleted = api.delete(f"/companies/{company['id']}")
    assert deleted.json() == {"id": company["id"], "object": "company", "deleted": True}
    for response in (
        api.get(f"/companies/{company['id']}"),
        api.put(f"/companies/{company['id']}", json={"name": "x"}),
        api.delete(f"/companies/{company['id']}"),
    ):
        assert error_of(response, 404) == {"code": "company_not_found", "message": "Company Not Found"}


def test_delete_detaches_its_contacts(api: httpx.Client, domain) -> None:
    store, ws = domain
    contact_id = new_contact(api)
    company = new_company(api, name="Going")
    attach(api, contact_id, company["id"])
    api.delete(f"/companies/{company['id']}")
    assert store.scalar("SELECT COUNT(*) FROM company_contacts WHERE workspace_id = ?", (ws.id,)) == 0


def test_lookup_by_company_id_and_name(api: httpx.Client) -> None:
    company = new_company(api, name="Findable Inc")
    assert api.get("/companies", params={"company_id": company["company_id"]}).json()["id"] == company["id"]
    assert api.get("/companies", params={"name": "Findable Inc"}).json()["id"] == company["id"]
    for params in ({"company_id": "nope"}, {"name": "Nobody Ltd"}):
        assert error_of(api.get("/companies", params=params), 404)["code"] == "company_not_found"


def test_lists_leave_out_companies_without_contacts(api: httpx.Client) -> None:
    contact_id = new_contact(api)
    visible = new_company(api, name="Visible")
    new_company(api, name="Invisible")
    attach(api, contact_id, visible["id"])
    for response in (api.get("/companies"), api.post("/companies/list")):
        listed = response.json()
        assert [c["id"] for c in listed["data"]] == [visible["id"]]
        assert listed["total_count"] == 1
        assert listed["data"][0]["user_count"] == 1


def test_list_filters_by_tag_and_segment(api: httpx.Client, domain) -> None:
    store, ws = domain
    contact_id = new_contact(api)
    tagged, in_segment, plain = (new_company(api, name=n) for n in ("Tagged", "Segmented", "Plain"))
    for company in (tagged, in_segment, plain):
        attach(api, contact_id, company["id"])
    tag = api.post("/tags", json={"name": "Enterprise", "companies": [{"id": tagged["id"]}]}).json()
    segment = create_segment(store, ws, "Big ones", "user", [in_segment["id"]])
    by_tag = api.get("/companies", params={"tag_id": tag["id"]}).json()
    assert [c["id"] for c in by_tag["data"]] == [tagged["id"]]
    assert by_tag["data"][0]["tags"]["tags"] == [{"type": "tag", "id": tag["id"], "name": "Enterprise"}]
    by_segment = api.get("/companies", params={"segment_id": segment["id"]}).json()
    assert [c["id"] for c in by_segment["data"]] == [in_segment["id"]]
    assert by_segment["data"][0]["segments"]["segments"][0]["id"] == segment["id"]


def test_page_lists_paginate_with_next_urls(api: httpx.Client, domain) -> None:
    store, ws = domain
    contact_id = new_contact(api)
    ids = []
    for index in range(5):
        company = create_company(store, ws, {"company_id": f"c{index}", "name": f"C{index}"})
        attach_contact(store, ws, contact_id, company["id"])
        ids.append(company["id"])
    first = api.post("/companies/list", params={"per_page": 2, "order": "asc"}).json()
    assert first["pages"]["total_pages"] == 3 and first["total_count"] == 5
    assert "page=2" in first["pages"]["next"] and "per_page=2" in first["pages"]["next"]
    seen = [
        c["id"]
        for page in (1, 2, 3)
        for c in api.post("/companies/list", params={"per_page": 2, "page": page, "order": "asc"}).json()[
            "data"
        ]
    ]
    assert seen == ids
    descending = [c["id"] for c in api.post("/companies/list", params={"per_page": 5}).json()["data"]]
    assert descending == ids[::-1]
    past_end = api.post("/companies/list", params={"per_page": 2, "page": 9}).json()
    assert past_end["data"] == [] and past_end["pages"]["next"] is None
    assert len(api.get("/companies", params={"per_page": 2}).json()["data"]) == 2
    assert api.get("/companies").json()["pages"]["per_page"] == 15


@pytest.mark.parametrize(
    ("method", "path", "params"),
    [
        ("POST", "/companies/list", {"per_page": 61}),
        ("POST", "/companies/list", {"per_page": 0}),
        ("POST", "/companies/list", {"order": "sideways"}),
        ("GET", "/companies", {"per_page": 61}),
    ],
)
def test_bad_list_parameters_are_parameter_invalid(api: httpx.Client, method, path, params) -> None:
    assert error_of(api.request(method, path, params=params), 400)["code"] == "parameter_invalid"


def test_scroll_walks_every_company_once(api: httpx.Client, domain) -> None:
    store, ws = domain
    contact_id = new_contact(api)
    ids = set()
    for index in range(105):
        company = create_company(store, ws, {"company_id": f"s{index}"})
        attach_contact(store, ws, contact_id, company["id"])
        ids.add(company["id"])
    first = api.get("/companies/scroll").json()
    assert first["pages"] is None and first["total_count"] is None
    assert len(first["data"]) == 100
    second = api.get("/companies/scroll", params={"scroll_param": first["scroll_param"]}).json()
    assert len(second["data"]) == 5
    assert {c["id"] for c in first["data"] + second["data"]} == ids
    end = api.get("/companies/scroll", params={"scroll_param": first["scroll_param"]}).json()
    assert end["data"] == [] and "scroll_param" not in end, "the SDKs' pagers stop on a page without one"
    # A used-up scroll_param is 404: clients end their scroll on it (FIDELITY §11.2).
    used_up = error_of(api.get("/companies/scroll", params={"scroll_param": first["scroll_param"]}), 404)
    assert used_up["code"] == "not_found"
    assert api.get("/companies/scroll").status_code == 200, "a finished scroll frees the workspace's slot"


def test_only_one_open_scroll_per_workspace(api: httpx.Client, domain) -> None:
    store, ws = domain
    contact_id = new_contact(api)
    attach(api, contact_id, new_company(api)["id"])
    first = api.get("/companies/scroll").json()
    error = error_of(api.get("/companies/scroll"), 400)
    assert error == {"code": "scroll_exists", "message": "scroll already exists for this app"}
    store.update_workspace(store.workspace(ws.id), clock_offset=61)
    assert error_of(api.get("/companies/scroll", params={"scroll_param": first["scroll_param"]}), 404)
    assert api.get("/companies/scroll").status_code == 200, "an idle scroll expires after a minute"


def test_unknown_scroll_param_is_404(api: httpx.Client) -> None:
    assert error_of(api.get("/companies/scroll", params={"scroll_param": "nope"}), 404) == {
        "code": "not_found",
        "message": "Resource Not Found",
    }


def test_attach_and_detach_a_contact(api: httpx.Client) -> None:
    contact_id = new_contact(api)
    company = new_company(api, name="Linked")
    attached = attach(api, contact_id, company["id"])
    assert attached["id"] == company["id"] and attached["user_count"] == 1
    assert attach(api, contact_id, company["id"])["user_count"] == 1, "attaching twice changes nothing"
    detached = api.delete(f"/contacts/{contact_id}/companies/{company['id']}")
    assert detached.status_code == 200
    assert detached.json()["type"] == "company" and detached.json()["user_count"] == 0


def test_attach_errors(api: httpx.Client) -> None:
    contact_id = new_contact(api)
    company = new_company(api)
    missing_contact = api.post("/contacts/000000000000000000000000/companies", json={"id": company["id"]})
    assert error_of(missing_contact, 404) == {"code": "not_found", "message": "User Not Found"}
    missing_company = api.post(f"/contacts/{contact_id}/companies", json={"id": "123"})
    assert error_of(missing_company, 404) == {"code": "company_not_found", "message": "Company Not Found"}
    for request in ({"json": {}}, {"content": b"null", "headers": {"Content-Type": "application/json"}}, {}):
        error = error_of(api.post(f"/contacts/{contact_id}/companies", **request), 400)
        assert error == {"code": "parameter_not_found", "message": "company not specified"}


def test_detach_errors(api: httpx.Client) -> None:
    contact_id = new_contact(api)
    company = new_company(api)
    missing_contact = api.delete(f"/contacts/000000000000000000000000/companies/{company['id']}")
    assert error_of(missing_contact, 404) == {"code": "not_found", "message": "User Not Found"}
    missing_company = api.delete(f"/contacts/{contact_id}/companies/123")
    assert error_of(missing_company, 404)["code"] == "company_not_found"


def test_a_contact_holds_at_most_1000_companies(api: httpx.Client, domain) -> None:
    store, ws = domain
    contact_id = new_contact(api)
    store.db.table("company_contacts").insert_all(
        {"workspace_id": ws.id, "company_id": f"fake{n}", "contact_id": contact_id, "created_at": 0}
        for n in range(1000)
    )
    company = new_company(api)
    error = error_of(api.post(f"/contacts/{contact_id}/companies", json={"id": company["id"]}), 400)
    assert error["code"] == "contact_company_limit_exceeded"
    assert error["message"] == "Contact has reached the maximum of 1000 company associations"


def test_attached_contacts_are_cursor_paged(api: httpx.Client) -> None:
    company = new_company(api)
    contact_ids = [new_contact(api) for _ in range(3)]
    for contact_id in contact_ids:
        attach(api, contact_id, company["id"])
    first = api.get(f"/companies/{company['id']}/contacts", params={"per_page": 2}).json()
    assert first["type"] == "list" and first["total_count"] == 3
    assert [c["id"] for c in first["data"]] == contact_ids[:2]
    assert first["data"][0]["type"] == "contact"
    cursor = first["pages"]["next"]["starting_after"]
    second = api.get(
        f"/companies/{company['id']}/contacts", params={"per_page": 2, "starting_after": cursor}
    ).json()
    assert [c["id"] for c in second["data"]] == contact_ids[2:]
    assert second["pages"]["page"] == 2 and "next" not in second["pages"]
    assert api.get(f"/companies/{company['id']}/contacts").json()["pages"]["per_page"] == 50


def test_attached_contacts_and_segments_of_unknown_company_404(api: httpx.Client) -> None:
    for suffix in ("contacts", "segments"):
        assert error_of(api.get(f"/companies/123/{suffix}"), 404)["code"] == "company_not_found"


def test_company_segments(api: httpx.Client, domain) -> None:
    store, ws = domain
    company = new_company(api)
    assert api.get(f"/companies/{company['id']}/segments").json() == {"type": "list", "data": []}
    segment = create_segment(store, ws, "Accounts", "user", [company["id"]])
    listed = api.get(f"/companies/{company['id']}/segments").json()
    assert listed == {"type": "list", "data": [segment]}


def test_archived_contacts_do_not_count(api: httpx.Client) -> None:
    contact_id = new_contact(api)
    company = new_company(api)
    attach(api, contact_id, company["id"])
    assert api.post(f"/contacts/{contact_id}/archive").status_code == 200
    assert api.get(f"/companies/{company['id']}").json()["user_count"] == 0
    assert api.get(f"/companies/{company['id']}/contacts").json()["total_count"] == 0
    assert api.post("/companies/list").json()["data"] == []


def test_a_company_without_a_name_leaves_the_name_out(api: httpx.Client) -> None:
    company = api.post("/companies", json={"company_id": "nameless"}).json()
    assert "name" not in company
    assert "name" not in api.get(f"/companies/{company['id']}").json()
