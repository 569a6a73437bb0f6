from typing import Any, Literal

from contracts.models.common import IntercomObject


class Segment(IntercomObject):
    type: Literal["segment"]
    id: str
    name: str
    created_at: int
    updated_at: int
    person_type: Literal["user", "contact"]
    count: int | None = None


class SegmentList(IntercomObject):
    type: Literal["segment.list"]
    segments: list[Segment]
    pages: dict[str, Any] | None = None


class SegmentRefList(IntercomObject):
    """The segments embedded in a company."""

    type: Literal["segment.list"]
    segments: list[Segment]
