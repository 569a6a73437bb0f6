"""`IntercomStateMachine`: a hypothesis state machine over a sandbox workspace's inbox and CRM.

Its rules create contacts (and duplicates of them, which Intercom refuses), merge leads into users,
create and apply tags, open conversations, reply, assign, snooze, close and reopen them, convert them
to tickets and move tickets through their states. An `InboxModel` says what Intercom must then hold,
and the invariants compare the workspace with it after every step.

It reaches the workspace through an `IntercomDriver`: `HttpDriver` (plain REST calls, here) or
`connector.testing.ConnectorDriver` (the connector's tools). Subclass it to add your integration's
rules and invariants; `run_state_machine` (or the `intercom_state_machine` fixture) runs it:

    class SyncedInbox(IntercomStateMachine):
        @invariant()
        def the_copy_matches(self) -> None:
            my_sync.run(self.workspace)
            assert my_sync.contact_ids() == self.model.live_contact_ids()

    def test_sync(intercom_state_machine):
        intercom_state_machine(SyncedInbox)

Every example starts from the workspace's seed (a `reset`), so examples never see each other's data.
"""

import itertools
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, ClassVar, Protocol

import httpx
from hypothesis import settings as Settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    Bundle,
    RuleBasedStateMachine,
    invariant,
    multiple,
    precondition,
    rule,
    run_state_machine_as_test,
)

from fake_intercom import strategies as ist

if TYPE_CHECKING:
    from fake_intercom.sandbox_client import SandboxWorkspace

RATE_LIMIT_RETRIES = 3
TICKET_STATES = ("submitted", "in_progress", "waiting_on_customer", "resolved")
# What a workspace needs besides its owner for every rule to have something to act on.
SETUP_RECORDS = {"ticket_types": [{"name": "Question", "category": "Customer"}]}


class IntercomError(Exception):
    """Intercom refused a call: its status and error code. Drivers may raise their own exceptions
    instead, as long as they carry `status_code` and `code` (the connector's `IntercomAPIError` does)."""

    def __init__(self, status_code: int, code: str | None, message: str = "") -> None:
        super().__init__(f"{status_code} {code}: {message}")
        self.status_code = status_code
        self.code = code


class IntercomDriver(Protocol):
    """How the state machine acts on a workspace. Each method returns Intercom's JSON answer (or
    None where the contact is gone) and raises an exception with `status_code` and `code` (such as
    `IntercomError`) when Intercom refuses."""

    def owner_id(self) -> str: ...
    def create_contact(self, body: dict[str, Any]) -> dict[str, Any]: ...
    def get_contact(self, contact_id: str) -> dict[str, Any] | None: ...
    def contact_tag_ids(self, contact_id: str) -> set[str]: ...
    def list_contacts(self) -> list[dict[str, Any]]: ...
    def list_conversations(self) -> list[dict[str, Any]]: ...
    def merge_contacts(self, lead_id: str, user_id: str) -> dict[str, Any]: ...
    def create_tag(self, name: str) -> dict[str, Any]: ...
    def tag_contact(self, contact_id: str, tag_id: str) -> dict[str, Any]: ...
    def create_conversation(self, contact_id: str, body: str) -> str: ...
    def reply(self, conversation_id: str, admin_id: str, body: str, note: bool) -> dict[str, Any]: ...
    def assign(self, conversation_id: str, admin_id: str, assignee_id: str) -> dict[str, Any]: ...
    def snooze(self, conversation_id: str, admin_id: str, until: int) -> dict[str, Any]: ...
    def close(self, conversation_id: str, admin_id: str) -> dict[str, Any]: ...
    def reopen(self, conversation_id: str, admin_id: str) -> dict[str, Any]: ...
    def tag_conversation(self, conversation_id: str, admin_id: str, tag_id: str) -> dict[str, Any]: ...
    def ticket_types(self) -> list[dict[str, Any]]: ...
    def convert_to_ticket(self, conversation_id: str, ticket_type_id: str) -> dict[str, Any]: ...
    def move_ticket(
        self, ticket_id: str, ticket_type: dict[str, Any], admin_id: str, category: str
    ) -> dict[str, Any]: ...
    def get_ticket(self, ticket_id: str) -> dict[str, Any]: ...
    def close_driver(self) -> None: ...


