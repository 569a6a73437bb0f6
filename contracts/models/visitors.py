from typing import Any, Literal

from pydantic import Field

from contracts.models.common import IntercomObject, IntercomRequest


class Visitor(IntercomObject):
    type: Literal["visitor"]
    id: str
    user_id: str
    anonymous: bool
    email: str | None = None
    phone: str | None = None
    name: str | None = None
    pseudonym: str | None = None
    avatar: dict[str, Any] | None = None
    app_id: str
    companies: dict[str, Any]
    location_data: dict[str, Any]
    last_request_at: int | None = None
    created_at: int
    remote_created_at: int | None = None
    signed_up_at: int | None = None
    updated_at: int
    session_count: int
    social_profiles: dict[str, Any]
    owner_id: str | None = None
    unsubscribed_from_emails: bool
    marked_email_as_spam: bool
    has_hard_bounced: bool
    tags: dict[str, Any]
    segments: dict[str, Any]
    custom_attributes: dict[str, Any]
    referrer: str | None = None
    utm_campaign: str | None = None
    utm_content: str | None = None
    utm_medium: str | None = None
    utm_source: str | None = None
    utm_term: str | None = None
    do_not_track: bool | None = None


class VisitorDeleted(IntercomObject):
    """The legacy DELETE /visitors/{id} answer: the deleted visitor's identifiers only."""

    type: Literal["visitor"]
    id: str
    user_id: str


class UpdateVisitorRequest(IntercomRequest):
    id: str | None = Field(default=None, description="The visitor's Intercom id.")
    user_id: str | None = Field(default=None, description="The visitor's user_id.")
    name: str | None = Field(default=None, description="The visitor's name.")
    custom_attributes: dict[str, Any] | None = Field(
        default=None, description="Custom attributes to set on the visitor."
    )


class Identifiers(IntercomRequest):
    id: str | None = None
    user_id: str | None = None
    email: str | None = None


class ConvertVisitorRequest(IntercomRequest):
    type: str = Field(description="The role of the contact: user or lead.")
    user: Identifiers | None = Field(default=None, description="The identifiers the contact keeps.")
    visitor: Identifiers = Field(description="The identifiers of the visitor to convert.")


class ConvertedContact(IntercomObject):
    """The contact a visitor became (the full contact object; its model belongs to contacts)."""

    type: Literal["contact"]
    id: str
    role: Literal["user", "lead"]
    email: str | None = None
    external_id: str | None = None
