"""pytest fixtures binding the connector to the Intercom sandbox (registered as `pytest11`).

fake-intercom's own plugin gives each test a fresh sandbox workspace (`intercom_workspace`); these
fixtures hand out the connector bound to that workspace:

    def test_sync(intercom_workspace, intercom_connector):
        intercom_workspace.faults.add(action="rate_limit", operation_id="CreateContact", times=1)
        intercom_connector.call("POST", "/contacts", json={"email": "ada@example.com"})
        assert len(intercom_workspace.journal(writes=True, injected=False)) == 1

- `intercom_connector`: a `connector.IntercomClient` with the workspace's token and URL.
- `intercom_actions`: `connector.Actions` (Scalekit's surface), bound the same way.
- `intercom_scripted_model(turns, provider="openai", allowed_tools=None, agent=None, **actions_options)`:
  a `connector.testing.ScriptedModel` playing a model's turns against the workspace through a fresh
  `Actions`, faults injectable before any turn (`model.inject(1, action="error", status=500)`).

`client_for(workspace)` and `actions_for(workspace)` bind them to any sandbox workspace outside the
fixtures. The connector reads only the workspace's token, base URL and transport, so it imports nothing
of the fake.
"""

from collections.abc import Iterator
from typing import Any, Protocol

import httpx
import pytest

from connector.actions import Actions
from connector.client import IntercomClient


class SandboxWorkspace(Protocol):
    """What the connector reads of a sandbox workspace (`fake_intercom.SandboxWorkspace` has it)."""

    token: str

    @property
    def base_url(self) -> str: ...

    @property
    def transport(self) -> httpx.BaseTransport | None: ...


def client_for(workspace: SandboxWorkspace, **kwargs: Any) -> IntercomClient:
    """`IntercomClient` bound to a sandbox workspace (in-process workspaces share the sandbox's transport)."""
    return IntercomClient(
        workspace.token, base_url=workspace.base_url, transport=workspace.transport, **kwargs
    )


def actions_for(workspace: SandboxWorkspace, **kwargs: Any) -> Actions:
    """`Actions` (Scalekit's surface) bound to a sandbox workspace."""
    return Actions(
        base_url=workspace.base_url, token=workspace.token, transport=workspace.transport, **kwargs
    )


@pytest.fixture
def intercom_connector(intercom_workspace: SandboxWorkspace) -> Iterator[IntercomClient]:
    with client_for(intercom_workspace) as client:
        yield client


@pytest.fixture
def intercom_actions(intercom_workspace: SandboxWorkspace) -> Iterator[Actions]:
    actions = actions_for(intercom_workspace)
    yield actions
    actions.client.close()


@pytest.fixture
def intercom_scripted_model(intercom_workspace: SandboxWorkspace) -> Iterator[Any]:
    from connector.testing import ScriptedModel, handle_tool_calls

    opened: list[Actions] = []

    def scripted(
        turns: Any = (),
        *,
        provider: Any = "openai",
        allowed_tools: Any = None,
        agent: Any = None,
        **actions_options: Any,
    ) -> ScriptedModel:
        actions = actions_for(intercom_workspace, **actions_options)
        opened.append(actions)
        return ScriptedModel(
            actions,
            turns,
            provider=provider,
            allowed_tools=allowed_tools,
            workspace=intercom_workspace,
            agent=agent or handle_tool_calls,
        )

    yield scripted
    for actions in opened:
        actions.close()
