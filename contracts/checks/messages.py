import httpx

from contracts.checks import body, check, expect_error, parse
from contracts.checks.companies import a_contact
from contracts.checks.conversations import me
from contracts.models.conversations import ConversationList
from contracts.models.messages import AdminMessage


@check(writes=True)
def admin_messages_start_conversations(api: httpx.Client) -> None:
    admin = me(api)
    with a_contact(api) as contact_id:
        sent = {
            "message_type": "in_app",
            "from": {"type": "admin", "id": int(admin)},
            "to": {"type": "user", "id": contact_id},
            "body": "heyy",
        }
        message = parse(AdminMessage, api.post("/messages", json=sent))
        assert message.type == "admin_message" and message.message_type == "inapp"
        assert message.owner is not None and str(message.owner["id"]) == admin
        query = {"query": {"field": "source.id", "operator": "=", "value": message.id}}
        found = parse(ConversationList, api.post("/conversations/search", json=query)).conversations
        for conversation in found:
            assert conversation.source.delivered_as == "admin_initiated"
            body(api.delete(f"/conversations/{conversation.id}"))


@check(writes=True)
def message_errors(api: httpx.Client) -> None:
    admin = me(api)
    with a_contact(api) as contact_id:
        to = {"type": "user", "id": contact_id}
        no_body = {"from": {"type": "admin", "id": admin}, "to": to, "message_type": "inapp", "body": None}
        expect_error(api.post("/messages", json=no_body), 400, "parameter_invalid")
        no_subject = {
            "from": {"type": "admin", "id": admin},
            "to": to,
            "message_type": "email",
            "body": "hey",
        }
        expect_error(api.post("/messages", json=no_subject), 422, "parameter_not_found")
