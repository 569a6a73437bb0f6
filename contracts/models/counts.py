"""The legacy Counts API (GET /counts), as Intercom's 1.x-2.x references described it."""

from typing import Any, Literal

from contracts.models.common import IntercomObject


class Count(IntercomObject):
    count: int


class AppTotalCounts(IntercomObject):
    type: Literal["count.hash"]
    company: Count
    user: Count
    lead: Count
    tag: Count
    segment: Count


class TypedCounts(IntercomObject):
    """`{type: "count", <type>: {...}}`: conversation totals, per-admin conversation counts, or
    per-tag/segment/company counts of users or companies (lists of `{name: count}`)."""

    type: Literal["count"]
    conversation: dict[str, Any] | None = None
    user: dict[str, Any] | None = None
    company: dict[str, Any] | None = None
