"""A state machine that drives conversations through the connector's Scalekit tools and checks, after
every step, each conversation's state, `open`, assignee, contacts, tags and appended part types
against a small model of Intercom's rules (FIDELITY §7).

The tools send what Scalekit sends; a contact's reply and detaching a contact have no tool that
carries their fields (the reply tool takes only admins, the detach tool no admin), so those two go
through `Actions.request`, the facade's raw call.
"""

import uuid
from dataclasses import dataclass, field

import pytest
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import Bundle, RuleBasedStateMachine, initialize, invariant, precondition, rule

from connector import Actions
from connector.errors import IntercomAPIError
from fake_intercom import Settings, create_app
from fake_intercom.resources.admins import create_admin
from fake_intercom.seed import seed_workspace
from fake_intercom.testing import SyncASGITransport
from tests.conftest import examples

APP = create_app(Settings(seed="none"))
TRANSPORT: SyncASGITransport | None = None


def transport() -> SyncASGITransport:
    global TRANSPORT
    if TRANSPORT is None:
        TRANSPORT = SyncASGITransport(APP)
    return TRANSPORT


@dataclass
class Model:
    state: str = "open"
    admin_assignee_id: int | None = None
    parts: list[str] = field(default_factory=list)
    contacts: list[str] = field(default_factory=list)
    tags: set[str] = field(default_factory=set)
    ticket: bool = False


