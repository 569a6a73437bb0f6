"""Help center articles, their 2.16 versions, drafts and tags, and article search.

2.15 articles name their collection with `parent_id`/`parent_type`; 2.16 drops both and adds
`body_markdown`, the draft flags and the AI availability flags (FIDELITY §2.4).
"""

from typing import Any, Literal

from pydantic import Field

from contracts.models.common import IntercomObject, IntercomRequest, LinkPages
from contracts.models.tags import TagRefList


class ArticleStatistics(IntercomObject):
    type: Literal["article_statistics"]
    views: int
    conversations: int
    reactions: int


class Article(IntercomObject):
    type: Literal["article"]
    id: str
    workspace_id: str
    title: str
    description: str | None = None
    body: str | None = None
    author_id: int
    state: Literal["published", "draft"]
    created_at: int
    updated_at: int
    url: str | None = None
    parent_id: int | None = None
    parent_type: str | None = None
    parent_ids: list[int] = []
    default_locale: str | None = None
    translated_content: dict[str, Any] | None = None
    tags: TagRefList | None = None
    statistics: ArticleStatistics | None = None
    body_markdown: str | None = None
    has_unpublished_changes: bool | None = None
    draft_updated_at: int | None = None


class ArticleList(IntercomObject):
    type: Literal["list"]
    data: list[Article]
    total_count: int
    pages: LinkPages


class HighlightChunk(IntercomObject):
    type: Literal["highlight", "plain"]
    text: str


class ArticleHighlights(IntercomObject):
    article_id: str
    highlighted_title: list[HighlightChunk]
    highlighted_summary: list[list[HighlightChunk]]


class ArticleSearchData(IntercomObject):
    articles: list[Article]
    highlights: list[ArticleHighlights]


class ArticleSearchResponse(IntercomObject):
    type: Literal["list"]
    total_count: int
    data: ArticleSearchData
    pages: LinkPages


class ArticleVersion(IntercomObject):
    type: Literal["article_version"]
    id: str
    article_id: str
    title: str | None = None
    body: str | None = None
    body_markdown: str | None = None
    author_id: str | None = None
    created_by_id: str | None = None
    created_via: str
    from_version_id: str | None = None
    state: Literal["published", "draft"]
    created_at: int
    updated_at: int | None = None


class ArticleVersionList(IntercomObject):
    type: Literal["list"]
    data: list[ArticleVersion]
    total_count: int
    pages: LinkPages


class ArticleRequest(IntercomRequest):
    """POST and PUT /articles (and PUT /articles/{id}/draft, which stages only the text)."""

    title: str | None = Field(default=None, description="The title of the article (in the default locale).")
    description: str | None = Field(default=None, description="The description of the article.")
    body: str | None = Field(default=None, description="The HTML body of the article.")
    body_markdown: str | None = Field(default=None, description="The body as Markdown (2.16), if no body.")
    author_id: int | None = Field(default=None, description="The id of the admin who wrote the article.")
    state: Literal["published", "draft"] | None = Field(default=None, description="published or draft.")
    parent_id: int | str | None = Field(default=None, description="The id of the article's collection.")
    parent_type: str | None = Field(default=None, description="The type of the parent: collection.")
    translated_content: dict[str, Any] | None = Field(
        default=None, description="The article's content per locale (article_content objects)."
    )
    ai_chatbot_availability: bool | None = Field(default=None, description="Fin may answer from it.")
    ai_copilot_availability: bool | None = Field(default=None, description="Copilot may answer from it.")
    ai_sales_agent_availability: bool | None = Field(default=None, description="The sales agent may use it.")


class PublishDraftRequest(IntercomRequest):
    locales: list[str] | None = Field(
        default=None, description="The locales whose staged changes to publish."
    )


class ApplyTagRequest(IntercomRequest):
    id: str | int = Field(description="The id of an existing tag.")
    admin_id: str | int | None = Field(default=None, description="The admin applying the tag.")
