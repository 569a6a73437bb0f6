import uuid

from tests.inspector.conftest import assert_page


def conversation_with(inspected, body: str = "Help me please") -> tuple[str, str]:
    contact = inspected.api.post("/contacts", json={"email": f"{uuid.uuid4().hex[:8]}@conv.example"}).json()
    started = inspected.api.post(
        "/conversations", json={"from": {"type": "user", "id": contact["id"]}, "body": body}
    )
    assert started.status_code == 200, started.text
    return started.json()["conversation_id"], contact["id"]


def test_the_inbox_by_state(inspected) -> None:
    html = assert_page(inspected.page("/inbox"), "open conversations", "POST /conversations/search")
    assert 'aria-current="page">Open' in html
    assert_page(inspected.page("/inbox", state="snoozed"), "snoozed conversations")
    assert_page(inspected.page("/inbox", state="closed"), "closed conversations")
    assert_page(inspected.page("/inbox", state="deleted"), "state must be one of", status=400)


def test_a_thread_as_intercom_shows_it(inspected) -> None:
    conversation_id, contact_id = conversation_with(inspected, "My export is stuck")
    admin_id = inspected.api.get("/me").json()["id"]
    base = f"/conversations/{conversation_id}"
    inspected.api.post(
        f"{base}/reply",
        json={"message_type": "comment", "type": "admin", "admin_id": admin_id, "body": "On it"},
    )
    inspected.api.post(
        f"{base}/reply",
        json={"message_type": "note", "type": "admin", "admin_id": admin_id, "body": "Check the queue"},
    )
    inspected.api.post(
        f"{base}/parts",
        json={"message_type": "assignment", "type": "admin", "admin_id": admin_id, "assignee_id": admin_id},
    )
    inspected.api.post(f"{base}/parts", json={"message_type": "close", "type": "admin", "admin_id": admin_id})
    html = assert_page(
        inspected.page(base),
        "My export is stuck",
        "On it",
        "added a note",
        "Check the queue",
        "assigned this to",
        "closed this",
        "Reply as the contact",
        "conversation.user.replied",
    )
    assert f'value="{contact_id}"' in html


def test_reply_as_the_contact(inspected) -> None:
    conversation_id, contact_id = conversation_with(inspected)
    response = inspected.act(
        f"/conversations/{conversation_id}/reply", {"contact_id": contact_id, "body": "Any news?"}
    )
    assert response.status_code == 200, response.text
    parts = inspected.api.get(f"/conversations/{conversation_id}").json()["conversation_parts"]
    last = parts["conversation_parts"][-1]
    assert (last["part_type"], last["author"]["id"]) == ("comment", contact_id)
    assert "Any news?" in last["body"]
    assert_page(inspected.page(f"/conversations/{conversation_id}"), "Any news?")


def test_reply_as_a_stranger_is_intercoms_error(inspected) -> None:
    conversation_id, _ = conversation_with(inspected)
    response = inspected.act(
        f"/conversations/{conversation_id}/reply", {"contact_id": "0123456789abcdef01234567", "body": "Hi"}
    )
    assert response.status_code == 404
    assert response.json()["type"] == "error.list"
    assert inspected.act(f"/conversations/{conversation_id}/reply", {"body": "Hi"}).status_code == 400


def test_message_bodies_keep_only_harmless_markup(inspected) -> None:
    conversation_id, contact_id = conversation_with(inspected)
    inspected.act(
        f"/conversations/{conversation_id}/reply",
        {
            "contact_id": contact_id,
            "body": '<p>Look <b>here</b></p><script>alert(1)</script><img src=x onerror="alert(2)">',
        },
    )
    html = assert_page(inspected.page(f"/conversations/{conversation_id}"), "<b>here</b>")
    assert "<script>alert(1)" not in html
    assert 'onerror="' not in html


def test_an_unknown_conversation_is_a_404_page(inspected) -> None:
    assert_page(inspected.page("/conversations/999999999"), status=404)
