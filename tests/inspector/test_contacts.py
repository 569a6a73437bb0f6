import json
import time
import uuid

from tests.inspector.conftest import assert_page


def new_contact(inspected, **fields) -> dict:
    body = {"email": f"{uuid.uuid4().hex[:8]}@inspect.example", **fields}
    response = inspected.api.post("/contacts", json=body)
    assert response.status_code == 200, response.text
    return response.json()


def test_the_first_page_is_intercoms_list(inspected) -> None:
    html = assert_page(inspected.page("/contacts"), "GET /contacts", "Next page", "Create a contact")
    assert "Page 1 of" in html


def test_the_search_box_sends_the_search_language(inspected) -> None:
    contact = new_contact(inspected, name="Searchable Zebediah")
    html = assert_page(
        inspected.page("/contacts", q="zebediah"), "POST /contacts/search", "Searchable Zebediah"
    )
    assert "&#34;operator&#34;: &#34;~&#34;" in html or '"operator": "~"' in html
    assert f"/contacts/{contact['id']}" in html


def test_an_address_in_the_search_box_is_an_email_prefix(inspected) -> None:
    contact = new_contact(inspected)
    prefix = contact["email"].split("@")[0] + "@"
    html = assert_page(inspected.page("/contacts", q=prefix), "1 found", contact["email"])
    assert "&#34;^&#34;" in html or '"^"' in html


def test_a_query_in_the_search_language(inspected) -> None:
    contact = new_contact(inspected, name="Query Quentin", external_id=f"ext-{uuid.uuid4().hex[:6]}")
    query = {"field": "external_id", "operator": "=", "value": contact["external_id"]}
    html = assert_page(inspected.page("/contacts", query=json.dumps(query)), "Query Quentin", "1 found")
    assert contact["external_id"] in html


def test_a_wrong_query_shows_intercoms_error(inspected) -> None:
    query = {"field": "nonsense", "operator": "=", "value": 1}
    assert_page(inspected.page("/contacts", query=json.dumps(query)), "invalid_field", status=400)
    assert_page(inspected.page("/contacts", query="{not json"), "problem in the JSON", status=400)


def test_keyset_pages_follow_the_cursor(inspected) -> None:
    first = inspected.api.get("/contacts", params={"per_page": 50}).json()
    cursor = first["pages"]["next"]["starting_after"]
    second = inspected.api.get("/contacts", params={"per_page": 50, "starting_after": cursor}).json()
    html = assert_page(inspected.page("/contacts", after=cursor), "Page 2 of")
    assert second["data"][0]["id"] in html
    assert first["data"][0]["id"] not in html


def test_a_contact_with_its_tags_notes_companies_events_and_conversations(inspected) -> None:
    contact = new_contact(inspected, name="Detailed Dora")
    tag = inspected.api.post("/tags", json={"name": "inspected-vip"}).json()
    inspected.api.post(f"/contacts/{contact['id']}/tags", json={"id": tag["id"]})
    inspected.api.post(f"/contacts/{contact['id']}/notes", json={"body": "Met at the conference"})
    company = inspected.api.post("/companies", json={"company_id": "insp-co", "name": "Inspected Co"}).json()
    inspected.api.post(f"/contacts/{contact['id']}/companies", json={"id": company["id"]})
    inspected.api.post(
        "/events",
        json={"event_name": "opened-inspector", "id": contact["id"], "created_at": int(time.time())},
    )
    inspected.api.post(
        "/conversations", json={"from": {"type": "user", "id": contact["id"]}, "body": "Hello there"}
    )
    html = assert_page(
        inspected.page(f"/contacts/{contact['id']}"),
        "Detailed Dora",
        "inspected-vip",
        "Met at the conference",
        "Inspected Co",
        "opened-inspector",
        "Hello there",
        "contact.user.updated",
    )
    assert f"/companies/{company['id']}" in html


def test_an_unknown_contact_is_a_404_page(inspected) -> None:
    assert_page(inspected.page("/contacts/0123456789abcdef01234567"), "not_found", status=404)


def test_user_data_renders_as_text(inspected) -> None:
    contact = new_contact(inspected, name="<script>alert('name')</script>")
    for response in (inspected.page("/contacts", q="alert"), inspected.page(f"/contacts/{contact['id']}")):
        html = assert_page(response, "&lt;script&gt;alert(")
        assert "<script>alert(" not in html


def test_create_a_contact(inspected) -> None:
    response = inspected.act("/contacts", {"role": "lead", "name": "Created Carla"})
    assert response.status_code == 200, response.text
    created = response.json()
    assert created["role"] == "lead"
    assert inspected.api.get(f"/contacts/{created['id']}").json()["name"] == "Created Carla"


def test_creating_a_contact_answers_intercoms_errors(inspected) -> None:
    contact = new_contact(inspected)
    response = inspected.act("/contacts", {"email": contact["email"]})
    assert response.status_code == 409
    assert response.json()["type"] == "error.list"
