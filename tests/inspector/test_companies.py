import uuid

from tests.inspector.conftest import assert_page


def test_the_paged_list(inspected) -> None:
    html = assert_page(inspected.page("/companies"), "POST /companies/list", "Page 1 of")
    assert "Blue Sun" in html or "company-0" in html


def test_page_numbers_are_checked(inspected) -> None:
    assert_page(inspected.page("/companies", page="0"), "page must be 1 or more", status=400)
    assert_page(inspected.page("/companies", page="2"), "Previous page")


def test_find_by_name(inspected) -> None:
    name = f"Findable {uuid.uuid4().hex[:6]}"
    company = inspected.api.post("/companies", json={"company_id": uuid.uuid4().hex[:8], "name": name}).json()
    html = assert_page(inspected.page("/companies", name=name), "GET /companies", name)
    assert f"/companies/{company['id']}" in html
    assert_page(inspected.page("/companies", name="No Such Company Anywhere"), "not_found")


def test_a_company_with_its_tags_and_contacts(inspected) -> None:
    company = inspected.api.post(
        "/companies", json={"company_id": uuid.uuid4().hex[:8], "name": "<b>Bold</b> Corp"}
    ).json()
    contact = inspected.api.post("/contacts", json={"email": f"{uuid.uuid4().hex[:6]}@co.example"}).json()
    inspected.api.post(f"/contacts/{contact['id']}/companies", json={"id": company["id"]})
    inspected.api.post("/tags", json={"name": "inspected-account", "companies": [{"id": company["id"]}]})
    html = assert_page(
        inspected.page(f"/companies/{company['id']}"), "&lt;b&gt;Bold&lt;/b&gt; Corp", "inspected-account"
    )
    assert "<b>Bold</b>" not in html
    assert f"/contacts/{contact['id']}" in html


def test_an_unknown_company_is_a_404_page(inspected) -> None:
    assert_page(inspected.page("/companies/nope"), status=404)


def test_a_company_page_shows_its_notes(inspected) -> None:
    company = inspected.api.post(
        "/companies", json={"company_id": uuid.uuid4().hex[:8], "name": "Noted Corp"}
    ).json()
    written = inspected.api.post(
        f"/companies/{company['id']}/notes",
        json={"body": "<p>Renewal call <script>alert(1)</script>booked</p>"},
        headers={"Intercom-Version": "2.16"},
    )
    assert written.status_code == 200, written.text
    html = assert_page(inspected.page(f"/companies/{company['id']}"), "Notes", "Renewal call", "booked")
    assert "<script>alert(1)" not in html
    empty = inspected.api.post(
        "/companies", json={"company_id": uuid.uuid4().hex[:8], "name": "Quiet"}
    ).json()
    assert_page(inspected.page(f"/companies/{empty['id']}"), "No notes.")
