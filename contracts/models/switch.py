from typing import Any, Literal

from pydantic import Field

from contracts.models.common import IntercomObject, IntercomRequest


class PhoneSwitch(IntercomObject):
    type: Literal["phone_call_redirect"]
    url: str
    phone: str | None = None


class PhoneSwitchError(IntercomObject):
    """Switch answers its own error shape, not an error.list."""

    error_key: str
    message: str | None = None


class CreatePhoneSwitchRequest(IntercomRequest):
    phone: str = Field(
        description="Phone number in E.164 format that receives the SMS with the Messenger link."
    )
    custom_attributes: dict[str, Any] | None = Field(
        default=None, description="Custom attributes to set on the user or lead with this phone number."
    )
