from typing import Any, Literal

from pydantic import Field

from contracts.models.common import IntercomObject, IntercomRequest, LinkPages


class Call(IntercomObject):
    type: Literal["call"]
    id: str
    conversation_id: str | None = None
    admin_id: str | None = None
    contact_id: str | None = None
    state: str
    initiated_at: int | None = None
    answered_at: int | None = None
    ended_at: int | None = None
    created_at: int
    updated_at: int
    recording_url: str | None = None
    transcription_url: str | None = None
    call_type: str
    direction: str
    ended_reason: str | None = None
    phone: str | None = None
    fin_recording_url: str | None = None
    fin_transcription_url: str | None = None


class CallList(IntercomObject):
    type: Literal["list"]
    data: list[Call]
    total_count: int
    pages: LinkPages


class CallWithTranscript(Call):
    transcript: list[dict[str, Any]]
    transcript_status: str | None = None


class CallsWithTranscripts(IntercomObject):
    type: Literal["list"]
    data: list[CallWithTranscript]


class ListCallsWithTranscriptsRequest(IntercomRequest):
    conversation_ids: list[str | int] | None = Field(
        default=None, description="The conversations whose calls to fetch: 1 to 20 ids."
    )


class FinVoiceCall(IntercomObject):
    id: int
    app_id: int
    user_phone_number: str
    status: str
    intercom_call_id: str | None = None
    external_call_id: str
    intercom_conversation_id: str | None = None
    call_transcript: list[dict[str, Any]]
    call_summary: str
    intent: list[dict[str, Any]]


class RegisterFinVoiceCallRequest(IntercomRequest):
    phone_number: str | None = Field(default=None, description="The caller's number, E.164.")
    call_id: str | None = Field(default=None, description="The call's id at the call provider.")
    source: str | None = Field(default=None, description="five9, zoom_phone or aws_connect (the default).")
    data: dict[str, Any] | None = Field(default=None, description="Additional metadata about the call.")
