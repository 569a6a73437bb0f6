"""Scalekit inputs in an older request shape are sent as the 2.15 request, lookups included."""

import asyncio
import json
from collections.abc import Callable
from functools import cache
from typing import Any

import httpx
import pytest

from connector import CATALOG, AsyncIntercomClient, IntercomClient, NotFoundError, ToolInputError
from connector.translations import TRANSLATIONS

TICKET_TYPE = {
    "type": "ticket_type",
    "id": "9",
    "name": "Bug",
    "ticket_states": {
        "type": "list",
        "data": [
            {"id": "101", "category": "submitted", "internal_label": "Submitted", "external_label": "Sent"},
            {"id": "102", "category": "in_progress", "internal_label": "Triage", "external_label": "On it"},
            {"id": "103", "category": "in_progress", "internal_label": "Fixing", "external_label": "On it"},
            {"id": "104", "category": "resolved", "internal_label": "Fixed", "external_label": "Done"},
            {"id": "105", "category": "resolved", "internal_label": "Old", "archived": True},
        ],
    },
}
TICKET = {"type": "ticket", "id": "55", "ticket_type": {"type": "ticket_type", "id": "9", "name": "Bug"}}
CONVERSATION = {
    "type": "conversation",
    "id": "77",
    "source": {"type": "conversation", "id": "400"},
    "contacts": {"type": "contact.list", "contacts": [{"type": "contact", "id": "c-1"}]},
}
ANSWERS: dict[tuple[str, str], Any] = {
    ("GET", "/me"): {"type": "admin", "id": "991"},
    ("GET", "/tickets/55"): TICKET,
    ("GET", "/ticket_types/9"): TICKET_TYPE,
    ("GET", "/conversations/77"): CONVERSATION,
    ("POST", "/contacts/search"): {
        "type": "list",
        "data": [{"type": "contact", "id": "c-9", "role": "lead"}],
    },
}


class Recording(httpx.MockTransport):
    """Answers lookups from ANSWERS, anything else with {"type": "ok"}; keeps every request."""

    def __init__(self, answers: dict[tuple[str, str], Any] | None = None) -> None:
        self.sent: list[tuple[str, str, Any, dict[str, str]]] = []
        answers = ANSWERS if answers is None else answers

        def handle(request: httpx.Request) -> httpx.Response:
            body = json.loads(request.content) if request.content else None
            self.sent.append((request.method, request.url.path, body, dict(request.headers)))
            key = (request.method, request.url.path)
            if key in answers:
                return httpx.Response(200, json=answers[key])
            if request.method == "GET":
                return httpx.Response(404, json={"type": "error.list", "errors": [{"code": "not_found"}]})
            return httpx.Response(200, json={"type": "ok"})

        super().__init__(handle)

    def calls(self) -> list[tuple[str, str, Any]]:
        return [(method, path, body) for method, path, body, _ in self.sent]


def run(tool_name: str, tool_input: dict[str, Any], transport: Recording | None = None) -> Recording:
    transport = transport or Recording()
    with IntercomClient("tok", base_url="http://intercom.test", transport=transport, max_retries=0) as client:
        CATALOG.execute(client, tool_name, tool_input)
    return transport


def test_every_translation_belongs_to_a_tool():
    assert set(TRANSLATIONS) <= {tool.name for tool in CATALOG}


@pytest.mark.parametrize(
    ("state", "state_id"),
    [
        ("in_progress", "102"),
        ("In progress", "102"),
        ("FIXING", "103"),
        ("Done", "104"),
        ("resolved", "104"),
        ("101", "101"),
    ],
)
def test_update_ticket_resolves_a_state_name_of_the_tickets_type(state, state_id):
    sent = run("intercom_update_ticket", {"ticket_id": "55", "state": state, "open": True}).calls()
    assert sent == [
        ("GET", "/tickets/55", None),
        ("GET", "/ticket_types/9", None),
        ("PUT", "/tickets/55", {"open": True, "ticket_state_id": state_id}),
    ]


