"""Tickets: the routes of the ticket operations (the store is `_ticket_store`) and the demo workspace's
tickets (`_ticket_seed`)."""

from typing import Any

from fastapi import Depends

from contracts.models.common import IntercomObject
from contracts.models.jobs import Job
from contracts.models.search import SearchRequest
from contracts.models.tags import Tag
from contracts.models.tickets import (
    ChangeTicketTypeRequest,
    CreateTicketRequest,
    LinkConversationRequest,
    ReplyTicketRequest,
    TagTicketRequest,
    Ticket,
    TicketDeleted,
    TicketList,
    TicketReply,
    UpdateTicketRequest,
)
from fake_intercom import responses
from fake_intercom.context import Ctx, context
from fake_intercom.errors import (
    admin_not_found,
    conversation_not_found,
    invalid_ticket_type,
    not_found,
    parameter_invalid,
    parameter_not_found,
    require,
    tag_not_found,
    ticket_not_found,
)
from fake_intercom.resources._parts import bot_author
from fake_intercom.resources._ticket_seed import seed_tickets
from fake_intercom.resources._ticket_store import (
    TICKET_SEARCH,
    category_of,
    change_state,
    create_from_request,
    current_ticket,
    delete_ticket,
    find_ticket,
    link_ticket,
    linked_json,
    live_type,
    render_ticket,
    reply_to_ticket,
    save_ticket,
    ticket_json,
    unlink_ticket,
    update_ticket,
    wake_snoozed,
)
from fake_intercom.resources.admins import find_admin
from fake_intercom.resources.jobs import create_job, job_runner
from fake_intercom.resources.tags import applied_tag, find_tag, untag
from fake_intercom.resources.ticket_states import state_of_type
from fake_intercom.resources.ticket_type_attributes import (
    attributes_of_type,
    check_ticket_attributes,
)
from fake_intercom.resources.ticket_types import find_ticket_type
from fake_intercom.routing import IntercomRouter
from fake_intercom.search import (
    search,
)
from fake_intercom.store import loads

router = IntercomRouter(tags=["Tickets"])


# -- routes ---------------------------------------------------------------------------------------


@router.operation("createTicket", response_model=Ticket)
async def create_ticket_route(body: CreateTicketRequest, ctx: Ctx = Depends(context)) -> Any:
    return responses.json(render_ticket(ctx, create_from_request(ctx, body)))


class _DryRun(Exception):
    """Unwinds a trial creation."""


@router.operation("enqueueCreateTicket", response_model=Job)
async def enqueue_create_ticket(body: CreateTicketRequest, ctx: Ctx = Depends(context)) -> Any:
    # Intercom validates before it enqueues: try the creation and undo it, so that the job refuses
    # exactly what POST /tickets refuses.
    try:
        with ctx.store.atomic():
            create_from_request(ctx, body)
            raise _DryRun
    except _DryRun:
        pass
    return responses.json(create_job(ctx, "ticket", "create_ticket", body.model_dump(exclude_unset=True)))


@job_runner("create_ticket")
def _run_create_ticket(ctx: Ctx, payload: dict[str, Any]) -> tuple[str, str]:
    ticket = create_from_request(ctx, CreateTicketRequest.model_validate(payload))
    return ticket["id"], f"/tickets/{ticket['id']}"


@router.operation("searchTickets", response_model=TicketList)
async def search_tickets(body: SearchRequest, ctx: Ctx = Depends(context)) -> Any:
    wake_snoozed(ctx.store, ctx.workspace)
    page = search(ctx.store, ctx.workspace, ctx.version, TICKET_SEARCH, body)
    return responses.json(
        {
            "type": "ticket.list",
            "pages": page.pages(),
            "total_count": page.total_count,
            "tickets": [render_ticket(ctx, loads(row["data"])) for row in page.rows],
        }
    )


@router.operation("getTicket", response_model=Ticket)
async def get_ticket(ticket_id: str, ctx: Ctx = Depends(context)) -> Any:
    return responses.json(ticket_json(ctx, ticket_id))


@router.operation("updateTicket", response_model=Ticket)
async def update_ticket_route(ticket_id: str, body: UpdateTicketRequest, ctx: Ctx = Depends(context)) -> Any:
    return responses.json(
        render_ticket(
            ctx, update_ticket(ctx, require(current_ticket(ctx, ticket_id), ticket_not_found), body)
        )
    )


@router.operation("deleteTicket", response_model=TicketDeleted)
async def delete_ticket_route(ticket_id: str, ctx: Ctx = Depends(context)) -> Any:
    ticket = require(current_ticket(ctx, ticket_id), ticket_not_found)
    delete_ticket(ctx, ticket["id"])
    return responses.deleted(ticket["id"], "ticket")


@router.operation("replyTicket", response_model=TicketReply)
async def reply_ticket(ticket_id: str, body: ReplyTicketRequest, ctx: Ctx = Depends(context)) -> Any:
    wake_snoozed(ctx.store, ctx.workspace)
    ticket = find_ticket(ctx.store, ctx.ws, ticket_id)
    if ticket is None:
        raise not_found()
    return responses.json(reply_to_ticket(ctx, ticket, body))


