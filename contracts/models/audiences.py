"""Audiences: saved sets of predicates over contacts (Intercom-Version 2.16)."""

from typing import Any, Literal

from pydantic import Field

from contracts.models.common import IntercomObject, IntercomRequest


class Predicate(IntercomObject):
    attribute: str
    type: str
    comparison: str
    value: Any = None


class Audience(IntercomObject):
    type: Literal["audience"]
    id: str
    name: str
    predicates: list[Predicate]
    role_predicates: list[Predicate]
    created_at: int
    updated_at: int


class AudienceList(IntercomObject):
    type: Literal["list"]
    data: list[Audience]
    total_count: int
    page: int
    per_page: int
    total_pages: int


class PredicateInput(IntercomRequest):
    attribute: str = Field(description="The attribute to filter on, e.g. email, company.name.")
    type: str = Field(default="string", description="The type of the attribute: string, integer, date...")
    comparison: str = Field(description="eq, ne, contains, not_contains, starts_with, ends_with, gt, lt...")
    value: Any = Field(default=None, description="The value to compare against.")


class CreateAudienceRequest(IntercomRequest):
    name: str | None = Field(default=None, description="The name of the audience (required).")
    predicates: list[PredicateInput] | None = Field(default=None, description="Who belongs to it.")
    role_predicates: list[PredicateInput] | None = Field(default=None, description="Role filters.")


class UpdateAudienceRequest(CreateAudienceRequest):
    pass