class ConversationMachine(RuleBasedStateMachine):
    conversations = Bundle("conversations")

    @initialize()
    def workspace(self) -> None:
        store = APP.state.store
        token = f"sm-{uuid.uuid4().hex}"
        created = store.create_workspace(name="SM", token=token, workspace_id=uuid.uuid4().hex[:8])
        self.ws = seed_workspace(store, created, "none")
        self.admins = [
            self.ws.owner_admin_id,
            create_admin(store, self.ws, name="Grace", email="g@sm.test")["id"],
        ]
        self.actions = Actions(base_url="http://fake-intercom.test", token=token, transport=transport())
        self.contacts = [
            self.actions.request("/contacts", "POST", body={"email": f"c{i}@sm.test"}).json()["id"]
            for i in range(3)
        ]
        self.tags = [
            self.actions.request("/tags", "POST", body={"name": name}).json()["id"] for name in ("A", "B")
        ]
        ticket_type = self.actions.request(
            "/ticket_types", "POST", body={"name": "Bug", "category": "Customer"}
        )
        self.ticket_type = ticket_type.json()["id"] if ticket_type.status_code == 200 else None
        self.model: dict[str, Model] = {}

    def tool(self, name: str, **tool_input):
        result = self.actions.execute_tool(tool_input=tool_input, tool_name=name)
        assert result.successful, result.error
        return result.data

    def appended(self, conversation_id: str, part_type: str, state: str | None = None) -> None:
        model = self.model[conversation_id]
        model.parts.append(part_type)
        if state is not None:
            model.state = state

    @rule(target=conversations, contact=st.integers(0, 2))
    def create(self, contact: int) -> str:
        contact_id = self.contacts[contact]
        message = self.tool(
            "intercom_create_conversation",
            **{"from": {"type": "user", "id": contact_id}, "body": "Help me please"},
        )
        assert message["type"] == "user_message"
        self.model[message["conversation_id"]] = Model(contacts=[contact_id])
        return message["conversation_id"]

    @rule(conversation=conversations)
    def user_reply(self, conversation: str) -> None:
        model = self.model[conversation]
        response = self.actions.request(
            f"/conversations/{conversation}/reply",
            "POST",
            body={
                "message_type": "comment",
                "type": "user",
                "intercom_user_id": model.contacts[0],
                "body": "hi",
            },
        )
        assert response.status_code == 200, response.text
        self.appended(conversation, "comment" if model.state == "open" else "open", "open")

    @rule(conversation=conversations, note=st.booleans())
    def admin_reply(self, conversation: str, note: bool) -> None:
        kind = "note" if note else "comment"
        self.tool(
            "intercom_reply_to_conversation",
            conversation_id=conversation,
            message_type=kind,
            type="admin",
            admin_id=self.admins[0],
            body="On it",
        )
        self.appended(conversation, kind)

    @rule(conversation=conversations, admin=st.integers(0, 1))
    def assign(self, conversation: str, admin: int) -> None:
        model = self.model[conversation]
        assignee = self.admins[admin]
        self.tool(
            "intercom_assign_conversation",
            conversation_id=conversation,
            type="admin",
            admin_id=self.admins[0],
            assignee_id=assignee,
        )
        self.appended(conversation, "assign_and_reopen" if model.state == "closed" else "assignment")
        if model.state == "closed":
            model.state = "open"
        model.admin_assignee_id = int(assignee)

    @rule(conversation=conversations)
    def unassign(self, conversation: str) -> None:
        self.tool(
            "intercom_assign_conversation",
            conversation_id=conversation,
            type="admin",
            admin_id=self.admins[0],
            assignee_id="0",
        )
        self.appended(conversation, "assignment")
        self.model[conversation].admin_assignee_id = None

    @rule(conversation=conversations)
    def snooze(self, conversation: str) -> None:
        until = self.actions.request(f"/conversations/{conversation}").json()["updated_at"] + 86_400
        self.tool(
            "intercom_manage_conversation",
            conversation_id=conversation,
            message_type="snoozed",
            type="admin",
            admin_id=self.admins[0],
            snoozed_until=until,
        )
        self.appended(conversation, "snoozed", "snoozed")

    @rule(conversation=conversations)
    def reopen(self, conversation: str) -> None:
        self.tool("intercom_reopen_conversation", conversation_id=conversation, admin_id=self.admins[1])
        self.appended(conversation, "open", "open")

    @rule(conversation=conversations)
    def close(self, conversation: str) -> None:
        self.tool("intercom_close_conversation", conversation_id=conversation, admin_id=self.admins[0])
        self.appended(conversation, "close", "closed")

    @rule(conversation=conversations, tag=st.integers(0, 1), on=st.booleans())
    def tag(self, conversation: str, tag: int, on: bool) -> None:
        tag_id = self.tags[tag]
        model = self.model[conversation]
        if on:
            applied = self.tool(
                "intercom_attach_tag_to_conversation",
                conversation_id=conversation,
                id=tag_id,
                admin_id=self.admins[0],
            )
            assert applied["id"] == tag_id
            model.tags.add(tag_id)
        elif tag_id in model.tags:
            self.tool(
                "intercom_detach_tag_from_conversation",
                conversation_id=conversation,
                tag_id=tag_id,
                admin_id=self.admins[0],
            )
            model.tags.discard(tag_id)
        else:
            with pytest.raises(IntercomAPIError):
                self.tool(
                    "intercom_detach_tag_from_conversation",
                    conversation_id=conversation,
                    tag_id=tag_id,
                    admin_id=self.admins[0],
                )

    @rule(conversation=conversations, contact=st.integers(0, 2))
    def attach(self, conversation: str, contact: int) -> None:
        contact_id = self.contacts[contact]
        model = self.model[conversation]
        answer = self.tool(
            "intercom_attach_contact_to_conversation",
            conversation_id=conversation,
            admin_id=self.admins[0],
            customer={"intercom_user_id": contact_id},
        )
        if contact_id not in model.contacts:
            model.contacts.append(contact_id)
            model.parts.append("participant_added")
        assert [c["id"] for c in answer["customers"]] == model.contacts

    @rule(conversation=conversations, which=st.integers(0, 2))
    def detach(self, conversation: str, which: int) -> None:
        model = self.model[conversation]
        contact_id = model.contacts[which % len(model.contacts)]
        response = self.actions.request(
            f"/conversations/{conversation}/customers/{contact_id}",
            "DELETE",
            body={"admin_id": self.admins[0]},
        )
        if len(model.contacts) == 1:
            assert response.status_code == 422, response.text
            return
        assert response.status_code == 200, response.text
        model.contacts.remove(contact_id)
        model.parts.append("participant_removed")

    @precondition(lambda self: self.ticket_type is not None)
    @rule(conversation=conversations)
    def convert(self, conversation: str) -> None:
        model = self.model[conversation]
        if model.ticket:
            return
        ticket = self.tool(
            "intercom_convert_conversation_to_ticket",
            conversation_id=conversation,
            ticket_type_id=self.ticket_type,
        )
        assert ticket["type"] == "ticket"
        model.ticket = True

    @invariant()
    def matches_the_model(self) -> None:
        for conversation_id, model in getattr(self, "model", {}).items():
            body = self.tool("intercom_retrieve_conversation", conversation_id=conversation_id)
            assert body["state"] == model.state
            assert body["open"] is (model.state != "closed")
            assert body["admin_assignee_id"] == model.admin_assignee_id
            parts = [p["part_type"] for p in body["conversation_parts"]["conversation_parts"]]
            assert parts == model.parts
            assert [c["id"] for c in body["contacts"]["contacts"]] == model.contacts
            assert {t["id"] for t in body["tags"]["tags"]} == model.tags
            if model.ticket:
                assert any(o["type"] == "ticket" for o in body["linked_objects"]["data"])
            assert (body["snoozed_until"] is not None) is (model.state == "snoozed")

    def teardown(self) -> None:
        if hasattr(self, "actions"):
            self.actions.close()


ConversationMachine.TestCase.settings = settings(
    max_examples=examples(12),
    stateful_step_count=12,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
TestConversations = ConversationMachine.TestCase
