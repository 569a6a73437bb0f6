"""Admins (teammates), `GET /me`, away mode and the activity log."""

import uuid
from typing import Any

from fastapi import Depends, Query

from contracts.models.admins import (
    ACTIVITY_LOG_EVENT_TYPES,
    ActivityLogEventTypeList,
    ActivityLogList,
    ActivityLogSearchList,
    AdminList,
    AdminWithApp,
    SearchActivityLogsRequest,
    SetAwayRequest,
)
from contracts.models.admins import Admin as AdminModel
from fake_intercom import responses
from fake_intercom.context import Ctx, context
from fake_intercom.errors import admin_not_found, parameter_invalid, require, unauthorized
from fake_intercom.pagination import (
    CursorPage,
    Order,
    check_per_page,
    cursor_page,
    encode_cursor,
    numbered_page,
)
from fake_intercom.resources.away_status_reasons import check_away_status_reason
from fake_intercom.routing import IntercomRouter
from fake_intercom.store import Store, Workspace, dumps, loads, table

ADMINS = table(
    "admins", {"id": str, "email": str, "name": str, "data": str}, indexes=(("workspace_id", "email"),)
)
ACTIVITY_LOGS = table(
    "activity_logs",
    {"id": str, "created_at": int, "seq": int, "data": str},
    indexes=(("workspace_id", "created_at", "seq"),),
)

DEFAULT_AVATAR = "https://static.intercomassets.com/assets/default-avatars/admins/128.png"

router = IntercomRouter(tags=["Admins"])


def create_admin(
    store: Store, workspace: Workspace, *, name: str, email: str, job_title: str | None = None
) -> dict[str, Any]:
    admin = {
        "type": "admin",
        "id": store.numeric_id(workspace.id, "admin"),
        "name": name,
        "email": email,
        "job_title": job_title,
        "away_mode_enabled": False,
        "away_mode_reassign": False,
        "away_status_reason_id": None,
        "has_inbox_seat": True,
        "avatar": DEFAULT_AVATAR,
    }
    store.insert(
        "admins",
        {"workspace_id": workspace.id, "id": admin["id"], "email": email, "name": name, "data": dumps(admin)},
    )
    return admin


def find_admin(store: Store, workspace_id: str, admin_id: str | int | None) -> dict[str, Any] | None:
    if admin_id is None:
        return None
    admin = store.data("admins", workspace_id, str(admin_id))
    if admin is not None:
        admin["team_ids"] = [
            int(row["team_id"])
            for row in store.query(
                "SELECT team_id FROM team_members WHERE workspace_id = ? AND admin_id = ? ORDER BY team_id",
                (workspace_id, admin["id"]),
            )
        ]
    return admin


def acting_admin(ctx: Ctx) -> dict[str, Any]:
    """The admin behind the access token: the workspace owner, in the fake."""
    return require(find_admin(ctx.store, ctx.ws, ctx.workspace.owner_admin_id), unauthorized)


def log_activity(
    store: Store,
    workspace: Workspace,
    admin: dict[str, Any],
    activity_type: str,
    description: str,
    metadata: dict[str, Any] | None = None,
) -> None:
    created_at = store.now(workspace)
    # One sequence gives both the deterministic UUID and the tie-break order within a second.
    seq = store.next_number(workspace.id, "activity")
    entry = {
        "id": str(uuid.uuid5(uuid.NAMESPACE_URL, f"{workspace.id}:activity:{seq}")),
        "performed_by": {"type": "admin", "id": admin["id"], "email": admin["email"], "ip": "127.0.0.1"},
        "metadata": metadata or {},
        "created_at": created_at,
        "activity_type": activity_type,
        "activity_description": description,
    }
    store.insert(
        "activity_logs",
        {
            "workspace_id": workspace.id,
            "id": entry["id"],
            "created_at": created_at,
            "seq": seq,
            "data": dumps(entry),
        },
    )


def _listed(admin: dict[str, Any], display_avatar: bool) -> dict[str, Any]:
    # An admin's avatar is its image URL (the `avatar` object is /me's shape only, #admin_with_app).
    listed = {key: value for key, value in admin.items() if key not in ("avatar", "job_title")}
    if display_avatar:
        listed["avatar"] = admin.get("avatar")
    return listed


@router.operation("identifyAdmin", response_model=AdminWithApp)
async def identify_admin(ctx: Ctx = Depends(context)) -> Any:
    admin = require(find_admin(ctx.store, ctx.ws, ctx.workspace.owner_admin_id), admin_not_found)
    workspace = ctx.workspace
    return responses.json(
        {
            "type": "admin",
            "id": admin["id"],
            "email": admin["email"],
            "name": admin["name"],
            "email_verified": True,
            "app": {
                "type": "app",
                "id_code": workspace.id,
                "name": workspace.name,
                "created_at": workspace.created_at,
                "secure": False,
                "identity_verification": False,
                "timezone": workspace.timezone,
                "region": workspace.region,
            },
            "avatar": {"type": "avatar", "image_url": admin.get("avatar")},
            "has_inbox_seat": admin["has_inbox_seat"],
        }
    )


