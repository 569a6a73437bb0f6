import uuid
from collections.abc import Iterator
from contextlib import contextmanager

import httpx

from contracts.checks import body, check, expect_error, parse
from contracts.checks.companies import a_contact
from contracts.models.conversations import Conversation, ConversationList, UserMessage
from contracts.models.tags import Tag


def me(api: httpx.Client) -> str:
    return str(body(api.get("/me"))["id"])


@contextmanager
def a_conversation(api: httpx.Client) -> Iterator[tuple[str, str]]:
    """A contact's new conversation (contact id, conversation id), deleted afterwards."""
    with a_contact(api) as contact_id:
        sent = {"from": {"type": "user", "id": contact_id}, "body": "I need support"}
        message = parse(UserMessage, api.post("/conversations", json=sent))
        try:
            yield contact_id, message.conversation_id
        finally:
            api.delete(f"/conversations/{message.conversation_id}")


def part_types(conversation: Conversation) -> list[str]:
    return [part.part_type for part in conversation.conversation_parts.conversation_parts]


@check(writes=True)
def the_inbox_state_machine(api: httpx.Client) -> None:
    admin = me(api)
    with a_conversation(api) as (contact_id, conversation_id):
        started = parse(Conversation, api.get(f"/conversations/{conversation_id}"))
        assert (started.state, started.open, started.source.delivered_as) == (
            "open",
            True,
            "customer_initiated",
        )
        path = f"/conversations/{conversation_id}"
        admin_reply = {"message_type": "comment", "type": "admin", "admin_id": admin, "body": "Hello"}
        replied = parse(Conversation, api.post(f"{path}/reply", json=admin_reply))
        assert part_types(replied)[-1] == "comment" and replied.state == "open"
        assign = {"message_type": "assignment", "type": "admin", "admin_id": admin, "assignee_id": admin}
        assigned = parse(Conversation, api.post(f"{path}/parts", json=assign))
        assert assigned.admin_assignee_id == int(admin) and part_types(assigned)[-1] == "assignment"
        until = assigned.updated_at + 3600
        snooze = {"message_type": "snoozed", "admin_id": admin, "snoozed_until": until}
        snoozed = parse(Conversation, api.post(f"{path}/parts", json=snooze))
        assert (snoozed.state, snoozed.open, snoozed.snoozed_until) == ("snoozed", True, until)
        close = {"message_type": "close", "type": "admin", "admin_id": admin}
        closed = parse(Conversation, api.post(f"{path}/parts", json=close))
        assert (closed.state, closed.open, part_types(closed)[-1]) == ("closed", False, "close")
        user_reply = {
            "message_type": "comment",
            "type": "user",
            "intercom_user_id": contact_id,
            "body": "Again",
        }
        reopened = parse(Conversation, api.post(f"{path}/reply", json=user_reply))
        assert (reopened.state, part_types(reopened)[-1]) == ("open", "open")


@check(writes=True)
def conversations_are_listed_searched_and_tagged(api: httpx.Client) -> None:
    admin = me(api)
    with a_conversation(api) as (_, conversation_id):
        listed = parse(ConversationList, api.get("/conversations", params={"per_page": 5}))
        assert listed.type == "conversation.list" and listed.pages.per_page == 5
        query = {"query": {"field": "id", "operator": "=", "value": conversation_id}}
        found = parse(ConversationList, api.post("/conversations/search", json=query))
        assert [c.id for c in found.conversations] == [conversation_id]
        tag = body(api.post("/tags", json={"name": f"contract-{uuid.uuid4().hex[:8]}"}))
        try:
            applied = parse(
                Tag,
                api.post(f"/conversations/{conversation_id}/tags", json={"id": tag["id"], "admin_id": admin}),
            )
            assert applied.id == tag["id"] and applied.applied_at is not None
            by_tag = {"query": {"field": "tag_ids", "operator": "=", "value": tag["id"]}}
            assert conversation_id in [
                c.id
                for c in parse(ConversationList, api.post("/conversations/search", json=by_tag)).conversations
            ]
            removed = api.request(
                "DELETE", f"/conversations/{conversation_id}/tags/{tag['id']}", json={"admin_id": admin}
            )
            assert parse(Tag, removed).id == tag["id"]
        finally:
            api.delete(f"/tags/{tag['id']}")


@check(writes=True)
def conversation_errors(api: httpx.Client) -> None:
    admin = me(api)
    expect_error(api.get("/conversations/1"), 404, "not_found")
    missing_contact = {"from": {"type": "user", "id": "123_doesnt_exist"}, "body": "Hello there"}
    expect_error(api.post("/conversations", json=missing_contact), 404, "not_found")
    expect_error(
        api.post(
            "/conversations/1/parts", json={"message_type": "close", "type": "admin", "admin_id": admin}
        ),
        404,
        "not_found",
    )
    with a_conversation(api) as (contact_id, conversation_id):
        last = api.request(
            "DELETE", f"/conversations/{conversation_id}/customers/{contact_id}", json={"admin_id": admin}
        )
        expect_error(last, 422, "parameter_invalid")
    redact = {
        "type": "conversation_part",
        "conversation_id": "really_123",
        "conversation_part_id": "really_123",
    }
    expect_error(
        api.post("/conversations/redact", json=redact), 404, "conversation_part_or_message_not_found"
    )
