"""Data events a contact did (`invited-friend`, `placed-order`...), and their per-name summaries.

An event is keyed by (contact, name, created_at): Intercom accepts a duplicate with 202 and keeps
one. Each event has a millisecond sort key, `created_at * 1000` plus a tie-breaker, which is the
`before=` cursor of the list's next URL (Intercom's cursors are milliseconds too). Summaries count
every event ever recorded (and the summaries posted to /events/summaries), while the list only shows
the last 90 days.
"""

from datetime import UTC, datetime
from typing import Any
from urllib.parse import urlencode

from fastapi import Depends, Query

from contracts.models.data_events import (
    CreateDataEventRequest,
    CreateDataEventSummariesRequest,
    DataEventList,
    DataEventSummary,
)
from fake_intercom import responses
from fake_intercom.context import Ctx, context
from fake_intercom.errors import parameter_invalid, parameter_not_found, user_not_found
from fake_intercom.pagination import check_per_page
from fake_intercom.resources.data_attributes import fits_in_64_bits
from fake_intercom.routing import IntercomRouter
from fake_intercom.store import Store, Workspace, dumps, loads, table

EVENTS = table(
    "events",
    {"contact_id": str, "event_name": str, "created_at": int, "ms": int, "metadata": str},
    pk=("workspace_id", "contact_id", "event_name", "created_at"),
    indexes=(("workspace_id", "contact_id", "ms"),),
)
EVENT_SUMMARIES = table(
    "event_summaries",
    {"contact_id": str, "event_name": str, "count": int, "first": int, "last": int},
    pk=("workspace_id", "contact_id", "event_name"),
)

router = IntercomRouter(tags=["Data Events"])

LISTED_DAYS = 90
MAX_METADATA_KEYS = 10
DEFAULT_PER_PAGE, MAX_PER_PAGE = 15, 150
# Metadata is flat, except Intercom's two typed values: a rich link and a monetary amount.
OBJECT_VALUES = ({"url", "value"}, {"amount", "currency"})
MAX_MS = 2**62


def find_contact(
    store: Store,
    workspace_id: str,
    *,
    intercom_id: str | None = None,
    user_id: str | None = None,
    email: str | None = None,
) -> dict[str, Any] | None:
    """The contact row (id, email, external_id) for the first identifier given; users before leads."""
    # Archived and merged-away contacts are not found, as GET /contacts/{id} does not find them.
    live = "workspace_id = ? AND merged_into IS NULL AND COALESCE(archived, 0) = 0"
    select = "SELECT id, email, external_id FROM contacts WHERE "
    if intercom_id is not None:
        return store.one(f"{select}{live} AND id = ?", (workspace_id, intercom_id))
    if user_id is not None:
        return store.one(f"{select}{live} AND external_id = ?", (workspace_id, user_id))
    if email is not None:
        return store.one(
            f"{select}{live} AND email = ? ORDER BY role = 'user' DESC, created_at, id", (workspace_id, email)
        )
    return None


def record_event(
    store: Store,
    workspace: Workspace,
    contact_id: str,
    event_name: str,
    created_at: int,
    metadata: dict[str, Any] | None = None,
) -> None:
    """Store an event once; a duplicate (same contact, name and time) is silently dropped."""
    same_second = store.scalar(
        "SELECT COUNT(*) FROM events WHERE workspace_id = ? AND contact_id = ? AND created_at = ?",
        (workspace.id, contact_id, created_at),
    )
    inserted = store.execute(
        "INSERT OR IGNORE INTO events (workspace_id, contact_id, event_name, created_at, ms, metadata) "
        "VALUES (?, ?, ?, ?, ?, ?)",
        (
            workspace.id,
            contact_id,
            event_name,
            created_at,
            created_at * 1000 + min(same_second, 999),
            dumps(metadata or {}),
        ),
    ).rowcount
    if inserted:
        add_summary(store, workspace.id, contact_id, event_name, 1, created_at, created_at)


def add_summary(
    store: Store, workspace_id: str, contact_id: str, event_name: str, count: int, first: int, last: int
) -> None:
    store.execute(
        "INSERT INTO event_summaries (workspace_id, contact_id, event_name, count, first, last) "
        "VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (workspace_id, contact_id, event_name) DO UPDATE SET "
        "count = count + excluded.count, first = min(first, excluded.first), last = max(last, excluded.last)",
        (workspace_id, contact_id, event_name, count, first, last),
    )


def _check_metadata(metadata: dict[str, Any]) -> None:
    if len(metadata) > MAX_METADATA_KEYS:
        raise parameter_invalid(
            f"Events can have at most {MAX_METADATA_KEYS} metadata keys, {len(metadata)} were given",
            field="metadata",
        )
    for key, value in metadata.items():
        if isinstance(value, int) and not fits_in_64_bits(value):
            raise parameter_invalid(f"Metadata value of '{key}' is too large", field="metadata")
        if isinstance(value, list) or (isinstance(value, dict) and set(value) not in OBJECT_VALUES):
            raise parameter_invalid(
                f"Metadata value of '{key}' is not supported: nested JSON structures are not supported",
                field="metadata",
            )


