"""Knowledge Hub search and bulk actions (2.16)."""

import httpx

from tests.fake.test_ai_content import new_page, new_source
from tests.fake.test_articles import new_article
from tests.fake.test_content_snippets import new_snippet
from tests.fake.test_help_center import V216, error_of
from tests.fake.test_internal_articles import new_internal


def search(api: httpx.Client, **params) -> dict:
    response = api.get("/content/search", params=params, headers=V216)
    assert response.status_code == 200, response.text
    return response.json()


def bulk(api: httpx.Client, **body) -> httpx.Response:
    return api.post("/content/bulk_actions", json=body, headers=V216)


def test_search_across_kinds(api: httpx.Client, workspace) -> None:
    article = new_article(api, workspace, "Billing FAQ", body="Invoices monthly.", state="published")
    snippet = new_snippet(api, "Billing snippet")
    internal = new_internal(api, workspace, "Internal SOP: billing refunds")
    page = new_page(api, new_source(api)["id"], title="Billing page")
    new_article(api, workspace, "Unrelated", body="Nothing here.")
    found = search(api, query="billing")
    assert found["type"] == "list" and found["total_count"] == 4
    assert {(item["type"], item["id"]) for item in found["data"]} == {
        ("article", article["id"]),
        ("content_snippet", snippet["id"]),
        ("internal_article", internal["id"]),
        ("external_content", page["id"]),
    }
    hit = next(item for item in found["data"] if item["type"] == "article")
    assert hit["contents"] == [
        {"type": "article_content", "id": f"{article['id']}00", "title": "Billing FAQ", "locale": "en"}
    ]
    assert found["pages"] == {
        "type": "pages",
        "page": 1,
        "per_page": 10,
        "total_pages": 1,
        "next": None,
        "prev": None,
    }
    only_snippets = search(api, query="billing", content_types="snippet")
    assert [item["id"] for item in only_snippets["data"]] == [snippet["id"]]
    drafts = search(api, states="draft", content_types="article")
    assert [item["title"] for item in drafts["data"]] == ["Unrelated"]
    paged = search(api, per_page=2, page=2)
    assert len(paged["data"]) == 2 and paged["total_count"] == 5
    # Neighbouring pages are links to the same search, as in the official description.
    assert paged["pages"]["prev"].endswith("/content/search?per_page=2&page=1")
    assert paged["pages"]["next"].endswith("/content/search?per_page=2&page=3")
    assert len(api.get(paged["pages"]["next"], headers=V216).json()["data"]) == 1
    assert error_of(api.get("/content/search", headers=V216, params={"per_page": 51}), 400)
    assert error_of(api.get("/content/search"), 400)["code"] == "intercom_version_invalid"


def test_bulk_publish_availability_and_tags(api: httpx.Client, workspace) -> None:
    article = new_article(api, workspace, "Exports")
    content = {"type": "article_content", "id": f"{article['id']}00"}
    queued = bulk(api, action="publish", content_ids=[content, {"type": "content_snippet", "id": "1"}])
    assert queued.status_code == 202 and queued.json() == {"type": "content_bulk_action", "status": "queued"}
    assert api.get(f"/articles/{article['id']}").json()["state"] == "published"
    bulk(api, action="unpublish", content_ids=[content])
    assert api.get(f"/articles/{article['id']}").json()["state"] == "draft"
    bulk(api, action="set_availability", content_ids=[content], availability={"ai_agent": False})
    assert api.get(f"/articles/{article['id']}", headers=V216).json()["ai_chatbot_availability"] is False
    tag = api.post("/tags", json={"name": "Data"}).json()
    refs = [{"type": "article", "id": article["id"]}]
    assert (
        bulk(api, action="update_tags", content_ids=refs, tags={"add_tag_ids": [int(tag["id"])]}).status_code
        == 202
    )
    assert [t["id"] for t in api.get(f"/articles/{article['id']}").json()["tags"]["tags"]] == [tag["id"]]
    bulk(api, action="update_tags", content_ids=refs, tags={"remove_tag_ids": [int(tag["id"])]})
    assert api.get(f"/articles/{article['id']}").json()["tags"]["tags"] == []


def test_bulk_delete(api: httpx.Client, workspace) -> None:
    article = new_article(api, workspace)
    snippet = new_snippet(api)
    internal = new_internal(api, workspace)
    refs = [
        {"type": "article_content", "id": f"{article['id']}00"},
        {"type": "content_snippet", "id": snippet["id"]},
        {"type": "internal_article", "id": internal["id"]},
    ]
    assert bulk(api, action="delete", content_ids=refs).status_code == 202
    assert api.get(f"/articles/{article['id']}").status_code == 404
    assert api.get(f"/content_snippets/{snippet['id']}", headers=V216).status_code == 404
    assert api.get(f"/internal_articles/{internal['id']}").status_code == 404


def test_bulk_errors(api: httpx.Client) -> None:
    refs = [{"type": "article_content", "id": "100"}]
    assert error_of(bulk(api, action="explode", content_ids=refs), 422)["code"] == "data_invalid"
    assert error_of(bulk(api, action="publish", content_ids=[]), 422)["code"] == "data_invalid"
    assert error_of(bulk(api, action="set_availability", content_ids=refs), 422)
    assert error_of(bulk(api, action="update_tags", content_ids=refs, tags={"add_tag_ids": [1]}), 422)
    assert error_of(api.post("/content/bulk_actions", json={"action": "publish"}), 400)["code"] == (
        "intercom_version_invalid"
    )


def test_demo_seed_and_fin_answer_from_it(app, asgi_transport) -> None:
    from tests.conftest import _client, new_workspace

    workspace, token = new_workspace(app, "demo")
    with _client("http://fake-intercom.test", token, asgi_transport) as api:
        assert len(api.get("/help_center/help_centers").json()["data"]) == 1
        assert api.get("/help_center/collections").json()["total_count"] == 3
        articles = api.get("/articles", params={"per_page": 50}).json()["data"]
        assert len(articles) == 15 and sum(a["state"] == "draft" for a in articles) == 3
        assert api.get("/internal_articles").json()["total_count"] == 2
        feed = api.get("/news/newsfeeds").json()["data"][0]
        assert api.get(f"/news/newsfeeds/{feed['id']}/items").json()["total_count"] == 3
        assert api.get("/ai/content_import_sources").json()["total_count"] == 1
        assert api.get("/ai/external_pages").json()["total_count"] == 2
        assert api.get("/content_snippets", headers=V216).json()["total_count"] == 2
        message = {
            "author": "user",
            "body": "I forgot my password, how do I reset it?",
            "timestamp": "2025-01-01T00:00:00Z",
        }
        started = api.post(
            "/fin/start", json={"conversation_id": "demo-1", "message": message, "user": {"id": "u1"}}
        )
        assert started.json()["status"] == "awaiting_user_reply"
    from fake_intercom.resources.fin_agent import find_conversation

    answer = find_conversation(app.state.store, workspace.id, "demo-1")["messages"][-1]["body"]
    assert "Resetting your password" in answer and "Forgot password" in answer
