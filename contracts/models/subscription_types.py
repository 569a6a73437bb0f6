from typing import Literal

from pydantic import Field

from contracts.models.common import IntercomObject, IntercomRequest


class Translation(IntercomObject):
    name: str
    description: str | None = None
    locale: str


class SubscriptionType(IntercomObject):
    # Intercom names these objects "subscription", not "subscription_type".
    type: Literal["subscription"]
    id: str
    state: Literal["live", "draft", "archived"]
    consent_type: Literal["opt_in", "opt_out"]
    default_translation: Translation | None = None
    translations: list[Translation] = []
    content_types: list[Literal["email", "sms_message"]] = []


class SubscriptionTypeList(IntercomObject):
    type: Literal["list"]
    data: list[SubscriptionType]


class AttachSubscriptionRequest(IntercomRequest):
    id: str | int = Field(description="The unique identifier for the subscription which is given by Intercom")
    consent_type: str = Field(description="The consent_type of a subscription, opt_out or opt_in.")
