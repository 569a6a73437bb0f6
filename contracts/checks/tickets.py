from collections.abc import Iterator
from contextlib import contextmanager

import httpx

from contracts.checks import body, check, expect_error, parse
from contracts.checks.companies import a_contact
from contracts.checks.ticket_types import a_ticket_type
from contracts.models.tags import Tag
from contracts.models.ticket_types import TicketType
from contracts.models.tickets import Ticket, TicketDeleted, TicketList, TicketReply


@contextmanager
def a_ticket(
    api: httpx.Client, ticket_type: TicketType, contact_id: str, **attributes: object
) -> Iterator[Ticket]:
    """A throwaway ticket, deleted afterwards."""
    request = {
        "ticket_type_id": ticket_type.id,
        "contacts": [{"id": contact_id}],
        "ticket_attributes": attributes,
    }
    ticket = parse(Ticket, api.post("/tickets", json=request))
    try:
        yield ticket
    finally:
        api.delete(f"/tickets/{ticket.id}")


def _state(ticket_type: TicketType, category: str) -> str:
    assert ticket_type.ticket_states is not None
    return next(state.id for state in ticket_type.ticket_states.data if state.category == category)


@check(writes=True)
def tickets_move_through_their_states(api: httpx.Client) -> None:
    with (
        a_ticket_type(api) as ticket_type,
        a_contact(api) as contact_id,
        a_ticket(api, ticket_type, contact_id, _default_title_="Contract ticket") as ticket,
    ):
        assert ticket.ticket_state.category == "submitted" and ticket.category == "Customer"
        assert ticket.contacts.contacts[0].id == contact_id
        assert parse(Ticket, api.get(f"/tickets/{ticket.id}")).ticket_id == ticket.ticket_id
        moved = parse(
            Ticket,
            api.put(f"/tickets/{ticket.id}", json={"ticket_state_id": _state(ticket_type, "in_progress")}),
        )
        assert moved.ticket_state.category == "in_progress"
        last = moved.ticket_parts.ticket_parts[-1]
        assert last.part_type == "ticket_state_updated_by_admin" and last.ticket_state == "in_progress"
        invalid = api.put(f"/tickets/{ticket.id}", json={"ticket_state_id": "0"})
        expect_error(invalid, 400, "ticket_state_id_invalid")
        unknown_assignee = api.put(f"/tickets/{ticket.id}", json={"assignee_id": "1"})
        expect_error(unknown_assignee, 404, "assignee_not_found")


@check(writes=True)
def ticket_replies_answer_a_part(api: httpx.Client) -> None:
    admin_id = body(api.get("/me"))["id"]
    with (
        a_ticket_type(api) as ticket_type,
        a_contact(api) as contact_id,
        a_ticket(api, ticket_type, contact_id) as ticket,
    ):
        note = {"type": "admin", "message_type": "note", "admin_id": admin_id, "body": "Internal"}
        part = parse(TicketReply, api.post(f"/tickets/{ticket.id}/reply", json=note))
        assert part.part_type == "note" and part.author.id == admin_id
        user = {
            "type": "user",
            "message_type": "comment",
            "intercom_user_id": contact_id,
            "body": "Thanks",
        }
        assert parse(TicketReply, api.post(f"/tickets/{ticket.id}/reply", json=user)).part_type == "comment"


@check(writes=True)
def tickets_are_tagged_found_and_deleted(api: httpx.Client) -> None:
    admin_id = body(api.get("/me"))["id"]
    with (
        a_ticket_type(api) as ticket_type,
        a_contact(api) as contact_id,
        a_ticket(api, ticket_type, contact_id) as ticket,
    ):
        tag = parse(Tag, api.post("/tags", json={"name": "contract-ticket-tag"}))
        tagged = parse(Tag, api.post(f"/tickets/{ticket.id}/tags", json={"id": tag.id, "admin_id": admin_id}))
        assert tagged.id == tag.id and tagged.applied_at is not None
        assert parse(Tag, api.delete(f"/tickets/{ticket.id}/tags/{tag.id}")).id == tag.id
        query = {"field": "ticket_type_id", "operator": "=", "value": ticket_type.id}
        found = parse(TicketList, api.post("/tickets/search", json={"query": query}))
        assert [each.id for each in found.tickets] == [ticket.id]
        deleted = parse(TicketDeleted, api.delete(f"/tickets/{ticket.id}"))
        assert deleted.deleted is True and deleted.id == ticket.id
        expect_error(api.delete(f"/tickets/{ticket.id}"), 404, "ticket_not_found")


@check(writes=True)
def required_attributes_are_enforced(api: httpx.Client) -> None:
    with a_ticket_type(api) as ticket_type, a_contact(api) as contact_id:
        attribute = {
            "name": "Severity",
            "description": "How bad",
            "data_type": "string",
            "required_to_create": True,
        }
        body(api.post(f"/ticket_types/{ticket_type.id}/attributes", json=attribute))
        missing = api.post(
            "/tickets", json={"ticket_type_id": ticket_type.id, "contacts": [{"id": contact_id}]}
        )
        expect_error(missing, 400, "parameter_invalid")
