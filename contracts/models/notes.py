from typing import Any, Literal

from pydantic import Field

from contracts.models.common import IntercomObject, IntercomRequest, LinkPages, Reference


class Note(IntercomObject):
    type: Literal["note"]
    id: str
    created_at: int
    contact: Reference | None = None
    company: Reference | None = None
    author: dict[str, Any] | None = None
    body: str


class NoteList(IntercomObject):
    type: Literal["list"]
    data: list[Note]
    total_count: int
    pages: LinkPages


class CreateNoteRequest(IntercomRequest):
    body: str = Field(min_length=1, description="The text of the note.")
    contact_id: str | int | None = Field(
        default=None, description="The contact's id; the path's contact id is the one used."
    )
    admin_id: str | int | None = Field(
        default=None, description="The admin who writes the note; the workspace owner if omitted."
    )