class HttpDriver:
    """The Intercom REST API over plain httpx, as any integration calls it."""

    def __init__(self, workspace: "SandboxWorkspace", version: str | None = None) -> None:
        self.client = workspace.client(version=version)

    def _call(self, method: str, path: str, body: dict[str, Any] | None = None) -> Any:
        response = self._send(method, path, json=body)
        if response.is_error:
            error = (response.json().get("errors") or [{}])[0] if response.content else {}
            raise IntercomError(response.status_code, error.get("code"), error.get("message", ""))
        return response.json() if response.content else None

    def owner_id(self) -> str:
        return str(self._call("GET", "/me")["id"])

    def create_contact(self, body: dict[str, Any]) -> dict[str, Any]:
        return self._call("POST", "/contacts", body)

    def get_contact(self, contact_id: str) -> dict[str, Any] | None:
        try:
            return self._call("GET", f"/contacts/{contact_id}")
        except IntercomError as error:
            if error.status_code in (404, 410):
                return None
            raise

    def contact_tag_ids(self, contact_id: str) -> set[str]:
        return {tag["id"] for tag in self._call("GET", f"/contacts/{contact_id}/tags")["data"]}

    def _send(self, method: str, path: str, **options: Any) -> httpx.Response:
        """One request; a 429 (never applied) is sent again once the window Intercom names has passed:
        a long run goes over the 10,000 requests a minute a workspace may make."""
        for _ in range(RATE_LIMIT_RETRIES):
            response = self.client.request(method, path, **options)
            if response.status_code != 429:
                return response
            time.sleep(min(float(response.headers.get("retry-after") or 1), 60.0))
        return response

    def _every(self, path: str, items_key: str) -> list[dict[str, Any]]:
        items: list[dict[str, Any]] = []
        params: dict[str, Any] = {"per_page": 150}
        while True:
            page = self._send("GET", path, params=params)
            if page.is_error:
                raise IntercomError(page.status_code, None, page.text)
            body = page.json()
            items += body[items_key]
            cursor = ((body.get("pages") or {}).get("next") or {}).get("starting_after")
            if not cursor:
                return items
            params["starting_after"] = cursor

    def list_contacts(self) -> list[dict[str, Any]]:
        return self._every("/contacts", "data")

    def list_conversations(self) -> list[dict[str, Any]]:
        return self._every("/conversations", "conversations")

    def merge_contacts(self, lead_id: str, user_id: str) -> dict[str, Any]:
        return self._call("POST", "/contacts/merge", {"from": lead_id, "into": user_id})

    def create_tag(self, name: str) -> dict[str, Any]:
        return self._call("POST", "/tags", {"name": name})

    def tag_contact(self, contact_id: str, tag_id: str) -> dict[str, Any]:
        return self._call("POST", f"/contacts/{contact_id}/tags", {"id": tag_id})

    def create_conversation(self, contact_id: str, body: str) -> str:
        message = self._call(
            "POST", "/conversations", {"from": {"type": "contact", "id": contact_id}, "body": body}
        )
        return str(message["conversation_id"])

    def reply(self, conversation_id: str, admin_id: str, body: str, note: bool) -> dict[str, Any]:
        reply = {
            "message_type": "note" if note else "comment",
            "type": "admin",
            "admin_id": admin_id,
            "body": body,
        }
        return self._call("POST", f"/conversations/{conversation_id}/reply", reply)

    def _manage(self, conversation_id: str, body: dict[str, Any]) -> dict[str, Any]:
        return self._call("POST", f"/conversations/{conversation_id}/parts", {"type": "admin", **body})

    def assign(self, conversation_id: str, admin_id: str, assignee_id: str) -> dict[str, Any]:
        body = {"message_type": "assignment", "admin_id": admin_id, "assignee_id": assignee_id}
        return self._manage(conversation_id, body)

    def snooze(self, conversation_id: str, admin_id: str, until: int) -> dict[str, Any]:
        return self._manage(
            conversation_id, {"message_type": "snoozed", "admin_id": admin_id, "snoozed_until": until}
        )

    def close(self, conversation_id: str, admin_id: str) -> dict[str, Any]:
        return self._manage(conversation_id, {"message_type": "close", "admin_id": admin_id})

    def reopen(self, conversation_id: str, admin_id: str) -> dict[str, Any]:
        return self._manage(conversation_id, {"message_type": "open", "admin_id": admin_id})

    def tag_conversation(self, conversation_id: str, admin_id: str, tag_id: str) -> dict[str, Any]:
        return self._call(
            "POST", f"/conversations/{conversation_id}/tags", {"id": tag_id, "admin_id": admin_id}
        )

    def ticket_types(self) -> list[dict[str, Any]]:
        return self._call("GET", "/ticket_types")["data"]

    def convert_to_ticket(self, conversation_id: str, ticket_type_id: str) -> dict[str, Any]:
        return self._call(
            "POST", f"/conversations/{conversation_id}/convert", {"ticket_type_id": ticket_type_id}
        )

    def move_ticket(
        self, ticket_id: str, ticket_type: dict[str, Any], admin_id: str, category: str
    ) -> dict[str, Any]:
        states = ticket_type["ticket_states"]["data"]
        state_id = next(state["id"] for state in states if state["category"] == category)
        return self._call("PUT", f"/tickets/{ticket_id}", {"ticket_state_id": state_id, "admin_id": admin_id})

    def get_ticket(self, ticket_id: str) -> dict[str, Any]:
        return self._call("GET", f"/tickets/{ticket_id}")

    def close_driver(self) -> None:
        self.client.close()


