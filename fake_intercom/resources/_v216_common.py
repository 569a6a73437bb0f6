"""Small helpers shared by the resources Intercom added in 2.16."""

from datetime import UTC, datetime
from typing import Any

from fake_intercom.context import Ctx
from fake_intercom.errors import IntercomError
from fake_intercom.resources.admins import find_admin


def iso(timestamp: int, *, millis: bool = False) -> str:
    """2.16's newer resources give times as ISO 8601 in UTC (macros with milliseconds)."""
    moment = datetime.fromtimestamp(timestamp, UTC)
    return moment.strftime("%Y-%m-%dT%H:%M:%S.000Z" if millis else "%Y-%m-%dT%H:%M:%SZ")


def acting_admin(ctx: Ctx) -> dict[str, Any]:
    """The admin behind the access token: the workspace owner, in the fake."""
    admin = find_admin(ctx.store, ctx.ws, ctx.workspace.owner_admin_id)
    if admin is None:
        raise IntercomError(401, "unauthorized", "Access Token Invalid")
    return admin


def deleted(object_id: str, kind: str) -> dict[str, Any]:
    return {"id": object_id, "object": kind, "deleted": True}


def unprocessable(message: str, code: str = "parameter_invalid", field: str | None = None) -> IntercomError:
    return IntercomError(422, code, message, field=field)
