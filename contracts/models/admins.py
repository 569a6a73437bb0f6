from typing import Any, Literal

from pydantic import Field

from contracts.models.common import IntercomObject, IntercomRequest, LinkPages


class Avatar(IntercomObject):
    type: Literal["avatar"] = "avatar"
    image_url: str | None = None


class Admin(IntercomObject):
    type: Literal["admin"]
    id: str
    name: str
    email: str
    job_title: str | None = None
    away_mode_enabled: bool
    away_mode_reassign: bool
    away_status_reason_id: str | None = None
    has_inbox_seat: bool
    team_ids: list[int]
    avatar: Avatar | None = None


class AdminList(IntercomObject):
    type: Literal["admin.list"]
    admins: list[Admin]


class App(IntercomObject):
    type: Literal["app"]
    id_code: str
    name: str
    created_at: int
    secure: bool
    identity_verification: bool
    timezone: str
    region: str


class AdminWithApp(IntercomObject):
    type: Literal["admin"]
    id: str
    name: str
    email: str
    email_verified: bool | None = None
    app: App | None = None
    avatar: Avatar | None = None
    has_inbox_seat: bool | None = None


class SetAwayRequest(IntercomRequest):
    away_mode_enabled: bool = Field(description='Set to "true" to change the status of the admin to away.')
    away_mode_reassign: bool = Field(
        description='Set to "true" to assign new conversation replies to the default inbox.'
    )
    away_status_reason_id: int | None = Field(
        default=None, description="The unique identifier of the away status reason"
    )


class ActivityLog(IntercomObject):
    id: str
    performed_by: dict[str, Any]
    metadata: dict[str, Any] | None = None
    created_at: int
    activity_type: str
    activity_description: str | None = None


class ActivityLogList(IntercomObject):
    type: Literal["activity_log.list"]
    pages: LinkPages
    activity_logs: list[ActivityLog]


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
