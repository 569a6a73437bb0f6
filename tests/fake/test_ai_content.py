"""Content import sources and external pages."""

import httpx

from tests.fake.test_help_center import error_of


def new_source(api: httpx.Client, url: str = "https://help.example.com") -> dict:
    response = api.post("/ai/content_import_sources", json={"sync_behavior": "api", "url": url})
    assert response.status_code == 200, response.text
    return response.json()


def new_page(api: httpx.Client, source_id: int, external_id: str = "abc", **extra) -> dict:
    body = {"title": "Test", "html": "<h1>Test</h1>", "locale": "en", "source_id": source_id}
    response = api.post("/ai/external_pages", json={**body, "external_id": external_id, **extra})
    assert response.status_code == 200, response.text
    return response.json()


def test_sources_crud(api: httpx.Client) -> None:
    source = new_source(api)
    assert isinstance(source["id"], int) and source["type"] == "content_import_source"
    assert source["status"] == "active" and source["sync_behavior"] == "api" and source["audience_ids"] == []
    assert api.get(f"/ai/content_import_sources/{source['id']}").json() == source
    updated = api.put(
        f"/ai/content_import_sources/{source['id']}",
        json={"sync_behavior": "manual", "url": "https://docs.example.com", "status": "deactivated"},
    ).json()
    assert updated["url"] == "https://docs.example.com" and updated["status"] == "deactivated"
    listed = api.get("/ai/content_import_sources").json()
    assert listed["data"] == [updated] and listed["total_count"] == 1 and listed["pages"]["per_page"] == 50
    deleted = api.delete(f"/ai/content_import_sources/{source['id']}")
    assert deleted.status_code == 204 and deleted.content == b""
    assert error_of(api.get(f"/ai/content_import_sources/{source['id']}"), 404)["code"] == "not_found"
    assert error_of(api.delete(f"/ai/content_import_sources/{source['id']}"), 404)["code"] == "not_found"


def test_source_errors(api: httpx.Client) -> None:
    assert error_of(api.post("/ai/content_import_sources", json={"url": "https://x"}), 400)["code"] == (
        "parameter_not_found"
    )
    bad = api.post("/ai/content_import_sources", json={"sync_behavior": "manual", "url": "https://x"})
    assert error_of(bad, 400)["code"] == "parameter_invalid"
    assert api.get("/ai/content_import_sources").json()["data"] == []


def test_external_pages_upsert_by_external_id(api: httpx.Client) -> None:
    source = new_source(api)
    page = new_page(api, source["id"], url="https://www.example.com")
    assert page["type"] == "external_page" and page["id"].isdigit() and page["source_id"] == source["id"]
    assert page["fin_availability"] is True and page["external_id"] == "abc"
    again = new_page(api, source["id"], title="Renamed", html="<p>New</p>")
    assert again["id"] == page["id"] and again["title"] == "Renamed" and again["html"] == "<p>New</p>"
    other = new_page(api, source["id"], "def")
    assert other["id"] != page["id"]
    assert api.get(f"/ai/external_pages/{page['id']}").json() == again
    listed = api.get("/ai/external_pages").json()
    assert listed["total_count"] == 2
    updated = api.put(
        f"/ai/external_pages/{page['id']}",
        json={
            "title": "T",
            "html": "<p>x</p>",
            "url": "https://e",
            "locale": "en",
            "source_id": source["id"],
        },
    ).json()
    assert updated["title"] == "T" and updated["external_id"] == "abc"
    clash = {
        "title": "T",
        "html": "x",
        "url": "https://e",
        "locale": "en",
        "source_id": source["id"],
        "external_id": "def",
    }
    assert (
        error_of(api.put(f"/ai/external_pages/{page['id']}", json=clash), 400)["code"] == "parameter_invalid"
    )
    assert api.delete(f"/ai/external_pages/{page['id']}").json()["id"] == page["id"]
    assert error_of(api.get(f"/ai/external_pages/{page['id']}"), 404)["code"] == "not_found"
    api.delete(f"/ai/content_import_sources/{source['id']}")
    assert error_of(api.get(f"/ai/external_pages/{other['id']}"), 404)["code"] == "not_found"


def test_page_errors(api: httpx.Client) -> None:
    assert error_of(api.post("/ai/external_pages", json={"title": "x"}), 400)["code"] == "parameter_not_found"
    body = {"title": "x", "html": "y", "locale": "en", "source_id": 1, "external_id": "1"}
    assert error_of(api.post("/ai/external_pages", json=body), 404)["code"] == "not_found"
    assert error_of(api.post("/ai/external_pages", json={**body, "locale": "fr"}), 400)


def test_a_page_made_without_a_url_has_no_url_rather_than_null(api: httpx.Client) -> None:
    source = new_source(api)
    page = new_page(api, source["id"])  # the description's request does not require a url
    assert "url" not in page  # its response types url as a string: absent, never null
    assert "url" not in api.get(f"/ai/external_pages/{page['id']}").json()
    assert new_page(api, source["id"], url="https://www.example.com")["url"] == "https://www.example.com"
