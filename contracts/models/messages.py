"""POST /messages: a message an admin (or, on a contact's behalf, the API) sends."""

from typing import Any, Literal

from pydantic import Field

from contracts.models.common import IntercomObject, IntercomRequest
from contracts.models.conversations import MessageParty


class AdminMessage(IntercomObject):
    type: Literal["admin_message", "user_message"]
    id: str
    created_at: int
    body: str
    message_type: str
    subject: str | None = None
    owner: dict[str, Any] | None = None
    conversation_id: str | None = None


class CreateMessageRequest(IntercomRequest):
    message_type: str | None = Field(default=None, description="`in_app` or `email`.")
    subject: str | None = Field(default=None, description="The title of the email (required for email).")
    body: str | None = Field(default=None, description="The content of the message.")
    template: str | None = Field(default=None, description="`plain` or `personal` (email).")
    from_: MessageParty | None = Field(default=None, alias="from", description="The sender: an admin.")
    to: MessageParty | list[MessageParty] | None = Field(default=None, description="The recipient(s).")
    cc: MessageParty | list[MessageParty] | None = Field(default=None, description="CC recipients (email).")
    bcc: MessageParty | list[MessageParty] | None = Field(default=None, description="BCC recipients (email).")
    created_at: int | None = Field(default=None, description="When the message was created.")
    create_conversation_without_contact_reply: bool = Field(
        default=False, description="Open the conversation in the inbox without waiting for a reply."
    )


class WhatsAppStatus(IntercomObject):
    conversation_id: str
    status: str
    type: str
    created_at: int
    updated_at: int
    template_name: str | None = None
    message_id: str


class WhatsAppStatusList(IntercomObject):
    type: Literal["list"]
    ruleset_id: str | int
    pages: dict[str, Any]
    total_count: int
    events: list[dict[str, Any]]
