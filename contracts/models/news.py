"""News items and the newsfeeds they are published on."""

from typing import Literal

from pydantic import Field

from contracts.models.common import IntercomObject, IntercomRequest, LinkPages


class NewsfeedAssignment(IntercomObject):
    newsfeed_id: int
    published_at: int | None = None


class NewsItem(IntercomObject):
    type: Literal["news-item"]
    id: str
    workspace_id: str
    title: str
    body: str | None = None
    sender_id: int
    state: Literal["draft", "live"]
    newsfeed_assignments: list[NewsfeedAssignment]
    labels: list[str | None]
    cover_image_url: str | None = None
    reactions: list[str | None]
    deliver_silently: bool
    created_at: int
    updated_at: int


class NewsItemList(IntercomObject):
    type: Literal["list"]
    data: list[NewsItem]
    total_count: int
    pages: LinkPages


class Newsfeed(IntercomObject):
    type: Literal["newsfeed"]
    id: str
    name: str
    created_at: int
    updated_at: int


class NewsfeedList(IntercomObject):
    type: Literal["list"]
    data: list[Newsfeed]
    total_count: int
    pages: LinkPages


class NewsfeedAssignmentRequest(IntercomRequest):
    newsfeed_id: int = Field(description="The newsfeed to publish on.")
    published_at: int | None = Field(default=None, description="When it is published there: now unless set.")


class NewsItemRequest(IntercomRequest):
    title: str | None = Field(default=None, description="The title of the news item (required to create).")
    body: str | None = Field(default=None, description="The HTML body of the news item.")
    sender_id: int | None = Field(default=None, description="The admin who sends it (required to create).")
    state: Literal["draft", "live"] | None = Field(default=None, description="draft (the default) or live.")
    deliver_silently: bool | None = Field(default=None, description="Publish without notifying anyone.")
    labels: list[str] | None = Field(default=None, description="Labels shown on the item.")
    reactions: list[str | None] | None = Field(default=None, description="The emoji readers can react with.")
    newsfeed_assignments: list[NewsfeedAssignmentRequest] | None = Field(
        default=None, description="The newsfeeds it is published on."
    )
    cover_image_url: str | None = Field(default=None, description="An image shown above the item.")
