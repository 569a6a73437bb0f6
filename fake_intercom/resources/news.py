"""News items and newsfeeds.

The API cannot create newsfeeds; every workspace has Intercom's default one, made the first time
a workspace touches news. A newsfeed's live items are the live news items assigned to it whose
`published_at` has come (the workspace clock), newest first, and at most 20 a page: a larger
`per_page` is clamped rather than refused (FIDELITY §4).
"""

from typing import Any

from fastapi import Depends, Query

from contracts.models.common import DeletedObject
from contracts.models.news import Newsfeed, NewsfeedList, NewsItem, NewsItemList, NewsItemRequest
from fake_intercom import responses
from fake_intercom.context import Ctx, context
from fake_intercom.errors import not_found, parameter_invalid, parameter_not_found, require
from fake_intercom.pagination import check_per_page, numbered_page
from fake_intercom.resources._content_common import admin_id_param
from fake_intercom.routing import IntercomRouter
from fake_intercom.store import Store, Workspace, dumps, loads, table

NEWS_ITEMS = table(
    "news_items",
    {"id": str, "state": str, "created_at": int, "data": str},
    indexes=(("workspace_id", "created_at"),),
)
NEWSFEEDS = table("newsfeeds", {"id": str, "created_at": int, "data": str})
ASSIGNMENTS = table(
    "newsfeed_assignments",
    {"news_item_id": str, "newsfeed_id": str, "published_at": int},
    pk=("workspace_id", "news_item_id", "newsfeed_id"),
    indexes=(("workspace_id", "newsfeed_id", "published_at"),),
)

DEFAULT_NEWSFEED = "Visitor Feed"
ITEMS_PER_PAGE = (10, 150)
FEEDS_PER_PAGE = (10, 150)
LIVE_PER_PAGE = 20

router = IntercomRouter(tags=["News"])


def create_newsfeed(store: Store, workspace: Workspace, name: str) -> dict[str, Any]:
    now = store.now(workspace)
    feed = {
        "id": store.numeric_id(workspace.id, "newsfeed", base=60),
        "type": "newsfeed",
        "name": name,
        "created_at": now,
        "updated_at": now,
    }
    store.insert(
        "newsfeeds", {"workspace_id": workspace.id, "id": feed["id"], "created_at": now, "data": dumps(feed)}
    )
    return feed


def ensure_newsfeeds(store: Store, workspace: Workspace) -> None:
    if store.scalar("SELECT 1 FROM newsfeeds WHERE workspace_id = ? LIMIT 1", (workspace.id,)) is None:
        create_newsfeed(store, workspace, DEFAULT_NEWSFEED)


def _assign(
    store: Store, workspace: Workspace, item: dict[str, Any], assignments: list[dict[str, Any]]
) -> None:
    store.execute(
        "DELETE FROM newsfeed_assignments WHERE workspace_id = ? AND news_item_id = ?",
        (workspace.id, item["id"]),
    )
    for assignment in assignments:
        store.insert(
            "newsfeed_assignments",
            {
                "workspace_id": workspace.id,
                "news_item_id": item["id"],
                "newsfeed_id": str(assignment["newsfeed_id"]),
                "published_at": assignment["published_at"],
            },
            replace_existing=True,
        )


def create_news_item(
    store: Store,
    workspace: Workspace,
    *,
    title: str,
    body: str,
    sender_id: int,
    state: str = "draft",
    labels: list[str] | None = None,
    reactions: list[str | None] | None = None,
    deliver_silently: bool = False,
    newsfeed_ids: list[tuple[str, int | None]] | None = None,
    cover_image_url: str | None = None,
) -> dict[str, Any]:
    now = store.now(workspace)
    item = {
        "id": store.numeric_id(workspace.id, "news_item", base=28),
        "type": "news-item",
        "workspace_id": workspace.id,
        "title": title,
        "body": body,
        "sender_id": sender_id,
        "state": state,
        # Intercom answers labels sorted, and four empty reaction slots when none are set.
        "labels": sorted(labels or []),
        "cover_image_url": cover_image_url,
        "reactions": reactions if reactions is not None else [None, None, None, None],
        "deliver_silently": deliver_silently,
        "created_at": now,
        "updated_at": now,
        "newsfeed_assignments": [
            {"newsfeed_id": int(feed_id), "published_at": published_at if published_at is not None else now}
            for feed_id, published_at in (newsfeed_ids or [])
        ],
    }
    store.insert(
        "news_items",
        {
            "workspace_id": workspace.id,
            "id": item["id"],
            "state": state,
            "created_at": now,
            "data": dumps(item),
        },
    )
    _assign(store, workspace, item, item["newsfeed_assignments"])
    return item


def _find_newsfeed(ctx: Ctx, newsfeed_id: str) -> dict[str, Any] | None:
    ensure_newsfeeds(ctx.store, ctx.workspace)
    return ctx.store.data("newsfeeds", ctx.ws, newsfeed_id)


def _assignments(ctx: Ctx, body: NewsItemRequest) -> list[tuple[str, int | None]]:
    ensure_newsfeeds(ctx.store, ctx.workspace)
    pairs = []
    for assignment in body.newsfeed_assignments or []:
        if ctx.store.row("newsfeeds", ctx.ws, str(assignment.newsfeed_id)) is None:
            raise parameter_invalid(f"Newsfeed {assignment.newsfeed_id} not found", field="newsfeed_id")
        pairs.append((str(assignment.newsfeed_id), assignment.published_at))
    return pairs