@dataclass
class ContactModel:
    role: str
    email: str | None
    tags: set[str] = field(default_factory=set)
    merged_into: str | None = None


@dataclass
class ConversationModel:
    contact_id: str
    state: str = "open"
    assignee_id: str | None = None
    tags: set[str] = field(default_factory=set)
    replied: bool = False
    ticket_id: str | None = None


@dataclass
class InboxModel:
    """What the workspace must hold of what the machine did (records of its seed are not in it)."""

    contacts: dict[str, ContactModel] = field(default_factory=dict)
    conversations: dict[str, ConversationModel] = field(default_factory=dict)
    tickets: dict[str, str] = field(default_factory=dict)
    """Ticket id -> the category of its state."""
    tags: set[str] = field(default_factory=set)

    def live_contact_ids(self) -> set[str]:
        return {contact_id for contact_id, contact in self.contacts.items() if contact.merged_into is None}

    def live(self, contact_id: str) -> ContactModel | None:
        contact = self.contacts.get(contact_id)
        return contact if contact is not None and contact.merged_into is None else None

    def holder_of(self, email: str | None) -> str | None:
        """The live contact with this email (ASCII case aside), if any."""
        if email is None:
            return None
        return next(
            (
                cid
                for cid in self.live_contact_ids()
                if (self.contacts[cid].email or "").lower() == email.lower()
            ),
            None,
        )


