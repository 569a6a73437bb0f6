"""Fixtures for tests of the control plane through the `Sandbox` client, on the session's in-process app."""

from collections.abc import Iterator

import httpx
import pytest

from fake_intercom import Sandbox, SandboxWorkspace
from fake_intercom.sandbox_client import IN_PROCESS_URL


@pytest.fixture
def sandbox_workspace(asgi_transport) -> Iterator[SandboxWorkspace]:
    """A fresh workspace made through the control plane, deleted afterwards."""
    with Sandbox(IN_PROCESS_URL, transport=asgi_transport) as sandbox:
        workspace = sandbox.create_workspace()
        yield workspace
        workspace.delete()


@pytest.fixture
def workspace_api(sandbox_workspace: SandboxWorkspace) -> Iterator[httpx.Client]:
    """An httpx client with the token of `sandbox_workspace`."""
    with sandbox_workspace.client() as client:
        yield client
