"""The ticket store: tickets created, updated through their type's states, replied to, tagged, linked,
searched; for the ticket routes, the conversion of a conversation and the demo workspace.

A ticket is one of its type's kind: its `category` is the type's, its `ticket_attributes` are the
type's live attributes (null where unset) and its state is one of the type's states
(400 ticket_state_id_invalid otherwise). Tickets are conversations inside Intercom, so their ids
come from the conversations' sequence; `ticket_id` is the separate number the Inbox shows.

Every change appends a part: a state change `ticket_state_updated_by_admin` (with the categories
before and after), an attribute change `ticket_attribute_updated_by_admin` (with
`updated_attribute_data`), assignment, snoozed, close, open; replies append comment, note or
quick_reply and answer with that part. Moving to a `resolved` state closes the ticket, moving out of
it reopens it; closing unsnoozes. A snooze ends by the workspace clock as a conversation's does:
`wake_snoozed` (run before any read, search or write of tickets) clears `snoozed_until` once it has
passed and appends a `timer_unsnooze` part by the operator, dated when the snooze ended.

Links: a Back-office or Tracker ticket may link conversations; a Tracker ticket may also link
Customer tickets; a conversation has at most one tracker. A linked conversation shows the ticket in
its own `linked_objects` (`_conversation_store` keeps that side). Assignee ids are strings ("0" unassigned) up to 2.15 and integers from 2.16,
which also adds `previous_ticket_state_id`.
"""

from typing import Any

from contracts.models.tickets import (
    CreateTicketRequest,
    ReplyTicketRequest,
    UpdateTicketRequest,
)
from fake_intercom.context import Ctx
from fake_intercom.errors import (
    IntercomError,
    admin_not_found,
    already_linked_to_tracker,
    assignee_not_found,
    conversation_not_found,
    linked_conversation_limit_exceeded,
    not_found,
    parameter_invalid,
    parameter_mismatch,
    require,
    ticket_not_found,
    ticket_state_id_invalid,
    user_not_found,
)
from fake_intercom.notifications import notify
from fake_intercom.resources._contact_store import create_contact, require_contact
from fake_intercom.resources._conversation_store import (
    CONVERSATION_ID_BASE,
    conversation_json,
    link_object,
    unlink_object,
)
from fake_intercom.resources._parts import admin_author, attachments, bot_author, contact_author
from fake_intercom.resources.admins import find_admin
from fake_intercom.resources.companies import company_not_found, find_company
from fake_intercom.resources.teams import find_team
from fake_intercom.resources.ticket_states import find_state, first_state, state_of_type
from fake_intercom.resources.ticket_type_attributes import (
    attribute_change,
    attributes_of_type,
    check_ticket_attributes,
)
from fake_intercom.resources.ticket_types import find_ticket_type, render_ticket_type
from fake_intercom.search import (
    BOOLEAN,
    DATE,
    FLOAT,
    INTEGER,
    STRING,
    Field,
    SearchSpec,
)
from fake_intercom.store import Store, Workspace, dumps, loads, table
from fake_intercom.text import html_body

TICKETS = table(
    "tickets",
    {
        "id": str,
        "ticket_number": int,
        "ticket_type_id": str,
        "state_id": str,
        "state": str,  # the state's category
        "open": int,
        "snoozed_until": int,
        "admin_assignee_id": str,
        "team_assignee_id": str,
        "title": str,
        "description": str,
        "created_at": int,
        "updated_at": int,
        "data": str,  # the ticket's own fields; type, state, contacts, parts and links are joined in
    },
    indexes=(
        ("workspace_id", "created_at", "id"),
        ("workspace_id", "updated_at", "id"),
        ("workspace_id", "ticket_type_id"),
        ("workspace_id", "snoozed_until"),
    ),
)
TICKET_CONTACTS = table(
    "ticket_contacts",
    {"ticket_id": str, "contact_id": str},
    pk=("workspace_id", "ticket_id", "contact_id"),
    indexes=(("workspace_id", "contact_id"),),
)
TICKET_TAGS = table(
    "ticket_tags",
    {"ticket_id": str, "tag_id": str, "applied_at": int, "applied_by": str},
    pk=("workspace_id", "ticket_id", "tag_id"),
    indexes=(("workspace_id", "tag_id"),),
)
# `ticket_id` links `linked_id`, a conversation or a (Customer) ticket.
TICKET_LINKS = table(
    "ticket_links",
    {"ticket_id": str, "linked_type": str, "linked_id": str},
    pk=("workspace_id", "ticket_id", "linked_type", "linked_id"),
    indexes=(("workspace_id", "linked_type", "linked_id"),),
)

