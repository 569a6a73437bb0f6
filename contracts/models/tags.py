from typing import Literal

from pydantic import Field

from contracts.models.common import IntercomObject, IntercomRequest, Reference


class Tag(IntercomObject):
    type: Literal["tag"]
    id: str
    name: str
    applied_at: int | None = None
    applied_by: Reference | None = None


class TagList(IntercomObject):
    type: Literal["list"]
    data: list[Tag]


class TagRefList(IntercomObject):
    """The tags embedded in a company or a conversation."""

    type: Literal["tag.list"]
    tags: list[Tag]


class TagCompanyRef(IntercomRequest):
    id: str | int | None = Field(default=None, description="The Intercom defined id of the company.")
    company_id: str | int | None = Field(default=None, description="The company id you have defined.")
    untag: bool = Field(default=False, description="Set to true to remove the tag from this company.")


class TagUserRef(IntercomRequest):
    id: str | None = Field(default=None, description="The Intercom defined id of the contact.")


class TagRequest(IntercomRequest):
    """POST /tags in all its forms: create, rename (`id`), tag/untag `companies`, tag `users`.

    Every field is optional here so that a body missing `name` gets Intercom's own
    "invalid tag parameters" error rather than a generic validation message.
    """

    name: str | None = Field(default=None, description="The tag's name (case insensitive).")
    id: str | int | None = Field(default=None, description="The id of the tag to rename.")
    companies: list[TagCompanyRef] | None = Field(default=None, description="Companies to tag or untag.")
    users: list[TagUserRef] | None = Field(default=None, description="Contacts to tag.")


class AttachTagRequest(IntercomRequest):
    id: str | int = Field(description="The unique identifier for the tag which is given by Intercom")