@router.operation("listActivityLogs", response_model=ActivityLogList)
async def list_activity_logs(
    created_at_after: str = Query(description="The start date, as a UNIX timestamp."),
    created_at_before: str | None = Query(default=None, description="The end date, as a UNIX timestamp."),
    page: int | None = Query(default=None, ge=1),
    per_page: int = Query(default=20, ge=1, le=150),
    ctx: Ctx = Depends(context),
) -> Any:
    after = _timestamp(created_at_after, "created_at_after")
    before = _timestamp(created_at_before, "created_at_before") if created_at_before else None
    where = "activity_logs WHERE workspace_id = ? AND created_at >= ?"
    params: list[Any] = [ctx.ws, after]
    if before is not None:
        where += " AND created_at <= ?"
        params.append(before)
    result = numbered_page(
        ctx.store,
        select="data",
        from_where=where,
        params=params,
        order_by="created_at DESC, seq DESC",
        page=page,
        per_page=per_page,
        url=f"{ctx.base_url}/admins/activity_logs",
        query={"created_at_after": created_at_after, "created_at_before": created_at_before},
    )
    return responses.json(
        {
            "type": "activity_log.list",
            "pages": result.pages(),
            "activity_logs": [loads(row["data"]) for row in result.rows],
        }
    )


def _timestamp(value: str, field: str) -> int:
    try:
        return int(value)
    except ValueError:
        raise parameter_invalid(f"{field} must be a UNIX timestamp", field=field) from None


@router.operation("listAdmins", response_model=AdminList)
async def list_admins(
    display_avatar: bool = Query(default=False, description="Include each admin's avatar URL."),
    ctx: Ctx = Depends(context),
) -> Any:
    ids = [
        row["id"]
        for row in ctx.store.query(
            "SELECT id FROM admins WHERE workspace_id = ? ORDER BY CAST(id AS INTEGER)", (ctx.ws,)
        )
    ]
    admins = [
        _listed(admin, display_avatar)
        for admin_id in ids
        if (admin := find_admin(ctx.store, ctx.ws, admin_id))
    ]
    return responses.json({"type": "admin.list", "admins": admins})


# Before /admins/{admin_id}, which would take this literal path for an admin id.
@router.operation("listActivityLogEventTypes", response_model=ActivityLogEventTypeList)
async def list_activity_log_event_types(ctx: Ctx = Depends(context)) -> Any:
    return responses.json(
        {"type": "activity_log_event_type.list", "event_types": list(ACTIVITY_LOG_EVENT_TYPES)}
    )


@router.operation("retrieveAdmin", response_model=AdminModel)
async def retrieve_admin(admin_id: int, ctx: Ctx = Depends(context)) -> Any:
    return responses.json(require(find_admin(ctx.store, ctx.ws, admin_id), admin_not_found))


@router.operation("setAwayAdmin", response_model=AdminModel)
async def set_away_admin(admin_id: int, body: SetAwayRequest, ctx: Ctx = Depends(context)) -> Any:
    admin = require(find_admin(ctx.store, ctx.ws, admin_id), admin_not_found, "Admin for admin_id not found")
    if body.away_status_reason_id is not None:
        check_away_status_reason(ctx.store, ctx.ws, str(body.away_status_reason_id))
    admin.update(
        away_mode_enabled=body.away_mode_enabled,
        away_mode_reassign=body.away_mode_reassign,
        away_status_reason_id=str(body.away_status_reason_id)
        if body.away_status_reason_id is not None
        else None,
    )
    stored = {key: value for key, value in admin.items() if key != "team_ids"}
    ctx.store.update("admins", ctx.ws, admin["id"], {"data": dumps(stored)})
    state = "away" if body.away_mode_enabled else "back"
    log_activity(
        ctx.store,
        ctx.workspace,
        admin,
        "admin_away_mode_change",
        f"{admin['name']} changed their status to {state}.",
        {"away_mode": body.away_mode_enabled, "reassign_conversations": body.away_mode_reassign},
    )
    return responses.json(_listed(admin, display_avatar=False))


# -- 2.16: activity log search and event types ---------------------------------------------------


@router.operation("searchActivityLogs", response_model=ActivityLogSearchList)
async def search_activity_logs(body: SearchActivityLogsRequest, ctx: Ctx = Depends(context)) -> Any:
    per_page = check_per_page(body.per_page, 20, 250)
    unknown = sorted(set(body.event_types or ()) - set(ACTIVITY_LOG_EVENT_TYPES))
    if unknown:
        raise parameter_invalid(f"Invalid event_types: {', '.join(unknown)}", field="event_types")
    where = "activity_logs WHERE workspace_id = ? AND created_at >= ?"
    params: list[Any] = [ctx.ws, body.created_at_after]
    if body.created_at_before is not None:
        where += " AND created_at <= ?"
        params.append(body.created_at_before)
    if body.event_types:
        where += f" AND json_extract(data, '$.activity_type') IN ({', '.join('?' for _ in body.event_types)})"
        params.extend(body.event_types)
    order = [Order("created_at"), Order("seq")]
    if body.starting_after:
        result = cursor_page(
            ctx.store,
            select="data",
            from_where=where,
            params=params,
            order=order,
            per_page=per_page,
            starting_after=body.starting_after,
        )
    else:
        # A page number is honoured too; its next page is then a cursor from its last entry.
        numbered = numbered_page(
            ctx.store,
            select="data, created_at, seq",
            from_where=where,
            params=params,
            order_by="created_at DESC, seq DESC",
            page=body.page,
            per_page=per_page,
            url="",
        )
        last = numbered.rows[-1] if numbered.rows else None
        more = last is not None and numbered.page < numbered.total_pages
        cursor = encode_cursor([last["created_at"], last["seq"], numbered.page]) if more and last else None
        result = CursorPage(numbered.rows, numbered.page, per_page, numbered.total_count, cursor)
    pages = result.pages()
    if "next" in pages:
        pages["next"]["per_page"] = per_page
    return responses.json(
        {
            "type": "activity_log.list",
            "pages": {**pages, "next": pages.get("next")},
            "activity_logs": [loads(row["data"]) for row in result.rows],
        }
    )
