"""Content import sources and external pages, the content Fin answers from besides articles.

Creating an external page with the `source_id` and `external_id` of an existing one updates that
page (the spec's upsert). Deleting a source deletes its pages, and answers 204 with no body.
"""

from typing import Any

from fastapi import Depends

from contracts.models.ai_content import (
    ContentImportSource,
    ContentImportSourceList,
    CreateContentImportSourceRequest,
    CreateExternalPageRequest,
    ExternalPage,
    ExternalPageList,
    UpdateContentImportSourceRequest,
    UpdateExternalPageRequest,
)
from fake_intercom import responses
from fake_intercom.context import Ctx, context
from fake_intercom.errors import not_found, parameter_invalid, require
from fake_intercom.pagination import numbered_page
from fake_intercom.routing import IntercomRouter
from fake_intercom.store import Store, Workspace, dumps, loads, table

SOURCES = table("content_import_sources", {"id": str, "created_at": int, "data": str})
PAGES = table(
    "external_pages",
    {"id": str, "source_id": str, "external_id": str, "updated_at": int, "data": str},
    indexes=(("workspace_id", "source_id"),),
    unique_indexes=(("workspace_id", "source_id", "external_id"),),
)
PER_PAGE = 50

router = IntercomRouter(tags=["AI Content"])


def _audiences(value: int | list[int] | None) -> list[int]:
    if value is None:
        return []
    return [value] if isinstance(value, int) else list(value)


def create_source(
    store: Store, workspace: Workspace, url: str, sync_behavior: str = "api", status: str = "active"
) -> dict[str, Any]:
    now = store.now(workspace)
    source = {
        "id": int(store.numeric_id(workspace.id, "content_import_source", base=32)),
        "type": "content_import_source",
        "last_synced_at": now,
        "status": status,
        "url": url,
        "sync_behavior": sync_behavior,
        "created_at": now,
        "updated_at": now,
        "audience_ids": [],
    }
    store.insert(
        "content_import_sources",
        {"workspace_id": workspace.id, "id": str(source["id"]), "created_at": now, "data": dumps(source)},
    )
    return source


def upsert_page(
    store: Store,
    workspace: Workspace,
    *,
    source_id: int,
    external_id: str,
    title: str,
    html: str,
    url: str | None,
    locale: str = "en",
    ai_agent: bool | None = None,
    ai_copilot: bool | None = None,
) -> dict[str, Any]:
    now = store.now(workspace)
    existing = store.one(
        "SELECT data FROM external_pages WHERE workspace_id = ? AND source_id = ? AND external_id = ?",
        (workspace.id, str(source_id), external_id),
    )
    page = loads(existing["data"]) if existing else None
    if page is None:
        page = {
            "id": store.numeric_id(workspace.id, "external_page", base=16),
            "type": "external_page",
            "ai_agent_availability": True,
            "ai_copilot_availability": True,
            "ai_sales_agent_availability": True,
            "fin_availability": True,
            "created_at": now,
        }
    page.update({"title": title, "html": html, "url": url, "locale": locale, "source_id": source_id})
    page.update({"external_id": external_id, "updated_at": now, "last_ingested_at": now})
    if ai_agent is not None:
        page["ai_agent_availability"] = page["fin_availability"] = ai_agent
    if ai_copilot is not None:
        page["ai_copilot_availability"] = ai_copilot
    _save_page(store, workspace.id, page, insert=existing is None)
    return _ordered(page)


def _ordered(page: dict[str, Any]) -> dict[str, Any]:
    keys = [
        "id",
        "type",
        "title",
        "html",
        "url",
        "ai_agent_availability",
        "ai_copilot_availability",
        "ai_sales_agent_availability",
        "fin_availability",
        "locale",
        "source_id",
        "external_id",
        "created_at",
        "updated_at",
        "last_ingested_at",
    ]
    # A page made without a URL has none: the description types `url` as a string that may be absent,
    # never null.
    return {key: page.get(key) for key in keys if key != "url" or page.get("url") is not None}


def _save_page(store: Store, workspace_id: str, page: dict[str, Any], *, insert: bool) -> None:
    row = {
        "source_id": str(page["source_id"]),
        "external_id": page["external_id"],
        "updated_at": page["updated_at"],
        "data": dumps(_ordered(page)),
    }
    if insert:
        store.insert("external_pages", {"workspace_id": workspace_id, "id": page["id"], **row})
    else:
        store.update("external_pages", workspace_id, page["id"], row)


def fin_pages(store: Store, workspace_id: str) -> list[dict[str, Any]]:
    """The external pages Fin may answer from."""
    rows = store.query("SELECT data FROM external_pages WHERE workspace_id = ?", (workspace_id,))
    return [page for row in rows if (page := loads(row["data"]))["fin_availability"]]


def _list(ctx: Ctx, table_name: str, path: str) -> Any:
    result = numbered_page(
        ctx.store,
        select="data",
        from_where=f"{table_name} WHERE workspace_id = ?",
        params=[ctx.ws],
        order_by="CAST(id AS INTEGER) DESC",
        page=None,
        per_page=PER_PAGE,
        url=f"{ctx.base_url}{path}",
    )
    pages = {key: value for key, value in result.pages().items() if key != "next" or value}
    return responses.json(
        {
            "data": [loads(row["data"]) for row in result.rows],
            "pages": pages,
            "total_count": result.total_count,
            "type": "list",
        }
    )


