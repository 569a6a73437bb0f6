"""Knowledge Hub content (2.16): one search over articles, snippets, external pages and internal
articles, and bulk actions over them.

Intercom runs bulk actions in the background and answers 202; the sandbox applies them before it
answers, so their effect is visible at once. As the spec says, items of a type an action does not
take are dropped silently, and articles are addressed per locale (`article_content`) except by
`update_tags`, which takes the parent `article`. Uploaded files (`file_source_content`) do not
exist in the sandbox: searches find none and actions drop them.
"""

import math
from typing import Any
from urllib.parse import urlencode

from fastapi import Depends, Query, Request

from contracts.models.content import ContentBulkActionQueued, ContentBulkActionRequest, ContentSearchResponse
from fake_intercom import responses
from fake_intercom.context import Ctx, context
from fake_intercom.errors import IntercomError, data_invalid, parameter_invalid, require, tag_not_found
from fake_intercom.pagination import check_per_page
from fake_intercom.resources._content_common import attach_tag, plain_text, words
from fake_intercom.resources._content_demo import seed_knowledge
from fake_intercom.resources.articles import change_article, content_id, delete_article, locale_of_content
from fake_intercom.resources.content_snippets import blocks_text, delete_snippet
from fake_intercom.resources.internal_articles import delete_internal_article
from fake_intercom.resources.tags import find_tag
from fake_intercom.routing import IntercomRouter
from fake_intercom.store import Store, dumps, loads

SEARCH_PER_PAGE = (10, 50)
MAX_ITEMS = 1000
ALLOWED = {
    "publish": {"article_content"},
    "unpublish": {"article_content"},
    "delete": {"article_content", "internal_article", "content_snippet"},
    "set_availability": {"article_content", "content_snippet", "external_content"},
    "set_audience": {"article_content", "content_snippet"},
    "update_tags": {"article", "internal_article", "content_snippet"},
}
# The content_types filter names snippets and articles differently from the result types.
FILTER_TYPES = {"snippet": "content_snippet", "article": "article", "internal_article": "internal_article"}
FILTER_TYPES |= {"external_content": "external_content", "file_source_content": "file_source_content"}

router = IntercomRouter(tags=["Content"])


def _tag_ids(store: Store, workspace_id: str, kind: str, owner_id: str) -> set[int]:
    rows = store.query(
        "SELECT tag_id FROM content_tags WHERE workspace_id = ? AND kind = ? AND owner_id = ?",
        (workspace_id, kind, owner_id),
    )
    return {int(row["tag_id"]) for row in rows}


def _catalogue(store: Store, workspace_id: str) -> list[dict[str, Any]]:
    """Every searchable item, with what the filters look at."""
    items: list[dict[str, Any]] = []
    for row in store.query("SELECT * FROM articles WHERE workspace_id = ?", (workspace_id,)):
        article = loads(row["data"])
        contents = {k: v for k, v in article["translated_content"].items() if k != "type"}
        items.append(
            {
                "type": "article",
                "id": article["id"],
                "title": article["title"],
                "text": " ".join(f"{c['title'] or ''} {plain_text(c['body'])}" for c in contents.values()),
                "states": {c["state"] for c in contents.values()},
                "locales": set(contents),
                "contents": [
                    {
                        "type": "article_content",
                        "id": content_id(article["id"], locale, article),
                        "title": c["title"],
                        "locale": locale,
                    }
                    for locale, c in contents.items()
                ],
                "flags": (
                    article.get("ai_copilot_availability"),
                    article.get("ai_chatbot_availability"),
                    article.get("ai_sales_agent_availability"),
                ),
                "created_by": article.get("created_by_id"),
                "updated_by": article.get("updated_by_id"),
                "created_at": article["created_at"],
                "updated_at": article["updated_at"],
                "tags": _tag_ids(store, workspace_id, "article", article["id"]),
                "folder": None,
            }
        )
    for row in store.query("SELECT data FROM content_snippets WHERE workspace_id = ?", (workspace_id,)):
        snippet = loads(row["data"])
        items.append(
            {
                "type": "content_snippet",
                "id": snippet["id"],
                "title": snippet["title"],
                "text": f"{snippet['title']} {' '.join(blocks_text(snippet['json_blocks']))}",
                "states": {"published"},
                "locales": {snippet["locale"]},
                "flags": (
                    snippet["ai_copilot_availability"],
                    snippet["ai_chatbot_availability"],
                    snippet["ai_sales_agent_availability"],
                ),
                "created_by": None,
                "updated_by": None,
                "created_at": snippet["created_at"],
                "updated_at": snippet["updated_at"],
                "tags": _tag_ids(store, workspace_id, "content_snippet", snippet["id"]),
                "folder": None,
            }
        )
    for row in store.query("SELECT data FROM external_pages WHERE workspace_id = ?", (workspace_id,)):
        page = loads(row["data"])
        items.append(
            {
                "type": "external_content",
                "id": page["id"],
                "title": page["title"],
                "text": f"{page['title']} {plain_text(page['html'])}",
                "states": {"published"},
                "locales": {page["locale"]},
                "flags": (
                    page["ai_copilot_availability"],
                    page["fin_availability"],
                    page["ai_sales_agent_availability"],
                ),
                "created_by": None,
                "updated_by": None,
                "created_at": page["created_at"],
                "updated_at": page["updated_at"],
                "tags": set(),
                "folder": None,
            }
        )
    for row in store.query(
        "SELECT folder_id, data FROM internal_articles WHERE workspace_id = ?", (workspace_id,)
    ):
        article = loads(row["data"])
        items.append(
            {
                "type": "internal_article",
                "id": article["id"],
                "title": article["title"],
                "text": f"{article['title'] or ''} {plain_text(article['body'])}",
                "states": {"published"},
                "locales": {article["locale"]},
                "flags": (True, True, False),
                "created_by": article["author_id"],
                "updated_by": article["author_id"],
                "created_at": article["created_at"],
                "updated_at": article["updated_at"],
                "tags": _tag_ids(store, workspace_id, "internal_article", article["id"]),
                "folder": int(row["folder_id"]) if (row["folder_id"] or "").isdigit() else None,
            }
        )
    return items