@router.operation("createDataEvent")
async def create_data_event(body: CreateDataEventRequest, ctx: Ctx = Depends(context)) -> Any:
    if not body.event_name.strip():
        raise parameter_invalid("event_name must not be blank", field="event_name")
    if body.id is None and body.user_id is None and body.email is None:
        raise parameter_not_found("One of id, user_id or email is required")
    _check_metadata(body.metadata or {})
    contact = find_contact(
        ctx.store,
        ctx.ws,
        intercom_id=body.id,
        user_id=None if body.user_id is None else str(body.user_id),
        email=body.email,
    )
    if contact is None:
        raise user_not_found()
    record_event(ctx.store, ctx.workspace, contact["id"], body.event_name, body.created_at, body.metadata)
    return responses.empty(202)


@router.operation("dataEventSummaries")
async def create_event_summaries(body: CreateDataEventSummariesRequest, ctx: Ctx = Depends(context)) -> Any:
    if body.user_id is None:
        raise parameter_not_found("user_id is a required parameter", field="user_id")
    contact = find_contact(ctx.store, ctx.ws, user_id=str(body.user_id))
    if contact is None:
        raise user_not_found()
    summaries = body.event_summaries or []
    now = ctx.now()
    for item in summaries if isinstance(summaries, list) else [summaries]:
        # A summary without times happened now; one with a single time happened then.
        first = next(t for t in (item.first, item.last, now) if t is not None)
        last = item.last if item.last is not None else first
        add_summary(ctx.store, ctx.ws, contact["id"], item.event_name, item.count, first, last)
    return responses.empty(200)


@router.operation("lisDataEvents", response_model=DataEventList | DataEventSummary)
async def list_data_events(
    type: str | None = Query(default=None, description="Must be user."),
    intercom_user_id: str | None = Query(default=None, description="The contact's Intercom id."),
    user_id: str | None = Query(default=None, description="The contact's external id."),
    email: str | None = Query(default=None, description="The contact's email."),
    summary: bool = Query(default=False, description="Return per-name counts instead of events."),
    per_page: int | None = Query(default=None, description="Events per page (default 15)."),
    before: int | None = Query(default=None, ge=0, le=MAX_MS, description="Cursor: before this millisecond."),
    since: int | None = Query(
        default=None, ge=0, le=MAX_MS, description="Only events from this millisecond on."
    ),
    ctx: Ctx = Depends(context),
) -> Any:
    if type is None:
        raise parameter_not_found("type is a required parameter", field="type")
    if type != "user":
        raise parameter_invalid("type must be user", field="type")
    if intercom_user_id is None and user_id is None and email is None:
        raise parameter_not_found("One of intercom_user_id, user_id or email is required")
    per_page = check_per_page(per_page, DEFAULT_PER_PAGE, MAX_PER_PAGE)
    contact = find_contact(ctx.store, ctx.ws, intercom_id=intercom_user_id, user_id=user_id, email=email)
    if contact is None:
        raise user_not_found()
    owner = {
        "email": contact["email"],
        "intercom_user_id": contact["id"],
        "user_id": contact["external_id"],
    }
    if summary:
        return responses.json({"type": "event.summary", **owner, "events": _summaries(ctx, contact["id"])})
    return responses.json(_event_list(ctx, contact, owner, per_page, before, since))


def _iso(timestamp: int) -> str:
    return datetime.fromtimestamp(timestamp, UTC).strftime("%Y-%m-%dT%H:%M:%S.000+00:00")


def _summaries(ctx: Ctx, contact_id: str) -> list[dict[str, Any]]:
    rows = ctx.store.query(
        "SELECT event_name, count, first, last FROM event_summaries "
        "WHERE workspace_id = ? AND contact_id = ? ORDER BY first, event_name",
        (ctx.ws, contact_id),
    )
    return [
        {
            "name": row["event_name"],
            "first": _iso(row["first"]),
            "last": _iso(row["last"]),
            "count": row["count"],
            "description": None,
        }
        for row in rows
    ]


def _event_list(
    ctx: Ctx,
    contact: dict[str, Any],
    owner: dict[str, Any],
    per_page: int,
    before: int | None,
    since: int | None,
) -> dict[str, Any]:
    sql = "SELECT event_name, created_at, ms, metadata FROM events WHERE workspace_id = ? AND contact_id = ?"
    params: list[Any] = [ctx.ws, contact["id"]]
    # Older events still count in summaries but are no longer listed.
    sql += " AND created_at >= ?"
    params.append(ctx.now() - LISTED_DAYS * 86400)
    if before is not None:
        sql += " AND ms < ?"
        params.append(before)
    if since is not None:
        sql += " AND ms >= ?"
        params.append(since)
    rows = ctx.store.query(f"{sql} ORDER BY ms DESC LIMIT ?", [*params, per_page + 1])
    identity = {key: value for key, value in owner.items() if value is not None}
    events = [
        {
            "type": "event",
            "event_name": row["event_name"],
            "created_at": row["created_at"],
            **identity,
            "metadata": loads(row["metadata"]) or {},
        }
        for row in rows[:per_page]
    ]
    pages: dict[str, Any] = {}
    query = {"type": "user", "intercom_user_id": contact["id"], "per_page": per_page}
    if len(rows) > per_page:
        cursor = {"before": rows[per_page - 1]["ms"], **({"since": since} if since is not None else {})}
        pages["next"] = f"{ctx.base_url}/events?{urlencode({**query, **cursor})}"
    if rows and before is None:
        pages["since"] = f"{ctx.base_url}/events?{urlencode({**query, 'since': rows[0]['ms'] + 1})}"
    return {"type": "event.list", "events": events, "pages": pages, **owner}