TICKET_PARTS = table(
    "ticket_parts",
    {"id": str, "ticket_id": str, "created_at": int, "data": str},
    indexes=(("workspace_id", "ticket_id", "created_at"),),
)
# Admins who took part in a ticket (search's `teammate_ids`).
TICKET_TEAMMATES = table(
    "ticket_teammates",
    {"ticket_id": str, "admin_id": str},
    pk=("workspace_id", "ticket_id", "admin_id"),
    indexes=(("workspace_id", "admin_id"),),
)

PART_ID_BASE = 170
MAX_LINKED_CONVERSATIONS = 2_500
UNASSIGNED = "0"
SEED_REQUEST_ID = "demo-seed"
TICKET_KEYS = (
    "type",
    "id",
    "ticket_id",
    "ticket_attributes",
    "ticket_state",
    "ticket_type",
    "contacts",
    "admin_assignee_id",
    "team_assignee_id",
    "created_at",
    "updated_at",
    "ticket_parts",
    "open",
    "snoozed_until",
    "linked_objects",
    "category",
    "is_shared",
)


def _notify(ctx: Ctx, topic: str, item: dict[str, Any]) -> None:
    # The demo seed writes history, not events: nothing it does is delivered as a webhook.
    if ctx.request_id != SEED_REQUEST_ID:
        notify(ctx.store, ctx.workspace, topic, item)


# -- parts ---------------------------------------------------------------------------------------


