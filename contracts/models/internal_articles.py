"""Internal articles: knowledge for teammates, never shown in a help center."""

from typing import Literal

from pydantic import Field

from contracts.models.common import IntercomObject, IntercomRequest, LinkPages


class InternalArticle(IntercomObject):
    type: Literal["internal_article"] | None = None
    id: str
    title: str | None = None
    body: str | None = None
    owner_id: int
    author_id: int
    created_at: int | None = None
    updated_at: int | None = None
    locale: str


class InternalArticleList(IntercomObject):
    type: Literal["list"]
    data: list[InternalArticle]
    total_count: int
    pages: LinkPages


class InternalArticleSearchData(IntercomObject):
    internal_articles: list[InternalArticle]


class InternalArticleSearchResponse(IntercomObject):
    type: Literal["list"]
    total_count: int
    data: InternalArticleSearchData
    pages: LinkPages


class InternalArticleRequest(IntercomRequest):
    title: str | None = Field(default=None, description="The title of the internal article.")
    body: str | None = Field(default=None, description="The HTML body of the internal article.")
    author_id: int | None = Field(default=None, description="The id of the admin who wrote it.")
    owner_id: int | None = Field(default=None, description="The id of the admin who owns it.")
    locale: str | None = Field(default=None, description="The locale of the article: en unless set.")
    folder_id: str | int | None = Field(default=None, description="The folder the article is filed in.")
