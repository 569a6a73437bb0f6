from typing import Any, Literal

from pydantic import Field

from contracts.models.common import IntercomObject, IntercomRequest

# Unix seconds up to the year 2286: bigger numbers are mistakes (often milliseconds), not dates.
MAX_TIMESTAMP = 9_999_999_999


class DataEvent(IntercomObject):
    type: Literal["event"] = "event"
    event_name: str
    created_at: int
    user_id: str | None = None
    id: str | None = None
    intercom_user_id: str | None = None
    email: str | None = None
    metadata: dict[str, Any] | None = None


class EventPages(IntercomObject):
    """Events page by URL: `next` carries a `before=` millisecond cursor, `since` asks for newer ones."""

    next: str | None = None
    since: str | None = None


class DataEventList(IntercomObject):
    type: Literal["event.list"]
    events: list[DataEvent]
    pages: EventPages | None = None
    email: str | None = None
    intercom_user_id: str | None = None
    user_id: str | None = None


class DataEventSummaryItem(IntercomObject):
    name: str
    first: str | None = None
    last: str | None = None
    count: int
    description: str | None = None


class DataEventSummary(IntercomObject):
    type: Literal["event.summary"]
    events: list[DataEventSummaryItem | None]
    email: str | None = None
    intercom_user_id: str | None = None
    user_id: str | None = None


class CreateDataEventRequest(IntercomRequest):
    event_name: str = Field(description="The name of the event that occurred, e.g. `invited-friend`.")
    created_at: int = Field(
        ge=0, le=MAX_TIMESTAMP, description="The time the event occurred as a UTC Unix timestamp"
    )
    user_id: str | int | None = Field(default=None, description="Your identifier for the user.")
    id: str | None = Field(default=None, description="The Intercom id of the contact (lead or user).")
    email: str | None = Field(default=None, description="The contact's email.")
    metadata: dict[str, Any] | None = Field(default=None, description="Up to 10 keys of flat metadata.")


class EventSummaryInput(IntercomRequest):
    event_name: str = Field(description="The name of the event.")
    count: int = Field(default=1, ge=0, le=2**31, description="The number of times the event occurred.")
    first: int | None = Field(
        default=None, ge=0, le=MAX_TIMESTAMP, description="The first time the event was sent"
    )
    last: int | None = Field(
        default=None, ge=0, le=MAX_TIMESTAMP, description="The last time the event was sent"
    )


class CreateDataEventSummariesRequest(IntercomRequest):
    user_id: str | int | None = Field(default=None, description="Your identifier for the user.")
    # The description says "a list" while its schema is one object: accept both.
    event_summaries: EventSummaryInput | list[EventSummaryInput] | None = Field(
        default=None, description="Event summaries for the user."
    )
