"""Shapes of the 2.16 operations added to resources whose model files belong to others
(admins, teams, contacts): activity log search and event types, team metrics, merge history."""

from typing import Any, Literal

from pydantic import Field

from contracts.models.common import IntercomObject, IntercomRequest


class SearchActivityLogsRequest(IntercomRequest):
    created_at_after: int = Field(description="The start of the time range, as a UNIX timestamp.")
    created_at_before: int | None = Field(default=None, description="The end of the time range (UNIX).")
    event_types: list[str] | None = Field(
        default=None, description="Only these activity types (see GET /admins/activity_log_event_types)."
    )
    page: int | None = Field(default=None, description="The page number of results to return (from 1).")
    per_page: int | None = Field(default=None, description="Results per page, between 1 and 250 (20).")
    starting_after: str | None = Field(
        default=None, description="The cursor from `pages.next.starting_after` of the previous page."
    )


class SearchPagesNext(IntercomObject):
    page: int | None = None
    per_page: int | None = None
    starting_after: str | None = None


class SearchPages(IntercomObject):
    type: Literal["pages"]
    next: SearchPagesNext | None = None
    page: int | None = None
    per_page: int | None = None
    total_pages: int | None = None


class ActivityLogSearchList(IntercomObject):
    type: Literal["activity_log.list"]
    pages: SearchPages
    activity_logs: list[dict[str, Any]]


class ActivityLogEventTypeList(IntercomObject):
    type: Literal["activity_log_event_type.list"]
    event_types: list[str]


class TeamMetric(IntercomObject):
    type: Literal["team_metric"]
    admin_id: str
    open: int
    idle: int
    snoozed: int


class TeamMetricList(IntercomObject):
    type: Literal["team_metric.list"]
    data: list[TeamMetric]


class MergeHistoryEntry(IntercomObject):
    type: Literal["merge_history"]
    source_contact_id: str
    source_contact_role: Literal["lead", "user"]
    merged_at: int | None = None


class MergeHistoryList(IntercomObject):
    type: Literal["list"]
    data: list[MergeHistoryEntry]
    next_cursor: str | None = None
    has_more: bool
