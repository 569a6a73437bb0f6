"""Internal articles: teammate-only knowledge, with search and 2.16 tags.

Search takes a `phrase` as article search does, and `folder_id` as the spec declares: an internal
article remembers the folder it was filed in when created or updated with one.
"""

import re
from typing import Any

from fastapi import Depends, Query

from contracts.models.articles import ApplyTagRequest
from contracts.models.common import DeletedObject
from contracts.models.internal_articles import (
    InternalArticle,
    InternalArticleList,
    InternalArticleRequest,
    InternalArticleSearchResponse,
)
from contracts.models.tags import Tag
from fake_intercom import responses
from fake_intercom.context import Ctx, context
from fake_intercom.errors import (
    internal_article_not_found,
    not_found,
    parameter_invalid,
    parameter_not_found,
    require,
)
from fake_intercom.pagination import check_per_page, numbered_page
from fake_intercom.resources._content_common import (
    admin_id_param,
    attach_tag,
    detach_tag,
    drop_tags,
    plain_text,
)
from fake_intercom.routing import IntercomRouter
from fake_intercom.store import Store, Workspace, dumps, loads, table

INTERNAL_ARTICLES = table(
    "internal_articles",
    {"id": str, "folder_id": str, "updated_at": int, "search_text": str, "data": str},
    indexes=(("workspace_id", "updated_at"),),
)
LIST_PER_PAGE = (25, 250)
SEARCH_PER_PAGE = (10, 250)
AUTHOR_MISSING = "author_id must be in the main body or default locale translated_content object"

router = IntercomRouter(tags=["Internal Articles"])


def _search_text(article: dict[str, Any]) -> str:
    return f"{article['title'] or ''} {plain_text(article['body'])}".lower()


def create_internal_article(
    store: Store,
    workspace: Workspace,
    *,
    title: str,
    body: str,
    author_id: int,
    owner_id: int,
    locale: str = "en",
    folder_id: str | None = None,
) -> dict[str, Any]:
    now = store.now(workspace)
    article = {
        "type": "internal_article",
        "id": store.numeric_id(workspace.id, "internal_article", base=40),
        "title": title,
        "body": body,
        "owner_id": owner_id,
        "author_id": author_id,
        "created_at": now,
        "updated_at": now,
        "locale": locale,
    }
    store.insert(
        "internal_articles",
        {
            "workspace_id": workspace.id,
            "id": article["id"],
            "folder_id": folder_id,
            "updated_at": now,
            "search_text": _search_text(article),
            "data": dumps(article),
        },
    )
    return article


def find_internal_article(store: Store, workspace_id: str, article_id: str) -> dict[str, Any] | None:
    return store.data("internal_articles", workspace_id, article_id)


def delete_internal_article(store: Store, workspace_id: str, article_id: str) -> None:
    store.delete("internal_articles", workspace_id, article_id)
    drop_tags(store, workspace_id, "internal_article", article_id)


def _page(
    ctx: Ctx, where: str, params: list[Any], page: int | None, per_page: int | None, limits, url, query=None
):
    default, maximum = limits
    return numbered_page(
        ctx.store,
        select="data",
        from_where=f"internal_articles WHERE workspace_id = ?{where}",
        params=[ctx.ws, *params],
        order_by="updated_at DESC, CAST(id AS INTEGER) DESC",
        page=page,
        per_page=check_per_page(per_page, default, maximum),
        url=url,
        query=query,
    )


@router.operation("listInternalArticles", response_model=InternalArticleList)
async def list_internal_articles(
    page: int | None = Query(default=None, description="The page of results to fetch (from 1)."),
    per_page: int | None = Query(default=None, description="Articles per page: 25 unless set, at most 250."),
    ctx: Ctx = Depends(context),
) -> Any:
    result = _page(ctx, "", [], page, per_page, LIST_PER_PAGE, f"{ctx.base_url}/internal_articles")
    return responses.json(
        {
            "type": "list",
            "pages": result.pages(),
            "total_count": result.total_count,
            "data": [loads(row["data"]) for row in result.rows],
        }
    )


@router.operation("createInternalArticle", response_model=InternalArticle)
async def create_internal_article_route(body: InternalArticleRequest, ctx: Ctx = Depends(context)) -> Any:
    if body.author_id is None:
        raise parameter_not_found(AUTHOR_MISSING)
    if not body.title:
        raise parameter_not_found("title is a required parameter", field="title")
    if body.owner_id is None:
        raise parameter_not_found("owner_id is a required parameter", field="owner_id")
    article = create_internal_article(
        ctx.store,
        ctx.workspace,
        title=body.title,
        body=body.body or "",
        author_id=admin_id_param(ctx, body.author_id, "author_id"),
        owner_id=admin_id_param(ctx, body.owner_id, "owner_id"),
        locale=body.locale or "en",
        folder_id=str(body.folder_id) if body.folder_id is not None else None,
    )
    return responses.json(article)


