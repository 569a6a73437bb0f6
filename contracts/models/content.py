"""Knowledge Hub content (2.16): search across every kind of content, and bulk actions."""

from typing import Any, Literal

from pydantic import Field

from contracts.models.common import IntercomObject, IntercomRequest


class ContentSearchPages(IntercomObject):
    type: Literal["pages"]
    page: int
    per_page: int
    total_pages: int
    next: str | None = None
    prev: str | None = None


class ContentSearchItem(IntercomObject):
    type: Literal["article", "content_snippet", "external_content", "file_source_content", "internal_article"]
    id: str
    title: str | None = None
    contents: list[dict[str, Any]] | None = None


class ContentSearchResponse(IntercomObject):
    type: Literal["list"]
    total_count: int
    pages: ContentSearchPages
    data: list[ContentSearchItem]


class ContentBulkActionQueued(IntercomObject):
    type: Literal["content_bulk_action"]
    status: Literal["queued"]


ContentType = Literal[
    "article",
    "article_content",
    "content_snippet",
    "external_content",
    "file_source_content",
    "internal_article",
]


class ContentRef(IntercomRequest):
    type: ContentType = Field(description="The kind of content.")
    id: str | int = Field(description="The id of the content.")


class Availability(IntercomRequest):
    ai_agent: bool | None = Field(default=None, description="Fin AI Agent may use the content.")
    copilot: bool | None = Field(default=None, description="Copilot may use the content.")
    sales_agent: bool | None = Field(default=None, description="The sales agent may use the content.")


class AudienceChange(IntercomRequest):
    add_segment_ids: list[int] | None = Field(default=None, description="Segments to add.")
    remove_segment_ids: list[int] | None = Field(default=None, description="Segments to remove.")
    remove_all: bool | None = Field(default=None, description="Remove every segment first.")


class TagChange(IntercomRequest):
    add_tag_ids: list[int] | None = Field(default=None, description="Tags to apply.")
    remove_tag_ids: list[int] | None = Field(default=None, description="Tags to remove.")


class ContentBulkActionRequest(IntercomRequest):
    action: str | None = Field(
        default=None, description="publish, unpublish, delete, set_availability, set_audience or update_tags."
    )
    content_ids: list[ContentRef] | None = Field(default=None, description="Up to 1,000 content items.")
    availability: Availability | None = Field(default=None, description="For set_availability.")
    audience: AudienceChange | None = Field(default=None, description="For set_audience.")
    tags: TagChange | None = Field(default=None, description="For update_tags.")
