"""Help centers, their collections (and the legacy sections), and 2.16's URL redirects.

Collections and help centers carry no `type` key (FIDELITY §7); sections, the pre-2.9 name of
sub-collections, answer `type: "section"`.
"""

from typing import Any, Literal

from pydantic import Field

from contracts.models.common import IntercomObject, IntercomRequest, LinkPages


class Collection(IntercomObject):
    id: str
    workspace_id: str
    name: str
    description: str | None = None
    url: str | None = None
    icon: str | None = None
    order: int
    created_at: int
    updated_at: int
    default_locale: str | None = None
    translated_content: dict[str, Any] | None = None
    parent_id: str | None = None
    help_center_id: int | None = None


class CollectionList(IntercomObject):
    type: Literal["list"]
    data: list[Collection]
    total_count: int
    pages: LinkPages


class HelpCenter(IntercomObject):
    id: str
    workspace_id: str
    created_at: int
    updated_at: int
    identifier: str
    website_turned_on: bool
    display_name: str
    url: str
    custom_domain: str | None = None


class HelpCenterList(IntercomObject):
    type: Literal["list"]
    data: list[HelpCenter]


class Section(IntercomObject):
    type: Literal["section"]
    id: str
    workspace_id: str
    name: str
    parent_id: int
    order: int
    created_at: int
    updated_at: int


class SectionList(IntercomObject):
    type: Literal["list"]
    data: list[Section]
    total_count: int
    pages: LinkPages


class HelpCenterRedirect(IntercomObject):
    type: Literal["help_center_redirect"]
    id: str
    from_url: str
    locale: str
    help_center_id: str
    target_type: Literal["article", "collection"]
    target_id: str
    created_at: int
    updated_at: int


class HelpCenterRedirectList(IntercomObject):
    type: Literal["list"]
    data: list[HelpCenterRedirect]
    total_count: int
    pages: LinkPages


class CollectionRequest(IntercomRequest):
    name: str | None = Field(default=None, description="The name of the collection (required to create).")
    description: str | None = Field(default=None, description="The description of the collection.")
    translated_content: dict[str, Any] | None = Field(
        default=None, description="The collection's name and description per locale (group_content)."
    )
    parent_id: str | int | None = Field(
        default=None, description="The id of the parent collection; none for a top-level collection."
    )
    help_center_id: int | str | None = Field(
        default=None, description="The help center of the collection; the workspace's first if omitted."
    )


class SectionRequest(IntercomRequest):
    name: str | None = Field(default=None, description="The name of the section.")
    parent_id: int | str | None = Field(default=None, description="The id of the collection it belongs to.")
    description: str | None = Field(default=None, description="The description of the section.")
    translated_content: dict[str, Any] | None = Field(
        default=None, description="The section's name and description per locale."
    )


class HelpCenterRedirectRequest(IntercomRequest):
    from_url: str | None = Field(default=None, description="The absolute URL to redirect from.")
    locale: str | None = Field(default=None, description="The locale of the redirect; en if omitted.")
    target_type: str | None = Field(default=None, description="article or collection.")
    target_id: str | int | None = Field(default=None, description="The id of the article or collection.")
