"""Tickets: the object, its parts, and the bodies the Tickets operations accept."""

from typing import Any, Literal

from pydantic import Field

from contracts.models.common import CursorPages, DeletedObject, IntercomObject, IntercomRequest, Reference
from contracts.models.ticket_states import TicketState, TicketStateCategory
from contracts.models.ticket_types import TicketCategory, TicketType

# Unix seconds an SQLite integer (and JSON's safe integers) can hold.
MAX_TIMESTAMP = 2**53


class TicketPartAuthor(IntercomObject):
    type: Literal["admin", "bot", "team", "user"]
    id: str | None = None
    name: str | None = None
    email: str | None = None


class TicketPart(IntercomObject):
    type: Literal["ticket_part"]
    id: str
    part_type: str
    body: str | None = None
    previous_ticket_state: TicketStateCategory | None = None
    ticket_state: TicketStateCategory | None = None
    created_at: int
    updated_at: int
    assigned_to: Reference | None = None
    author: TicketPartAuthor | None = None
    attachments: list[dict[str, Any]] = []
    redacted: bool = False
    updated_attribute_data: dict[str, Any] | None = None


class TicketParts(IntercomObject):
    type: Literal["ticket_part.list"]
    ticket_parts: list[TicketPart]
    total_count: int


class ContactReference(IntercomObject):
    type: Literal["contact"]
    id: str
    external_id: str | None = None


class TicketContacts(IntercomObject):
    type: Literal["contact.list"]
    contacts: list[ContactReference]


class LinkedObject(IntercomObject):
    type: Literal["ticket", "conversation"]
    id: str
    category: TicketCategory | None = None


class LinkedObjectList(IntercomObject):
    type: Literal["list"]
    data: list[LinkedObject]
    total_count: int
    has_more: bool


class Ticket(IntercomObject):
    type: Literal["ticket"]
    id: str
    ticket_id: str
    category: TicketCategory
    ticket_attributes: dict[str, Any]
    ticket_state: TicketState
    ticket_type: TicketType | None = None
    contacts: TicketContacts
    # Strings ("0" when unassigned) up to 2.15, integers (0) from 2.16.
    admin_assignee_id: str | int
    team_assignee_id: str | int
    created_at: int
    updated_at: int
    open: bool
    snoozed_until: int | None = None
    linked_objects: LinkedObjectList
    ticket_parts: TicketParts
    is_shared: bool
    previous_ticket_state_id: str | None = None


class TicketList(IntercomObject):
    type: Literal["ticket.list"]
    tickets: list[Ticket]
    total_count: int
    pages: CursorPages


class TicketDeleted(DeletedObject):
    object: Literal["ticket"]


class TicketContactRef(IntercomRequest):
    id: str | None = Field(default=None, description="The contact's Intercom id.")
    external_id: str | None = Field(default=None, description="The contact's external_id.")
    email: str | None = Field(default=None, description="The contact's email; a lead is made if none has it.")


class TicketAssignment(IntercomRequest):
    admin_assignee_id: str | int | None = Field(default=None, description="The admin to assign.")
    team_assignee_id: str | int | None = Field(default=None, description="The team to assign.")


class CreateTicketRequest(IntercomRequest):
    ticket_type_id: str | int = Field(description="The id of the ticket's type.")
    contacts: list[TicketContactRef] = Field(description="The contact the ticket is about (only one).")
    ticket_attributes: dict[str, Any] | None = Field(
        default=None, description="Attribute values by name; `_default_title_`, `_default_description_`."
    )
    conversation_to_link_id: str | int | None = Field(
        default=None, description="A conversation to link (to a Back-office or Tracker ticket)."
    )
    company_id: str | None = Field(default=None, description="The company the ticket is about.")
    created_at: int | None = Field(
        default=None, ge=0, le=MAX_TIMESTAMP, description="When it was created; now unless set."
    )
    assignment: TicketAssignment | None = Field(default=None, description="Who the ticket is assigned to.")
    skip_notifications: bool | None = Field(default=None, description="Send no notifications.")


class UpdateTicketRequest(IntercomRequest):
    ticket_attributes: dict[str, Any] | None = Field(default=None, description="Attribute values by name.")
    ticket_state_id: str | int | None = Field(default=None, description="A state of the ticket's type.")
    company_id: str | None = Field(default=None, description="The company; null removes it.")
    open: bool | None = Field(default=None, description="false closes the ticket (and unsnoozes it).")
    is_shared: bool | None = Field(default=None, description="Whether the contact can see the ticket.")
    snoozed_until: int | None = Field(
        default=None, ge=0, le=MAX_TIMESTAMP, description="Snooze the ticket until then."
    )
    admin_id: str | int | None = Field(default=None, description="The admin making the change.")
    assignee_id: str | int | None = Field(
        default=None, description="The admin or team to assign; 0 unassigns."
    )
    skip_notifications: bool | None = Field(default=None, description="Send no notifications.")


class QuickReplyOption(IntercomRequest):
    text: str = Field(description="The option's text.")
    uuid: str = Field(description="The option's id.")


class ReplyTicketRequest(IntercomRequest):
    """An admin reply (`type: admin`, `admin_id`) or a contact's (`type: user` and one of
    `intercom_user_id`, `user_id`, `email`)."""

    message_type: str = Field(description="comment, note (admins) or quick_reply (admins).")
    type: str = Field(description="admin or user.")
    body: str | None = Field(default=None, description="The text (HTML allowed) of the reply.")
    admin_id: str | int | None = Field(default=None, description="The admin replying.")
    intercom_user_id: str | None = Field(default=None, description="The replying contact's Intercom id.")
    user_id: str | None = Field(default=None, description="The replying contact's external_id.")
    email: str | None = Field(default=None, description="The replying contact's email.")
    created_at: int | None = Field(
        default=None, ge=0, le=MAX_TIMESTAMP, description="When the reply was made; now unless set."
    )
    reply_options: list[QuickReplyOption] | None = Field(default=None, description="Quick reply options.")
    attachment_urls: list[str] | None = Field(default=None, description="Up to 10 file URLs.")
    skip_notifications: bool | None = Field(default=None, description="Send no notifications.")


class TicketReply(IntercomObject):
    type: Literal["ticket_part"]
    id: str
    part_type: Literal["note", "comment", "quick_reply"]
    body: str | None = None
    created_at: int
    updated_at: int
    author: TicketPartAuthor
    attachments: list[dict[str, Any]] = []
    redacted: bool = False


class TagTicketRequest(IntercomRequest):
    id: str | int = Field(description="The tag's id.")
    admin_id: str | int = Field(description="The admin applying the tag.")


class ChangeTicketTypeRequest(IntercomRequest):
    ticket_type_id: str | int | None = Field(default=None, description="The new type (same category).")
    ticket_state_id: str | int | None = Field(default=None, description="A state of the new type.")
    ticket_attributes: dict[str, Any] | None = Field(
        default=None, description="Values for the new type; matching attributes carry over."
    )


class LinkConversationRequest(IntercomRequest):
    conversation_id: str | int | None = Field(
        default=None, description="The conversation (or customer ticket) to link to the tracker ticket."
    )