def append_part(
    store: Store,
    workspace: Workspace,
    ticket_id: str,
    part_type: str,
    author: dict[str, Any],
    *,
    created_at: int | None = None,
    body: str | None = None,
    ticket_state: str | None = None,
    previous_ticket_state: str | None = None,
    assigned_to: dict[str, Any] | None = None,
    attachment_list: list[dict[str, Any]] | None = None,
    updated_attribute_data: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """Record a part. Keys a part type lacks are left out, in the order of Intercom's examples."""
    now = created_at if created_at is not None else store.now(workspace)
    part: dict[str, Any] = {
        "type": "ticket_part",
        "id": store.numeric_id(workspace.id, "ticket_part", base=PART_ID_BASE),
        "part_type": part_type,
    }
    if body is not None:
        part["body"] = body
    if ticket_state is not None:
        part["ticket_state"] = ticket_state
        part["previous_ticket_state"] = previous_ticket_state
    part.update(created_at=now, updated_at=now)
    if assigned_to is not None:
        part["assigned_to"] = assigned_to
    part.update(author=author, attachments=attachment_list or [], redacted=False)
    if updated_attribute_data is not None:
        part["updated_attribute_data"] = updated_attribute_data
    store.insert(
        "ticket_parts",
        {
            "workspace_id": workspace.id,
            "id": part["id"],
            "ticket_id": ticket_id,
            "created_at": now,
            "data": dumps(part),
        },
    )
    if author["type"] == "admin":
        store.execute(
            "INSERT OR IGNORE INTO ticket_teammates (workspace_id, ticket_id, admin_id) VALUES (?, ?, ?)",
            (workspace.id, ticket_id, author["id"]),
        )
    return part


def parts_of(store: Store, workspace_id: str, ticket_id: str) -> list[dict[str, Any]]:
    rows = store.query(
        "SELECT data FROM ticket_parts WHERE workspace_id = ? AND ticket_id = ? "
        "ORDER BY created_at, CAST(id AS INTEGER)",
        (workspace_id, ticket_id),
    )
    return [loads(row["data"]) for row in rows]


# -- reading --------------------------------------------------------------------------------------


def find_ticket(store: Store, workspace_id: str, ticket_id: str) -> dict[str, Any] | None:
    """The ticket's own stored fields."""
    return store.data("tickets", workspace_id, str(ticket_id))


def wake_snoozed(store: Store, workspace: Workspace) -> None:
    """End every snooze that has run out by the workspace clock."""
    rows = store.query(
        "SELECT id, snoozed_until FROM tickets WHERE workspace_id = ? AND snoozed_until <= ?",
        (workspace.id, store.now(workspace)),
    )
    if not rows:
        return
    with store.atomic():
        for row in rows:
            ticket = find_ticket(store, workspace.id, row["id"])
            if ticket is None:
                continue
            woke_at = row["snoozed_until"]
            ticket.update(snoozed_until=None, updated_at=max(ticket["updated_at"], woke_at))
            append_part(
                store, workspace, ticket["id"], "timer_unsnooze", bot_author(workspace.id), created_at=woke_at
            )
            save_ticket(store, workspace.id, ticket)


def current_ticket(ctx: Ctx, ticket_id: str) -> dict[str, Any] | None:
    """The ticket as it stands now: a snoozed ticket whose time has come is open again."""
    wake_snoozed(ctx.store, ctx.workspace)
    return find_ticket(ctx.store, ctx.ws, ticket_id)


def render_ticket(ctx: Ctx, own: dict[str, Any]) -> dict[str, Any]:
    """The ticket as GET /tickets/{id} answers it in the request's version."""
    store, ws = ctx.store, ctx.ws
    ticket_type = find_ticket_type(store, ws, own["ticket_type_id"]) or {}
    attributes = attributes_of_type(store, ws, own["ticket_type_id"], archived_too=False)
    values = own["ticket_attributes"]
    parts = parts_of(store, ws, own["id"])
    ticket: dict[str, Any] = {
        "type": "ticket",
        "id": own["id"],
        "ticket_id": own["ticket_id"],
        "ticket_attributes": {attribute["name"]: values.get(attribute["name"]) for attribute in attributes},
        "ticket_state": find_state(store, ws, own["ticket_state_id"]),
        "ticket_type": render_ticket_type(store, ws, ticket_type, with_states=False) if ticket_type else None,
        "contacts": {"type": "contact.list", "contacts": _contact_refs(store, ws, own["id"])},
        "admin_assignee_id": own["admin_assignee_id"],
        "team_assignee_id": own["team_assignee_id"],
        "created_at": own["created_at"],
        "updated_at": own["updated_at"],
        "ticket_parts": {"type": "ticket_part.list", "ticket_parts": parts, "total_count": len(parts)},
        "open": own["open"],
        "snoozed_until": own["snoozed_until"],
        "linked_objects": _linked_objects(store, ws, own["id"]),
        "category": ticket_type.get("category"),
        "is_shared": own["is_shared"],
    }
    if ticket["snoozed_until"] is None:
        del ticket["snoozed_until"]
    if ctx.since("2.16"):
        ticket["admin_assignee_id"] = int(own["admin_assignee_id"])
        ticket["team_assignee_id"] = int(own["team_assignee_id"])
        ticket["previous_ticket_state_id"] = own["previous_ticket_state_id"]
    return ticket


def ticket_json(ctx: Ctx, ticket_id: str) -> dict[str, Any]:
    return render_ticket(ctx, require(current_ticket(ctx, ticket_id), ticket_not_found))


def _contact_refs(store: Store, workspace_id: str, ticket_id: str) -> list[dict[str, Any]]:
    rows = store.query(
        "SELECT c.id, c.external_id FROM ticket_contacts tc JOIN contacts c "
        "ON c.workspace_id = tc.workspace_id AND c.id = tc.contact_id "
        "WHERE tc.workspace_id = ? AND tc.ticket_id = ? ORDER BY tc.rowid",
        (workspace_id, ticket_id),
    )
    return [{"type": "contact", "id": row["id"], "external_id": row["external_id"]} for row in rows]


def _linked_objects(store: Store, workspace_id: str, ticket_id: str) -> dict[str, Any]:
    """What the ticket links (conversations, Customer tickets) and the trackers linking it."""
    rows = store.query(
        "SELECT linked_type AS type, linked_id AS id FROM ticket_links WHERE workspace_id = ? AND ticket_id = ? "
        "UNION ALL SELECT 'ticket', ticket_id FROM ticket_links "
        "WHERE workspace_id = ? AND linked_type = 'ticket' AND linked_id = ?",
        (workspace_id, ticket_id, workspace_id, ticket_id),
    )
    data = []
    for row in rows:
        linked = find_ticket(store, workspace_id, row["id"]) if row["type"] == "ticket" else None
        category = category_of(store, workspace_id, linked) if linked else None
        data.append({"type": row["type"], "id": row["id"], "category": category})
    return {"type": "list", "data": data, "total_count": len(data), "has_more": False}


# -- writing --------------------------------------------------------------------------------------


def save_ticket(store: Store, workspace_id: str, ticket: dict[str, Any], *, insert: bool = False) -> None:
    state = find_state(store, workspace_id, ticket["ticket_state_id"]) or {}
    values = ticket["ticket_attributes"]
    row = {
        "ticket_type_id": ticket["ticket_type_id"],
        "state_id": ticket["ticket_state_id"],
        "state": state.get("category"),
        "open": int(ticket["open"]),
        "snoozed_until": ticket["snoozed_until"],
        "admin_assignee_id": ticket["admin_assignee_id"],
        "team_assignee_id": ticket["team_assignee_id"],
        "title": _text(values.get("_default_title_")),
        "description": _text(values.get("_default_description_")),
        "created_at": ticket["created_at"],
        "updated_at": ticket["updated_at"],
        "data": dumps(ticket),
    }
    if insert:
        store.insert(
            "tickets",
            {
                "workspace_id": workspace_id,
                "id": ticket["id"],
                "ticket_number": int(ticket["ticket_id"]),
                **row,
            },
        )
    else:
        store.update("tickets", workspace_id, ticket["id"], row)


def _text(value: Any) -> str | None:
    return None if value is None else str(value)


def live_type(ctx: Ctx, ticket_type_id: Any) -> dict[str, Any]:
    ticket_type = find_ticket_type(ctx.store, ctx.ws, str(ticket_type_id)) if ticket_type_id else None
    if ticket_type is None:
        raise not_found("Ticket type not found")
    if ticket_type["archived"]:
        raise parameter_invalid("Ticket type is archived")
    return ticket_type


def _state_for(ctx: Ctx, ticket_type_id: str, ticket_state_id: Any) -> dict[str, Any]:
    state = state_of_type(ctx.store, ctx.ws, ticket_type_id, str(ticket_state_id))
    if state is None:
        raise ticket_state_id_invalid()
    return state


def _assignee(ctx: Ctx, assignee_id: Any) -> tuple[str, str] | None:
    """('admin' | 'team', id) for an admin or team id, None for "0" (unassign)."""
    text = str(assignee_id).strip()
    if text == UNASSIGNED:
        return None
    if find_admin(ctx.store, ctx.ws, text) is not None:
        return "admin", text
    if find_team(ctx.store, ctx.ws, text) is not None:
        return "team", text
    raise assignee_not_found()


def create_ticket(
    ctx: Ctx,
    ticket_type: dict[str, Any],
    contact_ids: list[str],
    attributes: dict[str, Any],
    *,
    ticket_state_id: Any = None,
    created_at: int | None = None,
    admin_assignee_id: Any = None,
    team_assignee_id: Any = None,
    company_id: str | None = None,
    opening: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """Create a ticket of a live type for these contacts; returns its own fields. `opening` (the
    arguments of `append_part`) is a part that comes before the ticket's first state part."""
    store, ws = ctx.store, ctx.ws
    values = check_ticket_attributes(store, ws, ticket_type["id"], attributes)
    if ticket_state_id is not None:
        state = _state_for(ctx, ticket_type["id"], ticket_state_id)
    else:
        state = first_state(store, ws, ticket_type["id"], "submitted")
    admin = _assignee(ctx, admin_assignee_id) if admin_assignee_id not in (None, "") else None
    team = _assignee(ctx, team_assignee_id) if team_assignee_id not in (None, "") else None
    if (admin and admin[0] != "admin") or (team and team[0] != "team"):
        raise assignee_not_found()
    if company_id is not None and find_company(store, ws, company_id) is None:
        raise company_not_found()
    now = ctx.now()
    ticket = {
        # Tickets are conversations inside Intercom: one id sequence for both.
        "id": store.numeric_id(ws, "conversation", base=CONVERSATION_ID_BASE),
        "ticket_id": str(store.next_number(ws, "ticket_number")),
        "ticket_type_id": ticket_type["id"],
        "ticket_state_id": state["id"],
        "previous_ticket_state_id": None,
        "ticket_attributes": values,
        "admin_assignee_id": admin[1] if admin else UNASSIGNED,
        "team_assignee_id": team[1] if team else UNASSIGNED,
        "created_at": created_at if created_at is not None else now,
        "updated_at": now,
        "open": state["category"] != "resolved",
        "snoozed_until": None,
        "is_shared": ticket_type["category"] == "Customer",
        "company_id": company_id,
    }
    save_ticket(store, ws, ticket, insert=True)
    for contact_id in dict.fromkeys(contact_ids):
        store.execute(
            "INSERT OR IGNORE INTO ticket_contacts (workspace_id, ticket_id, contact_id) VALUES (?, ?, ?)",
            (ws, ticket["id"], contact_id),
        )
    if opening is not None:
        append_part(store, ctx.workspace, ticket["id"], **opening)
    append_part(
        store,
        ctx.workspace,
        ticket["id"],
        "ticket_state_updated_by_admin",
        bot_author(ws),
        ticket_state=state["category"],
        previous_ticket_state=state["category"],
    )
    for assigned in (admin, team):
        if assigned is not None:
            append_part(
                store,
                ctx.workspace,
                ticket["id"],
                "assignment",
                bot_author(ws),
                assigned_to={"type": assigned[0], "id": assigned[1]},
            )
    _notify(ctx, "ticket.created", render_ticket(ctx, ticket))
    return ticket


def _resolve_contacts(ctx: Ctx, refs: list[Any]) -> list[str]:
    """Contacts named by id, external_id or email; an unknown email makes a lead, as Intercom does."""
    if len(refs) != 1:
        raise parameter_invalid("Exactly one contact is required to create a ticket", field="contacts")
    found = []
    for ref in refs:
        if ref.id:
            found.append(require_contact(ctx, ref.id)["id"])
        elif ref.external_id:
            found.append(_contact_by(ctx, "external_id", ref.external_id, create=False))
        elif ref.email:
            found.append(_contact_by(ctx, "email", ref.email, create=True))
        else:
            raise parameter_invalid("Each contact needs an id, external_id or email", field="contacts")
    return found


def _contact_by(ctx: Ctx, column: str, value: str, *, create: bool) -> str:
    if column not in ("external_id", "email"):
        raise ValueError(column)
    contact_id = ctx.store.scalar(
        f"SELECT id FROM contacts WHERE workspace_id = ? AND {column} = ? COLLATE NOCASE "
        "AND merged_into IS NULL AND COALESCE(archived, 0) = 0 ORDER BY role = 'lead', created_at LIMIT 1",
        (ctx.ws, value),
    )
    if contact_id is not None:
        return str(contact_id)
    if not create:
        raise user_not_found()
    return str(create_contact(ctx.store, ctx.workspace, {"role": "lead", "email": value})["id"])


def create_from_request(ctx: Ctx, body: CreateTicketRequest) -> dict[str, Any]:
    ticket_type = live_type(ctx, body.ticket_type_id)
    contact_ids = _resolve_contacts(ctx, body.contacts)
    assignment = body.assignment
    ticket = create_ticket(
        ctx,
        ticket_type,
        contact_ids,
        body.ticket_attributes or {},
        created_at=body.created_at,
        admin_assignee_id=assignment.admin_assignee_id if assignment else None,
        team_assignee_id=assignment.team_assignee_id if assignment else None,
        company_id=body.company_id,
    )
    if body.conversation_to_link_id is not None:
        link_ticket(ctx, ticket, str(body.conversation_to_link_id))
    return ticket


def create_ticket_from_conversation(
    ctx: Ctx,
    conversation: dict[str, Any],
    ticket_type_id: str,
    attributes: dict[str, Any],
    ticket_state_id: str | None = None,
) -> dict[str, Any]:
    """POST /conversations/{id}/convert: a Customer ticket for the conversation's contacts, linked
    to it; returns the ticket JSON the convert endpoint answers. The conversation gets no part: the
    spec names no part type for a conversion (its `ticket` and `linked_objects` show it)."""
    ticket_type = live_type(ctx, ticket_type_id)
    if ticket_type["category"] != "Customer":
        raise parameter_invalid("Ticket type is not a customer ticket type")
    contact_ids = [str(ref["id"]) for ref in (conversation.get("contacts") or {}).get("contacts", [])]
    source = conversation["source"]
    # The ticket starts where the conversation did, with its opening message as the first part
    # (S15 op:convertConversationToTicket example: a `comment` by the contact, then the state part).
    ticket = create_ticket(
        ctx,
        ticket_type,
        contact_ids,
        attributes or {},
        ticket_state_id=ticket_state_id,
        created_at=conversation["created_at"],
        opening={
            "part_type": "comment",
            "author": {key: source["author"].get(key) for key in ("id", "type", "name", "email")},
            "created_at": conversation["created_at"],
            "body": source.get("body"),
            "attachment_list": source.get("attachments"),
        },
    )
    insert_link(ctx.store, ctx.ws, ticket["id"], "conversation", str(conversation["id"]))
    return render_ticket(ctx, ticket)


# -- links ----------------------------------------------------------------------------------------


def insert_link(store: Store, workspace_id: str, ticket_id: str, linked_type: str, linked_id: str) -> None:
    store.execute(
        "INSERT OR IGNORE INTO ticket_links (workspace_id, ticket_id, linked_type, linked_id) VALUES (?, ?, ?, ?)",
        (workspace_id, ticket_id, linked_type, linked_id),
    )


def category_of(store: Store, workspace_id: str, ticket: dict[str, Any]) -> str:
    ticket_type = find_ticket_type(store, workspace_id, ticket["ticket_type_id"])
    return ticket_type["category"] if ticket_type else ""


def link_ticket(ctx: Ctx, ticket: dict[str, Any], other_id: str) -> tuple[str, str]:
    """Link a conversation or a Customer ticket to `ticket`, by Intercom's rules; (kind, id) linked."""
    store, ws = ctx.store, ctx.ws
    category = category_of(store, ws, ticket)
    other = find_ticket(store, ws, other_id)
    if other is not None:
        if (
            other["id"] == ticket["id"]
            or category_of(store, ws, other) != "Customer"
            or category == "Customer"
        ):
            raise parameter_invalid("Only a customer ticket can be linked to a tracker or back-office ticket")
        if category == "Back-office" and ticket["is_shared"]:
            raise parameter_invalid("A customer ticket can only be linked to a non-shared back-office ticket")
        kind = "ticket"
    else:
        try:
            conversation_json(ctx, other_id)
        except IntercomError:
            raise conversation_not_found() from None
        if category == "Customer":
            raise parameter_invalid("A conversation can only be linked to a tracker or back-office ticket")
        kind = "conversation"
    if category == "Tracker":
        trackers = store.query(
            "SELECT l.ticket_id FROM ticket_links l JOIN tickets t ON t.workspace_id = l.workspace_id "
            "AND t.id = l.ticket_id JOIN ticket_types tt ON tt.workspace_id = t.workspace_id "
            "AND tt.id = t.ticket_type_id WHERE l.workspace_id = ? AND l.linked_type = ? AND l.linked_id = ? "
            "AND tt.category = 'Tracker' AND l.ticket_id != ?",
            (ws, kind, other_id, ticket["id"]),
        )
        if trackers:
            raise already_linked_to_tracker()
        count = store.scalar(
            "SELECT COUNT(*) FROM ticket_links WHERE workspace_id = ? AND ticket_id = ?", (ws, ticket["id"])
        )
        if count >= MAX_LINKED_CONVERSATIONS:
            raise linked_conversation_limit_exceeded()
    insert_link(store, ws, ticket["id"], kind, other_id)
    if kind == "conversation":
        link_object(ctx, other_id, {"type": "ticket", "id": ticket["id"], "category": category})
    return kind, other_id


def unlink_ticket(ctx: Ctx, ticket_id: str, linked_type: str, linked_id: str) -> None:
    ctx.store.execute(
        "DELETE FROM ticket_links WHERE workspace_id = ? AND ticket_id = ? AND linked_type = ? AND linked_id = ?",
        (ctx.ws, ticket_id, linked_type, linked_id),
    )
    if linked_type == "conversation":
        unlink_object(ctx, linked_id, "ticket", ticket_id)


def linked_json(ctx: Ctx, kind: str, object_id: str) -> dict[str, Any]:
    if kind == "ticket":
        return ticket_json(ctx, object_id)
    return conversation_json(ctx, object_id)


# -- updating -------------------------------------------------------------------------------------


def update_ticket(ctx: Ctx, ticket: dict[str, Any], body: UpdateTicketRequest) -> dict[str, Any]:
    """Apply PUT /tickets/{id}; each change appends its part. Returns the ticket's own fields."""
    store, ws = ctx.store, ctx.ws
    fields = body.model_dump(exclude_unset=True)
    author = bot_author(ws)
    if fields.get("admin_id") is not None:
        admin = admin_author(store, ws, fields["admin_id"])
        if admin is None:
            raise assignee_not_found()
        author = admin
    ticket = dict(ticket)
    if fields.get("ticket_attributes"):
        _update_attributes(ctx, ticket, fields["ticket_attributes"], author)
    if fields.get("ticket_state_id") is not None:
        change_state(
            ctx, ticket, _state_for(ctx, ticket["ticket_type_id"], fields["ticket_state_id"]), author
        )
    if fields.get("assignee_id") is not None:
        _assign(ctx, ticket, _assignee(ctx, fields["assignee_id"]), author)
    if fields.get("open") is False and ticket["open"]:
        ticket.update(open=False, snoozed_until=None)
        append_part(store, ctx.workspace, ticket["id"], "close", author)
        _closed(ctx, ticket)
    elif fields.get("open") is True and not ticket["open"]:
        ticket["open"] = True
        append_part(store, ctx.workspace, ticket["id"], "open", author)
    if fields.get("snoozed_until") is not None:
        ticket.update(open=True, snoozed_until=int(fields["snoozed_until"]))
        append_part(store, ctx.workspace, ticket["id"], "snoozed", author)
    if fields.get("is_shared") is not None:
        ticket["is_shared"] = bool(fields["is_shared"])
    if "company_id" in fields:
        company_id = fields["company_id"]
        if company_id is not None and find_company(store, ws, company_id) is None:
            raise company_not_found()
        ticket["company_id"] = company_id
    ticket["updated_at"] = ctx.now()
    save_ticket(store, ws, ticket)
    return ticket


def _update_attributes(
    ctx: Ctx, ticket: dict[str, Any], values: dict[str, Any], author: dict[str, Any]
) -> None:
    store, ws = ctx.store, ctx.ws
    before = ticket["ticket_attributes"]
    after = check_ticket_attributes(store, ws, ticket["ticket_type_id"], values, current=before)
    by_name = {
        a["name"]: a for a in attributes_of_type(store, ws, ticket["ticket_type_id"], archived_too=False)
    }
    ticket["ticket_attributes"] = after
    for name in values:
        if before.get(name) != after[name]:
            append_part(
                store,
                ctx.workspace,
                ticket["id"],
                "ticket_attribute_updated_by_admin",
                author,
                updated_attribute_data=attribute_change(by_name[name], after[name]),
            )
            _notify(ctx, "ticket.attribute.updated", render_ticket(ctx, ticket))


def change_state(ctx: Ctx, ticket: dict[str, Any], state: dict[str, Any], author: dict[str, Any]) -> None:
    if state["id"] == ticket["ticket_state_id"]:
        return
    previous = find_state(ctx.store, ctx.ws, ticket["ticket_state_id"]) or {"category": None}
    ticket.update(previous_ticket_state_id=ticket["ticket_state_id"], ticket_state_id=state["id"])
    append_part(
        ctx.store,
        ctx.workspace,
        ticket["id"],
        "ticket_state_updated_by_admin",
        author,
        ticket_state=state["category"],
        previous_ticket_state=previous["category"],
    )
    if state["category"] == "resolved":
        ticket.update(open=False, snoozed_until=None)
    elif previous["category"] == "resolved":
        ticket["open"] = True
    _notify(ctx, "ticket.state.updated", render_ticket(ctx, ticket))
    if state["category"] == "resolved":
        _notify(ctx, "ticket.resolved", render_ticket(ctx, ticket))
        _closed(ctx, ticket)


def _closed(ctx: Ctx, ticket: dict[str, Any]) -> None:
    # From 2.15 `ticket.closed` nests the ticket under `item.ticket`.
    _notify(ctx, "ticket.closed", {"ticket": render_ticket(ctx, ticket)})


def _assign(
    ctx: Ctx, ticket: dict[str, Any], assignee: tuple[str, str] | None, author: dict[str, Any]
) -> None:
    if assignee is None:
        ticket.update(admin_assignee_id=UNASSIGNED, team_assignee_id=UNASSIGNED)
        assigned_to: dict[str, Any] = {"type": "nobody_admin", "id": None}
    else:
        kind, assignee_id = assignee
        ticket[f"{kind}_assignee_id"] = assignee_id
        assigned_to = {"type": kind, "id": assignee_id}
    append_part(ctx.store, ctx.workspace, ticket["id"], "assignment", author, assigned_to=assigned_to)
    if assignee is not None:
        _notify(ctx, f"ticket.{assignee[0]}.assigned", render_ticket(ctx, ticket))


def reply_to_ticket(ctx: Ctx, ticket: dict[str, Any], body: ReplyTicketRequest) -> dict[str, Any]:
    store, ws = ctx.store, ctx.ws
    if len(body.attachment_urls or []) > 10:
        raise parameter_invalid("You can include up to 10 attachment URLs")
    files = attachments(body.attachment_urls)
    if body.type == "user":
        if category_of(store, ws, ticket) != "Customer":
            raise parameter_mismatch("User replies are not allowed on Backoffice tickets")
        if body.message_type != "comment":
            raise parameter_invalid("message_type must be comment for user replies")
        contact = _replying_contact(ctx, body)
        part = append_part(
            store,
            ctx.workspace,
            ticket["id"],
            "comment",
            contact_author(contact),
            created_at=body.created_at,
            body=html_body(_required_body(body)),
            attachment_list=files,
        )
        topic = "ticket.contact.replied"
        if not ticket["open"]:
            ticket["open"] = True
    elif body.type == "admin":
        author = admin_author(store, ws, body.admin_id)
        if author is None:
            raise admin_not_found()
        if body.message_type == "quick_reply":
            if not body.reply_options:
                raise parameter_invalid("reply_options are required for a quick_reply")
            part = append_part(
                store, ctx.workspace, ticket["id"], "quick_reply", author, created_at=body.created_at
            )
            topic = "ticket.admin.replied"
        elif body.message_type in ("comment", "note"):
            part = append_part(
                store,
                ctx.workspace,
                ticket["id"],
                body.message_type,
                author,
                created_at=body.created_at,
                body=html_body(_required_body(body)),
                attachment_list=files,
            )
            topic = "ticket.note.created" if body.message_type == "note" else "ticket.admin.replied"
        else:
            raise parameter_invalid("message_type must be one of: comment, note, quick_reply")
    else:
        raise parameter_invalid("type must be admin or user")
    ticket["updated_at"] = ctx.now()
    save_ticket(store, ws, ticket)
    _notify(ctx, topic, render_ticket(ctx, ticket))
    return part


def _required_body(body: ReplyTicketRequest) -> str:
    if not body.body or not body.body.strip():
        raise parameter_invalid("body is required", field="body")
    return body.body


def _replying_contact(ctx: Ctx, body: ReplyTicketRequest) -> dict[str, Any]:
    if body.intercom_user_id:
        return require_contact(ctx, body.intercom_user_id)
    for column, value in (("external_id", body.user_id), ("email", body.email)):
        if value:
            return require_contact(ctx, _contact_by(ctx, column, value, create=False))
    raise parameter_invalid("A user reply needs one of intercom_user_id, user_id or email")


def delete_ticket(ctx: Ctx, ticket_id: str) -> None:
    store, ws = ctx.store, ctx.ws
    for row in store.query(
        "SELECT linked_id FROM ticket_links WHERE workspace_id = ? AND ticket_id = ? AND linked_type = 'conversation'",
        (ws, ticket_id),
    ):
        unlink_ticket(ctx, ticket_id, "conversation", row["linked_id"])
    for table_name in ("ticket_parts", "ticket_contacts", "ticket_teammates", "ticket_tags"):
        store.execute(f"DELETE FROM {table_name} WHERE workspace_id = ? AND ticket_id = ?", (ws, ticket_id))
    store.execute(
        "DELETE FROM ticket_links WHERE workspace_id = ? AND (ticket_id = ? OR (linked_type = 'ticket' AND linked_id = ?))",
        (ws, ticket_id, ticket_id),
    )
    store.delete("tickets", ws, ticket_id)


# -- search ---------------------------------------------------------------------------------------

# Tickets search (S15 op:searchTickets): `>`/`<` on integers and dates, text operators on strings.
TICKET_OPERATORS = {
    STRING: frozenset({"=", "!=", "IN", "NIN", "~", "!~", "^", "$"}),
    BOOLEAN: frozenset({"=", "!=", "IN", "NIN"}),
    INTEGER: frozenset({"=", "!=", "IN", "NIN", "<", ">"}),
    FLOAT: frozenset({"=", "!=", "IN", "NIN", "<", ">"}),
    DATE: frozenset({"=", "!=", "IN", "NIN", "<", ">"}),
}
# Intercom searches categories by these words, not by their names.
CATEGORY_TERMS = "CASE tt.category WHEN 'Customer' THEN 'request' WHEN 'Back-office' THEN 'task' WHEN 'Tracker' THEN 'tracker' END"
ATTRIBUTE_TYPES = {
    "string": STRING,
    "list": STRING,
    "integer": INTEGER,
    "decimal": FLOAT,
    "boolean": BOOLEAN,
    "datetime": DATE,
}


def _ticket_attribute_field(store: Store, workspace_id: str, name: str) -> Field | None:
    """`ticket_attribute.<attribute id>`: the attribute's value on tickets of its type."""
    prefix, _, attribute_id = name.partition(".")
    if prefix != "ticket_attribute" or not attribute_id:
        return None
    attribute = store.data("ticket_type_attributes", workspace_id, attribute_id)
    if attribute is None or attribute["data_type"] not in ATTRIBUTE_TYPES:
        return None
    return Field(
        ATTRIBUTE_TYPES[attribute["data_type"]],
        "(CASE WHEN t.ticket_type_id = ? THEN json_extract(t.data, ?) END)",
        (str(attribute["ticket_type_id"]), f'$.ticket_attributes."{attribute["name"].replace(chr(34), "")}"'),
    )


TICKET_SEARCH = SearchSpec(
    name="tickets",
    source=(
        "tickets t JOIN ticket_types tt ON tt.workspace_id = t.workspace_id AND tt.id = t.ticket_type_id"
    ),
    alias="t",
    scope="t.workspace_id = ?",
    fields={
        **{
            name: Field(STRING, f"t.{name}")
            for name in ("id", "title", "description", "ticket_type_id", "state")
        },
        "category": Field(STRING, CATEGORY_TERMS),
        "admin_assignee_id": Field(STRING, "t.admin_assignee_id"),
        "team_assignee_id": Field(STRING, "t.team_assignee_id"),
        "open": Field(BOOLEAN, "t.open"),
        "snoozed_until": Field(DATE, "t.snoozed_until"),
        "created_at": Field(DATE, "t.created_at", operators=TICKET_OPERATORS[DATE] | {"<=", ">="}),
        "updated_at": Field(DATE, "t.updated_at"),
        "contact_ids": Field(
            STRING,
            "tc.contact_id",
            exists_in="ticket_contacts tc WHERE tc.workspace_id = t.workspace_id AND tc.ticket_id = t.id",
        ),
        "teammate_ids": Field(
            STRING,
            "tm.admin_id",
            exists_in="ticket_teammates tm WHERE tm.workspace_id = t.workspace_id AND tm.ticket_id = t.id",
        ),
    },
    operators=TICKET_OPERATORS,
    default_sort="created_at",
    default_per_page=20,
    day_granular_dates=False,
    resolve=_ticket_attribute_field,
)
