"""Intercom's official Python SDK, unmodified, runs a whole support flow against the fake over HTTP.

A contact opens a conversation, an admin replies, assigns, snoozes and closes it, the contact replies
and it reopens; it is tagged, found by search on state and tag, converted to a ticket, and the ticket
moves through its states and is found by ticket search.
"""

import uuid

import pytest

intercom = pytest.importorskip("intercom")

from intercom import (  # noqa: E402
    AdminReplyConversationRequest,
    ContactReplyIntercomUserIdRequest,
    Intercom,
    MultipleFilterSearchRequest,
    SingleFilterSearchRequest,
)
from intercom.conversations import (  # noqa: E402
    ConversationsManageRequestBody_Assignment,
    ConversationsManageRequestBody_Close,
    ConversationsManageRequestBody_Snoozed,
)
from intercom.conversations.types import CreateConversationRequestFrom  # noqa: E402
from intercom.types import CreateContactRequestWithEmail, CreateOrUpdateTagRequest  # noqa: E402
from intercom.types.create_ticket_type_request import CreateTicketTypeRequest  # noqa: E402

from tests.conftest import new_workspace  # noqa: E402

DAY = 86_400


@pytest.fixture
def client(app, server_url) -> Intercom:
    _, token = new_workspace(app)
    return Intercom(token=token, base_url=server_url)


def part_types(conversation) -> list[str]:
    return [part.part_type for part in conversation.conversation_parts.conversation_parts]


def test_a_whole_support_flow(client: Intercom) -> None:
    admin_id = client.admins.identify().id
    suffix = uuid.uuid4().hex[:8]
    contact = client.contacts.create(
        request=CreateContactRequestWithEmail(email=f"flow-{suffix}@example.com")
    )

    message = client.conversations.create(
        from_=CreateConversationRequestFrom(type="user", id=contact.id), body="My export is stuck"
    )
    assert message.type == "user_message" and message.conversation_id
    conversation_id = message.conversation_id
    opened = client.conversations.find(conversation_id)
    assert opened.state == "open" and opened.open is True
    assert opened.source.body and "export is stuck" in opened.source.body
    assert [c.id for c in opened.contacts.contacts] == [contact.id]

    replied = client.conversations.reply(
        conversation_id,
        request=AdminReplyConversationRequest(
            message_type="comment", admin_id=admin_id, body="Looking into it"
        ),
    )
    assert part_types(replied)[-1] == "comment"
    assert replied.statistics is not None and replied.statistics.last_admin_reply_at

    assigned = client.conversations.manage(
        conversation_id,
        request=ConversationsManageRequestBody_Assignment(
            type="admin", admin_id=admin_id, assignee_id=admin_id
        ),
    )
    assert str(assigned.admin_assignee_id) == admin_id
    assert part_types(assigned)[-1] == "assignment"

    snooze_until = replied.updated_at + DAY
    snoozed = client.conversations.manage(
        conversation_id,
        request=ConversationsManageRequestBody_Snoozed(admin_id=admin_id, snoozed_until=snooze_until),
    )
    assert snoozed.state == "snoozed" and snoozed.open is True and snoozed.snoozed_until == snooze_until

    closed = client.conversations.manage(
        conversation_id, request=ConversationsManageRequestBody_Close(admin_id=admin_id, body="Fixed")
    )
    assert closed.state == "closed" and closed.open is False
    assert part_types(closed)[-1] == "close"

    reopened = client.conversations.reply(
        conversation_id,
        request=ContactReplyIntercomUserIdRequest(body="It is stuck again", intercom_user_id=contact.id),
    )
    assert reopened.state == "open" and reopened.open is True
    # Intercom records a contact's reply to a closed conversation as the part that reopens it.
    assert part_types(reopened)[-1] == "open"

    tag = client.tags.create(request=CreateOrUpdateTagRequest(name=f"export-{suffix}"))
    assert client.tags.tag_conversation(conversation_id, tag_id=tag.id, admin_id=admin_id).id == tag.id

    found = client.conversations.search(
        query=MultipleFilterSearchRequest(
            operator="AND",
            value=[
                SingleFilterSearchRequest(field="state", operator="=", value="open"),
                SingleFilterSearchRequest(field="tag_ids", operator="=", value=tag.id),
            ],
        )
    )
    assert [c.id for c in found] == [conversation_id]

    ticket_type = client.ticket_types.create(
        request=CreateTicketTypeRequest(name=f"Bug {suffix}", category="Customer", icon="🐞")
    )
    ticket = client.conversations.convert_to_ticket(int(conversation_id), ticket_type_id=ticket_type.id)
    assert ticket is not None and ticket.type == "ticket"
    assert ticket.ticket_state.category == "submitted"
    assert [c.id for c in ticket.contacts.contacts] == [contact.id]

    states = {state.category: state for state in client.ticket_types.get(ticket_type.id).ticket_states.data}
    in_progress = client.tickets.update(
        ticket.id, ticket_state_id=states["in_progress"].id, admin_id=int(admin_id)
    )
    assert in_progress.ticket_state.category == "in_progress"
    resolved = client.tickets.update(ticket.id, ticket_state_id=states["resolved"].id, admin_id=int(admin_id))
    assert resolved.ticket_state.category == "resolved"
    assert client.tickets.get(ticket.id).ticket_state.id == states["resolved"].id

    hits = client.tickets.search(
        query=MultipleFilterSearchRequest(
            operator="AND",
            value=[
                SingleFilterSearchRequest(field="ticket_type_id", operator="=", value=ticket_type.id),
                SingleFilterSearchRequest(field="state", operator="=", value="resolved"),
            ],
        )
    )
    assert [t.id for t in hits] == [ticket.id]