@router.operation("attachTagToTicket", response_model=Tag)
async def attach_tag_to_ticket(ticket_id: str, body: TagTicketRequest, ctx: Ctx = Depends(context)) -> Any:
    ticket = require(current_ticket(ctx, ticket_id), ticket_not_found)
    tag = find_tag(ctx.store, ctx.ws, body.id)
    if tag is None:
        raise tag_not_found()
    if find_admin(ctx.store, ctx.ws, body.admin_id) is None:
        raise admin_not_found()
    # Tagging again keeps the first application's time and admin.
    ctx.store.execute(
        "INSERT OR IGNORE INTO ticket_tags (workspace_id, ticket_id, tag_id, applied_at, applied_by) "
        "VALUES (?, ?, ?, ?, ?)",
        (ctx.ws, ticket["id"], tag["id"], ctx.now(), str(body.admin_id)),
    )
    return responses.json(applied_tag(ctx.store, ctx.ws, "ticket", ticket["id"], tag))


@router.operation("detachTagFromTicket", response_model=Tag)
async def detach_tag_from_ticket(ticket_id: str, tag_id: str, ctx: Ctx = Depends(context)) -> Any:
    ticket = require(current_ticket(ctx, ticket_id), ticket_not_found)
    tag = find_tag(ctx.store, ctx.ws, tag_id)
    if tag is None:
        raise tag_not_found()
    removed = applied_tag(ctx.store, ctx.ws, "ticket", ticket["id"], tag)
    untag(ctx.store, ctx.ws, "ticket", ticket["id"], tag["id"])
    return responses.json(removed)


# -- 2.16 -----------------------------------------------------------------------------------------


@router.operation("changeTicketType", response_model=Ticket)
async def change_ticket_type(
    ticket_id: str, body: ChangeTicketTypeRequest, ctx: Ctx = Depends(context)
) -> Any:
    ticket = dict(require(current_ticket(ctx, ticket_id), ticket_not_found))
    for name in ("ticket_type_id", "ticket_state_id"):
        if getattr(body, name) in (None, ""):
            raise parameter_not_found(f"{name} is a required parameter")
    new_type = live_type(ctx, body.ticket_type_id)
    if new_type["id"] == ticket["ticket_type_id"]:
        raise parameter_invalid("Cannot change to the same ticket type")
    old_type = find_ticket_type(ctx.store, ctx.ws, ticket["ticket_type_id"]) or {}
    if new_type["category"] != old_type.get("category"):
        raise parameter_invalid("The new ticket type must be in the same category")
    state = state_of_type(ctx.store, ctx.ws, new_type["id"], str(body.ticket_state_id))
    if state is None:
        raise parameter_invalid("Ticket custom state doesn't belong to the new ticket type")
    old = {a["name"]: a["data_type"] for a in attributes_of_type(ctx.store, ctx.ws, ticket["ticket_type_id"])}
    new = {
        a["name"]: a["data_type"]
        for a in attributes_of_type(ctx.store, ctx.ws, new_type["id"], archived_too=False)
    }
    carried = {
        name: value
        for name, value in ticket["ticket_attributes"].items()
        if value is not None and old.get(name) is not None and new.get(name) == old[name]
    }
    values = check_ticket_attributes(
        ctx.store, ctx.ws, new_type["id"], {**carried, **(body.ticket_attributes or {})}
    )
    ticket.update(ticket_type_id=new_type["id"], ticket_attributes=values)
    change_state(ctx, ticket, state, bot_author(ctx.ws))
    ticket["updated_at"] = ctx.now()
    save_ticket(ctx.store, ctx.ws, ticket)
    return responses.json(render_ticket(ctx, ticket))


def _tracker(ctx: Ctx, ticket_id: str, action: str) -> dict[str, Any]:
    ticket = require(current_ticket(ctx, ticket_id), ticket_not_found)
    if category_of(ctx.store, ctx.ws, ticket) != "Tracker":
        raise invalid_ticket_type(f"Only tracker tickets support {action} conversations")
    return ticket


@router.operation("linkConversationToTicket", response_model=IntercomObject)
async def link_conversation_to_ticket(
    ticket_id: str, body: LinkConversationRequest, ctx: Ctx = Depends(context)
) -> Any:
    ticket = _tracker(ctx, ticket_id, "linking")
    if body.conversation_id in (None, ""):
        raise parameter_not_found("conversation_id not specified")
    kind, linked_id = link_ticket(ctx, ticket, str(body.conversation_id))
    return responses.json(linked_json(ctx, kind, linked_id))


@router.operation("unlinkConversationFromTicket", response_model=IntercomObject)
async def unlink_conversation_from_ticket(ticket_id: str, id: str, ctx: Ctx = Depends(context)) -> Any:
    ticket = _tracker(ctx, ticket_id, "unlinking")
    link = ctx.store.one(
        "SELECT linked_type FROM ticket_links WHERE workspace_id = ? AND ticket_id = ? AND linked_id = ?",
        (ctx.ws, ticket["id"], id),
    )
    if link is None:
        raise conversation_not_found("Conversation is not linked to this ticket")
    unlink_ticket(ctx, ticket["id"], link["linked_type"], id)
    return responses.json(linked_json(ctx, link["linked_type"], id))


SEED_ORDER = 20


def seed_demo(seeder: Any) -> None:
    """The demo workspace's ticket types and ~20 tickets (see _ticket_seed.py)."""
    seed_tickets(seeder)
