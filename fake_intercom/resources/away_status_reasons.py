"""Away status reasons: why a teammate is away ("On a break"), chosen when they set themselves away.

The list includes deleted reasons (`deleted: true`), as Intercom's does; a deleted reason can no
longer be chosen (PUT /admins/{id}/away answers 400 "Away status reason is deleted", see
`check_away_status_reason`). Reasons are managed in Intercom's UI, so the seed and tests use
`create_away_status_reason` and `delete_away_status_reason`.
"""

from typing import Any

from fastapi import Depends

from contracts.models.away_status_reasons import AwayStatusReasonList
from fake_intercom import responses
from fake_intercom.context import Ctx, context
from fake_intercom.errors import parameter_invalid
from fake_intercom.routing import IntercomRouter
from fake_intercom.store import Store, Workspace, dumps, loads, table

AWAY_STATUS_REASONS = table("away_status_reasons", {"id": str, "ord": int, "deleted": int, "data": str})

router = IntercomRouter(tags=["Away Status Reasons"])

SEED_ORDER = 60
DEMO_REASONS = [("On a break", "☕"), ("In a meeting", "📅"), ("Out sick", "🤒"), ("On holiday", "🌴")]


def create_away_status_reason(
    store: Store, workspace: Workspace, label: str, emoji: str | None = None
) -> dict[str, Any]:
    now = store.now(workspace)
    order = (
        store.scalar("SELECT MAX(ord) FROM away_status_reasons WHERE workspace_id = ?", (workspace.id,)) or 0
    ) + 1
    reason = {
        "type": "away_status_reason",
        "id": store.numeric_id(workspace.id, "away_status_reason", base=0),
        "label": label,
        "emoji": emoji,
        "order": order,
        "deleted": False,
        "created_at": now,
        "updated_at": now,
    }
    store.insert(
        "away_status_reasons",
        {"workspace_id": workspace.id, "id": reason["id"], "ord": order, "deleted": 0, "data": dumps(reason)},
    )
    return reason


def delete_away_status_reason(store: Store, workspace: Workspace, reason_id: str) -> dict[str, Any]:
    """Soft delete: the reason stays listed, marked deleted."""
    reason = store.data("away_status_reasons", workspace.id, reason_id)
    if reason is None:
        raise KeyError(reason_id)
    reason.update(deleted=True, updated_at=store.now(workspace))
    store.update("away_status_reasons", workspace.id, reason_id, {"deleted": 1, "data": dumps(reason)})
    return reason


def check_away_status_reason(store: Store, workspace_id: str, reason_id: str) -> None:
    """A reason an admin may choose now: one of the workspace's, not deleted."""
    row = store.row("away_status_reasons", workspace_id, reason_id)
    if row is None:
        raise parameter_invalid("Away status reason not found", field="away_status_reason_id")
    if row["deleted"]:
        raise parameter_invalid("Away status reason is deleted", field="away_status_reason_id")


@router.operation("listAwayStatusReasons", response_model=AwayStatusReasonList)
async def list_away_status_reasons(ctx: Ctx = Depends(context)) -> Any:
    rows = ctx.store.query(
        "SELECT data FROM away_status_reasons WHERE workspace_id = ? ORDER BY ord, CAST(id AS INTEGER)",
        (ctx.ws,),
    )
    return responses.json({"type": "list", "data": [loads(row["data"]) for row in rows]})


def seed_demo(seeder: Any) -> None:
    store, ws = seeder.store, seeder.workspace
    reasons = [create_away_status_reason(store, ws, label, emoji) for label, emoji in DEMO_REASONS]
    delete_away_status_reason(store, ws, reasons[-1]["id"])