def test_update_ticket_uses_the_states_embedded_in_the_ticket_when_present():
    answers = {**ANSWERS, ("GET", "/tickets/55"): {**TICKET, "ticket_type": TICKET_TYPE}}
    sent = run(
        "intercom_update_ticket", {"ticket_id": "55", "state": "submitted"}, Recording(answers)
    ).calls()
    assert sent == [("GET", "/tickets/55", None), ("PUT", "/tickets/55", {"ticket_state_id": "101"})]


def test_update_ticket_falls_back_to_the_workspace_states():
    states = {
        "type": "list",
        "data": [
            {"id": "7", "category": "resolved", "ticket_types": {"data": [{"id": "8"}]}},
            {"id": "8", "category": "resolved", "ticket_types": {"data": [{"id": "9"}]}},
        ],
    }
    answers = {
        ("GET", "/tickets/55"): TICKET,
        ("GET", "/ticket_types/9"): {"type": "ticket_type", "id": "9"},
        ("GET", "/ticket_states"): states,
    }
    sent = run("intercom_update_ticket", {"ticket_id": "55", "state": "resolved"}, Recording(answers)).calls()
    assert sent[-1] == ("PUT", "/tickets/55", {"ticket_state_id": "8"})


def test_update_ticket_refuses_an_unknown_state_and_writes_nothing():
    transport = Recording()
    with pytest.raises(ToolInputError) as caught:
        run("intercom_update_ticket", {"ticket_id": "55", "state": "archived"}, transport)
    assert caught.value.field == "state"
    assert "in_progress" in str(caught.value)
    assert all(method == "GET" for method, _, _ in transport.calls())


def test_update_ticket_on_a_missing_ticket_raises_not_found_and_writes_nothing():
    transport = Recording()
    with pytest.raises(NotFoundError):
        run("intercom_update_ticket", {"ticket_id": "404", "state": "resolved"}, transport)
    assert transport.calls() == [("GET", "/tickets/404", None)]


@pytest.mark.parametrize(
    ("assignment", "body"),
    [
        ({"admin_id": "12"}, {"admin_id": 991, "assignee_id": "12"}),
        ({"team_id": "8"}, {"admin_id": 991, "assignee_id": "8"}),
        ({"admin_id": "0"}, {"admin_id": 991, "assignee_id": "0"}),
        ({"admin_id": "5", "assignee_id": "8"}, {"admin_id": 5, "assignee_id": "8"}),
    ],
)
def test_update_ticket_turns_an_assignment_into_admin_and_assignee(assignment, body):
    sent = run("intercom_update_ticket", {"ticket_id": "55", "assignment": assignment}).calls()
    lookups = [] if "assignee_id" in assignment else [("GET", "/me", None)]
    assert sent == [*lookups, ("PUT", "/tickets/55", body)]


def test_update_ticket_refuses_an_empty_assignment_before_any_request():
    transport = Recording()
    with pytest.raises(ToolInputError) as caught:
        run("intercom_update_ticket", {"ticket_id": "55", "assignment": {}}, transport)
    assert caught.value.field == "assignment"
    with pytest.raises(ToolInputError) as caught:
        run("intercom_update_ticket", {"ticket_id": "55", "assignment": {"who": "me"}}, transport)
    assert caught.value.field == "assignment.who"
    assert "admin_id, team_id, assignee_id" in caught.value.reason
    assert transport.calls() == []


def test_update_ticket_without_old_fields_is_sent_as_is():
    sent = run("intercom_update_ticket", {"ticket_id": "55", "is_shared": True}).calls()
    assert sent == [("PUT", "/tickets/55", {"is_shared": True})]


