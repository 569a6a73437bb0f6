"""Content snippets (2.16): short knowledge Fin and Copilot answer from, never published."""

from typing import Any, Literal

from pydantic import Field

from contracts.models.common import IntercomObject, IntercomRequest


class ContentSnippet(IntercomObject):
    type: Literal["content_snippet"]
    id: str
    title: str
    locale: str
    json_blocks: list[dict[str, Any]]
    body_markdown: str
    chatbot_availability: int
    copilot_availability: int
    ai_chatbot_availability: bool
    ai_copilot_availability: bool
    ai_sales_agent_availability: bool
    created_at: int
    updated_at: int
    audience_ids: list[int]


class ContentSnippetList(IntercomObject):
    """The spec's list has its page numbers at the top level, not in a `pages` object."""

    type: Literal["list"]
    data: list[ContentSnippet]
    total_count: int
    page: int
    per_page: int
    total_pages: int


class ContentSnippetRequest(IntercomRequest):
    title: str | None = Field(default=None, max_length=255, description="The title (required to create).")
    json_blocks: list[dict[str, Any]] | None = Field(default=None, description="The content as blocks.")
    body_markdown: str | None = Field(default=None, description="The content as Markdown, if no blocks.")
    locale: str | None = Field(default=None, description="The locale of the snippet: en unless set.")
    audience_ids: list[int] | None = Field(default=None, description="The audiences it applies to.")
    ai_chatbot_availability: bool | None = Field(default=None, description="Fin may answer from it.")
    ai_copilot_availability: bool | None = Field(default=None, description="Copilot may answer from it.")
    ai_sales_agent_availability: bool | None = Field(default=None, description="The sales agent may use it.")
