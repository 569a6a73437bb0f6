"""The connector against the fake, in-process: real tool calls through the whole stack."""

import asyncio
import uuid
from collections.abc import Iterator

import httpx
import pytest

from connector import CATALOG, Actions, AsyncActions, IntercomAPIError, IntercomClient, NotFoundError
from tests.connector.test_catalog import minimal_input


@pytest.fixture
def actions(asgi_transport, workspace) -> Iterator[Actions]:
    with Actions(
        base_url="http://fake-intercom.test", token=workspace[1], transport=asgi_transport
    ) as actions:
        yield actions


def run(actions: Actions, tool_name: str, **tool_input):
    result = actions.execute_tool(tool_input=tool_input, tool_name=tool_name)
    assert result.successful, result.error
    return result.data


def test_identify_admin_is_the_workspace_owner(actions, workspace):
    me = run(actions, "intercom_identify_admin")
    assert me["type"] == "admin"
    assert me["id"] == workspace[0].owner_admin_id
    assert me["app"]["id_code"]


def test_list_admins_and_retrieve_one(actions, workspace):
    admins = run(actions, "INTERCOM_LIST_ALL_ADMINS", display_avatar=True)
    assert admins["type"] == "admin.list"
    owner_id = workspace[0].owner_admin_id
    assert [admin["id"] for admin in admins["admins"]] == [owner_id]
    admin = run(actions, "intercom_retrieve_admin", admin_id=owner_id)
    assert (admin["type"], admin["id"]) == ("admin", owner_id)


def test_retrieve_unknown_admin_raises_not_found(actions):
    with pytest.raises(NotFoundError) as caught:
        run(actions, "intercom_retrieve_admin", admin_id="1")
    assert caught.value.code == "admin_not_found"
    assert caught.value.request_id


def test_list_teams_of_an_empty_workspace(actions):
    assert run(actions, "intercom_list_teams") == {"type": "team.list", "teams": []}


def test_set_away_is_visible_and_logged(actions, workspace):
    owner_id = workspace[0].owner_admin_id
    away = run(
        actions, "intercom_set_away_admin", admin_id=owner_id, away_mode_enabled=True, away_mode_reassign=True
    )
    assert (away["away_mode_enabled"], away["away_mode_reassign"]) == (True, True)
    assert run(actions, "intercom_retrieve_admin", admin_id=owner_id)["away_mode_enabled"] is True
    logs = run(actions, "intercom_list_activity_logs", created_at_after="0")
    assert logs["type"] == "activity_log.list"
    assert any(entry["performed_by"]["id"] == owner_id for entry in logs["activity_logs"])


def test_raw_request_proxy_reaches_the_fake(actions, asgi_transport):
    response = actions.request(path="/me")
    assert response.status_code == 200
    assert response.headers["x-request-id"]
    unauthorised = Actions(base_url="http://fake-intercom.test", token="wrong", transport=asgi_transport)
    assert unauthorised.request(path="/me").status_code == 401


def test_contact_company_tag_and_note_flow(app, actions, workspace):
    email = f"ann-{uuid.uuid4().hex[:8]}@example.com"
    contact = run(actions, "intercom_create_contact", email=email, name="Ann", role="user")
    assert (contact["type"], contact["email"], contact["role"]) == ("contact", email, "user")
    assert run(actions, "INTERCOM_GET_A_CONTACT", contact_id=contact["id"])["id"] == contact["id"]

    found = run(
        actions, "intercom_search_contacts", query={"field": "email", "operator": "=", "value": email}
    )
    assert [hit["id"] for hit in found["data"]] == [contact["id"]]

    company = run(actions, "intercom_create_or_update_company", company_id="acme-1", name="Acme", size=10)
    attached = run(actions, "intercom_attach_contact_to_company", contact_id=contact["id"], id=company["id"])
    assert (attached["type"], attached["id"]) == ("company", company["id"])

    tag = run(actions, "intercom_create_or_update_tag", name="vip")
    tagged = run(actions, "intercom_attach_tag_to_contact", contact_id=contact["id"], id=tag["id"])
    assert (tagged["type"], tagged["id"]) == ("tag", tag["id"])

    note = run(
        actions,
        "intercom_create_contact_note",
        contact_id=contact["id"],
        body="Prefers email",
        admin_id=workspace[0].owner_admin_id,
    )
    assert note["type"] == "note"
    assert note["contact"]["id"] == contact["id"]


def test_duplicate_contact_is_a_typed_conflict_envelope(app, actions):
    email = f"dup-{uuid.uuid4().hex[:8]}@example.com"
    run(actions, "intercom_create_contact", email=email)
    result = actions.execute_tool(
        tool_input={"email": email}, tool_name="intercom_create_contact", raise_on_error=False
    )
    assert not result.successful
    assert (result.error["status"], result.error["code"]) == (409, "conflict")


def test_client_iterators_walk_the_fakes_lists_exactly_once(app, asgi_transport, workspace):
    client = IntercomClient(workspace[1], base_url="http://fake-intercom.test", transport=asgi_transport)
    created = [client.call("POST", "/contacts", json={"email": f"c{i}@iter.test"})["id"] for i in range(5)]
    listed = [contact["id"] for contact in client.iter_cursor("/contacts", {"per_page": 2})]
    assert sorted(listed) == sorted(created)
    query = {"field": "email", "operator": "~", "value": "iter.test"}
    found = [contact["id"] for contact in client.iter_search("/contacts/search", query, per_page=2)]
    assert sorted(found) == sorted(created)


