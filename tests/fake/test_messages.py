"""POST /messages, and (2.16) WhatsApp delivery statuses."""

import httpx

from fake_intercom.resources.messages import send_whatsapp
from tests.helpers.api import domain_of, error_of, new_contact

V216 = {"Intercom-Version": "2.16"}


def admin_message(api: httpx.Client, admin: str, to, **extra) -> httpx.Response:
    return api.post(
        "/messages", json={"from": {"type": "admin", "id": admin}, "to": to, "body": "heyy", **extra}
    )


def test_a_message_from_a_contact_is_a_user_message(api: httpx.Client) -> None:
    contact_id = new_contact(api)
    message = api.post("/messages", json={"from": {"type": "lead", "id": contact_id}, "body": "heyy"}).json()
    assert message["type"] == "user_message" and message["body"] == "heyy"
    conversation = api.get(f"/conversations/{message['conversation_id']}").json()
    assert conversation["state"] == "open" and conversation["source"]["id"] == message["id"]


def test_admin_email_to_several_recipients(api: httpx.Client, workspace) -> None:
    admin = workspace[0].owner_admin_id
    first, second, copied = new_contact(api), new_contact(api), new_contact(api)
    response = admin_message(
        api,
        admin,
        [{"type": "user", "id": first}, {"type": "user", "id": second}],
        cc=[{"type": "user", "id": copied}],
        message_type="email",
        subject="Renewal",
        template="plain",
    )
    message = response.json()
    assert (message["type"], message["message_type"], message["subject"]) == (
        "admin_message",
        "email",
        "Renewal",
    )
    assert (
        message["owner"]["id"] == admin
        and {"away_mode_enabled", "away_mode_reassign"} <= message["owner"].keys()
    )
    query = {"query": {"field": "source.id", "operator": "=", "value": message["id"]}}
    conversation = api.post("/conversations/search", json=query).json()["conversations"][0]
    assert conversation["source"]["type"] == "email" and conversation["source"]["subject"] == "Renewal"
    assert [c["id"] for c in conversation["contacts"]["contacts"]] == [first, second, copied]
    assert conversation["state"] == "closed" and conversation["admin_assignee_id"] == int(admin)


def test_open_without_waiting_for_a_reply(api: httpx.Client, workspace) -> None:
    admin = workspace[0].owner_admin_id
    message = admin_message(
        api, admin, {"type": "user", "id": new_contact(api)}, create_conversation_without_contact_reply=True
    ).json()
    conversation = api.get(f"/conversations/{message['conversation_id']}").json()
    assert (conversation["state"], conversation["open"]) == ("open", True)


def test_message_errors(api: httpx.Client, workspace) -> None:
    admin = workspace[0].owner_admin_id
    to = {"type": "user", "id": new_contact(api)}
    no_body = api.post("/messages", json={"from": {"type": "admin", "id": admin}, "to": to, "body": None})
    assert error_of(no_body, 400) == {"code": "parameter_invalid", "message": "Body is required"}
    no_subject = admin_message(api, admin, to, message_type="email")
    assert error_of(no_subject, 422) == {
        "code": "parameter_not_found",
        "message": "No subject supplied for email message",
    }
    unknown = admin_message(api, admin, {"type": "user", "user_id": "70"})
    assert error_of(unknown, 404)["message"] == "User Not Found"
    assert error_of(admin_message(api, "1", to), 404)["code"] == "admin_not_found"
    assert error_of(admin_message(api, admin, to, message_type="sms"), 400)["code"] == "parameter_invalid"
    assert api.get("/conversations").json()["total_count"] == 0


def test_whatsapp_statuses(api: httpx.Client, app, workspace) -> None:
    store, ws = domain_of(app, workspace)
    contact_id = new_contact(api)
    sent = [
        send_whatsapp(
            store,
            ws,
            ruleset_id="77",
            admin_id=ws.owner_admin_id,
            contact_id=contact_id,
            template_name="reminder",
            body="Hi",
            status=status,
        )
        for status in ("sent", "delivered", "read")
    ]
    first = api.get("/messages/status", params={"ruleset_id": "77", "per_page": 2}, headers=V216).json()
    assert first["type"] == "list" and first["ruleset_id"] == 77 and first["total_count"] == 3
    assert [e["status"] for e in first["events"]] == ["read", "delivered"]
    cursor = first["pages"]["next"]["starting_after"]
    rest = api.get(
        "/messages/status", params={"ruleset_id": "77", "starting_after": cursor}, headers=V216
    ).json()
    assert [e["status"] for e in rest["events"]] == ["sent"]
    one = api.get(
        "/messages/whatsapp/status", params={"message_id": sent[0]["whatsapp_message_id"]}, headers=V216
    )
    assert one.json()["status"] == "sent" and one.json()["conversation_id"] == sent[0]["conversation_id"]
    missing = api.get("/messages/status", headers=V216)
    assert missing.status_code == 400 and missing.json()["type"] == "error"
    assert missing.json()["message"] == "ruleset_id is required"
    gone = api.get("/messages/whatsapp/status", params={"message_id": "wamid_nope"}, headers=V216)
    assert error_of(gone, 404)["code"] == "whatsapp_message_not_found"
    assert (
        error_of(api.get("/messages/status", params={"ruleset_id": "77"}), 400)["code"]
        == "intercom_version_invalid"
    )
