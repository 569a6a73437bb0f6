from typing import Literal

from contracts.models.common import IntercomObject


class AwayStatusReason(IntercomObject):
    type: Literal["away_status_reason"]
    id: str
    label: str
    emoji: str | None = None
    order: int
    deleted: bool
    created_at: int
    updated_at: int


class AwayStatusReasonList(IntercomObject):
    type: Literal["list"]
    data: list[AwayStatusReason]
