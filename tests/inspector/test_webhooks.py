import uuid

from fake_intercom.testing import WebhookReceiver
from tests.inspector.conftest import assert_page


def test_send_a_topic_and_see_its_delivery(inspected) -> None:
    control = f"/_sandbox/workspaces/{inspected.workspace_id}"
    contact = inspected.api.post("/contacts", json={"email": f"{uuid.uuid4().hex[:8]}@hook.example"}).json()
    with WebhookReceiver() as receiver:
        subscription = inspected.ui.post(
            f"{control}/webhooks", json={"url": receiver.url, "topics": ["contact.user.updated"]}
        ).json()
        try:
            response = inspected.act(
                "/webhooks/trigger", {"topic": "contact.user.updated", "object_id": contact["id"]}
            )
            assert response.status_code == 201, response.text
            assert response.json()["subscriptions"] == 1
            received = receiver.wait_for("contact.user.updated")
            assert received.item["id"] == contact["id"]
            inspected.ui.get(f"{control}/webhook_deliveries")  # the delivery has been logged
            html = assert_page(inspected.page("/webhooks"), receiver.url, "contact.user.updated", "delivered")
            assert received.headers["x-hub-signature"] in html
        finally:
            inspected.ui.delete(f"{control}/webhooks/{subscription['id']}")


def test_ticket_closed_nests_the_ticket(inspected) -> None:
    control = f"/_sandbox/workspaces/{inspected.workspace_id}"
    ticket = inspected.api.post(
        "/tickets/search", json={"query": {"field": "state", "operator": "=", "value": "resolved"}}
    ).json()["tickets"][0]
    with WebhookReceiver() as receiver:
        subscription = inspected.ui.post(
            f"{control}/webhooks", json={"url": receiver.url, "topics": ["ticket.*"]}
        ).json()
        try:
            assert (
                inspected.act(
                    "/webhooks/trigger", {"topic": "ticket.closed", "object_id": ticket["id"]}
                ).status_code
                == 201
            )
            assert receiver.wait_for("ticket.closed").item["ticket"]["id"] == ticket["id"]
        finally:
            inspected.ui.delete(f"{control}/webhooks/{subscription['id']}")


def test_sending_what_cannot_be_sent_is_intercoms_error(inspected) -> None:
    unknown_topic = inspected.act("/webhooks/trigger", {"topic": "contact.teleported", "object_id": "x"})
    assert unknown_topic.status_code == 400
    assert unknown_topic.json()["errors"][0]["field"] == "topic"
    missing = inspected.act("/webhooks/trigger", {"topic": "conversation.read", "object_id": "999999999"})
    assert missing.status_code == 404
    assert missing.json()["type"] == "error.list"


def test_the_page_lists_subscriptions(inspected) -> None:
    control = f"/_sandbox/workspaces/{inspected.workspace_id}"
    subscription = inspected.ui.post(
        f"{control}/webhooks", json={"url": "http://127.0.0.1:9/<hook>", "topics": ["contact.*"]}
    ).json()
    html = assert_page(inspected.page("/webhooks"), "http://127.0.0.1:9/&lt;hook&gt;", "contact.*", "Ping")
    assert f"{control}/webhooks/{subscription['id']}/ping" in html
    inspected.ui.delete(f"{control}/webhooks/{subscription['id']}")
