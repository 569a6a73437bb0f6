"""The data fields a ticket type captures, and the bodies that create and update them."""

from typing import Any, Literal

from pydantic import Field

from contracts.models.common import IntercomObject, IntercomRequest

AttributeDataType = Literal["string", "list", "integer", "decimal", "boolean", "datetime", "files"]


class TicketTypeAttribute(IntercomObject):
    type: Literal["ticket_type_attribute"]
    id: str
    workspace_id: str
    name: str
    description: str | None = None
    data_type: AttributeDataType
    input_options: dict[str, Any] | None = None
    order: int
    required_to_create: bool
    required_to_create_for_contacts: bool
    visible_on_create: bool
    visible_to_contacts: bool
    default: bool
    ticket_type_id: int
    archived: bool
    created_at: int
    updated_at: int


class TicketTypeAttributeList(IntercomObject):
    type: Literal["list"]
    data: list[TicketTypeAttribute]


class CreateTicketTypeAttributeRequest(IntercomRequest):
    name: str = Field(description="The name of the ticket type attribute.")
    description: str = Field(
        description="The description of the attribute presented to teammates or contacts."
    )
    data_type: str = Field(
        description="The data type: string, list, integer, decimal, boolean, datetime or files."
    )
    required_to_create: bool = Field(default=False, description="Required when teammates create the ticket.")
    required_to_create_for_contacts: bool = Field(
        default=False, description="Required when contacts create the ticket in the Messenger."
    )
    visible_on_create: bool = Field(default=True, description="Visible to teammates creating a ticket.")
    visible_to_contacts: bool = Field(default=True, description="Visible to contacts creating a ticket.")
    multiline: bool | None = Field(default=None, description="Multi-line text (string attributes only).")
    list_items: str | None = Field(
        default=None, description="A comma delimited list of the options (list attributes only)."
    )
    allow_multiple_values: bool | None = Field(
        default=None, description="Several files may be attached (files attributes only)."
    )


class UpdateTicketTypeAttributeRequest(IntercomRequest):
    name: str | None = Field(default=None, description="The name of the ticket type attribute.")
    description: str | None = Field(default=None, description="The description of the attribute.")
    required_to_create: bool | None = Field(default=None, description="Required when teammates create it.")
    required_to_create_for_contacts: bool | None = Field(
        default=None, description="Required when contacts create it."
    )
    visible_on_create: bool | None = Field(
        default=None, description="Visible to teammates creating a ticket."
    )
    visible_to_contacts: bool | None = Field(
        default=None, description="Visible to contacts creating a ticket."
    )
    multiline: bool | None = Field(default=None, description="Multi-line text (string attributes only).")
    list_items: str | None = Field(
        default=None, description="A comma delimited list of the options (list attributes only)."
    )
    allow_multiple_values: bool | None = Field(
        default=None, description="Several files may be attached (files attributes only)."
    )
    archived: bool | None = Field(default=None, description="Archive (or restore) the attribute.")
