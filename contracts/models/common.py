"""Shapes shared by every resource: errors, pages, references."""

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict


class IntercomObject(BaseModel):
    """A response object: Intercom adds keys over time, so unknown keys are kept, not refused."""

    model_config = ConfigDict(extra="allow", defer_build=True)


class IntercomRequest(BaseModel):
    """A request body: unknown keys are ignored as Intercom ignores them, unless a model forbids them."""

    model_config = ConfigDict(extra="ignore")


class Error(IntercomObject):
    code: str
    message: str
    field: str | None = None


class ErrorList(IntercomObject):
    type: Literal["error.list"]
    request_id: str | None = None
    errors: list[Error]


class CursorNext(IntercomObject):
    page: int | None = None
    starting_after: str | None = None


class CursorPages(IntercomObject):
    type: Literal["pages"]
    page: int | None = None
    per_page: int | None = None
    total_pages: int | None = None
    next: CursorNext | None = None


class LinkPages(IntercomObject):
    type: Literal["pages"]
    next: str | None = None
    page: int | None = None
    per_page: int | None = None
    total_pages: int | None = None


class Reference(IntercomObject):
    type: str
    id: str | None = None


class AddressableList(IntercomObject):
    """An embedded list of references on a contact: `{type: "list", data, url, total_count, has_more}`."""

    type: Literal["list"]
    data: list[dict[str, Any]]
    url: str
    total_count: int
    has_more: bool


class DeletedObject(IntercomObject):
    id: str
    object: str
    deleted: bool