@pytest.mark.parametrize(
    ("tool_input", "body"),
    [
        (
            {"message_type": "open", "type": "admin", "admin_id": "1", "body": "x"},
            {"message_type": "open", "admin_id": "1"},
        ),
        (
            {"message_type": "snoozed", "type": "admin", "admin_id": "1", "snoozed_until": 9},
            {"message_type": "snoozed", "admin_id": "1", "snoozed_until": 9},
        ),
        (
            {"message_type": "close", "type": "admin", "admin_id": "1", "assignee_id": "2"},
            {"message_type": "close", "type": "admin", "admin_id": "1"},
        ),
        (
            {
                "message_type": "assignment",
                "type": "team",
                "admin_id": "1",
                "assignee_id": "2",
                "snoozed_until": 3,
            },
            {"message_type": "assignment", "type": "team", "admin_id": "1", "assignee_id": "2"},
        ),
    ],
)
def test_manage_conversation_sends_the_variant_of_its_message_type(tool_input, body):
    sent = run("intercom_manage_conversation", {"conversation_id": "77", **tool_input}).calls()
    assert sent == [("POST", "/conversations/77/parts", body)]


def test_manage_conversation_refuses_a_message_type_it_does_not_know():
    transport = Recording()
    with pytest.raises(ToolInputError, match="close, snoozed, open, assignment") as caught:
        run(
            "intercom_manage_conversation",
            {"conversation_id": "77", "message_type": "unknown", "type": "admin", "admin_id": "1"},
            transport,
        )
    assert caught.value.field == "message_type"
    assert transport.calls() == []


def test_manage_conversation_needs_no_lookup_so_prepare_translates_it():
    call = CATALOG.prepare(
        CATALOG.get("intercom_manage_conversation"),
        {"conversation_id": "77", "message_type": "open", "type": "admin", "admin_id": "1"},
    )
    assert call.json == {"message_type": "open", "admin_id": "1"}


def test_prepare_refuses_input_that_needs_a_lookup():
    with pytest.raises(ToolInputError, match=r"Catalog\.execute"):
        CATALOG.prepare(CATALOG.get("intercom_update_ticket"), {"ticket_id": "55", "state": "resolved"})


def test_detach_contact_from_conversation_acts_as_the_tokens_admin():
    sent = run(
        "intercom_detach_contact_from_conversation", {"conversation_id": "77", "contact_id": "c-2"}
    ).calls()
    assert sent == [("GET", "/me", None), ("DELETE", "/conversations/77/customers/c-2", {"admin_id": "991"})]


def test_user_reply_to_a_conversation_is_sent_as_its_contact():
    tool_input = {
        "conversation_id": "77",
        "type": "user",
        "admin_id": "1",
        "message_type": "note",
        "body": "Hi",
    }
    sent = run("intercom_reply_to_conversation", tool_input).calls()
    assert sent == [
        ("GET", "/conversations/77", None),
        (
            "POST",
            "/conversations/77/reply",
            {"message_type": "comment", "type": "user", "intercom_user_id": "c-1", "body": "Hi"},
        ),
    ]


def test_admin_reply_is_sent_as_is():
    tool_input = {
        "conversation_id": "77",
        "type": "admin",
        "admin_id": "1",
        "message_type": "note",
        "body": "x",
    }
    sent = run("intercom_reply_to_conversation", tool_input).calls()
    assert sent == [
        (
            "POST",
            "/conversations/77/reply",
            {"type": "admin", "admin_id": "1", "message_type": "note", "body": "x"},
        )
    ]


def test_user_reply_to_a_ticket_is_sent_as_its_contact():
    answers = {**ANSWERS, ("GET", "/tickets/55"): {**TICKET, "contacts": CONVERSATION["contacts"]}}
    tool_input = {"ticket_id": "55", "type": "user", "admin_id": "1", "message_type": "comment", "body": "Hi"}
    sent = run("intercom_reply_to_ticket", tool_input, Recording(answers)).calls()
    assert sent[-1] == (
        "POST",
        "/tickets/55/reply",
        {"message_type": "comment", "type": "user", "intercom_user_id": "c-1", "body": "Hi"},
    )


def test_user_reply_to_a_ticket_without_contacts_is_refused():
    tool_input = {"ticket_id": "55", "type": "user", "admin_id": "1", "message_type": "comment"}
    with pytest.raises(ToolInputError, match="no contact"):
        run("intercom_reply_to_ticket", tool_input)


