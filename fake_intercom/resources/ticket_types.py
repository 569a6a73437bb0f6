"""Ticket types: the kinds of tickets a workspace has, with their attributes and states.

Categories are Customer (seen by the contact), Back-office (internal work) and Tracker (one issue
many conversations link to). Names are unique per workspace, case insensitively. Archived types stay
listed and readable but take no new tickets.
"""

from typing import Any

from fastapi import Depends

from contracts.models.ticket_types import (
    CreateTicketTypeRequest,
    TicketType,
    TicketTypeList,
    UpdateTicketTypeRequest,
)
from fake_intercom import responses
from fake_intercom.context import Ctx, context
from fake_intercom.errors import not_found, parameter_invalid, require
from fake_intercom.resources.ticket_states import default_states, link_state, states_of_type
from fake_intercom.resources.ticket_type_attributes import attributes_of_type, create_default_attributes
from fake_intercom.routing import IntercomRouter
from fake_intercom.store import Store, Workspace, dumps, loads, table

TICKET_TYPES = table(
    "ticket_types",
    {"id": str, "name": str, "category": str, "archived": int, "data": str},
    indexes=(("workspace_id", "name"),),
)

CATEGORIES = ("Customer", "Back-office", "Tracker")
DEFAULT_ICON = "🎟️"
TYPE_ID_BASE = 50

router = IntercomRouter(tags=["Ticket Types"])


def create_ticket_type(store: Store, workspace: Workspace, fields: dict[str, Any]) -> dict[str, Any]:
    name = _name(store, workspace.id, fields.get("name"), None)
    category = _category(fields.get("category") or "Customer")
    now = store.now(workspace)
    ticket_type = {
        "type": "ticket_type",
        "id": store.numeric_id(workspace.id, "ticket_type", base=TYPE_ID_BASE),
        "name": name,
        "description": fields.get("description") or "",
        "icon": fields.get("icon") or DEFAULT_ICON,
        "workspace_id": workspace.id,
        "archived": False,
        "created_at": now,
        "updated_at": now,
        "is_internal": bool(fields.get("is_internal", False)),
        "category": category,
    }
    store.insert(
        "ticket_types",
        {
            "workspace_id": workspace.id,
            "id": ticket_type["id"],
            "name": name,
            "category": category,
            "archived": 0,
            "data": dumps(ticket_type),
        },
    )
    create_default_attributes(store, workspace, ticket_type["id"])
    for state in default_states(store, workspace):
        link_state(store, workspace.id, ticket_type["id"], state["id"])
    return render_ticket_type(store, workspace.id, ticket_type)


def update_ticket_type(
    store: Store, workspace: Workspace, ticket_type: dict[str, Any], fields: dict[str, Any]
) -> dict[str, Any]:
    updated = dict(ticket_type)
    if fields.get("name") is not None:
        updated["name"] = _name(store, workspace.id, fields["name"], ticket_type["id"])
    if fields.get("category") is not None:
        updated["category"] = _category(fields["category"])
    for key in ("description", "icon"):
        if fields.get(key) is not None:
            updated[key] = fields[key]
    for key in ("archived", "is_internal"):
        if fields.get(key) is not None:
            updated[key] = bool(fields[key])
    updated["updated_at"] = store.now(workspace)
    store.update(
        "ticket_types",
        workspace.id,
        ticket_type["id"],
        {
            "name": updated["name"],
            "category": updated["category"],
            "archived": int(updated["archived"]),
            "data": dumps(updated),
        },
    )
    return render_ticket_type(store, workspace.id, updated)


def _name(store: Store, workspace_id: str, name: Any, own_id: str | None) -> str:
    if not isinstance(name, str) or not name.strip():
        raise parameter_invalid("Name is a required parameter.", field="name")
    name = name.strip()
    other = store.scalar(
        "SELECT id FROM ticket_types WHERE workspace_id = ? AND name = ? COLLATE NOCASE", (workspace_id, name)
    )
    if other is not None and other != own_id:
        raise parameter_invalid(f"A ticket type named '{name}' already exists")
    return name


def _category(category: Any) -> str:
    if category not in CATEGORIES:
        raise parameter_invalid(f"category must be one of: {', '.join(CATEGORIES)}", field="category")
    return str(category)


def find_ticket_type(store: Store, workspace_id: str, ticket_type_id: str | int) -> dict[str, Any] | None:
    """The type's own fields (without attributes and states)."""
    return store.data("ticket_types", workspace_id, str(ticket_type_id))


def render_ticket_type(
    store: Store, workspace_id: str, ticket_type: dict[str, Any], *, with_states: bool = True
) -> dict[str, Any]:
    """The type as its own endpoints answer it; inside a ticket it comes without its states."""
    rendered = {key: value for key, value in ticket_type.items() if key != "category"}
    rendered["ticket_type_attributes"] = {
        "type": "list",
        "data": attributes_of_type(store, workspace_id, ticket_type["id"]),
    }
    rendered["category"] = ticket_type["category"]
    if with_states:
        rendered["ticket_states"] = {
            "type": "list",
            "data": states_of_type(store, workspace_id, ticket_type["id"]),
        }
    return rendered


@router.operation("listTicketTypes", response_model=TicketTypeList)
async def list_ticket_types(ctx: Ctx = Depends(context)) -> Any:
    rows = ctx.store.query(
        "SELECT data FROM ticket_types WHERE workspace_id = ? ORDER BY CAST(id AS INTEGER)", (ctx.ws,)
    )
    data = [render_ticket_type(ctx.store, ctx.ws, loads(row["data"])) for row in rows]
    return responses.json({"type": "list", "data": data})


@router.operation("createTicketType", response_model=TicketType)
async def create_ticket_type_route(body: CreateTicketTypeRequest, ctx: Ctx = Depends(context)) -> Any:
    return responses.json(create_ticket_type(ctx.store, ctx.workspace, body.model_dump(exclude_unset=True)))


@router.operation("getTicketType", response_model=TicketType)
async def get_ticket_type(ticket_type_id: str, ctx: Ctx = Depends(context)) -> Any:
    return responses.json(
        render_ticket_type(
            ctx.store, ctx.ws, require(find_ticket_type(ctx.store, ctx.ws, ticket_type_id), not_found)
        )
    )


@router.operation("updateTicketType", response_model=TicketType)
async def update_ticket_type_route(
    ticket_type_id: str, body: UpdateTicketTypeRequest, ctx: Ctx = Depends(context)
) -> Any:
    ticket_type = require(find_ticket_type(ctx.store, ctx.ws, ticket_type_id), not_found)
    fields = body.model_dump(exclude_unset=True)
    return responses.json(update_ticket_type(ctx.store, ctx.workspace, ticket_type, fields))