@router.operation("listContentImportSources", response_model=ContentImportSourceList)
async def list_sources(ctx: Ctx = Depends(context)) -> Any:
    return _list(ctx, "content_import_sources", "/ai/content_import_sources")


@router.operation("createContentImportSource", response_model=ContentImportSource)
async def create_source_route(body: CreateContentImportSourceRequest, ctx: Ctx = Depends(context)) -> Any:
    source = create_source(ctx.store, ctx.workspace, body.url, body.sync_behavior, body.status)
    source["audience_ids"] = _audiences(body.audience_ids)
    ctx.store.update("content_import_sources", ctx.ws, str(source["id"]), {"data": dumps(source)})
    return responses.json(source)


@router.operation("getContentImportSource", response_model=ContentImportSource)
async def get_source(source_id: str, ctx: Ctx = Depends(context)) -> Any:
    return responses.json(
        require(
            ctx.store.data("content_import_sources", ctx.ws, str(source_id)),
            not_found,
            "Content import source not found",
        )
    )


@router.operation("updateContentImportSource", response_model=ContentImportSource)
async def update_source(
    source_id: str, body: UpdateContentImportSourceRequest, ctx: Ctx = Depends(context)
) -> Any:
    source = require(
        ctx.store.data("content_import_sources", ctx.ws, str(source_id)),
        not_found,
        "Content import source not found",
    )
    source.update({"sync_behavior": body.sync_behavior, "url": body.url, "updated_at": ctx.now()})
    if body.status is not None:
        source["status"] = body.status
    if "audience_ids" in body.model_fields_set:
        source["audience_ids"] = _audiences(body.audience_ids)
    ctx.store.update("content_import_sources", ctx.ws, str(source["id"]), {"data": dumps(source)})
    return responses.json(source)


@router.operation("deleteContentImportSource", status_code=204, response_model=None)
async def delete_source(source_id: str, ctx: Ctx = Depends(context)) -> Any:
    source = require(
        ctx.store.data("content_import_sources", ctx.ws, str(source_id)),
        not_found,
        "Content import source not found",
    )
    ctx.store.delete("content_import_sources", ctx.ws, str(source["id"]))
    ctx.store.execute(
        "DELETE FROM external_pages WHERE workspace_id = ? AND source_id = ?", (ctx.ws, str(source["id"]))
    )
    return responses.empty(204)


@router.operation("listExternalPages", response_model=ExternalPageList)
async def list_pages(ctx: Ctx = Depends(context)) -> Any:
    return _list(ctx, "external_pages", "/ai/external_pages")


@router.operation("createExternalPage", response_model=ExternalPage)
async def create_page(body: CreateExternalPageRequest, ctx: Ctx = Depends(context)) -> Any:
    require(
        ctx.store.data("content_import_sources", ctx.ws, str(body.source_id)),
        not_found,
        "Content import source not found",
    )
    page = upsert_page(
        ctx.store,
        ctx.workspace,
        source_id=body.source_id,
        external_id=body.external_id,
        title=body.title,
        html=body.html,
        url=body.url,
        locale=body.locale,
        ai_agent=body.ai_agent_availability,
        ai_copilot=body.ai_copilot_availability,
    )
    return responses.json(page)


@router.operation("getExternalPage", response_model=ExternalPage)
async def get_page(page_id: str, ctx: Ctx = Depends(context)) -> Any:
    return responses.json(
        require(ctx.store.data("external_pages", ctx.ws, page_id), not_found, "External page not found")
    )


@router.operation("updateExternalPage", response_model=ExternalPage)
async def update_page(page_id: str, body: UpdateExternalPageRequest, ctx: Ctx = Depends(context)) -> Any:
    page = require(ctx.store.data("external_pages", ctx.ws, page_id), not_found, "External page not found")
    require(
        ctx.store.data("content_import_sources", ctx.ws, str(body.source_id)),
        not_found,
        "Content import source not found",
    )
    now = ctx.now()
    page.update({"title": body.title, "html": body.html, "url": body.url, "locale": body.locale})
    page.update({"source_id": body.source_id, "updated_at": now, "last_ingested_at": now})
    if body.external_id is not None:
        page["external_id"] = body.external_id
    taken = ctx.store.scalar(
        "SELECT id FROM external_pages WHERE workspace_id = ? AND source_id = ? AND external_id = ? AND id != ?",
        (ctx.ws, str(page["source_id"]), page["external_id"], page["id"]),
    )
    if taken is not None:
        raise parameter_invalid(f"External page {taken} already has this source_id and external_id")
    if body.fin_availability is not None:
        page["fin_availability"] = page["ai_agent_availability"] = body.fin_availability
    _save_page(ctx.store, ctx.ws, page, insert=False)
    return responses.json(_ordered(page))


@router.operation("deleteExternalPage", response_model=ExternalPage)
async def delete_page(page_id: str, ctx: Ctx = Depends(context)) -> Any:
    page = require(ctx.store.data("external_pages", ctx.ws, page_id), not_found, "External page not found")
    ctx.store.delete("external_pages", ctx.ws, page["id"])
    return responses.json(page)
