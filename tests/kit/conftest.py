"""The testing kit's tests run on the session's in-process fake, through the control plane as a user's do."""

from collections.abc import Iterator

import pytest

from fake_intercom import Sandbox, SandboxWorkspace
from fake_intercom.sandbox_client import IN_PROCESS_URL


@pytest.fixture(scope="session")
def kit_sandbox(asgi_transport) -> Iterator[Sandbox]:
    with Sandbox(IN_PROCESS_URL, transport=asgi_transport) as sandbox:
        yield sandbox


@pytest.fixture(scope="module")
def demo(kit_sandbox: Sandbox) -> Iterator[SandboxWorkspace]:
    """The demo workspace, shared by a module's tests (which must leave it as they found it, or not care)."""
    workspace = kit_sandbox.create_workspace(seed="demo")
    yield workspace
    workspace.delete()


@pytest.fixture
def empty(kit_sandbox: Sandbox) -> Iterator[SandboxWorkspace]:
    workspace = kit_sandbox.create_workspace()
    yield workspace
    workspace.delete()
