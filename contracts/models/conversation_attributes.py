"""Conversation attributes and their list options (Intercom-Version 2.16)."""

from typing import Any, Literal

from pydantic import Field

from contracts.models.common import IntercomObject, IntercomRequest

DATA_TYPES = ("string", "integer", "list", "decimal", "boolean", "datetime", "relationship", "files")


class ListOption(IntercomObject):
    id: str
    label: str
    archived: bool


class Reference(IntercomObject):
    type: Literal["one", "many"]
    object_type_id: str | None = None


class ConversationAttribute(IntercomObject):
    type: Literal["conversation_attribute"]
    id: int
    name: str
    description: str
    data_type: str
    required: bool
    visible_to_team_ids: list[str | int]
    archived: bool
    created_at: int
    updated_at: int
    admin_id: str | None = None
    multiline: bool | None = None
    options: list[ListOption] | None = None
    reference: Reference | None = None


class ConversationAttributeList(IntercomObject):
    type: Literal["list"]
    data: list[ConversationAttribute]


class ReferenceInput(IntercomRequest):
    type: Literal["one", "many"] = Field(description="The cardinality of the relationship.")
    object_type_id: str | None = Field(default=None, description="The related custom object type.")


class OptionInput(IntercomRequest):
    label: Any = Field(default=None, description="The label for the option.")


class CreateConversationAttributeRequest(IntercomRequest):
    name: str = Field(description="Name of the attribute.")
    data_type: str = Field(description=f"One of: {', '.join(DATA_TYPES)}.")
    description: str | None = Field(default=None, description="Readable description of the attribute.")
    required: bool | None = Field(default=None, description="Whether this attribute is required.")
    visible_to_team_ids: list[str | int] | None = Field(
        default=None, description="Team ids that can see it; empty means all teams."
    )
    multiline: bool | None = Field(default=None, description="(string) Whether it is multiline.")
    options: list[OptionInput] | None = Field(default=None, description="(list) Initial options, 2 or more.")
    reference: ReferenceInput | None = Field(default=None, description="(relationship) What it refers to.")


class UpdateConversationAttributeRequest(IntercomRequest):
    name: str | None = Field(default=None, description="Name of the attribute.")
    description: str | None = Field(default=None, description="Readable description of the attribute.")
    multiline: bool | None = Field(default=None, description="(string) Whether it is multiline.")
    required: bool | None = Field(default=None, description="Whether this attribute is required.")
    visible_to_team_ids: list[str | int] | None = Field(
        default=None, description="Team ids that can see it; empty means all teams."
    )
    reference: ReferenceInput | None = Field(default=None, description="(relationship) What it refers to.")


class OptionRequest(IntercomRequest):
    label: Any = Field(default=None, description="The label of the option.")
