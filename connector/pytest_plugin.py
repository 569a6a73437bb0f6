"""pytest fixtures for testing an agent built on the connector (registered as `pytest11`, beside the
sandbox's own plugin, `fake_intercom.pytest_plugin`, whose workspace they use).

    def test_the_agent_survives_a_rate_limit(intercom_scripted_model):
        model = intercom_scripted_model([[("intercom_create_contact", {"email": "ada@example.com"})]])
        model.inject(0, action="rate_limit", operation_id="CreateContact", times=1, retry_after=0)
        assert all(call.successful for call in model.run())

- `intercom_scripted_model(turns, provider="openai", allowed_tools=None, agent=None, **actions_options)`:
  a `connector.testing.ScriptedModel` bound to `intercom_workspace`, through a fresh `Actions`.
"""

from collections.abc import Iterator
from typing import Any

import pytest


@pytest.fixture
def intercom_scripted_model(intercom_workspace: Any) -> Iterator[Any]:
    from connector.testing import ScriptedModel, handle_tool_calls

    opened: list[Any] = []

    def scripted(
        turns: Any = (),
        *,
        provider: str = "openai",
        allowed_tools: Any = None,
        agent: Any = None,
        **actions_options: Any,
    ) -> ScriptedModel:
        actions = intercom_workspace.actions(**actions_options)
        opened.append(actions)
        return ScriptedModel(
            actions,
            turns,
            provider=provider,  # type: ignore[arg-type]
            allowed_tools=allowed_tools,
            workspace=intercom_workspace,
            agent=agent or handle_tool_calls,
        )

    yield scripted
    for actions in opened:
        actions.close()
