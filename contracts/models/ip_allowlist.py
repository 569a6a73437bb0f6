from typing import Literal

from pydantic import Field

from contracts.models.common import IntercomObject, IntercomRequest


class IpAllowlist(IntercomObject):
    type: Literal["ip_allowlist"]
    enabled: bool
    ip_allowlist: list[str]


class UpdateIpAllowlistRequest(IntercomRequest):
    enabled: bool | None = Field(
        default=None, description="Whether the allowlist is enforced; unchanged if omitted."
    )
    ip_allowlist: list[str] | None = Field(
        default=None,
        description="Allowed IP addresses and CIDR ranges (192.168.0.1, 192.168.0.0/24); unchanged if omitted.",
    )