# Routed before /internal_articles/{internal_article_id}, which would take its path.
@router.operation("searchInternalArticles", response_model=InternalArticleSearchResponse)
async def search_internal_articles(
    folder_id: str | None = Query(default=None, description="Only the articles filed in this folder."),
    phrase: str | None = Query(default=None, description="Words the articles must contain."),
    page: int | None = Query(default=None, description="The page of results to fetch (from 1)."),
    per_page: int | None = Query(default=None, description="Articles per page: 10 unless set."),
    ctx: Ctx = Depends(context),
) -> Any:
    where, params = "", []
    if folder_id:
        where, params = " AND folder_id = ?", [folder_id]
    for term in sorted(set(re.findall(r"[a-z0-9]+", (phrase or "").lower()))):
        where += " AND instr(search_text, ?) > 0"
        params.append(term)
    url = f"{ctx.base_url}/internal_articles/search"
    result = _page(
        ctx, where, params, page, per_page, SEARCH_PER_PAGE, url, {"folder_id": folder_id, "phrase": phrase}
    )
    return responses.json(
        {
            "type": "list",
            "total_count": result.total_count,
            "data": {"internal_articles": [loads(row["data"]) for row in result.rows]},
            "pages": result.pages(),
        }
    )


@router.operation("retrieveInternalArticle", response_model=InternalArticle)
async def retrieve_internal_article(internal_article_id: int, ctx: Ctx = Depends(context)) -> Any:
    return responses.json(
        require(find_internal_article(ctx.store, ctx.ws, str(internal_article_id)), not_found)
    )


@router.operation("updateInternalArticle", response_model=InternalArticle)
async def update_internal_article(
    internal_article_id: int, body: InternalArticleRequest, ctx: Ctx = Depends(context)
) -> Any:
    article = require(find_internal_article(ctx.store, ctx.ws, str(internal_article_id)), not_found)
    changes: dict[str, Any] = {}
    if body.title is not None:
        if not body.title.strip():
            raise parameter_invalid("title can't be blank", field="title")
        changes["title"] = body.title
    if body.body is not None:
        changes["body"] = body.body
    if body.author_id is not None:
        changes["author_id"] = admin_id_param(ctx, body.author_id, "author_id")
    if body.owner_id is not None:
        changes["owner_id"] = admin_id_param(ctx, body.owner_id, "owner_id")
    if body.locale is not None:
        changes["locale"] = body.locale
    row = ctx.store.row("internal_articles", ctx.ws, article["id"])
    assert row is not None
    folder_id = str(body.folder_id) if body.folder_id is not None else row["folder_id"]
    if any(article[key] != value for key, value in changes.items()) or folder_id != row["folder_id"]:
        article = {**article, **changes, "updated_at": ctx.now()}
    ctx.store.update(
        "internal_articles",
        ctx.ws,
        article["id"],
        {
            "folder_id": folder_id,
            "updated_at": article["updated_at"],
            "search_text": _search_text(article),
            "data": dumps(article),
        },
    )
    return responses.json(article)


@router.operation("deleteInternalArticle", response_model=DeletedObject)
async def delete_internal_article_route(internal_article_id: int, ctx: Ctx = Depends(context)) -> Any:
    article = require(find_internal_article(ctx.store, ctx.ws, str(internal_article_id)), not_found)
    delete_internal_article(ctx.store, ctx.ws, article["id"])
    return responses.deleted(article["id"], "internal_article")


@router.operation("attachTagToInternalArticle", response_model=Tag)
async def attach_tag_to_internal_article(
    internal_article_id: int, body: ApplyTagRequest, ctx: Ctx = Depends(context)
) -> Any:
    article = require(
        find_internal_article(ctx.store, ctx.ws, str(internal_article_id)), internal_article_not_found
    )
    admin_id = str(body.admin_id) if body.admin_id is not None else None
    return responses.json(attach_tag(ctx, "internal_article", article["id"], body.id, admin_id))


@router.operation("detachTagFromInternalArticle", response_model=Tag)
async def detach_tag_from_internal_article(
    internal_article_id: int, id: str, ctx: Ctx = Depends(context)
) -> Any:
    article = require(
        find_internal_article(ctx.store, ctx.ws, str(internal_article_id)), internal_article_not_found
    )
    return responses.json(detach_tag(ctx, "internal_article", article["id"], id))
