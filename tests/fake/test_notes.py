"""Notes on contacts and companies."""

import httpx

from fake_intercom.resources.admins import create_admin
from fake_intercom.resources.notes import create_company_note
from fake_intercom.text import html_body
from tests.helpers.api import domain_of, error_of, new_company, new_contact

RESOURCE_NOT_FOUND = {"code": "not_found", "message": "Resource Not Found"}
USER_NOT_FOUND = {"code": "not_found", "message": "User Not Found"}


def new_note(api: httpx.Client, contact: str, body: str = "Hello", **extra) -> dict:
    response = api.post(f"/contacts/{contact}/notes", json={"body": body, **extra})
    assert response.status_code == 200, response.text
    return response.json()


def test_create_wraps_text_and_defaults_to_the_owner(api: httpx.Client, workspace) -> None:
    contact_id = new_contact(api)
    note = new_note(api, contact_id, "Hello")
    assert note["type"] == "note" and note["id"].isdigit()
    assert note["body"] == "<p>Hello</p>"
    assert note["contact"] == {"type": "contact", "id": contact_id}
    assert note["author"]["type"] == "admin" and note["author"]["id"] == workspace[0].owner_admin_id
    assert {"name", "email", "away_mode_enabled", "away_mode_reassign"} <= note["author"].keys()
    assert isinstance(note["created_at"], int)


def test_create_by_a_named_admin(api: httpx.Client, app, workspace) -> None:
    store, ws = domain_of(app, workspace)
    admin = create_admin(store, ws, name="Grace", email="grace@test.example")
    contact_id = new_contact(api)
    note = new_note(api, contact_id, admin_id=int(admin["id"]), contact_id=contact_id)
    assert note["author"]["id"] == admin["id"] and note["author"]["name"] == "Grace"


def test_create_errors(api: httpx.Client) -> None:
    contact_id = new_contact(api)
    unknown_admin = api.post(f"/contacts/{contact_id}/notes", json={"body": "Hello", "admin_id": 123})
    assert error_of(unknown_admin, 404) == RESOURCE_NOT_FOUND
    unknown_contact = api.post("/contacts/123/notes", json={"body": "Hello"})
    assert error_of(unknown_contact, 404) == USER_NOT_FOUND
    assert error_of(api.post(f"/contacts/{contact_id}/notes", json={}), 400)["code"] == "parameter_not_found"
    assert api.get(f"/contacts/{contact_id}/notes").json()["data"] == []


def test_html_body() -> None:
    assert html_body("a < b\nsecond line") == "<p>a &lt; b</p><p>second line</p>"
    assert html_body("<p>Already <b>HTML</b></p>") == "<p>Already <b>HTML</b></p>"


def test_list_newest_first_and_paged(api: httpx.Client, app, workspace) -> None:
    store, ws = domain_of(app, workspace)
    contact_id = new_contact(api)
    ids = []
    for index in range(3):
        store.update_workspace(store.workspace(ws.id), clock_offset=index)
        ids.append(new_note(api, contact_id, f"Note {index}")["id"])
    listed = api.get(f"/contacts/{contact_id}/notes").json()
    assert [n["id"] for n in listed["data"]] == ids[::-1]
    assert listed["total_count"] == 3
    assert listed["pages"] == {"type": "pages", "next": None, "page": 1, "per_page": 50, "total_pages": 1}
    first = api.get(f"/contacts/{contact_id}/notes", params={"per_page": 2}).json()
    assert [n["id"] for n in first["data"]] == ids[:0:-1] and "page=2" in first["pages"]["next"]
    second = api.get(f"/contacts/{contact_id}/notes", params={"per_page": 2, "page": 2}).json()
    assert [n["id"] for n in second["data"]] == ids[:1]
    assert error_of(api.get("/contacts/123/notes"), 404) == USER_NOT_FOUND


def test_retrieve(api: httpx.Client) -> None:
    note = new_note(api, new_contact(api))
    assert api.get(f"/notes/{note['id']}").json() == note
    assert error_of(api.get("/notes/1"), 404) == RESOURCE_NOT_FOUND


def test_company_notes(api: httpx.Client, app, workspace) -> None:
    store, ws = domain_of(app, workspace)
    company = new_company(api)
    new_note(api, new_contact(api), "Not the company's")
    assert api.get(f"/companies/{company['id']}/notes").json()["data"] == []
    note = create_company_note(store, ws, company["id"], "About the account", ws.owner_admin_id or "")
    listed = api.get(f"/companies/{company['id']}/notes").json()
    assert listed["data"] == [note] and listed["total_count"] == 1
    assert note["company"] == {"type": "company", "id": company["id"]} and "contact" not in note
    missing = api.get("/companies/123/notes")
    assert error_of(missing, 404) == {"code": "company_not_found", "message": "Company Not Found"}


def test_create_company_note_216(api: httpx.Client, app, workspace) -> None:
    v216 = {"Intercom-Version": "2.16"}
    store, ws = domain_of(app, workspace)
    admin = create_admin(store, ws, name="Grace", email="grace-company@test.example")
    company = new_company(api)
    response = api.post(
        f"/companies/{company['id']}/notes", json={"body": "Hello", "admin_id": admin["id"]}, headers=v216
    )
    assert response.status_code == 200, response.text
    note = response.json()
    assert note["company"] == {"type": "company", "id": company["id"]} and note["body"] == "<p>Hello</p>"
    assert note["author"]["id"] == admin["id"] and "contact" not in note
    assert api.get(f"/companies/{company['id']}/notes").json()["data"] == [note]
    default_author = api.post(f"/companies/{company['id']}/notes", json={"body": "x"}, headers=v216).json()
    assert default_author["author"]["id"] == ws.owner_admin_id
    unknown_admin = api.post(
        f"/companies/{company['id']}/notes", json={"body": "x", "admin_id": "123"}, headers=v216
    )
    assert error_of(unknown_admin, 404) == RESOURCE_NOT_FOUND
    missing = api.post("/companies/123/notes", json={"body": "Hello"}, headers=v216)
    assert error_of(missing, 404) == {"code": "company_not_found", "message": "Company Not Found"}
    old = api.post(f"/companies/{company['id']}/notes", json={"body": "x"})
    assert error_of(old, 400)["code"] == "intercom_version_invalid"
    assert api.get(f"/companies/{company['id']}/notes").json()["total_count"] == 2