def _list_page(ctx: Ctx, table_name: str, page: int | None, per_page: int | None, limits, url: str) -> Any:
    default, maximum = limits
    result = numbered_page(
        ctx.store,
        select="data",
        from_where=f"{table_name} WHERE workspace_id = ?",
        params=[ctx.ws],
        order_by="created_at DESC, CAST(id AS INTEGER) DESC",
        page=page,
        per_page=check_per_page(per_page, default, maximum),
        url=url,
    )
    return responses.json(
        {
            "type": "list",
            "pages": result.pages(),
            "data": [loads(row["data"]) for row in result.rows],
            "total_count": result.total_count,
        }
    )


@router.operation("listNewsItems", response_model=NewsItemList)
async def list_news_items(
    page: int | None = Query(default=None, description="The page of results to fetch (from 1)."),
    per_page: int | None = Query(default=None, description="News items per page: 10 unless set."),
    ctx: Ctx = Depends(context),
) -> Any:
    return _list_page(ctx, "news_items", page, per_page, ITEMS_PER_PAGE, f"{ctx.base_url}/news/news_items")


@router.operation("createNewsItem", response_model=NewsItem)
async def create_news_item_route(body: NewsItemRequest, ctx: Ctx = Depends(context)) -> Any:
    if not body.title:
        raise parameter_not_found("title is a required parameter", field="title")
    if body.sender_id is None:
        raise parameter_not_found("sender_id is a required parameter", field="sender_id")
    item = create_news_item(
        ctx.store,
        ctx.workspace,
        title=body.title,
        body=body.body or "",
        sender_id=admin_id_param(ctx, body.sender_id, "sender_id"),
        state=body.state or "draft",
        labels=body.labels,
        reactions=body.reactions,
        deliver_silently=bool(body.deliver_silently),
        newsfeed_ids=_assignments(ctx, body),
        cover_image_url=body.cover_image_url,
    )
    return responses.json(item)


@router.operation("retrieveNewsItem", response_model=NewsItem)
async def retrieve_news_item(news_item_id: int, ctx: Ctx = Depends(context)) -> Any:
    return responses.json(require(ctx.store.data("news_items", ctx.ws, str(news_item_id)), not_found))


@router.operation("updateNewsItem", response_model=NewsItem)
async def update_news_item(news_item_id: int, body: NewsItemRequest, ctx: Ctx = Depends(context)) -> Any:
    item = require(ctx.store.data("news_items", ctx.ws, str(news_item_id)), not_found)
    now = ctx.now()
    if body.title is not None:
        if not body.title.strip():
            raise parameter_invalid("title can't be blank", field="title")
        item["title"] = body.title
    if body.sender_id is not None:
        item["sender_id"] = admin_id_param(ctx, body.sender_id, "sender_id")
    for key in ("body", "state", "deliver_silently", "reactions", "cover_image_url"):
        if key in body.model_fields_set:
            item[key] = getattr(body, key)
    if body.labels is not None:
        item["labels"] = sorted(body.labels)
    if body.newsfeed_assignments is not None:
        item["newsfeed_assignments"] = [
            {"newsfeed_id": int(feed_id), "published_at": published_at if published_at is not None else now}
            for feed_id, published_at in _assignments(ctx, body)
        ]
        _assign(ctx.store, ctx.workspace, item, item["newsfeed_assignments"])
    item["updated_at"] = now
    ctx.store.update("news_items", ctx.ws, item["id"], {"state": item["state"], "data": dumps(item)})
    return responses.json(item)


@router.operation("deleteNewsItem", response_model=DeletedObject)
async def delete_news_item(news_item_id: int, ctx: Ctx = Depends(context)) -> Any:
    item = require(ctx.store.data("news_items", ctx.ws, str(news_item_id)), not_found)
    ctx.store.delete("news_items", ctx.ws, item["id"])
    ctx.store.execute(
        "DELETE FROM newsfeed_assignments WHERE workspace_id = ? AND news_item_id = ?", (ctx.ws, item["id"])
    )
    return responses.deleted(item["id"], "news-item")


@router.operation("listNewsfeeds", response_model=NewsfeedList)
async def list_newsfeeds(ctx: Ctx = Depends(context)) -> Any:
    ensure_newsfeeds(ctx.store, ctx.workspace)
    return _list_page(ctx, "newsfeeds", None, None, FEEDS_PER_PAGE, f"{ctx.base_url}/news/newsfeeds")


@router.operation("retrieveNewsfeed", response_model=Newsfeed)
async def retrieve_newsfeed(newsfeed_id: str, ctx: Ctx = Depends(context)) -> Any:
    return responses.json(require(_find_newsfeed(ctx, newsfeed_id), not_found))


@router.operation("listLiveNewsfeedItems", response_model=NewsItemList)
async def list_live_newsfeed_items(
    newsfeed_id: str,
    page: int | None = Query(default=None, description="The page of results to fetch (from 1)."),
    per_page: int | None = Query(default=None, description="Items per page: 20, and never more."),
    ctx: Ctx = Depends(context),
) -> Any:
    feed = require(_find_newsfeed(ctx, newsfeed_id), not_found)
    size = min(max(per_page or LIVE_PER_PAGE, 1), LIVE_PER_PAGE)
    result = numbered_page(
        ctx.store,
        select="n.data AS data",
        from_where=(
            "news_items n JOIN newsfeed_assignments a ON a.workspace_id = n.workspace_id AND a.news_item_id = n.id "
            "WHERE n.workspace_id = ? AND a.newsfeed_id = ? AND n.state = 'live' AND a.published_at <= ?"
        ),
        params=[ctx.ws, feed["id"], ctx.now()],
        order_by="a.published_at DESC, CAST(n.id AS INTEGER) DESC",
        page=page,
        per_page=size,
        url=f"{ctx.base_url}/news/newsfeeds/{feed['id']}/items",
    )
    return responses.json(
        {
            "type": "list",
            "pages": result.pages(),
            "data": [loads(row["data"]) for row in result.rows],
            "total_count": result.total_count,
        }
    )
