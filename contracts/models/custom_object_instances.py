from typing import Any, Literal

from pydantic import Field

from contracts.models.common import IntercomObject, IntercomRequest, LinkPages


class CustomObjectInstance(IntercomObject):
    id: str
    type: str
    external_id: str
    external_created_at: int | None = None
    external_updated_at: int | None = None
    created_at: int
    updated_at: int
    custom_attributes: dict[str, Any]


class CustomObjectInstanceDeleted(IntercomObject):
    id: str
    object: str
    deleted: bool


class CustomObjectInstanceList(IntercomObject):
    type: Literal["list"]
    pages: LinkPages
    total_count: int
    data: list[CustomObjectInstance]


class CreateCustomObjectInstanceRequest(IntercomRequest):
    external_id: str | int | None = Field(
        default=None, description="The instance's id in the system it comes from; the upsert key."
    )
    external_created_at: int | None = Field(
        default=None, description="When it was created there (Unix seconds)."
    )
    external_updated_at: int | None = Field(
        default=None, description="When it was last updated there (Unix seconds)."
    )
    custom_attributes: dict[str, Any] | None = Field(
        default=None, description="Attribute values, by the names the custom object type defines."
    )
