"""Banners a contact currently matches, and dismissing them (Intercom-Version 2.16)."""

from typing import Any, Literal

from contracts.models.common import IntercomObject


class Banner(IntercomObject):
    type: Literal["banner"]
    id: str
    view_id: str
    title: str | None = None
    body: str | None = None
    style: str | None = None
    position: str | None = None
    show_dismiss_button: bool | None = None
    action: dict[str, Any] | None = None
    client_targeting: dict[str, Any] | None = None
    created_at: int


class BannerList(IntercomObject):
    type: Literal["list"]
    data: list[Banner]


class BannerDismiss(IntercomObject):
    type: Literal["banner_dismiss"]
    view_id: str
    dismissed: bool