def _page_url(ctx: Ctx, request: Request, page: int) -> str:
    """The same search on another page: Intercom links neighbouring pages by URL."""
    query = [(key, value) for key, value in request.query_params.multi_items() if key != "page"]
    return f"{ctx.base_url}/content/search?{urlencode([*query, ('page', page)])}"


def _state_filter(value: str | None, flag: Any) -> bool:
    return value is None or (value == "on") == bool(flag)


@router.operation("searchContent", response_model=ContentSearchResponse)
async def search_content(
    request: Request,
    query: str | None = Query(default=None, max_length=500, description="Keywords the content must contain."),
    page: int = Query(default=1, ge=1, description="The page of results (from 1)."),
    per_page: int | None = Query(default=None, description="Results per page: 10 unless set, at most 50."),
    states: list[str] | None = Query(default=None, description="published and/or draft."),
    locales: list[str] | None = Query(default=None, description="Only content in these locales."),
    tag_ids: list[int] | None = Query(default=None, description="Tags to match with tag_operator."),
    tag_operator: str | None = Query(default=None, description="IN (the default) or NIN for tag_ids."),
    any_tag_ids: list[int] | None = Query(default=None, description="Content with any of these tags."),
    folder_ids: list[int] | None = Query(default=None, description="Only content in these folders."),
    folder_entity_type: str | None = Query(default=None, description="folder."),
    content_types: list[str] | None = Query(default=None, description="Which kinds of content."),
    copilot_state: str | None = Query(default=None, description="on or off."),
    fin_service_state: str | None = Query(default=None, description="on or off."),
    fin_sales_state: str | None = Query(default=None, description="on or off."),
    created_by_ids: list[int] | None = Query(
        default=None, description="Only content created by these admins."
    ),
    last_updated_by_ids: list[int] | None = Query(
        default=None, description="Only content last updated by them."
    ),
    created_at_after: int | None = Query(default=None, description="Created after (Unix seconds)."),
    created_at_before: int | None = Query(default=None, description="Created before (Unix seconds)."),
    updated_at_after: int | None = Query(default=None, description="Updated after (Unix seconds)."),
    updated_at_before: int | None = Query(default=None, description="Updated before (Unix seconds)."),
    ctx: Ctx = Depends(context),
) -> Any:
    size = check_per_page(per_page, *SEARCH_PER_PAGE)
    for value, name in (
        (copilot_state, "copilot_state"),
        (fin_service_state, "fin_service_state"),
        (fin_sales_state, "fin_sales_state"),
    ):
        if value not in (None, "on", "off"):
            raise parameter_invalid(f"{name} must be on or off", field=name)
    if tag_operator not in (None, "IN", "NIN"):
        raise parameter_invalid("tag_operator must be IN or NIN", field="tag_operator")
    unknown_types = [t for t in content_types or [] if t not in FILTER_TYPES]
    if unknown_types:
        raise parameter_invalid(f"Unknown content_types: {', '.join(unknown_types)}")
    wanted = {FILTER_TYPES[t] for t in content_types} if content_types else None
    terms = set(words(query or ""))
    matches = []
    for item in _catalogue(ctx.store, ctx.ws):
        copilot, fin_service, fin_sales = item["flags"]
        checks = (
            wanted is None or item["type"] in wanted,
            not terms or terms <= set(words(item["text"])),
            not states or bool(item["states"] & set(states)),
            not locales or bool(item["locales"] & set(locales)),
            not tag_ids or (bool(item["tags"] & set(tag_ids)) != (tag_operator == "NIN")),
            not any_tag_ids or bool(item["tags"] & set(any_tag_ids)),
            not folder_ids or item["folder"] in folder_ids,
            _state_filter(copilot_state, copilot),
            _state_filter(fin_service_state, fin_service),
            _state_filter(fin_sales_state, fin_sales),
            not created_by_ids or item["created_by"] in created_by_ids,
            not last_updated_by_ids or item["updated_by"] in last_updated_by_ids,
            created_at_after is None or item["created_at"] > created_at_after,
            created_at_before is None or item["created_at"] < created_at_before,
            updated_at_after is None or item["updated_at"] > updated_at_after,
            updated_at_before is None or item["updated_at"] < updated_at_before,
        )
        if all(checks):
            matches.append(item)
    matches.sort(key=lambda item: (item["updated_at"], item["type"], int(item["id"])), reverse=True)
    total_pages = math.ceil(len(matches) / size) if matches else 0
    shown = matches[(page - 1) * size : page * size]
    data = []
    for item in shown:
        result = {"type": item["type"], "id": item["id"], "title": item["title"]}
        if item["type"] == "article":
            result["contents"] = item["contents"]
        data.append(result)
    return responses.json(
        {
            "type": "list",
            "total_count": len(matches),
            "pages": {
                "type": "pages",
                "page": page,
                "per_page": size,
                "total_pages": total_pages,
                "next": _page_url(ctx, request, page + 1) if page < total_pages else None,
                "prev": _page_url(ctx, request, page - 1) if page > 1 else None,
            },
            "data": data,
        }
    )


