from typing import Any, Literal

from pydantic import ConfigDict, Field

from contracts.models.common import CursorPages, IntercomObject, IntercomRequest, LinkPages
from contracts.models.segments import Segment, SegmentRefList
from contracts.models.tags import TagRefList


class Company(IntercomObject):
    type: Literal["company"]
    id: str
    company_id: str | None = None
    app_id: str
    name: str | None = None
    remote_created_at: int | None = None
    created_at: int
    updated_at: int
    last_request_at: int | None = None
    monthly_spend: int | float
    session_count: int
    user_count: int
    size: int | None = None
    website: str | None = None
    industry: str | None = None
    plan: dict[str, Any]
    custom_attributes: dict[str, Any]
    tags: TagRefList
    segments: SegmentRefList


class CompanyList(IntercomObject):
    type: Literal["list"]
    data: list[Company]
    pages: LinkPages
    total_count: int


class CompanyScroll(IntercomObject):
    type: Literal["list"]
    data: list[Company]
    pages: dict[str, Any] | None = None
    total_count: int | None = None
    scroll_param: str | None = None


class CompanyAttachedContacts(IntercomObject):
    type: Literal["list"]
    data: list[dict[str, Any]]
    total_count: int
    pages: CursorPages


class CompanyAttachedSegments(IntercomObject):
    type: Literal["list"]
    data: list[Segment]


class _CompanyFields(IntercomRequest):
    # Intercom refuses keys it does not know (400 bad_request "bad 'x' parameter"), so extra keys
    # are kept for the handler to report rather than silently dropped.
    model_config = ConfigDict(extra="allow")

    name: str | None = Field(default=None, description="The name of the company.")
    plan: str | None = Field(default=None, description="The name of the company's plan.")
    size: int | None = Field(default=None, description="The number of employees.")
    website: str | None = Field(default=None, description="The company's website (not validated).")
    industry: str | None = Field(default=None, description="The company's industry.")
    custom_attributes: dict[str, Any] | None = Field(default=None, description="Custom attribute values.")
    monthly_spend: float | None = Field(
        default=None, ge=0, le=2**31 - 1, description="Revenue; floats are truncated to integers."
    )
    remote_created_at: int | None = Field(default=None, description="When you created the company.")

    def unknown_keys(self) -> list[str]:
        return list(self.model_extra or {})

    def fields(self) -> dict[str, Any]:
        """The known fields the caller sent."""
        return {key: getattr(self, key) for key in self.model_fields_set if key in type(self).model_fields}


class CompanyRequest(_CompanyFields):
    company_id: str | int | None = Field(
        default=None, description="Your own id for the company: the upsert key; cannot be changed."
    )


class UpdateCompanyRequest(_CompanyFields):
    company_id: str | int | None = Field(
        default=None, description="Ignored: a company's company_id cannot be changed."
    )


class AttachCompanyRequest(IntercomRequest):
    id: str | int | None = Field(
        default=None, description="The unique identifier for the company which is given by Intercom"
    )
