"""Ticket states: the states tickets move through, each mapped to one of four categories.

Every workspace has Intercom's four default states (Submitted, In progress, Waiting on customer,
Resolved), made on first need: when the first ticket type is created or the states are listed.
Every ticket type uses the defaults; a custom state (only the seed makes them, Intercom's API has no
endpoint for it) belongs to the types it is linked to. A ticket's state must be one of its type's.
"""

from typing import Any

from fastapi import Depends

from contracts.models.ticket_states import TicketStateList
from fake_intercom import responses
from fake_intercom.context import Ctx, context
from fake_intercom.routing import IntercomRouter
from fake_intercom.store import Store, Workspace, dumps, loads, table

TICKET_STATES = table("ticket_states", {"id": str, "category": str, "is_default": int, "data": str})
TICKET_TYPE_STATES = table(
    "ticket_type_states",
    {"ticket_type_id": str, "ticket_state_id": str},
    pk=("workspace_id", "ticket_type_id", "ticket_state_id"),
    indexes=(("workspace_id", "ticket_state_id"),),
)

CATEGORIES = ("submitted", "in_progress", "waiting_on_customer", "resolved")
# (category, internal label, external label), as a new Intercom workspace has them.
DEFAULT_STATES = (
    ("submitted", "Submitted", "Submitted"),
    ("in_progress", "In progress", "In progress"),
    ("waiting_on_customer", "Waiting on customer", "Waiting on you"),
    ("resolved", "Resolved", "Resolved"),
)
STATE_ID_BASE = 8_260
# A state's ticket types as the description's example lists them, `archived` included.
TYPE_SUMMARY_KEYS = ("type", "id", "name", "description", "icon", "archived", "is_internal", "category")

router = IntercomRouter(tags=["Ticket States"])


def create_ticket_state(
    store: Store, workspace: Workspace, category: str, internal_label: str, external_label: str
) -> dict[str, Any]:
    """A custom state; link it to types with `link_state`."""
    return _insert(store, workspace, category, internal_label, external_label, is_default=False)


def _insert(
    store: Store, workspace: Workspace, category: str, internal: str, external: str, *, is_default: bool
) -> dict[str, Any]:
    if category not in CATEGORIES:
        raise ValueError(f"unknown ticket state category {category!r}")
    state = {
        "type": "ticket_state",
        "id": store.numeric_id(workspace.id, "ticket_state", base=STATE_ID_BASE),
        "category": category,
        "internal_label": internal,
        "external_label": external,
    }
    store.insert(
        "ticket_states",
        {
            "workspace_id": workspace.id,
            "id": state["id"],
            "category": category,
            "is_default": int(is_default),
            "data": dumps(state),
        },
    )
    return state


def default_states(store: Store, workspace: Workspace) -> list[dict[str, Any]]:
    """The workspace's default states, made the first time they are needed."""
    rows = store.query(
        "SELECT data FROM ticket_states WHERE workspace_id = ? AND is_default = 1 ORDER BY CAST(id AS INTEGER)",
        (workspace.id,),
    )
    if rows:
        return [loads(row["data"]) for row in rows]
    with store.atomic():
        return [
            _insert(store, workspace, category, internal, external, is_default=True)
            for category, internal, external in DEFAULT_STATES
        ]


def link_state(store: Store, workspace_id: str, ticket_type_id: str, ticket_state_id: str) -> None:
    store.execute(
        "INSERT OR IGNORE INTO ticket_type_states (workspace_id, ticket_type_id, ticket_state_id) VALUES (?, ?, ?)",
        (workspace_id, ticket_type_id, ticket_state_id),
    )


def states_of_type(store: Store, workspace_id: str, ticket_type_id: str) -> list[dict[str, Any]]:
    rows = store.query(
        "SELECT s.data FROM ticket_type_states ts JOIN ticket_states s "
        "ON s.workspace_id = ts.workspace_id AND s.id = ts.ticket_state_id "
        "WHERE ts.workspace_id = ? AND ts.ticket_type_id = ? ORDER BY CAST(s.id AS INTEGER)",
        (workspace_id, ticket_type_id),
    )
    return [loads(row["data"]) for row in rows]


def state_of_type(
    store: Store, workspace_id: str, ticket_type_id: str, ticket_state_id: str
) -> dict[str, Any] | None:
    """The state, if it belongs to the type."""
    text = store.scalar(
        "SELECT s.data FROM ticket_type_states ts JOIN ticket_states s "
        "ON s.workspace_id = ts.workspace_id AND s.id = ts.ticket_state_id "
        "WHERE ts.workspace_id = ? AND ts.ticket_type_id = ? AND ts.ticket_state_id = ?",
        (workspace_id, ticket_type_id, str(ticket_state_id)),
    )
    return loads(text)


def find_state(store: Store, workspace_id: str, ticket_state_id: str) -> dict[str, Any] | None:
    return store.data("ticket_states", workspace_id, str(ticket_state_id))


def first_state(store: Store, workspace_id: str, ticket_type_id: str, category: str) -> dict[str, Any]:
    """The type's first state of this category: where new tickets start (`submitted`)."""
    for state in states_of_type(store, workspace_id, ticket_type_id):
        if state["category"] == category:
            return state
    raise LookupError(f"ticket type {ticket_type_id} has no {category} state")


@router.operation("listTicketStates", response_model=TicketStateList)
async def list_ticket_states(ctx: Ctx = Depends(context)) -> Any:
    default_states(ctx.store, ctx.workspace)
    states = ctx.store.query(
        "SELECT data FROM ticket_states WHERE workspace_id = ? ORDER BY CAST(id AS INTEGER)", (ctx.ws,)
    )
    types_by_state: dict[str, list[dict[str, Any]]] = {}
    for row in ctx.store.query(
        "SELECT ts.ticket_state_id, t.data FROM ticket_type_states ts JOIN ticket_types t "
        "ON t.workspace_id = ts.workspace_id AND t.id = ts.ticket_type_id "
        "WHERE ts.workspace_id = ? ORDER BY CAST(t.id AS INTEGER)",
        (ctx.ws,),
    ):
        ticket_type = loads(row["data"])
        summary = {key: ticket_type.get(key) for key in TYPE_SUMMARY_KEYS}
        types_by_state.setdefault(row["ticket_state_id"], []).append(summary)
    data = []
    for row in states:
        state = loads(row["data"])
        state["ticket_types"] = {"type": "list", "data": types_by_state.get(state["id"], [])}
        data.append(state)
    return responses.json({"type": "list", "data": data})