# -- bulk actions -------------------------------------------------------------------------------


def _bulk_article_content(ctx: Ctx, body: ContentBulkActionRequest, ref_id: str) -> None:
    found = locale_of_content(ctx.store, ctx.ws, ref_id)
    if found is None:
        return
    row, locale = found
    article = loads(row["data"])
    if body.action in ("publish", "unpublish"):
        state = "published" if body.action == "publish" else "draft"
        change_article(ctx.store, ctx.workspace, row, {locale: {"state": state}})
    elif body.action == "delete":
        if locale == article["default_locale"]:
            delete_article(ctx.store, ctx.ws, row["id"])
        else:
            article["translated_content"].pop(locale)
            ctx.store.update("articles", ctx.ws, row["id"], {"data": dumps(article)})
            change_article(ctx.store, ctx.workspace, ctx.store.row("articles", ctx.ws, row["id"]) or row, {})
    elif body.action == "set_availability" and body.availability is not None:
        change_article(ctx.store, ctx.workspace, row, {}, **_article_flags(body))
    elif body.action == "set_audience" and body.audience is not None:
        audience = _audience(article.get("audience_ids") or [], body)
        change_article(ctx.store, ctx.workspace, row, {}, audience_ids=audience)


def _article_flags(body: ContentBulkActionRequest) -> dict[str, bool]:
    availability = body.availability
    assert availability is not None
    pairs = {
        "ai_chatbot_availability": availability.ai_agent,
        "ai_copilot_availability": availability.copilot,
        "ai_sales_agent_availability": availability.sales_agent,
    }
    return {key: value for key, value in pairs.items() if value is not None}


def _audience(current: list[int], body: ContentBulkActionRequest) -> list[int]:
    change = body.audience
    assert change is not None
    audience = [] if change.remove_all else list(current)
    audience = [each for each in audience if each not in (change.remove_segment_ids or [])]
    audience += [each for each in change.add_segment_ids or [] if each not in audience]
    return audience