def test_redacting_the_source_reads_its_id():
    sent = run("intercom_redact_conversation", {"conversation_id": "77", "type": "source"}).calls()
    assert sent == [
        ("GET", "/conversations/77", None),
        ("POST", "/conversations/redact", {"type": "source", "conversation_id": "77", "source_id": "400"}),
    ]
    part = {"conversation_id": "77", "type": "conversation_part", "conversation_part_id": "5"}
    assert run("intercom_redact_conversation", part).calls() == [("POST", "/conversations/redact", part)]


def test_lookup_paths_are_percent_encoded():
    # Found by the schema property: a control character in an id made the lookup's URL invalid.
    seen: list[bytes] = []

    def not_found(request: httpx.Request) -> httpx.Response:
        seen.append(request.url.raw_path)
        return httpx.Response(404, json={"type": "error.list", "errors": [{"code": "not_found"}]})

    with (
        IntercomClient(
            "tok", base_url="http://intercom.test", transport=httpx.MockTransport(not_found)
        ) as client,
        pytest.raises(NotFoundError),
    ):
        CATALOG.execute(
            client, "intercom_redact_conversation", {"conversation_id": "7/\x1f", "type": "source"}
        )
    assert seen == [b"/conversations/7%2F%1F"]


def test_create_message_defaults_to_in_app_and_looks_up_a_recipient_by_email():
    tool_input = {
        "body": "Hello",
        "from": {"type": "admin", "id": "991"},
        "to": {"type": "user", "email": "a@b.c"},
    }
    sent = run("intercom_create_message", tool_input).calls()
    assert sent == [
        ("POST", "/contacts/search", {"query": {"field": "email", "operator": "=", "value": "a@b.c"}}),
        (
            "POST",
            "/messages",
            {
                "body": "Hello",
                "message_type": "in_app",
                "from": {"type": "admin", "id": 991},
                "to": {"type": "user", "id": "c-9"},
            },
        ),
    ]


def test_create_message_to_an_unknown_email_is_refused_and_sends_nothing():
    answers = {("POST", "/contacts/search"): {"type": "list", "data": []}}
    transport = Recording(answers)
    tool_input = {
        "body": "x",
        "from": {"type": "admin", "id": "1"},
        "to": {"type": "user", "email": "no@b.c"},
    }
    with pytest.raises(ToolInputError) as caught:
        run("intercom_create_message", tool_input, transport)
    assert caught.value.field == "to"
    assert [path for _, path, _ in transport.calls()] == ["/contacts/search"]


def test_lookups_carry_the_callers_headers_and_a_pinned_version_only_the_final_call():
    transport = Recording({**ANSWERS, ("GET", "/macros"): {"type": "list", "data": []}})
    with IntercomClient("tok", base_url="http://intercom.test", transport=transport) as client:
        CATALOG.execute(
            client, "intercom_update_ticket", {"ticket_id": "55", "state": "resolved"}, {"X-Acct": "a"}
        )
        CATALOG.execute(client, "intercom_list_macros", {}, {"X-Acct": "a"})
    assert all(headers["x-acct"] == "a" for _, _, _, headers in transport.sent)
    assert [headers["intercom-version"] for _, _, _, headers in transport.sent] == [
        "2.15",
        "2.15",
        "2.15",
        "2.16",
    ]


def test_the_async_executor_runs_the_same_lookups():
    transport = Recording()

    async def go() -> None:
        async with AsyncIntercomClient("tok", base_url="http://intercom.test", transport=transport) as client:
            await CATALOG.aexecute(client, "intercom_update_ticket", {"ticket_id": "55", "state": "Fixed"})

    asyncio.run(go())
    assert transport.calls()[-1] == ("PUT", "/tickets/55", {"ticket_state_id": "104"})


# --- against the fake ------------------------------------------------------------------------------


