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
    avatar: str | None = None


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
