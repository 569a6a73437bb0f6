"""Everything the server can be told, from arguments or `FAKE_INTERCOM_*` variables."""

import ipaddress
from typing import Literal

from pydantic import Field, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from contracts.versions import ALL_VERSIONS, DEFAULT_VERSION
from fake_intercom.plans import Plan

MIB = 1024 * 1024
WebhookTargets = Literal["loopback", "no-link-local", "any"]


def is_loopback_host(host: str) -> bool:
    """`localhost`, a name under `.localhost` (which resolves nowhere else, RFC 6761) or a loopback IP
    literal; `127.attacker.example` is none of them."""
    host = host.strip().lower().rstrip(".")
    if host.startswith("[") and host.endswith("]"):
        host = host[1:-1]
    if host == "localhost" or host.endswith(".localhost"):
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="FAKE_INTERCOM_", extra="ignore")

    host: str = Field(default="127.0.0.1", min_length=1)
    port: int = Field(default=8000, ge=1, le=65_535)
    db: str = Field(default=":memory:", min_length=1, description="SQLite file, or :memory:")
    token: str = Field(
        default="sandbox-token",
        min_length=1,
        max_length=200,
        description="Access token of the default workspace",
    )
    seed: Literal["demo", "none"] = "none"
    version: str = Field(default=DEFAULT_VERSION, description="Default Intercom-Version of the workspace")
    workspace_name: str = Field(default="Sandbox Workspace", min_length=1, max_length=200)
    rate_limit: int = Field(default=10_000, ge=1, description="Requests per minute per workspace")
    plan: Plan = Field(
        default="active",
        description="The default workspace's plan: inactive refuses plan-restricted operations",
    )
    oauth_client_id: str | None = None
    oauth_client_secret: str | None = None
    oauth_redirect_uris: list[str] = Field(
        default_factory=list, description="Redirect URIs registered for the workspace's OAuth app"
    )
    accept_any_token: bool = Field(
        default=False, description="Give every unknown bearer token a fresh empty workspace"
    )
    any_token_limit: int = Field(
        default=1_000, ge=1, description="Most workspaces that unknown tokens may have at once"
    )
    any_token_idle_seconds: int = Field(
        default=3_600, ge=1, description="A workspace of an unknown token is deleted after this long unused"
    )
    control_secret: str | None = Field(
        default=None,
        description="Required in X-Sandbox-Secret by the control plane (/_sandbox); needed on a non-loopback bind",
    )
    allowed_hosts: list[str] = Field(
        default_factory=list,
        description="Host names accepted besides localhost and loopback addresses on a loopback connection",
    )
    max_body_bytes: int = Field(default=4 * MIB, ge=1, description="Largest request body accepted")
    journal: bool = Field(default=True, description="Keep the request journal")
    journal_size: int = Field(default=5_000, ge=1, description="Requests kept per workspace in the journal")
    journal_budget_mb: float = Field(default=16, gt=0, description="Journal bytes kept per workspace, in MiB")
    journal_total_budget_mb: float = Field(
        default=128, gt=0, description="Journal bytes kept for all workspaces together, in MiB"
    )
    webhook_timeout: float = Field(default=5.0, gt=0, description="Seconds a webhook receiver has to answer")
    webhook_retry_delay: float = Field(default=60.0, ge=0, description="Seconds before the one retry")
    webhook_targets: WebhookTargets = Field(
        default="no-link-local",
        description="Where subscriptions may point: loopback only, anything but link-local, or any address",
    )
    max_connections: int = Field(default=512, ge=1, description="Open connections served at once")
    header_timeout: float = Field(default=10.0, gt=0, description="Seconds a client has to send its headers")
    body_timeout: float = Field(default=30.0, gt=0, description="Seconds a client has to send its body")
    keep_alive_timeout: float = Field(default=5.0, gt=0, description="Seconds an idle connection is kept")

    @field_validator("version")
    @classmethod
    def _known_version(cls, version: str) -> str:
        if version not in ALL_VERSIONS:
            raise ValueError(f"unknown Intercom-Version {version!r}; one of {', '.join(ALL_VERSIONS)}")
        return version

    @property
    def loopback(self) -> bool:
        return is_loopback_host(self.host)

    @property
    def base_url(self) -> str:
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"http://{host}:{self.port}"

    @property
    def journal_budget_bytes(self) -> int:
        return int(self.journal_budget_mb * MIB)

    @property
    def journal_total_budget_bytes(self) -> int:
        return int(self.journal_total_budget_mb * MIB)
