"""A local, stateful fake of Intercom's REST API."""

from fake_intercom.app import create_app
from fake_intercom.settings import Settings

__all__ = ["Settings", "create_app"]
