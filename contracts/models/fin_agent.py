"""Fin Agent API: start a Fin conversation, pass on the user's replies, record CSAT."""

from typing import Any, Literal

from pydantic import Field

from contracts.models.common import IntercomObject, IntercomRequest

FinStatus = Literal["thinking", "awaiting_user_reply", "escalated", "resolved", "complete"]


class FinResponse(IntercomObject):
    conversation_id: str
    user_id: str
    status: FinStatus
    created_at_ms: str
    errors: dict[str, Any] | None = None


class FinCsatResponse(IntercomObject):
    conversation_id: str
    rating: Literal["terrible", "bad", "ok", "good", "amazing"]
    status: Literal["rated"]


class FinMessage(IntercomRequest):
    author: str | None = Field(default=None, description="user, agent or fin.")
    body: str | None = Field(default=None, description="The text (or HTML) of the message.")
    timestamp: str | None = Field(
        default=None, description="When it was written (ISO 8601); dedupes resends."
    )


class FinUser(IntercomRequest):
    id: str | int | None = Field(default=None, description="Your id of the user.")
    name: str | None = Field(default=None, description="The user's name.")
    email: str | None = Field(default=None, description="The user's email.")
    attributes: dict[str, Any] | None = Field(default=None, description="Up to 10 attributes of the user.")


class FinConversationMetadata(IntercomRequest):
    history: list[FinMessage] | None = Field(default=None, max_length=10, description="Earlier messages.")
    attributes: dict[str, Any] | None = Field(default=None, description="Up to 10 conversation attributes.")


class FinRequest(IntercomRequest):
    """POST /fin/start and POST /fin/reply."""

    conversation_id: str | int | None = Field(default=None, description="Your id of the conversation.")
    message: FinMessage | None = Field(default=None, description="The user's message.")
    user: FinUser | None = Field(default=None, description="The user Fin talks to.")
    attachments: list[dict[str, Any]] | None = Field(default=None, max_length=10, description="Attachments.")
    conversation_metadata: FinConversationMetadata | None = Field(
        default=None, description="History and attributes of the conversation (start only)."
    )


class FinCsatRequest(IntercomRequest):
    conversation_id: str | int | None = Field(default=None, description="Your id of the rated conversation.")
    rating: str | None = Field(default=None, description="terrible, bad, ok, good or amazing.")
    remark: str | None = Field(
        default=None, description="The user's comment; locks the rating once recorded."
    )