class IntercomStateMachine(RuleBasedStateMachine):
    """The inbox and CRM of one workspace against `InboxModel`; see the module's docstring.

    In rules and invariants of a subclass: `self.driver` acts on the workspace, `self.workspace` is
    the `SandboxWorkspace` (its clock, faults, journal and clients), `self.model` what it must hold,
    `self.admin_id` the workspace owner who acts as the teammate.
    """

    workspace: ClassVar["SandboxWorkspace"]
    make_driver: ClassVar[Callable[["SandboxWorkspace"], IntercomDriver]]

    contacts = Bundle("contacts")
    conversations = Bundle("conversations")
    tags = Bundle("tags")
    tickets = Bundle("tickets")

    def __init__(self) -> None:
        super().__init__()
        if getattr(type(self), "workspace", None) is None:
            raise TypeError(
                f"{type(self).__name__} is not bound to a workspace: run it with run_state_machine() "
                "or the intercom_state_machine fixture"
            )
        self.workspace.reset()
        self.driver: IntercomDriver = type(self).make_driver(self.workspace)
        self.model = InboxModel()
        self.admin_id = self.driver.owner_id()
        customer_types = [
            t for t in self.driver.ticket_types() if t["category"] == "Customer" and not t.get("archived")
        ]
        self.ticket_type: dict[str, Any] | None = customer_types[0] if customer_types else None
        self._serial = itertools.count()

    def teardown(self) -> None:
        self.driver.close_driver()

    def unique(self, prefix: str) -> str:
        """A value no other record of this example has."""
        return f"{prefix}{next(self._serial)}"

    # -- contacts -----------------------------------------------------------------------------

    @rule(
        target=contacts,
        role=st.sampled_from(["user", "lead"]),
        with_email=st.booleans(),
        body=ist.contacts(role=ist.ABSENT, email=ist.ABSENT, external_id=ist.ABSENT),
    )
    def create_contact(self, role: str, with_email: bool, body: dict[str, Any]) -> str:
        email = f"{self.unique('person')}@example.test" if with_email or role == "user" else None
        contact = self.driver.create_contact({**body, "role": role, **({"email": email} if email else {})})
        assert contact["role"] == role and contact["email"] == email
        self.model.contacts[contact["id"]] = ContactModel(role, email)
        return contact["id"]

    @rule(contact=contacts)
    def create_duplicate(self, contact: str) -> None:
        """Intercom refuses a second user with a user's email (ASCII case aside)."""
        known = self.model.live(contact)
        if known is None or known.email is None or known.role != "user":
            return
        try:
            self.driver.create_contact({"email": known.email.upper(), "role": "user"})
        except Exception as error:
            if getattr(error, "status_code", None) != 409:
                raise
        else:
            raise AssertionError(f"a second contact with {known.email} was created")

    @rule(lead=contacts, user=contacts)
    def merge(self, lead: str, user: str) -> None:
        """A lead merged into a user is gone; its tags and conversations are the user's."""
        source, target = self.model.live(lead), self.model.live(user)
        if source is None or target is None or source.role != "lead" or target.role != "user":
            return
        merged = self.driver.merge_contacts(lead, user)
        assert merged["id"] == user
        source.merged_into = user
        target.tags |= source.tags
        for conversation in self.model.conversations.values():
            if conversation.contact_id == lead:
                conversation.contact_id = user

    @rule(target=tags)
    def create_tag(self) -> str:
        tag = self.driver.create_tag(self.unique("Tag "))
        self.model.tags.add(tag["id"])
        return tag["id"]

    @rule(contact=contacts, tag=tags)
    def tag_contact(self, contact: str, tag: str) -> None:
        known = self.model.live(contact)
        if known is None:
            return
        assert self.driver.tag_contact(contact, tag)["id"] == tag
        known.tags.add(tag)

    # -- conversations ---------------------------------------------------------------------------

    @rule(target=conversations, contact=contacts, body=ist.text)
    def open_conversation(self, contact: str, body: str) -> Any:
        if self.model.live(contact) is None:
            return multiple()
        conversation_id = self.driver.create_conversation(contact, body)
        self.model.conversations[conversation_id] = ConversationModel(contact)
        return conversation_id

    @rule(conversation=conversations, note=st.booleans(), body=ist.text)
    def reply(self, conversation: str, note: bool, body: str) -> None:
        self.driver.reply(conversation, self.admin_id, body, note)
        self.model.conversations[conversation].replied |= not note

    @rule(conversation=conversations, unassign=st.booleans())
    def assign(self, conversation: str, unassign: bool) -> None:
        model = self.model.conversations[conversation]
        self.driver.assign(conversation, self.admin_id, "0" if unassign else self.admin_id)
        model.assignee_id = None if unassign else self.admin_id
        if model.state == "closed" and not unassign:  # assigning reopens; unassigning does not
            model.state = "open"

    @rule(conversation=conversations, hours=st.integers(1, 72))
    def snooze(self, conversation: str, hours: int) -> None:
        self.driver.snooze(conversation, self.admin_id, self.workspace.clock.now() + hours * 3600)
        self.model.conversations[conversation].state = "snoozed"

    @rule(conversation=conversations)
    def close(self, conversation: str) -> None:
        self.driver.close(conversation, self.admin_id)
        self.model.conversations[conversation].state = "closed"

    @rule(conversation=conversations)
    def reopen(self, conversation: str) -> None:
        self.driver.reopen(conversation, self.admin_id)
        self.model.conversations[conversation].state = "open"

    @rule(conversation=conversations, tag=tags)
    def tag_conversation(self, conversation: str, tag: str) -> None:
        assert self.driver.tag_conversation(conversation, self.admin_id, tag)["id"] == tag
        self.model.conversations[conversation].tags.add(tag)

    # -- tickets ------------------------------------------------------------------------------

    @precondition(lambda self: self.ticket_type is not None)
    @rule(target=tickets, conversation=conversations)
    def convert_to_ticket(self, conversation: str) -> Any:
        model = self.model.conversations[conversation]
        if model.ticket_id is not None:
            return multiple()
        assert self.ticket_type is not None
        ticket = self.driver.convert_to_ticket(conversation, str(self.ticket_type["id"]))
        assert ticket["type"] == "ticket"
        model.ticket_id = ticket["id"]
        self.model.tickets[ticket["id"]] = ticket["ticket_state"]["category"]
        assert self.model.tickets[ticket["id"]] == "submitted"
        return ticket["id"]

    @rule(ticket=tickets, category=st.sampled_from(TICKET_STATES))
    def move_ticket(self, ticket: str, category: str) -> None:
        assert self.ticket_type is not None
        moved = self.driver.move_ticket(ticket, self.ticket_type, self.admin_id, category)
        assert moved["ticket_state"]["category"] == category
        self.model.tickets[ticket] = category

    # -- invariants ---------------------------------------------------------------------------

    # One listing per kind and step: checking record by record would cost a request per record and
    # step, and hit Intercom's rate limit in a long run.
    @invariant()
    def contacts_match(self) -> None:
        if not self.model.contacts:
            return
        listed = {contact["id"]: contact for contact in self.driver.list_contacts()}
        for contact_id, known in self.model.contacts.items():
            contact = listed.get(contact_id)
            if known.merged_into is not None:
                assert contact is None, f"{contact_id} was merged into {known.merged_into} but is listed"
                continue
            assert contact is not None, f"contact {contact_id} is not listed"
            assert (contact["role"], contact["email"]) == (known.role, known.email)
            tags = contact["tags"]
            tag_ids = (
                self.driver.contact_tag_ids(contact_id)
                if tags["has_more"]
                else {t["id"] for t in tags["data"]}
            )
            assert tag_ids == known.tags, contact_id

    @invariant()
    def merged_contacts_are_gone(self) -> None:
        for contact_id, known in self.model.contacts.items():
            if known.merged_into is not None:
                assert self.driver.get_contact(contact_id) is None, f"{contact_id} can still be fetched"

    @invariant()
    def conversations_match(self) -> None:
        if not self.model.conversations:
            return
        listed = {conversation["id"]: conversation for conversation in self.driver.list_conversations()}
        for conversation_id, known in self.model.conversations.items():
            conversation = listed.get(conversation_id)
            assert conversation is not None, f"conversation {conversation_id} is not listed"
            assert conversation["state"] == known.state, conversation_id
            assert conversation["open"] is (known.state != "closed")
            assignee = conversation["admin_assignee_id"]
            assert (str(assignee) if assignee is not None else None) == known.assignee_id
            assert {tag["id"] for tag in conversation["tags"]["tags"]} == known.tags
            assert [c["id"] for c in conversation["contacts"]["contacts"]] == [known.contact_id]

    @invariant()
    def tickets_match(self) -> None:
        for ticket_id, category in self.model.tickets.items():
            assert self.driver.get_ticket(ticket_id)["ticket_state"]["category"] == category


def run_state_machine(
    machine: type[IntercomStateMachine],
    workspace: "SandboxWorkspace",
    driver: Callable[["SandboxWorkspace"], IntercomDriver] = HttpDriver,
    settings: Settings | None = None,
) -> None:
    """Run `machine` against `workspace` (reset to its seed before every example) through `driver`.

    The workspace gets what the rules need first (a Customer ticket type) and that becomes its seed.
    """
    with workspace.client() as client:
        has_type = any(t["category"] == "Customer" for t in client.get("/ticket_types").json()["data"])
    if not has_type:
        workspace.seed(records=SETUP_RECORDS)
    bound = type(machine.__name__, (machine,), {"workspace": workspace, "make_driver": staticmethod(driver)})
    run_state_machine_as_test(bound, settings=settings)
