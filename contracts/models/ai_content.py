"""AI content: content import sources and the external pages imported through them."""

from typing import Literal

from pydantic import Field

from contracts.models.common import IntercomObject, IntercomRequest, LinkPages


class ContentImportSource(IntercomObject):
    type: Literal["content_import_source"]
    id: int
    last_synced_at: int
    status: Literal["active", "deactivated"]
    url: str
    sync_behavior: Literal["api", "automatic", "manual"]
    created_at: int
    updated_at: int
    audience_ids: list[int] = []


class ContentImportSourceList(IntercomObject):
    type: Literal["list"]
    data: list[ContentImportSource]
    total_count: int
    pages: LinkPages


class ExternalPage(IntercomObject):
    type: Literal["external_page"]
    id: str
    title: str
    html: str
    url: str | None = None
    ai_agent_availability: bool
    ai_copilot_availability: bool
    fin_availability: bool | None = None
    locale: str
    source_id: int
    external_id: str
    created_at: int
    updated_at: int
    last_ingested_at: int


class ExternalPageList(IntercomObject):
    type: Literal["list"]
    data: list[ExternalPage]
    total_count: int
    pages: LinkPages


class CreateContentImportSourceRequest(IntercomRequest):
    sync_behavior: Literal["api"] = Field(description="How the source syncs: only api through the API.")
    url: str = Field(description="The URL of the content source.")
    status: Literal["active", "deactivated"] = Field(default="active", description="active or deactivated.")
    audience_ids: int | list[int] | None = Field(
        default=None, description="The audiences that see its content."
    )


class UpdateContentImportSourceRequest(IntercomRequest):
    sync_behavior: Literal["api", "automated", "manual"] = Field(description="How the source syncs.")
    url: str = Field(description="The URL of the content source.")
    status: Literal["active", "deactivated"] | None = Field(
        default=None, description="active or deactivated."
    )
    audience_ids: int | list[int] | None = Field(
        default=None, description="The audiences that see its content."
    )
    apply_audience_to_existing_content: bool = Field(
        default=False, description="Whether the audience change applies to content already imported."
    )


class CreateExternalPageRequest(IntercomRequest):
    title: str = Field(description="The title of the page.")
    html: str = Field(description="The HTML content of the page.")
    url: str | None = Field(default=None, description="Where the page lives.")
    ai_agent_availability: bool | None = Field(default=None, description="Fin may answer from the page.")
    ai_copilot_availability: bool | None = Field(
        default=None, description="Copilot may answer from the page."
    )
    locale: Literal["en"] = Field(description="The locale of the page: en.")
    source_id: int = Field(description="The content import source the page belongs to.")
    external_id: str = Field(description="Your id of the page: a page with the same one is updated.")


class UpdateExternalPageRequest(IntercomRequest):
    title: str = Field(description="The title of the page.")
    html: str = Field(description="The HTML content of the page.")
    url: str = Field(description="Where the page lives.")
    fin_availability: bool | None = Field(default=None, description="Fin may answer from the page.")
    locale: Literal["en"] = Field(description="The locale of the page: en.")
    source_id: int = Field(description="The content import source the page belongs to.")
    external_id: str | None = Field(default=None, description="Your id of the page.")
