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


# Every `activity_type` of 2.16's `activity_log` schema: what GET /admins/activity_log_event_types
# lists and what searchActivityLogs filters by.
ACTIVITY_LOG_EVENT_TYPES: tuple[str, ...] = (
    "admin_conversation_assignment_limit_change",
    "admin_ticket_assignment_limit_change",
    "admin_avatar_change",
    "admin_away_mode_change",
    "admin_deletion",
    "admin_deprovisioned",
    "admin_impersonation_end",
    "admin_impersonation_start",
    "admin_impersonation_consent_approved",
    "admin_impersonation_consent_revoked",
    "admin_invite_change",
    "admin_invite_creation",
    "admin_invite_deletion",
    "admin_login_failure",
    "admin_login_success",
    "admin_logout",
    "admin_occupancy_setting_change",
    "admin_occupancy_state_change",
    "admin_password_reset_request",
    "admin_password_reset_success",
    "admin_permission_change",
    "admin_provisioned",
    "admin_two_factor_auth_change",
    "admin_unauthorized_sign_in_method",
    "app_admin_join",
    "app_authentication_method_change",
    "app_data_deletion",
    "app_data_export",
    "app_google_sso_domain_change",
    "app_identity_verification_change",
    "app_name_change",
    "app_outbound_address_change",
    "app_package_installation",
    "app_package_token_regeneration",
    "app_package_uninstallation",
    "app_team_creation",
    "app_team_deletion",
    "app_team_membership_modification",
    "app_timezone_change",
    "app_webhook_creation",
    "app_webhook_deletion",
    "articles_in_messenger_enabled_change",
    "automatic_away_mode_setting_change",
    "bulk_delete",
    "bulk_export",
    "campaign_deletion",
    "campaign_state_change",
    "conversation_deletion_schedule_creation",
    "conversation_deletion_schedule_deletion",
    "conversation_deletion_schedule_state_change",
    "conversation_deletion_schedule_update",
    "conversation_part_deletion",
    "conversation_pdf_export",
    "conversation_topic_change",
    "conversation_topic_creation",
    "conversation_topic_deletion",
    "content_redaction_rule_creation",
    "content_redaction_rule_deletion",
    "content_redaction_rule_update",
    "csv_import_completion",
    "csv_import_creation",
    "custom_authentication_token_creation",
    "help_center_settings_change",
    "inbound_conversations_change",
    "inbox_access_change",
    "macro_creation",
    "macro_deletion",
    "macro_update",
    "macro_usage_export",
    "malicious_domains_setting_change",
    "message_deletion",
    "message_state_change",
    "messenger_api_secret_creation",
    "messenger_api_secret_deletion",
    "messenger_look_and_feel_change",
    "messenger_search_required_change",
    "messenger_spaces_change",
    "oauth_token_revocation",
    "office_hours_change",
    "role_change",
    "role_creation",
    "role_deletion",
    "ruleset_activation_title_preview",
    "ruleset_creation",
    "ruleset_deletion",
    "search_browse_enabled_change",
    "search_browse_required_change",
    "seat_change",
    "seat_revoke",
    "security_settings_change",
    "series_creation",
    "series_deletion",
    "series_settings_update",
    "series_status_change",
    "series_update",
    "strip_inbound_email_links_change",
    "temporary_expectation_change",
    "team_assignment_limit_change",
    "trusted_domains_setting_change",
    "unassign_unsnoozed_at_capacity_setting_change",
    "unassign_unsnoozed_when_away_setting_change",
    "upfront_email_collection_change",
    "allowed_attachment_filetypes_setting_change",
    "attach_uploads_inline_setting_change",
    "teammate_gifs_setting_change",
    "user_camera_attachments_setting_change",
    "user_conversation_attachments_setting_change",
    "user_file_attachments_setting_change",
    "user_gifs_setting_change",
    "user_media_attachments_setting_change",
    "user_voice_notes_setting_change",
    "welcome_message_change",
    "workspace_deletion_request",
    "hide_csat_from_agents_setting_change",
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
