"""Contacts (users and leads): the object, its lists, and the bodies the Contacts operations accept."""

from typing import Annotated, Any, Literal
from urllib.parse import urlsplit

from pydantic import AfterValidator, Field, WithJsonSchema

from contracts.models.common import (
    AddressableList,
    CursorPages,
    IntercomObject,
    IntercomRequest,
    LinkPages,
)


class Location(IntercomObject):
    type: Literal["location"] = "location"
    country: str | None = None
    region: str | None = None
    city: str | None = None
    country_code: str | None = None
    continent_code: str | None = None


class ContactAvatar(IntercomObject):
    type: Literal["avatar"] = "avatar"
    image_url: str | None = None


class Contact(IntercomObject):
    """The full contact; ~40 more nullable keys (browser, os, utm_*, ios_*, android_*) are always present."""

    type: Literal["contact"]
    id: str
    workspace_id: str
    external_id: str | None = None
    role: Literal["user", "lead"]
    email: str | None = None
    phone: str | None = None
    name: str | None = None
    avatar: ContactAvatar | None = None
    # An integer up to 2.15, a string from 2.16.
    owner_id: int | str | None = None
    has_hard_bounced: bool
    marked_email_as_spam: bool
    unsubscribed_from_emails: bool
    created_at: int
    updated_at: int
    signed_up_at: int | None = None
    last_seen_at: int | None = None
    location: Location
    custom_attributes: dict[str, Any]
    tags: AddressableList
    notes: AddressableList
    companies: AddressableList
    opted_out_subscription_types: AddressableList
    opted_in_subscription_types: AddressableList


class ContactList(IntercomObject):
    type: Literal["list"]
    data: list[Contact]
    total_count: int
    pages: CursorPages


class ContactReference(IntercomObject):
    type: Literal["contact"]
    id: str
    external_id: str | None = None


class ContactDeleted(ContactReference):
    deleted: bool


class ContactArchived(ContactReference):
    archived: bool


class ContactBlocked(ContactReference):
    blocked: bool


class ContactAttachedCompanies(IntercomObject):
    """Intercom's example answers with `data`, its schema and SDKs read `companies`: the fake sends both."""

    type: Literal["list"]
    data: list[dict[str, Any]]
    companies: list[dict[str, Any]] | None = None
    total_count: int
    pages: LinkPages


class ContactSegments(IntercomObject):
    type: Literal["list"]
    data: list[dict[str, Any]]


class ContactSubscriptions(IntercomObject):
    type: Literal["list"]
    data: list[dict[str, Any]]


class ContactTags(IntercomObject):
    type: Literal["list"]
    data: list[dict[str, Any]]


def _absolute_http_url(value: str) -> str:
    parts = urlsplit(value)
    if parts.scheme not in ("http", "https") or not parts.netloc or any(c.isspace() for c in value):
        raise ValueError("must be an absolute http(s) URL")
    return value


# The description types a contact's avatar `image_url` as a URI: refuse what could never be one.
ImageUrl = Annotated[
    str, AfterValidator(_absolute_http_url), WithJsonSchema({"type": "string", "format": "uri"})
]


class _ContactFields(IntercomRequest):
    role: str | None = Field(default=None, description="The role of the contact: user or lead.")
    external_id: str | None = Field(
        default=None, description="A unique identifier for the contact which is given to Intercom"
    )
    email: str | None = Field(default=None, description="The contact's email")
    phone: str | None = Field(default=None, description="The contact's phone")
    name: str | None = Field(default=None, description="The contact's name")
    avatar: ImageUrl | None = Field(
        default=None, description="An image URL containing the avatar of a contact"
    )
    signed_up_at: int | None = Field(
        default=None, description="(Unix timestamp in seconds) When the contact signed up."
    )
    last_seen_at: int | None = Field(
        default=None, description="(Unix timestamp in seconds) When the contact was last seen."
    )
    owner_id: int | str | None = Field(
        default=None, description="The id of an admin that has been assigned account ownership of the contact"
    )
    unsubscribed_from_emails: bool | None = Field(
        default=None, description="Whether the contact is unsubscribed from emails"
    )
    custom_attributes: dict[str, Any] | None = Field(
        default=None,
        description="Values of the workspace's contact data attributes, keyed by attribute name",
    )


class CreateContactRequest(_ContactFields):
    """Needs at least one of `email`, `external_id` or `role`."""


class UpdateContactRequest(_ContactFields):
    """Only the keys sent change."""


class MergeContactsRequest(IntercomRequest):
    # Optional so that a body without them answers Intercom's 404, not a validation error.
    from_: str | None = Field(
        default=None, alias="from", description="The lead to merge away from (it is then gone)."
    )
    into: str | None = Field(default=None, description="The user to merge into.")
    skip_duplicate_validation: bool = Field(
        default=False,
        description="2.16: merge even when the contacts share neither email nor phone.",
    )


class MergeHistoryEntry(IntercomObject):
    type: Literal["merge_history"]
    source_contact_id: str
    source_contact_role: Literal["lead", "user"]
    merged_at: int | None = None


class MergeHistoryList(IntercomObject):
    type: Literal["list"]
    data: list[MergeHistoryEntry]
    next_cursor: str | None = None
    has_more: bool
