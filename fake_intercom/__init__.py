"""A local, stateful fake of Intercom's REST API.

The names below load their modules on first use: importing a part of the package (the pytest plugin,
which every pytest run of an environment with fake-intercom loads, or the error catalogue) does not
assemble the whole app.
"""

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from fake_intercom.app import create_app
    from fake_intercom.sandbox_client import Sandbox, SandboxError, SandboxWorkspace
    from fake_intercom.settings import Settings

_HOMES = {
    "create_app": "fake_intercom.app",
    "Sandbox": "fake_intercom.sandbox_client",
    "SandboxError": "fake_intercom.sandbox_client",
    "SandboxWorkspace": "fake_intercom.sandbox_client",
    "Settings": "fake_intercom.settings",
}

__all__ = ["Sandbox", "SandboxError", "SandboxWorkspace", "Settings", "create_app"]


def __getattr__(name: str) -> Any:
    home = _HOMES.get(name)
    if home is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(importlib.import_module(home), name)
