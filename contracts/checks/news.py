import httpx

from contracts.checks import body, check, expect_error, parse
from contracts.models.common import DeletedObject
from contracts.models.news import Newsfeed, NewsfeedList, NewsItem, NewsItemList


@check()
def newsfeeds_are_listed_and_found(api: httpx.Client) -> None:
    feeds = parse(NewsfeedList, api.get("/news/newsfeeds"))
    for feed in feeds.data[:1]:
        assert parse(Newsfeed, api.get(f"/news/newsfeeds/{feed.id}")).id == feed.id
        parse(NewsItemList, api.get(f"/news/newsfeeds/{feed.id}/items"))


@check(writes=True)
def news_items_are_created_updated_and_deleted(api: httpx.Client) -> None:
    sender_id = int(body(api.get("/me"))["id"])
    item = parse(
        NewsItem, api.post("/news/news_items", json={"title": "Contract news", "sender_id": sender_id})
    )
    try:
        assert item.state == "draft" and item.sender_id == sender_id
        updated = parse(
            NewsItem,
            api.put(f"/news/news_items/{item.id}", json={"title": "Contract news 2", "sender_id": sender_id}),
        )
        assert updated.title == "Contract news 2"
        assert parse(NewsItem, api.get(f"/news/news_items/{item.id}")).title == "Contract news 2"
        assert item.id in {
            n.id for n in parse(NewsItemList, api.get("/news/news_items", params={"per_page": 150})).data
        }
    finally:
        gone = parse(DeletedObject, api.delete(f"/news/news_items/{item.id}"))
    assert gone.object == "news-item"
    expect_error(api.get(f"/news/news_items/{item.id}"), 404, "not_found")
