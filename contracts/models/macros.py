"""Macros (saved replies) (Intercom-Version 2.16)."""

from typing import Literal

from contracts.models.common import IntercomObject


class Macro(IntercomObject):
    type: Literal["macro"]
    id: str
    name: str
    body: str | None = None
    body_text: str | None = None
    created_at: str
    updated_at: str
    visible_to: Literal["everyone", "specific_teams"]
    visible_to_team_ids: list[str]
    available_on: list[Literal["inbox", "messenger"]]


class MacroPagesNext(IntercomObject):
    starting_after: str | None = None


class MacroPages(IntercomObject):
    type: Literal["pages"]
    per_page: int
    next: MacroPagesNext | None = None


class MacroList(IntercomObject):
    type: Literal["list"]
    data: list[Macro]
    pages: MacroPages