@cache
def served(app) -> frozenset[str]:
    return frozenset(op["operationId"] for item in app.openapi()["paths"].values() for op in item.values())


def require(app, *operation_ids: str) -> None:
    missing = sorted(set(operation_ids) - served(app))
    if missing:
        pytest.skip(f"the fake has no route yet for {', '.join(missing)}")


@pytest.fixture
def execute(app, asgi_transport, workspace) -> Callable[..., Any]:
    client = IntercomClient(workspace[1], base_url="http://fake-intercom.test", transport=asgi_transport)

    def call(tool_name: str, **tool_input: Any) -> Any:
        return CATALOG.execute(client, tool_name, tool_input)

    return call


def test_update_ticket_with_a_state_name_and_an_assignment_against_the_fake(app, execute, workspace):
    require(
        app, "createTicketType", "createTicket", "updateTicket", "getTicket", "CreateContact", "identifyAdmin"
    )
    owner = workspace[0].owner_admin_id
    ticket_type = execute("intercom_create_ticket_type", name="Bug report", category="Customer")
    contact = execute("intercom_create_contact", email="ticket-owner@example.com", role="user")
    ticket = execute(
        "intercom_create_ticket",
        ticket_type_id=ticket_type["id"],
        contacts=[{"id": contact["id"]}],
        ticket_attributes={"_default_title_": "Crash", "_default_description_": "On save"},
    )
    updated = execute(
        "intercom_update_ticket", ticket_id=ticket["id"], state="in progress", assignment={"admin_id": owner}
    )
    assert updated["ticket_state"]["category"] == "in_progress"
    assert updated["admin_assignee_id"] == owner
    resolved = execute("intercom_update_ticket", ticket_id=ticket["id"], state="RESOLVED")
    assert resolved["ticket_state"]["category"] == "resolved"
    with pytest.raises(ToolInputError):
        execute("intercom_update_ticket", ticket_id=ticket["id"], state="no such state")


def test_detach_contact_by_tool_through_actions_against_the_fake(app, asgi_transport, workspace):
    """The tool sends no admin_id; the translation fills the token's admin from GET /me."""
    from connector import Actions

    require(
        app,
        "identifyAdmin",
        "CreateContact",
        "createConversation",
        "attachContactToConversation",
        "detachContactFromConversation",
        "retrieveConversation",
    )
    owner = workspace[0].owner_admin_id
    actions = Actions(base_url="http://fake-intercom.test", token=workspace[1], transport=asgi_transport)

    def call(tool_name: str, **tool_input: Any) -> Any:
        result = actions.execute_tool(tool_input=tool_input, tool_name=tool_name)
        assert result.successful, result.error
        return result.data

    writer = call("intercom_create_contact", email="writer@example.com", role="user")
    guest = call("intercom_create_contact", email="guest@example.com", role="user")
    started = actions.client.call(
        "POST", "/conversations", json={"from": {"type": "user", "id": writer["id"]}, "body": "Hello"}
    )
    conversation_id = started["conversation_id"]
    call(
        "intercom_attach_contact_to_conversation",
        conversation_id=conversation_id,
        customer={"intercom_user_id": guest["id"]},
        admin_id=owner,
    )
    detached = call(
        "intercom_detach_contact_from_conversation", conversation_id=conversation_id, contact_id=guest["id"]
    )
    assert [c["id"] for c in detached["customers"]] == [writer["id"]]
    conversation = actions.client.call("GET", f"/conversations/{conversation_id}")
    last = conversation["conversation_parts"]["conversation_parts"][-1]
    assert last["part_type"] == "participant_removed"
    assert last["author"] == {**last["author"], "type": "admin", "id": owner}
    assert last["metadata"] == {"contact": {"type": "contact", "id": guest["id"]}}
    refused = actions.execute_tool(
        tool_input={"conversation_id": conversation_id, "contact_id": writer["id"]},
        tool_name="intercom_detach_contact_from_conversation",
        raise_on_error=False,
    )
    assert not refused.successful and refused.error["status"] == 422
