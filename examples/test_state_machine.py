"""The inbox state machine, extended with an integration's own rule and invariant.

`IntercomStateMachine` creates contacts, opens conversations, replies, assigns, snoozes, closes,
tags, converts to tickets, moves tickets and merges contacts, and checks the workspace against its
model after every step. Here an integration adds what it cares about: a triage report of the
conversations still waiting for a first answer, which must always match what the model knows.

Copy this file and put your own report, sync or rule in place of `waiting_for_first_answer`.
"""

from typing import Any

from hypothesis import strategies as st
from hypothesis.stateful import invariant, rule

from connector.pytest_plugin import client_for
from fake_intercom import strategies as ist
from fake_intercom.testing import IntercomStateMachine


def waiting_for_first_answer(client: Any) -> set[str]:
    """The integration's report: ids of open conversations no teammate has answered yet."""
    waiting = set()
    query = {"field": "open", "operator": "=", "value": True}
    for conversation in client.iter_search(
        "/conversations/search", query, per_page=20, items_key="conversations"
    ):
        full = client.call("GET", f"/conversations/{conversation['id']}")
        parts = full["conversation_parts"]["conversation_parts"]
        if not any(part["part_type"] == "comment" and part["author"]["type"] == "admin" for part in parts):
            waiting.add(conversation["id"])
    return waiting


class TriagedInbox(IntercomStateMachine):
    @rule(conversation=IntercomStateMachine.conversations, body=ist.text, hours=st.integers(1, 48))
    def answer_and_snooze(self, conversation: str, body: str, hours: int) -> None:
        """A rule of the integration: answer, then snooze until the customer replies."""
        self.driver.reply(conversation, self.admin_id, body, note=False)
        self.driver.snooze(conversation, self.admin_id, self.workspace.clock.now() + hours * 3600)
        self.model.conversations[conversation].replied = True
        self.model.conversations[conversation].state = "snoozed"

    @invariant()
    def triage_report_is_right(self) -> None:
        expected = {
            conversation_id
            for conversation_id, conversation in self.model.conversations.items()
            if conversation.state != "closed" and not conversation.replied
        }
        with client_for(self.workspace) as client:
            assert waiting_for_first_answer(client) == expected


def test_the_triage_report_follows_the_inbox(intercom_state_machine):
    intercom_state_machine(TriagedInbox)
