"""The body every search endpoint takes (contacts, conversations, tickets)."""

from typing import Any

from pydantic import Field

from contracts.models.common import IntercomRequest


class SearchPagination(IntercomRequest):
    per_page: int | None = Field(default=None, description="How many results per page (at most 150).")
    starting_after: str | None = Field(
        default=None, description="The cursor of the previous page's `pages.next.starting_after`."
    )


class SearchSort(IntercomRequest):
    field: str | None = Field(default=None, description="The field to sort on.")
    order: str | None = Field(default=None, description="`ascending` or `descending` (the default).")


class SearchRequest(IntercomRequest):
    # Kept as a plain object: the server checks it itself, to answer with Intercom's own errors.
    query: dict[str, Any] = Field(
        description=(
            "A filter `{field, operator, value}` or a group `{operator: 'AND'|'OR', value: [filters]}`; "
            "groups nest at most two levels deep and hold at most 15 filters each."
        ),
        examples=[
            {"operator": "AND", "value": [{"field": "created_at", "operator": ">", "value": "1306054154"}]}
        ],
    )
    pagination: SearchPagination | None = None
    sort: SearchSort | None = None
