from typing import Any, Literal

from pydantic import Field

from contracts.models.common import IntercomObject, IntercomRequest

DataType = Literal["string", "integer", "float", "boolean", "date"]


class DataAttribute(IntercomObject):
    type: Literal["data_attribute"]
    # Only custom attributes have an id, and it is an integer.
    id: int | None = None
    model: Literal["contact", "company", "conversation"]
    name: str
    full_name: str
    label: str
    description: str | None = None
    data_type: DataType
    options: list[str] | None = None
    api_writable: bool
    ui_writable: bool
    messenger_writable: bool
    custom: bool
    archived: bool
    created_at: int | None = None
    updated_at: int | None = None
    admin_id: str | None = None


class DataAttributeList(IntercomObject):
    type: Literal["list"]
    data: list[DataAttribute]


# Fields are loose on purpose: the handler checks them in Intercom's order, with Intercom's messages.
class CreateDataAttributeRequest(IntercomRequest):
    name: str | None = Field(default=None, description="The name of the data attribute.")
    model: str | None = Field(default=None, description="contact or company")
    data_type: str | None = Field(
        default=None, description="options, string, integer, float, boolean, datetime or date"
    )
    description: str | None = Field(default=None, description="The readable description of the attribute.")
    options: Any = Field(default=None, description="At least two `{value}` objects for an options list.")
    messenger_writable: bool | None = Field(default=None, description="Can the Messenger update it")


class UpdateDataAttributeRequest(IntercomRequest):
    archived: bool | None = Field(default=None, description="Whether the attribute is archived.")
    description: str | None = Field(default=None, description="The readable description of the attribute.")
    messenger_writable: bool | None = Field(default=None, description="Can the Messenger update it")
    options: Any = Field(default=None, description="At least two `{value}` objects for an options list.")
