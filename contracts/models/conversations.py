"""Conversations: the object, its parts, and the requests of the inbox's operations.

Request models keep every field optional where Intercom answers a missing one with its own error
(the server checks them), and accept ids as strings or numbers, as clients send both.
"""

from typing import Any, Literal

from pydantic import Field

from contracts.models.common import CursorPages, IntercomObject, IntercomRequest, Reference
from contracts.models.tags import TagRefList

Id = str | int


class PartAuthor(IntercomObject):
    type: str
    id: str | None = None
    name: str | None = None
    email: str | None = None


class PartAttachment(IntercomObject):
    type: str
    name: str | None = None
    url: str | None = None
    content_type: str | None = None
    filesize: int | None = None


class ConversationPart(IntercomObject):
    type: Literal["conversation_part"]
    id: str
    part_type: str
    body: str | None = None
    created_at: int
    updated_at: int
    notified_at: int | None = None
    assigned_to: Reference | None = None
    author: PartAuthor
    attachments: list[PartAttachment] = []
    external_id: str | None = None
    redacted: bool = False


class ConversationPartList(IntercomObject):
    type: Literal["conversation_part.list"]
    conversation_parts: list[ConversationPart]
    total_count: int


class ConversationSource(IntercomObject):
    type: str
    id: str
    delivered_as: str
    subject: str | None = None
    body: str | None = None
    author: PartAuthor
    attachments: list[PartAttachment] = []
    url: str | None = None
    redacted: bool = False


class ContactRef(IntercomObject):
    type: Literal["contact"]
    id: str
    external_id: str | None = None


class ConversationContacts(IntercomObject):
    type: Literal["contact.list"]
    contacts: list[ContactRef]


class ConversationTeammates(IntercomObject):
    type: Literal["admin.list"]
    teammates: list[Reference]


class FirstContactReply(IntercomObject):
    created_at: int
    type: str
    url: str | None = None


class ConversationStatistics(IntercomObject):
    type: Literal["conversation_statistics"]
    time_to_assignment: int | None = None
    time_to_admin_reply: int | None = None
    time_to_first_close: int | None = None
    time_to_last_close: int | None = None
    median_time_to_reply: int | None = None
    first_contact_reply_at: int | None = None
    first_assignment_at: int | None = None
    first_admin_reply_at: int | None = None
    first_close_at: int | None = None
    last_assignment_at: int | None = None
    last_assignment_admin_reply_at: int | None = None
    last_contact_reply_at: int | None = None
    last_admin_reply_at: int | None = None
    last_close_at: int | None = None
    last_closed_by_id: int | str | None = None
    count_reopens: int = 0
    count_assignments: int = 0
    count_conversation_parts: int = 0


class ConversationRating(IntercomObject):
    rating: int | None = None
    remark: str | None = None
    created_at: int | None = None
    updated_at: int | None = None
    contact: dict[str, Any] | None = None
    teammate: Reference | None = None


class LinkedObjectList(IntercomObject):
    type: Literal["list"]
    data: list[dict[str, Any]]
    total_count: int
    has_more: bool


class ConversationListItem(IntercomObject):
    """A conversation as lists and searches show it: without its parts."""

    type: Literal["conversation"]
    id: str
    title: str | None = None
    created_at: int
    updated_at: int
    waiting_since: int | None = None
    snoozed_until: int | None = None
    open: bool
    state: Literal["open", "closed", "snoozed"]
    read: bool
    priority: str
    admin_assignee_id: int | None = None
    team_assignee_id: int | None = None
    tags: TagRefList
    conversation_rating: ConversationRating | None = None
    source: ConversationSource
    contacts: ConversationContacts
    teammates: ConversationTeammates | None = None
    custom_attributes: dict[str, Any]
    first_contact_reply: FirstContactReply | None = None
    statistics: ConversationStatistics | None = None
    linked_objects: LinkedObjectList
    ai_agent_participated: bool = False


class Conversation(ConversationListItem):
    conversation_parts: ConversationPartList


class ConversationList(IntercomObject):
    type: Literal["conversation.list"]
    conversations: list[ConversationListItem]
    total_count: int
    pages: CursorPages


class UserMessage(IntercomObject):
    """What creating a conversation answers: the contact's message, not the conversation."""

    type: Literal["user_message"]
    id: str
    created_at: int
    body: str
    message_type: str
    conversation_id: str


class Customer(IntercomObject):
    type: str
    id: str


class ConversationCustomers(IntercomObject):
    customers: list[Customer]


class HandlingEvent(IntercomObject):
    teammate: dict[str, Any]
    type: Literal["paused", "resumed"]
    timestamp: str
    reason: str | None = None


class HandlingEventList(IntercomObject):
    handling_events: list[HandlingEvent]


class DeletedConversationIds(IntercomObject):
    type: Literal["list"]
    data: list[dict[str, Any]]
    pages: dict[str, Any] | None = None


# -- requests ---------------------------------------------------------------------------------------