def _bulk_snippet(ctx: Ctx, body: ContentBulkActionRequest, ref_id: str) -> None:
    snippet = ctx.store.data("content_snippets", ctx.ws, ref_id)
    if snippet is None:
        return
    if body.action == "delete":
        delete_snippet(ctx.store, ctx.ws, ref_id)
        return
    if body.action == "set_availability":
        snippet.update(_article_flags(body))
        snippet["chatbot_availability"] = int(snippet["ai_chatbot_availability"])
        snippet["copilot_availability"] = int(snippet["ai_copilot_availability"])
    elif body.action == "set_audience":
        snippet["audience_ids"] = _audience(snippet["audience_ids"], body)
    snippet["updated_at"] = ctx.now()
    ctx.store.update(
        "content_snippets", ctx.ws, ref_id, {"updated_at": snippet["updated_at"], "data": dumps(snippet)}
    )


def _bulk_external_page(ctx: Ctx, body: ContentBulkActionRequest, ref_id: str) -> None:
    page = ctx.store.data("external_pages", ctx.ws, ref_id)
    if page is None or body.availability is None:
        return
    availability = body.availability
    if availability.ai_agent is not None:
        page["ai_agent_availability"] = page["fin_availability"] = availability.ai_agent
    if availability.copilot is not None:
        page["ai_copilot_availability"] = availability.copilot
    if availability.sales_agent is not None:
        page["ai_sales_agent_availability"] = availability.sales_agent
    page["updated_at"] = ctx.now()
    ctx.store.update(
        "external_pages", ctx.ws, ref_id, {"updated_at": page["updated_at"], "data": dumps(page)}
    )


def _bulk_tags(ctx: Ctx, body: ContentBulkActionRequest, kind: str, ref_id: str) -> None:
    tables = {
        "article": "articles",
        "internal_article": "internal_articles",
        "content_snippet": "content_snippets",
    }
    if ctx.store.row(tables[kind], ctx.ws, ref_id) is None:
        return
    assert body.tags is not None
    for tag_id in body.tags.add_tag_ids or []:
        attach_tag(ctx, kind, ref_id, tag_id, None)
    for tag_id in body.tags.remove_tag_ids or []:
        ctx.store.execute(
            "DELETE FROM content_tags WHERE workspace_id = ? AND kind = ? AND owner_id = ? AND tag_id = ?",
            (ctx.ws, kind, ref_id, str(tag_id)),
        )


def _validate(ctx: Ctx, body: ContentBulkActionRequest) -> None:
    if body.action not in ALLOWED:
        raise data_invalid(f"action must be one of {', '.join(ALLOWED)}")
    if not body.content_ids:
        raise data_invalid("content_ids must list at least one content item")
    if len(body.content_ids) > MAX_ITEMS:
        raise data_invalid(f"content_ids can list at most {MAX_ITEMS} items")
    if body.action == "set_availability" and (
        body.availability is None or not body.availability.model_fields_set
    ):
        raise data_invalid("availability is required for set_availability")
    if body.action == "set_audience" and body.audience is None:
        raise data_invalid("audience is required for set_audience")
    if body.action == "update_tags":
        if body.tags is None or not (body.tags.add_tag_ids or body.tags.remove_tag_ids):
            raise data_invalid("update_tags needs add_tag_ids or remove_tag_ids")
        for tag_id in [*(body.tags.add_tag_ids or []), *(body.tags.remove_tag_ids or [])]:
            try:
                require(find_tag(ctx.store, ctx.ws, str(tag_id)), tag_not_found)
            except IntercomError:
                raise data_invalid(f"Tag {tag_id} does not exist") from None


@router.operation("bulkContentActions", status_code=202, response_model=ContentBulkActionQueued)
async def bulk_content_actions(body: ContentBulkActionRequest, ctx: Ctx = Depends(context)) -> Any:
    _validate(ctx, body)
    assert body.action is not None and body.content_ids is not None
    allowed = ALLOWED[body.action]
    for ref in body.content_ids:
        if ref.type not in allowed:
            continue
        ref_id = str(ref.id)
        if body.action == "update_tags":
            _bulk_tags(ctx, body, ref.type, ref_id)
        elif ref.type == "article_content":
            _bulk_article_content(ctx, body, ref_id)
        elif ref.type == "content_snippet":
            _bulk_snippet(ctx, body, ref_id)
        elif ref.type == "external_content":
            _bulk_external_page(ctx, body, ref_id)
        elif (
            ref.type == "internal_article" and ctx.store.row("internal_articles", ctx.ws, ref_id) is not None
        ):
            delete_internal_article(ctx.store, ctx.ws, ref_id)
    return responses.json({"type": "content_bulk_action", "status": "queued"}, status=202)


SEED_ORDER = 50


def seed_demo(seeder: Any) -> None:
    """A help center with three collections, articles, internal articles, news, external pages and
    snippets (see _content_demo.py)."""
    seed_knowledge(seeder)