@pytest.mark.parametrize("name", [tool.name for tool in CATALOG])
def test_every_tool_reaches_its_route_and_never_gets_a_5xx(app, actions, name):
    tool_input = minimal_input(name)
    try:
        actions.execute_tool(tool_input=tool_input, tool_name=name)
    except IntercomAPIError as error:
        assert 400 <= error.status_code < 500, error
        assert error.code, error.body


def test_async_actions_over_the_asgi_transport(app, workspace):
    async def run_async():
        transport = httpx.ASGITransport(app=app)
        async with AsyncActions(
            base_url="http://fake-intercom.test", token=workspace[1], transport=transport
        ) as actions:
            me = await actions.execute_tool(tool_input={}, tool_name="intercom_identify_admin")
            missing = await actions.execute_tool(
                tool_input={"team_id": "404"}, tool_name="intercom_retrieve_team", raise_on_error=False
            )
            return me, missing

    me, missing = asyncio.run(run_async())
    assert me.data["id"] == workspace[0].owner_admin_id
    assert (missing.error["status"], missing.error["code"]) == (404, "team_not_found")


INBOX_TOOLS = (
    "intercom_create_contact",
    "intercom_create_conversation",
    "intercom_retrieve_conversation",
    "intercom_reply_to_conversation",
    "intercom_manage_conversation",
    "intercom_create_or_update_tag",
    "intercom_attach_tag_to_conversation",
    "intercom_search_conversations",
    "intercom_create_ticket_type",
    "intercom_convert_conversation_to_ticket",
    "intercom_update_ticket",
    "intercom_retrieve_ticket",
)


def test_inbox_flow_by_scalekit_tool_names(app, actions, workspace):
    """A contact writes in; an admin replies, assigns, snoozes, closes; the contact's reply reopens it;
    it is tagged, found by search, converted to a ticket whose state moves by name."""
    owner = workspace[0].owner_admin_id
    contact = run(
        actions, "intercom_create_contact", email=f"inbox-{uuid.uuid4().hex[:8]}@example.com", role="user"
    )
    message = run(
        actions,
        "intercom_create_conversation",
        **{"from": {"type": "user", "id": contact["id"]}, "body": "Help!"},
    )
    conversation_id = message["conversation_id"]

    def conversation() -> dict:
        return run(actions, "intercom_retrieve_conversation", conversation_id=conversation_id)

    def manage(message_type: str, **extra) -> dict:
        return run(
            actions,
            "intercom_manage_conversation",
            conversation_id=conversation_id,
            message_type=message_type,
            type="admin",
            admin_id=owner,
            **extra,
        )

    assert (conversation()["state"], conversation()["open"]) == ("open", True)
    run(
        actions,
        "intercom_reply_to_conversation",
        conversation_id=conversation_id,
        type="admin",
        admin_id=owner,
        message_type="comment",
        body="Looking into it",
    )
    assert manage("assignment", assignee_id=owner)["admin_assignee_id"] in (owner, int(owner))
    snoozed = manage("snoozed", snoozed_until=conversation()["created_at"] + 86400)
    assert (snoozed["state"], snoozed["open"]) == ("snoozed", True)
    closed = manage("close", body="Fixed, closing")
    assert (closed["state"], closed["open"]) == ("closed", False)

    run(
        actions,
        "intercom_reply_to_conversation",
        conversation_id=conversation_id,
        type="user",
        admin_id=owner,
        message_type="comment",
        body="Still broken",
    )
    reopened = conversation()
    assert (reopened["state"], reopened["open"]) == ("open", True)
    parts = reopened["conversation_parts"]["conversation_parts"]
    assert parts[-1]["author"]["type"] == "user" and "Still broken" in parts[-1]["body"]

    tag = run(actions, "intercom_create_or_update_tag", name=f"bug-{uuid.uuid4().hex[:6]}")
    run(
        actions,
        "intercom_attach_tag_to_conversation",
        conversation_id=conversation_id,
        id=tag["id"],
        admin_id=owner,
    )
    found = run(
        actions,
        "intercom_search_conversations",
        query={
            "operator": "AND",
            "value": [
                {"field": "state", "operator": "=", "value": "open"},
                {"field": "tag_ids", "operator": "IN", "value": [tag["id"]]},
            ],
        },
    )
    assert [hit["id"] for hit in found["conversations"]] == [conversation_id]

    ticket_type = run(actions, "intercom_create_ticket_type", name="Bug", category="Customer")
    ticket = run(
        actions,
        "intercom_convert_conversation_to_ticket",
        conversation_id=conversation_id,
        ticket_type_id=ticket_type["id"],
    )
    assert ticket["type"] == "ticket"
    moved = run(
        actions,
        "intercom_update_ticket",
        ticket_id=ticket["id"],
        state="in_progress",
        assignment={"admin_id": owner},
    )
    assert moved["ticket_state"]["category"] == "in_progress"
    done = run(actions, "intercom_update_ticket", ticket_id=ticket["id"], state="resolved")
    assert (
        run(actions, "intercom_retrieve_ticket", ticket_id=ticket["id"])["ticket_state"]["id"]
        == done["ticket_state"]["id"]
    )
