"""Everything the server can be told, from arguments or `FAKE_INTERCOM_*` variables."""

from typing import Literal

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

from contracts.versions import DEFAULT_VERSION
from fake_intercom.plans import Plan


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="FAKE_INTERCOM_", extra="ignore")

    host: str = "127.0.0.1"
    port: int = 8000
    db: str = Field(default=":memory:", description="SQLite file, or :memory:")
    token: str = Field(default="sandbox-token", description="Access token of the default workspace")
    seed: Literal["demo", "none"] = "none"
    version: str = Field(default=DEFAULT_VERSION, description="Default Intercom-Version of the workspace")
    workspace_name: str = "Sandbox Workspace"
    rate_limit: int = Field(default=10_000, ge=1, description="Requests per minute per workspace")
    plan: Plan = Field(
        default="active",
        description="The default workspace's plan: inactive refuses plan-restricted operations",
    )
    oauth_client_id: str | None = None
    oauth_client_secret: str | None = None
    accept_any_token: bool = Field(
        default=False, description="Give every unknown bearer token a fresh empty workspace"
    )
    control_secret: str | None = Field(
        default=None,
        description="Required in X-Sandbox-Secret by the control plane (/_sandbox); needed on a non-loopback bind",
    )
    journal: bool = Field(default=True, description="Keep the request journal")
    journal_size: int = Field(default=5_000, ge=1, description="Requests kept per workspace in the journal")
    webhook_timeout: float = Field(default=5.0, gt=0, description="Seconds a webhook receiver has to answer")
    webhook_retry_delay: float = Field(default=60.0, ge=0, description="Seconds before the one retry")

    @property
    def loopback(self) -> bool:
        return self.host in ("127.0.0.1", "::1", "localhost") or self.host.startswith("127.")

    @property
    def base_url(self) -> str:
        return f"http://{self.host}:{self.port}"
