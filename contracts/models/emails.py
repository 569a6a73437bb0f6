from typing import Literal

from contracts.models.common import IntercomObject


class EmailSetting(IntercomObject):
    type: Literal["email_setting"]
    id: str
    email: str
    verified: bool
    domain: str
    brand_id: str
    forwarding_enabled: bool
    forwarded_email_last_received_at: int | None = None
    created_at: int
    updated_at: int


class EmailSettingList(IntercomObject):
    type: Literal["list"]
    data: list[EmailSetting]
