"""A local, stateful fake of Intercom's REST API."""

from fake_intercom.app import create_app
from fake_intercom.sandbox_client import Sandbox, SandboxError, SandboxWorkspace
from fake_intercom.settings import Settings

__all__ = ["Sandbox", "SandboxError", "SandboxWorkspace", "Settings", "create_app"]
