"""The request journal of a workspace."""

from typing import Any, Literal

from fastapi import Query, Request, Response
from pydantic import BaseModel, Field

from fake_intercom.journal import Journal, page
from fake_intercom.sandbox.access import control_router, workspace_of


class JournalEntry(BaseModel):
    type: Literal["sandbox.request"] = "sandbox.request"
    id: int
    request_id: str
    at: float
    workspace_time: int
    method: str
    path: str
    query: dict[str, Any]
    token: str = Field(description="the bearer token the request carried")
    request_headers: dict[str, str] = Field(
        description="Accept, Content-Type and Intercom-Version as the request sent them (those it sent)"
    )
    request_body: Any = Field(None, description="JSON, or text; a cut body ends with a truncation marker")
    request_size: int = Field(description="bytes the request body had")
    request_truncated: bool
    status: int
    response_body: Any = None
    response_size: int
    response_truncated: bool
    operation_id: str | None
    duration_ms: float
    fault: str | None
    injected: bool


class JournalNext(BaseModel):
    after: int = Field(description="pass as `after` for the next page")


class JournalPages(BaseModel):
    type: Literal["pages"] = "pages"
    per_page: int
    next: JournalNext | None = Field(None, description="absent on the last page")


class JournalList(BaseModel):
    type: Literal["list"] = "list"
    data: list[JournalEntry]
    total_count: int = Field(description="matching entries from `after` on, this page's included")
    pages: JournalPages


# A page holds at most about this many bytes of bodies (and always one entry), whatever `per_page` says.
PAGE_BYTES = 8 * 1024 * 1024


router = control_router()


def journal_of(request: Request) -> Journal:
    return request.app.state.journal


@router.get(
    "/workspaces/{workspace_id}/journal", response_model=JournalList, summary="Read the request journal"
)
async def read_journal(
    workspace_id: str,
    request: Request,
    method: str | None = Query(None, max_length=10),
    path: str | None = Query(None, max_length=500, description="glob over the path, e.g. /contacts/*"),
    operation_id: str | None = Query(None, max_length=200),
    status: int | None = Query(None, ge=100, le=599),
    writes: bool | None = Query(None, description="true: only non-GET requests; false: only reads"),
    injected: bool | None = Query(None, description="answered by a fault or the rate limit, not by a route"),
    after: int | None = Query(None, ge=0, description="only entries with a greater id: the page cursor"),
    limit: int | None = Query(None, ge=1, le=10_000, description="the last `limit` matching entries"),
    per_page: int = Query(100, ge=1, le=1_000, description="entries per page, oldest first"),
) -> JournalList:
    workspace = workspace_of(request, workspace_id)
    entries = journal_of(request).entries(
        workspace.id,
        method=method,
        path=path,
        operation_id=operation_id,
        status=status,
        writes=writes,
        injected=injected,
        after=after,
        limit=limit,
    )
    shown = page(entries, per_page, PAGE_BYTES)
    more = len(shown) < len(entries)
    return JournalList(
        data=[JournalEntry(**entry.as_dict()) for entry in shown],
        total_count=len(entries),
        pages=JournalPages(per_page=per_page, next=JournalNext(after=shown[-1].id) if more else None),
    )


@router.delete("/workspaces/{workspace_id}/journal", status_code=204, summary="Clear the request journal")
async def clear_journal(workspace_id: str, request: Request) -> Response:
    journal_of(request).clear(workspace_of(request, workspace_id).id)
    return Response(status_code=204)
