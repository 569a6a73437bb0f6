"""The kit catches broken integrations, and hands back the smallest example that breaks them."""

from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from connector.pytest_plugin import actions_for
from connector.testing import ScriptedModel, handle_tool_calls, model_turns
from examples import test_sync_job as sync_example

SHRINKING = settings(
    max_examples=30, derandomize=True, database=None, deadline=None, report_multiple_bugs=False
)


class DropsArchivedContacts(sync_example.ContactSync):
    """Treats an archived contact as gone: it is not, and comes back when unarchived."""

    def on_notification(self, topic: str, item: dict[str, Any]) -> None:
        if topic == "contact.archived":
            self.copy.pop(item["id"], None)
        elif topic == "contact.unarchive":
            self.copy[item["id"]]["archived"] = False
        else:
            super().on_notification(topic, item)


def test_a_sync_job_that_drops_archived_contacts_is_caught(
    intercom_workspace, intercom_connector, intercom_webhook_receiver
) -> None:
    tried: list[list[Any]] = []

    @SHRINKING
    @given(history=sync_example.events)
    def the_copy_follows_intercom(history):
        tried.append(history)
        sync_example.check_sync(
            DropsArchivedContacts, intercom_workspace, intercom_connector, intercom_webhook_receiver, history
        )

    with pytest.raises((AssertionError, KeyError)):
        the_copy_follows_intercom()
    # The last example run is the shrunk one: a contact or two created, the first archived.
    shrunk = tried[-1]
    assert len(shrunk) <= 3 and shrunk[-1] == ("archive", 0), shrunk
    assert all(action == "create" for action, _ in shrunk[:-1]), shrunk


def retries_a_post_on_a_500(actions: Any, response: Any, allowed: list[str]) -> list[dict[str, Any]]:
    """An agent loop step that sends every call failing with a 500 once more, POSTs included."""
    messages = handle_tool_calls(actions, response, allowed)
    if any('"status": 500' in str(message.get("content")) for message in messages):
        messages = handle_tool_calls(actions, response, allowed)
    return messages


CREATE = "intercom_create_contact"
TURNS = model_turns([CREATE, "intercom_list_tags"], max_turns=2)


def never_sends_a_write_twice(workspace: Any, agent: Any, tried: list[Any]) -> Any:
    """The property: whichever turn gets a 500, no write reaches Intercom twice."""
    actions = actions_for(workspace, max_retries=0)

    @SHRINKING
    @given(turns=TURNS, failing_turn=st.integers(0, 1))
    def property(turns, failing_turn):
        tried.append((turns, failing_turn))
        workspace.reset()
        model = ScriptedModel(actions, turns, workspace=workspace, agent=agent)
        model.inject(min(failing_turn, len(turns) - 1), action="error", status=500, times=1)
        model.run()
        assert model.repeated_writes() == []

    return property


def test_an_agent_that_retries_a_post_on_a_500_is_caught(intercom_workspace) -> None:
    tried: list[Any] = []
    with pytest.raises(AssertionError):
        never_sends_a_write_twice(intercom_workspace, retries_a_post_on_a_500, tried)()
    assert tried[-1] == ([[(CREATE, {})]], 0)


def test_the_connectors_own_loop_never_sends_a_write_twice(intercom_workspace) -> None:
    never_sends_a_write_twice(intercom_workspace, handle_tool_calls, [])()
