from typing import Literal

from contracts.models.common import IntercomObject


class Brand(IntercomObject):
    type: Literal["brand"]
    id: str
    name: str
    is_default: bool
    created_at: int
    updated_at: int
    help_center_id: str | None = None
    default_address_settings_id: str | None = None


class BrandList(IntercomObject):
    type: Literal["list"]
    data: list[Brand]
