"""Content snippets (2.16): CRUD and tags.

A snippet's content is kept as `json_blocks`; `body_markdown` is derived from the title and the
blocks, as in the spec's examples. A request may send Markdown instead of blocks: each paragraph
becomes a block. Audience ids must name audiences of the workspace.
"""

from typing import Any

from fastapi import Depends, Query

from contracts.models.articles import ApplyTagRequest
from contracts.models.content_snippets import ContentSnippet, ContentSnippetList, ContentSnippetRequest
from contracts.models.tags import Tag
from fake_intercom import responses
from fake_intercom.context import Ctx, context
from fake_intercom.errors import (
    content_snippet_not_found,
    not_found,
    parameter_invalid,
    parameter_not_found,
    require,
    validation_error,
)
from fake_intercom.pagination import check_per_page, numbered_page
from fake_intercom.resources._content_common import attach_tag, detach_tag, drop_tags
from fake_intercom.routing import IntercomRouter
from fake_intercom.store import TABLES, Store, Workspace, dumps, loads, table

SNIPPETS = table(
    "content_snippets", {"id": str, "updated_at": int, "data": str}, indexes=(("workspace_id", "updated_at"),)
)
PER_PAGE = (50, 150)
NOT_FOUND = "Content snippet not found"
SUPPORTED_LOCALES = frozenset(
    [
        "ar",
        "bg",
        "bs",
        "ca",
        "cs",
        "da",
        "de",
        "el",
        "en",
        "es",
        "et",
        "fi",
        "fr",
        "he",
        "hr",
        "hu",
        "id",
        "it",
        "ja",
        "ko",
        "lt",
        "lv",
        "mn",
        "nb",
        "nl",
        "pl",
        "pt",
        "pt-BR",
        "ro",
        "ru",
        "sl",
        "sr",
        "sv",
        "tr",
        "vi",
        "zh-CN",
        "zh-TW",
    ]
)

router = IntercomRouter(tags=["Content Snippets"])


def blocks_text(blocks: list[dict[str, Any]]) -> list[str]:
    return [str(block.get("text", "")).strip() for block in blocks if str(block.get("text", "")).strip()]


def _blocks_of(markdown: str) -> list[dict[str, Any]]:
    paragraphs = [part.strip() for part in markdown.split("\n\n") if part.strip()]
    return [{"type": "paragraph", "text": part.lstrip("#").strip()} for part in paragraphs]


def _render(snippet: dict[str, Any]) -> dict[str, Any]:
    lines = [f"# {snippet['title']}", *blocks_text(snippet["json_blocks"])]
    snippet["body_markdown"] = "\n\n".join(lines) + "\n"
    snippet["chatbot_availability"] = int(snippet["ai_chatbot_availability"])
    snippet["copilot_availability"] = int(snippet["ai_copilot_availability"])
    return snippet


def create_snippet(
    store: Store,
    workspace: Workspace,
    title: str,
    json_blocks: list[dict[str, Any]],
    *,
    locale: str = "en",
    audience_ids: list[int] | None = None,
    ai_chatbot: bool = False,
    ai_copilot: bool = False,
    ai_sales_agent: bool = False,
) -> dict[str, Any]:
    now = store.now(workspace)
    snippet = _render(
        {
            "type": "content_snippet",
            "id": store.numeric_id(workspace.id, "content_snippet", base=120),
            "title": title,
            "locale": locale,
            "json_blocks": json_blocks,
            "ai_chatbot_availability": ai_chatbot,
            "ai_copilot_availability": ai_copilot,
            "ai_sales_agent_availability": ai_sales_agent,
            "created_at": now,
            "updated_at": now,
            "audience_ids": audience_ids or [],
        }
    )
    store.insert(
        "content_snippets",
        {"workspace_id": workspace.id, "id": snippet["id"], "updated_at": now, "data": dumps(snippet)},
    )
    return snippet


def find_snippet(store: Store, workspace_id: str, snippet_id: str) -> dict[str, Any] | None:
    return store.data("content_snippets", workspace_id, snippet_id)


def delete_snippet(store: Store, workspace_id: str, snippet_id: str) -> None:
    store.delete("content_snippets", workspace_id, snippet_id)
    drop_tags(store, workspace_id, "content_snippet", snippet_id)


def _check(ctx: Ctx, body: ContentSnippetRequest) -> None:
    if body.locale is not None and body.locale not in SUPPORTED_LOCALES:
        raise validation_error("The language is not currently supported for Fin")
    if body.audience_ids and "audiences" in TABLES:
        marks = ", ".join("?" * len(body.audience_ids))
        known = {
            row["id"]
            for row in ctx.store.query(
                f"SELECT id FROM audiences WHERE workspace_id = ? AND id IN ({marks})",
                (ctx.ws, *[str(each) for each in body.audience_ids]),
            )
        }
        unknown = [str(each) for each in body.audience_ids if str(each) not in known]
        if unknown:
            raise parameter_invalid(
                f"audience_ids contains unknown audience IDs: {', '.join(unknown)}", status=404
            )


