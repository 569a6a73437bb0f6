"""News items, newsfeeds and live newsfeed items."""

import httpx

from tests.fake.test_help_center import error_of


def sender(workspace) -> int:
    return int(workspace[0].owner_admin_id)


def default_feed(api: httpx.Client) -> dict:
    feeds = api.get("/news/newsfeeds").json()
    assert feeds["total_count"] == 1 and feeds["pages"]["per_page"] == 10
    return feeds["data"][0]


def new_item(api: httpx.Client, workspace, title: str = "Halloween is here!", **extra) -> dict:
    response = api.post("/news/news_items", json={"title": title, "sender_id": sender(workspace), **extra})
    assert response.status_code == 200, response.text
    return response.json()


def test_default_newsfeed(api: httpx.Client) -> None:
    feed = default_feed(api)
    assert feed["type"] == "newsfeed" and feed["name"] == "Visitor Feed" and feed["id"].isdigit()
    assert api.get(f"/news/newsfeeds/{feed['id']}").json() == feed
    assert default_feed(api) == feed
    assert error_of(api.get("/news/newsfeeds/1"), 404)["code"] == "not_found"


def test_news_item_crud(api: httpx.Client, workspace) -> None:
    feed = default_feed(api)
    item = new_item(
        api,
        workspace,
        body="<p>New costumes</p>",
        labels=["Product", "New"],
        reactions=["😆"],
        state="live",
        deliver_silently=True,
        newsfeed_assignments=[{"newsfeed_id": int(feed["id"]), "published_at": 1664638214}],
    )
    assert item["type"] == "news-item" and item["labels"] == ["New", "Product"] and item["state"] == "live"
    assert item["newsfeed_assignments"] == [{"newsfeed_id": int(feed["id"]), "published_at": 1664638214}]
    assert item["sender_id"] == sender(workspace) and item["cover_image_url"] is None
    assert api.get(f"/news/news_items/{item['id']}").json() == item
    plain = new_item(api, workspace, "Draft news")
    assert plain["state"] == "draft" and plain["reactions"] == [None, None, None, None]
    updated = api.put(
        f"/news/news_items/{item['id']}", json={"title": "Christmas", "sender_id": sender(workspace)}
    )
    assert updated.json()["title"] == "Christmas" and updated.json()["labels"] == ["New", "Product"]
    listed = api.get("/news/news_items").json()
    assert listed["total_count"] == 2 and listed["pages"]["per_page"] == 10
    assert api.delete(f"/news/news_items/{item['id']}").json() == {
        "id": item["id"],
        "object": "news-item",
        "deleted": True,
    }
    assert error_of(api.get(f"/news/news_items/{item['id']}"), 404) == {
        "code": "not_found",
        "message": "Resource Not Found",
    }
    assert error_of(api.put("/news/news_items/1", json={"title": "x"}), 404)["code"] == "not_found"


def test_create_errors(api: httpx.Client, workspace) -> None:
    assert error_of(api.post("/news/news_items", json={"title": "x"}), 400)["code"] == "parameter_not_found"
    assert error_of(api.post("/news/news_items", json={"sender_id": sender(workspace)}), 400)
    unknown_feed = {
        "title": "x",
        "sender_id": sender(workspace),
        "newsfeed_assignments": [{"newsfeed_id": 1}],
    }
    assert error_of(api.post("/news/news_items", json=unknown_feed), 400)["code"] == "parameter_invalid"
    assert error_of(api.post("/news/news_items", json={"title": "x", "sender_id": 1}), 400)
    assert api.get("/news/news_items").json()["data"] == []


def test_live_items(api: httpx.Client, workspace, app) -> None:
    feed = default_feed(api)
    now = app.state.store.now(workspace[0])
    assign = [{"newsfeed_id": int(feed["id"]), "published_at": now - 10}]
    live = new_item(api, workspace, "Live", state="live", newsfeed_assignments=assign)
    new_item(api, workspace, "Draft", state="draft", newsfeed_assignments=assign)
    new_item(
        api,
        workspace,
        "Scheduled",
        state="live",
        newsfeed_assignments=[{**assign[0], "published_at": now + 99}],
    )
    new_item(api, workspace, "Elsewhere", state="live")
    items = api.get(f"/news/newsfeeds/{feed['id']}/items").json()
    assert [i["id"] for i in items["data"]] == [live["id"]] and items["total_count"] == 1
    clamped = api.get(f"/news/newsfeeds/{feed['id']}/items", params={"per_page": 100}).json()
    assert clamped["pages"]["per_page"] == 20
    assert error_of(api.get("/news/newsfeeds/1/items"), 404)["code"] == "not_found"