class MessageParty(IntercomRequest):
    type: str | None = Field(
        default=None, description="`user`, `lead` or `contact` (or `admin` for messages)."
    )
    id: Id | None = Field(default=None, description="The Intercom id of the contact (or admin).")
    user_id: str | None = Field(default=None, description="The contact's external id, instead of `id`.")
    email: str | None = Field(default=None, description="The contact's email, instead of `id`.")


class CreateConversationRequest(IntercomRequest):
    from_: MessageParty = Field(alias="from", description="The contact who starts the conversation.")
    body: str = Field(description="The content of the message. HTML is not supported.")
    subject: str | None = Field(default=None, description="The title of the email (email only).")
    attachment_urls: list[str] | None = Field(default=None, description="Up to 10 image URLs.", max_length=10)
    created_at: int | None = Field(default=None, description="When it was created (for migrations).")


class QuickReplyOption(IntercomRequest):
    text: str = Field(description="The text of the option.")
    uuid: str = Field(description="A unique identifier for the option.")


class AttachmentFile(IntercomRequest):
    content_type: str | None = None
    data: str | None = Field(default=None, description="The base64 encoded file data.")
    name: str | None = None


class ReplyConversationRequest(IntercomRequest):
    """An admin reply (`type: admin`, `admin_id`) or a contact's (`type: user` with one of
    `intercom_user_id`, `user_id`, `email`)."""

    message_type: str | None = Field(default=None, description="`comment`, `note` or `quick_reply`.")
    type: str | None = Field(default=None, description="`admin` or `user`.")
    body: str | None = Field(default=None, description="The text of the reply.")
    admin_id: Id | None = Field(default=None, description="The admin who replies (admin replies).")
    intercom_user_id: str | None = Field(default=None, description="The contact who replies (Intercom id).")
    user_id: str | None = Field(default=None, description="The contact who replies (external id).")
    email: str | None = Field(default=None, description="The contact who replies (email).")
    created_at: int | None = Field(default=None, description="When the reply was created.")
    attachment_urls: list[str] | None = Field(default=None, max_length=10)
    attachment_files: list[AttachmentFile] | None = Field(default=None, max_length=10)
    reply_options: list[QuickReplyOption] | None = Field(
        default=None, description="Quick reply options (admin) or the chosen option (contact)."
    )
    skip_notifications: bool | None = None


class ManageConversationRequest(IntercomRequest):
    message_type: str | None = Field(default=None, description="`close`, `snoozed`, `open` or `assignment`.")
    type: str | None = Field(default=None, description="`admin` (or `team` for assignments).")
    admin_id: Id | None = Field(default=None, description="The admin performing the action.")
    assignee_id: Id | None = Field(default=None, description="The admin or team to assign; `0` unassigns.")
    snoozed_until: int | None = Field(default=None, description="When a snoozed conversation reopens.")
    body: str | None = Field(default=None, description="An optional message left with the action.")


class UpdateConversationRequest(IntercomRequest):
    read: bool | None = Field(default=None, description="Mark the conversation as read.")
    title: str | None = Field(default=None, description="The conversation's title.")
    custom_attributes: dict[str, Any] | None = Field(default=None, description="Custom attributes to set.")
    company_id: str | None = Field(default=None, description="The company the conversation is about.")
    priority: str | None = Field(
        default=None,
        description="2.16: none, low, medium, high or urgent; earlier versions: priority or not_priority.",
    )


class RedactConversationRequest(IntercomRequest):
    type: str | None = Field(default=None, description="`conversation_part` or `source`.")
    conversation_id: Id | None = None
    conversation_part_id: Id | None = None
    source_id: Id | None = None


class CustomerIdentifier(IntercomRequest):
    intercom_user_id: str | None = None
    user_id: str | None = None
    email: str | None = None


class AttachContactRequest(IntercomRequest):
    admin_id: Id | None = Field(default=None, description="The admin adding the participant.")
    customer: CustomerIdentifier | None = Field(default=None, description="The contact to add.")


class DetachContactRequest(IntercomRequest):
    admin_id: Id | None = Field(default=None, description="The admin removing the participant.")


class ConvertConversationRequest(IntercomRequest):
    ticket_type_id: Id = Field(description="The ticket type to convert to.")
    attributes: dict[str, Any] | None = Field(default=None, description="The ticket's attributes.")


class ConversationTagRequest(IntercomRequest):
    id: Id = Field(description="The tag's id.")
    admin_id: Id = Field(description="The admin applying the tag.")


class DetachConversationTagRequest(IntercomRequest):
    admin_id: Id = Field(description="The admin removing the tag.")


class AutoAssignRequest(IntercomRequest):
    """POST /conversations/{id}/run_assignment_rules takes no body."""


class MergeConversationRequest(IntercomRequest):
    merge_into_conversation_id: Id | None = Field(
        default=None, description="The primary conversation the path's conversation is merged into."
    )
    admin_id: Id | None = Field(
        default=None, description="The admin merging (the workspace owner if omitted)."
    )