def _blocks(body: ContentSnippetRequest) -> list[dict[str, Any]] | None:
    if body.json_blocks is not None:
        return body.json_blocks
    if body.body_markdown is not None:
        return _blocks_of(body.body_markdown)
    return None


@router.operation("listContentSnippets", response_model=ContentSnippetList)
async def list_snippets(
    page: int | None = Query(default=None, description="The page of results to fetch (from 1)."),
    per_page: int | None = Query(default=None, description="Snippets per page: 50 unless set."),
    ctx: Ctx = Depends(context),
) -> Any:
    default, maximum = PER_PAGE
    result = numbered_page(
        ctx.store,
        select="data",
        from_where="content_snippets WHERE workspace_id = ?",
        params=[ctx.ws],
        order_by="updated_at DESC, CAST(id AS INTEGER) DESC",
        page=page,
        per_page=check_per_page(per_page, default, maximum),
        url=f"{ctx.base_url}/content_snippets",
    )
    return responses.json(
        {
            "type": "list",
            "data": [loads(row["data"]) for row in result.rows],
            "total_count": result.total_count,
            "page": result.page,
            "per_page": result.per_page,
            "total_pages": result.total_pages,
        }
    )


@router.operation("createContentSnippet", status_code=201, response_model=ContentSnippet)
async def create_snippet_route(body: ContentSnippetRequest, ctx: Ctx = Depends(context)) -> Any:
    if not body.title:
        raise parameter_not_found("title is a required parameter", field="title")
    _check(ctx, body)
    snippet = create_snippet(
        ctx.store,
        ctx.workspace,
        body.title,
        _blocks(body) or [],
        locale=body.locale or "en",
        audience_ids=body.audience_ids,
        ai_chatbot=bool(body.ai_chatbot_availability),
        ai_copilot=bool(body.ai_copilot_availability),
        ai_sales_agent=bool(body.ai_sales_agent_availability),
    )
    return responses.json(snippet, status=201)


@router.operation("getContentSnippet", response_model=ContentSnippet)
async def get_snippet(id: str, ctx: Ctx = Depends(context)) -> Any:
    return responses.json(require(find_snippet(ctx.store, ctx.ws, id), not_found, NOT_FOUND))


@router.operation("updateContentSnippet", response_model=ContentSnippet)
async def update_snippet(id: str, body: ContentSnippetRequest, ctx: Ctx = Depends(context)) -> Any:
    snippet = require(find_snippet(ctx.store, ctx.ws, id), not_found, NOT_FOUND)
    _check(ctx, body)
    if body.title is not None:
        if not body.title.strip():
            raise parameter_invalid("title can't be blank", field="title")
        snippet["title"] = body.title
    blocks = _blocks(body)
    if blocks is not None:
        snippet["json_blocks"] = blocks
    for key in (
        "locale",
        "ai_chatbot_availability",
        "ai_copilot_availability",
        "ai_sales_agent_availability",
    ):
        if getattr(body, key) is not None:
            snippet[key] = getattr(body, key)
    if "audience_ids" in body.model_fields_set:
        snippet["audience_ids"] = body.audience_ids or []
    snippet["updated_at"] = ctx.now()
    _render(snippet)
    ctx.store.update(
        "content_snippets",
        ctx.ws,
        snippet["id"],
        {"updated_at": snippet["updated_at"], "data": dumps(snippet)},
    )
    return responses.json(snippet)


@router.operation("deleteContentSnippet", status_code=204, response_model=None)
async def delete_snippet_route(id: str, ctx: Ctx = Depends(context)) -> Any:
    snippet = require(find_snippet(ctx.store, ctx.ws, id), not_found, NOT_FOUND)
    delete_snippet(ctx.store, ctx.ws, snippet["id"])
    return responses.empty(204)


@router.operation("attachTagToContentSnippet", response_model=Tag)
async def attach_tag_to_snippet(
    content_snippet_id: str, body: ApplyTagRequest, ctx: Ctx = Depends(context)
) -> Any:
    snippet = require(find_snippet(ctx.store, ctx.ws, content_snippet_id), content_snippet_not_found)
    admin_id = str(body.admin_id) if body.admin_id is not None else None
    return responses.json(attach_tag(ctx, "content_snippet", snippet["id"], body.id, admin_id))


@router.operation("detachTagFromContentSnippet", response_model=Tag)
async def detach_tag_from_snippet(content_snippet_id: str, id: str, ctx: Ctx = Depends(context)) -> Any:
    snippet = require(find_snippet(ctx.store, ctx.ws, content_snippet_id), content_snippet_not_found)
    return responses.json(detach_tag(ctx, "content_snippet", snippet["id"], id))
