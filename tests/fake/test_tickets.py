"""Tickets: create, read, update through states, reply, tag, link, delete, search, 2.16."""

import httpx
import pytest

from fake_intercom.resources.teams import create_team
from tests.fake.test_ticket_types import new_attribute, new_type
from tests.helpers.api import domain_of, error_of, new_company, new_contact

V216 = {"Intercom-Version": "2.16"}


def new_ticket(api: httpx.Client, type_id: str, contact_id: str, **attributes) -> dict:
    body = {"ticket_type_id": type_id, "contacts": [{"id": contact_id}], "ticket_attributes": attributes}
    response = api.post("/tickets", json=body)
    assert response.status_code == 200, response.text
    return response.json()


def state_id(ticket_type: dict, category: str) -> str:
    return next(s["id"] for s in ticket_type["ticket_states"]["data"] if s["category"] == category)


def update(api: httpx.Client, ticket_id: str, **fields) -> dict:
    response = api.put(f"/tickets/{ticket_id}", json=fields)
    assert response.status_code == 200, response.text
    return response.json()


def parts(ticket: dict) -> list[dict]:
    return ticket["ticket_parts"]["ticket_parts"]


def topics(app, workspace) -> list[str]:
    store = app.state.store
    rows = store.query(
        "SELECT topic FROM notifications WHERE workspace_id = ? AND topic LIKE 'ticket.%' ORDER BY rowid",
        (workspace[0].id,),
    )
    return [row["topic"] for row in rows]


@pytest.fixture
def bug(api: httpx.Client) -> dict:
    return new_type(api, name="Bug", category="Customer")


def test_create_answers_the_full_ticket(api: httpx.Client, bug, app, workspace) -> None:
    contact_id = new_contact(api)
    ticket = new_ticket(
        api, bug["id"], contact_id, _default_title_="Broken", _default_description_="It fails"
    )
    assert ticket["type"] == "ticket" and ticket["id"].isdigit() and ticket["ticket_id"] == "1"
    assert ticket["ticket_attributes"] == {"_default_title_": "Broken", "_default_description_": "It fails"}
    assert ticket["ticket_state"]["category"] == "submitted"
    assert ticket["ticket_type"]["id"] == bug["id"] and "ticket_states" not in ticket["ticket_type"]
    assert ticket["contacts"] == {
        "type": "contact.list",
        "contacts": [{"type": "contact", "id": contact_id, "external_id": None}],
    }
    assert (ticket["admin_assignee_id"], ticket["team_assignee_id"]) == ("0", "0")
    assert ticket["open"] is True and ticket["category"] == "Customer" and "snoozed_until" not in ticket
    assert ticket["linked_objects"] == {"type": "list", "data": [], "total_count": 0, "has_more": False}
    [part] = parts(ticket)
    assert part["part_type"] == "ticket_state_updated_by_admin"
    assert (part["ticket_state"], part["previous_ticket_state"]) == ("submitted", "submitted")
    assert part["author"]["type"] == "bot"
    assert ticket["ticket_parts"]["total_count"] == 1
    assert "previous_ticket_state_id" not in ticket
    assert api.get(f"/tickets/{ticket['id']}").json() == ticket
    second = new_ticket(api, bug["id"], contact_id)
    assert second["ticket_id"] == "2" and int(second["id"]) > int(ticket["id"])
    assert second["ticket_attributes"] == {"_default_title_": None, "_default_description_": None}
    assert topics(app, workspace) == ["ticket.created", "ticket.created"]


def test_create_finds_contacts_by_external_id_and_email(api: httpx.Client, bug) -> None:
    made = api.post("/contacts", json={"role": "user", "email": "known@test.example", "external_id": "ext-1"})
    contact = made.json()
    by_external = api.post(
        "/tickets", json={"ticket_type_id": bug["id"], "contacts": [{"external_id": "ext-1"}]}
    )
    assert by_external.json()["contacts"]["contacts"][0]["id"] == contact["id"]
    by_email = api.post(
        "/tickets", json={"ticket_type_id": bug["id"], "contacts": [{"email": "KNOWN@test.example"}]}
    )
    assert by_email.json()["contacts"]["contacts"][0]["id"] == contact["id"]
    new_email = api.post(
        "/tickets", json={"ticket_type_id": bug["id"], "contacts": [{"email": "new@test.example"}]}
    )
    lead_id = new_email.json()["contacts"]["contacts"][0]["id"]
    lead = api.get(f"/contacts/{lead_id}").json()
    assert lead["role"] == "lead" and lead["email"] == "new@test.example"


def test_create_errors(api: httpx.Client, bug) -> None:
    contact_id = new_contact(api)
    required = new_attribute(
        api, bug["id"], name="Severity", data_type="list", list_items="Low,High", required_to_create=True
    )
    missing = api.post("/tickets", json={"ticket_type_id": bug["id"], "contacts": [{"id": contact_id}]})
    assert error_of(missing, 400) == {
        "code": "parameter_invalid",
        "message": "Missing required ticket attributes",
    }
    wrong_option = {
        "ticket_type_id": bug["id"],
        "contacts": [{"id": contact_id}],
        "ticket_attributes": {"Severity": "Huge"},
    }
    assert error_of(api.post("/tickets", json=wrong_option), 400)["code"] == "parameter_invalid"
    extra = {
        "ticket_type_id": bug["id"],
        "contacts": [{"id": contact_id}],
        "ticket_attributes": {"Severity": "Low", "Nope": 1},
    }
    assert "Nope" in error_of(api.post("/tickets", json=extra), 400)["message"]
    by_option_id = {
        **wrong_option,
        "ticket_attributes": {"Severity": required["input_options"]["list_options"][1]["id"]},
    }
    assert api.post("/tickets", json=by_option_id).json()["ticket_attributes"]["Severity"] == "High"
    unknown_type = api.post("/tickets", json={"ticket_type_id": "999999", "contacts": [{"id": contact_id}]})
    assert error_of(unknown_type, 404)["code"] == "not_found"
    unknown_contact = api.post("/tickets", json={"ticket_type_id": bug["id"], "contacts": [{"id": "nope"}]})
    assert error_of(unknown_contact, 404) == {"code": "not_found", "message": "User Not Found"}
    two = api.post(
        "/tickets", json={"ticket_type_id": bug["id"], "contacts": [{"id": contact_id}, {"id": contact_id}]}
    )
    assert error_of(two, 400)["code"] == "parameter_invalid"
    assert (
        error_of(api.post("/tickets", json={"ticket_type_id": bug["id"]}), 400)["code"]
        == "parameter_not_found"
    )
    api.put(f"/ticket_types/{bug['id']}", json={"archived": True})
    archived = api.post("/tickets", json={**by_option_id})
    assert error_of(archived, 400)["code"] == "parameter_invalid"
    # Nothing half-written: only the one good ticket exists.
    assert (
        api.post("/tickets/search", json={"query": {"field": "open", "operator": "=", "value": True}}).json()[
            "total_count"
        ]
        == 1
    )


def test_create_with_assignment_company_and_time(api: httpx.Client, bug, app, workspace) -> None:
    store, ws = domain_of(app, workspace)
    team = create_team(store, ws, name="Support", admin_ids=[ws.owner_admin_id])
    company = new_company(api)
    body = {
        "ticket_type_id": bug["id"],
        "contacts": [{"id": new_contact(api)}],
        "assignment": {"admin_assignee_id": ws.owner_admin_id, "team_assignee_id": team["id"]},
        "company_id": company["id"],
        "created_at": 1_700_000_000,
    }
    ticket = api.post("/tickets", json=body).json()
    assert (ticket["admin_assignee_id"], ticket["team_assignee_id"]) == (ws.owner_admin_id, team["id"])
    assert ticket["created_at"] == 1_700_000_000
    assert [p["assigned_to"] for p in parts(ticket) if p["part_type"] == "assignment"] == [
        {"type": "admin", "id": ws.owner_admin_id},
        {"type": "team", "id": team["id"]},
    ]
    swapped = {**body, "assignment": {"admin_assignee_id": team["id"]}}
    assert error_of(api.post("/tickets", json=swapped), 404)["code"] == "assignee_not_found"
    assert (
        error_of(api.post("/tickets", json={**body, "company_id": "nope"}), 404)["code"]
        == "company_not_found"
    )


def test_state_changes_append_parts_and_resolve_closes(api: httpx.Client, bug, workspace, app) -> None:
    ticket = new_ticket(api, bug["id"], new_contact(api))
    admin_id = workspace[0].owner_admin_id
    moved = update(api, ticket["id"], ticket_state_id=state_id(bug, "in_progress"), admin_id=admin_id)
    assert moved["ticket_state"]["category"] == "in_progress" and moved["open"] is True
    last = parts(moved)[-1]
    assert last["part_type"] == "ticket_state_updated_by_admin"
    assert (last["ticket_state"], last["previous_ticket_state"]) == ("in_progress", "submitted")
    assert last["author"]["type"] == "admin" and last["author"]["id"] == admin_id
    resolved = update(api, ticket["id"], ticket_state_id=state_id(bug, "resolved"))
    assert resolved["open"] is False and parts(resolved)[-1]["author"]["type"] == "bot"
    reopened = update(api, ticket["id"], ticket_state_id=int(state_id(bug, "waiting_on_customer")))
    assert reopened["open"] is True
    assert len(parts(reopened)) == 4
    same = update(api, ticket["id"], ticket_state_id=state_id(bug, "waiting_on_customer"))
    assert len(parts(same)) == 4
    for bad in ("0", "999999"):
        invalid = api.put(f"/tickets/{ticket['id']}", json={"ticket_state_id": bad})
        assert error_of(invalid, 400) == {
            "code": "ticket_state_id_invalid",
            "message": "Ticket state id is not valid or is not associated with the ticket type",
        }
    assert topics(app, workspace).count("ticket.state.updated") == 3
    assert "ticket.resolved" in topics(app, workspace) and "ticket.closed" in topics(app, workspace)


def test_custom_state_must_belong_to_the_type(api: httpx.Client, bug, app, workspace) -> None:
    from fake_intercom.resources.ticket_states import create_ticket_state, link_state

    store, ws = domain_of(app, workspace)
    other = new_type(api)
    custom = create_ticket_state(store, ws, "in_progress", "Investigating", "On it")
    link_state(store, ws.id, other["id"], custom["id"])
    ticket = new_ticket(api, bug["id"], new_contact(api))
    refused = api.put(f"/tickets/{ticket['id']}", json={"ticket_state_id": custom["id"]})
    assert error_of(refused, 400)["code"] == "ticket_state_id_invalid"
    accepted = update(api, new_ticket(api, other["id"], new_contact(api))["id"], ticket_state_id=custom["id"])
    assert accepted["ticket_state"]["internal_label"] == "Investigating"


def test_attribute_updates_append_parts(api: httpx.Client, bug) -> None:
    severity = new_attribute(api, bug["id"], name="Severity", data_type="list", list_items="Low,High")
    new_attribute(api, bug["id"], name="Seats", data_type="integer")
    new_attribute(api, bug["id"], name="Paid", data_type="boolean")
    ticket = new_ticket(api, bug["id"], new_contact(api), _default_title_="T")
    changed = update(
        api, ticket["id"], ticket_attributes={"Severity": "High", "Seats": 3, "_default_title_": "T"}
    )
    assert changed["ticket_attributes"] == {
        "_default_title_": "T",
        "_default_description_": None,
        "Severity": "High",
        "Seats": 3,
        "Paid": None,
    }
    attribute_parts = [p for p in parts(changed) if p["part_type"] == "ticket_attribute_updated_by_admin"]
    assert len(attribute_parts) == 2  # the unchanged title makes no part
    high = severity["input_options"]["list_options"][1]
    assert attribute_parts[0]["updated_attribute_data"] == {
        "attribute": {"type": "attribute", "id": severity["id"], "label": "Severity"},
        "value": {"type": "value", "id": high["id"], "label": "High"},
    }
    assert attribute_parts[1]["updated_attribute_data"]["value"] == {"type": "value", "id": "3", "label": "3"}
    for bad in ({"Seats": "three"}, {"Paid": "yes"}, {"Seats": True}, {"Unknown": 1}):
        refused = api.put(f"/tickets/{ticket['id']}", json={"ticket_attributes": bad})
        assert error_of(refused, 400)["code"] == "parameter_invalid", bad
    assert api.get(f"/tickets/{ticket['id']}").json() == changed


def test_assignment_open_close_snooze(api: httpx.Client, bug, app, workspace) -> None:
    store, ws = domain_of(app, workspace)
    team = create_team(store, ws, name="Support", admin_ids=[ws.owner_admin_id])
    ticket = new_ticket(api, bug["id"], new_contact(api))
    assigned = update(api, ticket["id"], assignee_id=ws.owner_admin_id, admin_id=int(ws.owner_admin_id))
    assert assigned["admin_assignee_id"] == ws.owner_admin_id
    assert parts(assigned)[-1]["assigned_to"] == {"type": "admin", "id": ws.owner_admin_id}
    to_team = update(api, ticket["id"], assignee_id=team["id"])
    assert (to_team["admin_assignee_id"], to_team["team_assignee_id"]) == (ws.owner_admin_id, team["id"])
    unassigned = update(api, ticket["id"], assignee_id="0")
    assert (unassigned["admin_assignee_id"], unassigned["team_assignee_id"]) == ("0", "0")
    assert parts(unassigned)[-1]["assigned_to"] == {"type": "nobody_admin", "id": None}
    for body in ({"assignee_id": "123"}, {"admin_id": 123, "assignee_id": ws.owner_admin_id}):
        assert error_of(api.put(f"/tickets/{ticket['id']}", json=body), 404) == {
            "code": "assignee_not_found",
            "message": "Assignee not found",
        }
    snoozed = update(api, ticket["id"], snoozed_until=1_900_000_000)
    assert snoozed["snoozed_until"] == 1_900_000_000 and snoozed["open"] is True
    assert parts(snoozed)[-1]["part_type"] == "snoozed"
    closed = update(api, ticket["id"], open=False)
    assert (
        closed["open"] is False
        and "snoozed_until" not in closed
        and parts(closed)[-1]["part_type"] == "close"
    )
    opened = update(api, ticket["id"], open=True, is_shared=False)
    assert (
        opened["open"] is True and opened["is_shared"] is False and parts(opened)[-1]["part_type"] == "open"
    )
    assert (
        error_of(api.put(f"/tickets/{ticket['id']}", json={"company_id": "nope"}), 404)["code"]
        == "company_not_found"
    )
    assert error_of(api.put("/tickets/999999", json={"open": False}), 404) == {
        "code": "ticket_not_found",
        "message": "Ticket not found",
    }
    assert {"ticket.admin.assigned", "ticket.team.assigned", "ticket.closed"} <= set(topics(app, workspace))


def test_replies_answer_a_ticket_part(api: httpx.Client, bug, workspace, app) -> None:
    contact = api.post(
        "/contacts", json={"role": "user", "email": "r@test.example", "external_id": "r-1"}
    ).json()
    ticket = new_ticket(api, bug["id"], contact["id"])
    admin_id = workspace[0].owner_admin_id
    url = f"/tickets/{ticket['id']}/reply"
    note = api.post(
        url, json={"type": "admin", "message_type": "note", "admin_id": admin_id, "body": "Internal"}
    )
    assert note.status_code == 200, note.text
    assert note.json()["type"] == "ticket_part" and note.json()["part_type"] == "note"
    assert note.json()["body"] == "<p>Internal</p>" and note.json()["author"]["id"] == admin_id
    comment = api.post(
        url, json={"type": "admin", "message_type": "comment", "admin_id": int(admin_id), "body": "<b>Hi</b>"}
    )
    assert comment.json()["body"] == "<b>Hi</b>"
    quick = api.post(
        url,
        json={
            "type": "admin",
            "message_type": "quick_reply",
            "admin_id": admin_id,
            "reply_options": [{"text": "Yes", "uuid": "0df48b85-9a93-4c66-a167-753eff0baaec"}],
        },
    )
    assert quick.json()["part_type"] == "quick_reply" and "body" not in quick.json()
    for who in ({"intercom_user_id": contact["id"]}, {"user_id": "r-1"}, {"email": "r@test.example"}):
        user = api.post(url, json={"type": "user", "message_type": "comment", "body": "Thanks", **who})
        assert user.status_code == 200, user.text
        assert user.json()["author"] == {
            "id": contact["id"],
            "type": "user",
            "name": None,
            "email": "r@test.example",
        }
    attached = api.post(
        url,
        json={
            "type": "admin",
            "message_type": "comment",
            "admin_id": admin_id,
            "body": "See file",
            "attachment_urls": ["https://example.com/files/report.pdf"],
        },
    ).json()
    assert attached["attachments"][0]["name"] == "report.pdf"
    assert attached["attachments"][0]["content_type"] == "application/pdf"
    stored = api.get(f"/tickets/{ticket['id']}").json()
    assert [p["id"] for p in parts(stored)][1:] == [
        note.json()["id"],
        comment.json()["id"],
        quick.json()["id"],
        *[p["id"] for p in parts(stored)][4:7],
        attached["id"],
    ]
    assert {"ticket.note.created", "ticket.admin.replied", "ticket.contact.replied"} <= set(
        topics(app, workspace)
    )


def test_reply_errors(api: httpx.Client, bug, workspace) -> None:
    contact_id = new_contact(api)
    back_office = new_type(api, category="Back-office")
    internal = new_ticket(api, back_office["id"], contact_id)
    user_reply = {"type": "user", "message_type": "comment", "intercom_user_id": contact_id, "body": "Hi"}
    assert error_of(api.post(f"/tickets/{internal['id']}/reply", json=user_reply), 400) == {
        "code": "parameter_mismatch",
        "message": "User replies are not allowed on Backoffice tickets",
    }
    ticket = new_ticket(api, bug["id"], contact_id)
    url = f"/tickets/{ticket['id']}/reply"
    assert error_of(api.post("/tickets/999999/reply", json=user_reply), 404) == {
        "code": "not_found",
        "message": "Resource Not Found",
    }
    unknown_user = {**user_reply, "intercom_user_id": "nope"}
    assert error_of(api.post(url, json=unknown_user), 404)["message"] == "User Not Found"
    admin = {"type": "admin", "message_type": "comment", "admin_id": workspace[0].owner_admin_id}
    assert error_of(api.post(url, json=admin), 400)["code"] == "parameter_invalid"
    assert (
        error_of(api.post(url, json={**admin, "body": "x", "admin_id": "1"}), 404)["code"]
        == "admin_not_found"
    )
    assert (
        error_of(api.post(url, json={**admin, "message_type": "quick_reply"}), 400)["code"]
        == "parameter_invalid"
    )
    assert (
        error_of(api.post(url, json={**admin, "message_type": "shout", "body": "x"}), 400)["code"]
        == "parameter_invalid"
    )
    assert (
        error_of(api.post(url, json={**admin, "type": "bot", "body": "x"}), 400)["code"]
        == "parameter_invalid"
    )
    assert len(parts(api.get(f"/tickets/{ticket['id']}").json())) == 1


def test_a_user_reply_reopens_a_closed_ticket(api: httpx.Client, bug) -> None:
    contact_id = new_contact(api)
    ticket = new_ticket(api, bug["id"], contact_id)
    update(api, ticket["id"], open=False)
    reply = {
        "type": "user",
        "message_type": "comment",
        "intercom_user_id": contact_id,
        "body": "Still broken",
    }
    assert api.post(f"/tickets/{ticket['id']}/reply", json=reply).status_code == 200
    assert api.get(f"/tickets/{ticket['id']}").json()["open"] is True


def test_tags(api: httpx.Client, bug, workspace) -> None:
    ticket = new_ticket(api, bug["id"], new_contact(api))
    tag = api.post("/tags", json={"name": "Urgent"}).json()
    admin_id = workspace[0].owner_admin_id
    attached = api.post(f"/tickets/{ticket['id']}/tags", json={"id": int(tag["id"]), "admin_id": admin_id})
    assert attached.status_code == 200, attached.text
    assert attached.json()["name"] == "Urgent" and attached.json()["applied_by"] == {
        "type": "admin",
        "id": admin_id,
    }
    again = api.post(f"/tickets/{ticket['id']}/tags", json={"id": tag["id"], "admin_id": admin_id}).json()
    assert again["applied_at"] == attached.json()["applied_at"]
    assert api.delete(f"/tickets/{ticket['id']}/tags/{tag['id']}").json() == attached.json()
    not_applied = api.delete(f"/tickets/{ticket['id']}/tags/{tag['id']}").json()
    assert not_applied == {"type": "tag", "id": tag["id"], "name": "Urgent"}
    missing_ticket = api.post("/tickets/999999/tags", json={"id": tag["id"], "admin_id": admin_id})
    assert error_of(missing_ticket, 404) == {"code": "ticket_not_found", "message": "Ticket not found"}
    missing_tag = api.delete(f"/tickets/{ticket['id']}/tags/999999")
    assert error_of(missing_tag, 404) == {"code": "tag_not_found", "message": "Tag not found"}
    unknown_admin = api.post(f"/tickets/{ticket['id']}/tags", json={"id": tag["id"], "admin_id": "1"})
    assert error_of(unknown_admin, 404)["code"] == "admin_not_found"


def test_deleting_a_tag_untags_tickets(api: httpx.Client, bug, app, workspace) -> None:
    ticket = new_ticket(api, bug["id"], new_contact(api))
    tag = api.post("/tags", json={"name": "Gone"}).json()
    api.post(f"/tickets/{ticket['id']}/tags", json={"id": tag["id"], "admin_id": workspace[0].owner_admin_id})
    assert api.delete(f"/tags/{tag['id']}").status_code == 200
    store = app.state.store
    assert store.scalar("SELECT COUNT(*) FROM ticket_tags WHERE workspace_id = ?", (workspace[0].id,)) == 0


def test_delete(api: httpx.Client, bug) -> None:
    ticket = new_ticket(api, bug["id"], new_contact(api))
    deleted = api.delete(f"/tickets/{ticket['id']}")
    assert deleted.json() == {"id": ticket["id"], "object": "ticket", "deleted": True}
    assert error_of(api.get(f"/tickets/{ticket['id']}"), 404)["code"] == "ticket_not_found"
    assert error_of(api.delete(f"/tickets/{ticket['id']}"), 404) == {
        "code": "ticket_not_found",
        "message": "Ticket not found",
    }


def test_216_shapes(api: httpx.Client, bug, workspace) -> None:
    ticket = new_ticket(api, bug["id"], new_contact(api))
    fresh = api.get(f"/tickets/{ticket['id']}", headers=V216).json()
    assert (fresh["admin_assignee_id"], fresh["team_assignee_id"]) == (0, 0)
    assert fresh["previous_ticket_state_id"] is None
    submitted = state_id(bug, "submitted")
    moved = api.put(
        f"/tickets/{ticket['id']}",
        json={"ticket_state_id": state_id(bug, "in_progress"), "assignee_id": workspace[0].owner_admin_id},
        headers=V216,
    ).json()
    assert moved["previous_ticket_state_id"] == submitted
    assert moved["admin_assignee_id"] == int(workspace[0].owner_admin_id)
    assert api.get(f"/tickets/{ticket['id']}").json()["admin_assignee_id"] == workspace[0].owner_admin_id


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("POST", "/tickets/1/change_type"),
        ("POST", "/tickets/1/linked_conversations"),
        ("DELETE", "/tickets/1/linked_conversations/2"),
    ],
)
def test_216_operations_are_refused_on_215(api: httpx.Client, method: str, path: str) -> None:
    refused = api.request(method, path, json={})
    assert error_of(refused, 400)["code"] == "intercom_version_invalid"


def test_change_type(api: httpx.Client, bug) -> None:
    new_attribute(api, bug["id"], name="Browser", data_type="string")
    new_attribute(api, bug["id"], name="Seats", data_type="integer")
    target = new_type(api, name="Bug v2", category="Customer")
    new_attribute(api, target["id"], name="Browser", data_type="string")
    new_attribute(api, target["id"], name="Seats", data_type="string")
    ticket = new_ticket(api, bug["id"], new_contact(api), _default_title_="T", Browser="Safari", Seats=3)
    url = f"/tickets/{ticket['id']}/change_type"
    body = {"ticket_type_id": target["id"], "ticket_state_id": state_id(target, "in_progress")}
    changed = api.post(url, json=body, headers=V216)
    assert changed.status_code == 200, changed.text
    moved = changed.json()
    assert moved["ticket_type"]["id"] == target["id"] and moved["ticket_state"]["category"] == "in_progress"
    # Same name and type carry over; same name, other type does not.
    assert moved["ticket_attributes"] == {
        "_default_title_": "T",
        "_default_description_": None,
        "Browser": "Safari",
        "Seats": None,
    }
    errors = {
        "ticket_type_id is a required parameter": {"ticket_state_id": "1"},
        "ticket_state_id is a required parameter": {"ticket_type_id": bug["id"]},
        "Cannot change to the same ticket type": body,
        "The new ticket type must be in the same category": {
            "ticket_type_id": (tracker := new_type(api, category="Tracker"))["id"],
            "ticket_state_id": state_id(tracker, "submitted"),
        },
        "Extra attributes provided that are not found on ticket type: Nope": {
            "ticket_type_id": bug["id"],
            "ticket_state_id": state_id(bug, "submitted"),
            "ticket_attributes": {"Nope": 1},
        },
    }
    for message, bad in errors.items():
        assert error_of(api.post(url, json=bad, headers=V216), 400)["message"] == message


def test_link_customer_tickets_to_a_tracker(api: httpx.Client, bug) -> None:
    tracker_type = new_type(api, name="Outage", category="Tracker")
    contact_id = new_contact(api)
    tracker = new_ticket(api, tracker_type["id"], contact_id)
    customer = new_ticket(api, bug["id"], contact_id)
    url = f"/tickets/{tracker['id']}/linked_conversations"
    linked = api.post(url, json={"conversation_id": customer["id"]}, headers=V216)
    assert linked.status_code == 200, linked.text
    assert linked.json()["linked_objects"]["data"] == [
        {"type": "ticket", "id": tracker["id"], "category": "Tracker"}
    ]
    shown = api.get(f"/tickets/{tracker['id']}").json()["linked_objects"]
    assert shown == {
        "type": "list",
        "data": [{"type": "ticket", "id": customer["id"], "category": "Customer"}],
        "total_count": 1,
        "has_more": False,
    }
    second_tracker = new_ticket(api, tracker_type["id"], contact_id)
    again = api.post(
        f"/tickets/{second_tracker['id']}/linked_conversations",
        json={"conversation_id": customer["id"]},
        headers=V216,
    )
    assert error_of(again, 400)["code"] == "already_linked_to_tracker"
    not_tracker = api.post(
        f"/tickets/{customer['id']}/linked_conversations", json={"conversation_id": "1"}, headers=V216
    )
    assert error_of(not_tracker, 400)["code"] == "invalid_ticket_type"
    assert error_of(api.post(url, json={}, headers=V216), 400)["code"] == "parameter_not_found"
    unlinked = api.delete(f"{url}/{customer['id']}", headers=V216)
    assert unlinked.status_code == 200 and unlinked.json()["linked_objects"]["data"] == []
    assert (
        error_of(api.delete(f"{url}/{customer['id']}", headers=V216), 404)["code"] == "conversation_not_found"
    )


def test_link_a_conversation_and_convert_one(api: httpx.Client, bug) -> None:
    contact_id = new_contact(api)
    started = api.post("/conversations", json={"from": {"type": "user", "id": contact_id}, "body": "Help"})
    assert started.status_code == 200, started.text
    conversation_id = started.json()["conversation_id"]
    tracker = new_ticket(api, new_type(api, category="Tracker")["id"], contact_id)
    url = f"/tickets/{tracker['id']}/linked_conversations"
    linked = api.post(url, json={"conversation_id": conversation_id}, headers=V216).json()
    assert linked["type"] == "conversation" and linked["id"] == conversation_id
    assert {"type": "ticket", "id": tracker["id"], "category": "Tracker"} in linked["linked_objects"]["data"]
    missing = api.post(url, json={"conversation_id": "999999"}, headers=V216)
    assert error_of(missing, 404) == {"code": "conversation_not_found", "message": "Conversation not found"}
    converted = api.post(f"/conversations/{conversation_id}/convert", json={"ticket_type_id": bug["id"]})
    assert converted.status_code == 200, converted.text
    ticket = converted.json()
    assert ticket["type"] == "ticket" and ticket["category"] == "Customer"
    assert ticket["contacts"]["contacts"][0]["id"] == contact_id
    assert ticket["linked_objects"]["data"] == [
        {"type": "conversation", "id": conversation_id, "category": None}
    ]
    opened = api.get(f"/conversations/{conversation_id}").json()
    assert ticket["created_at"] == opened["created_at"]
    first, state = parts(ticket)
    assert (first["part_type"], first["body"], first["created_at"]) == (
        "comment",
        "<p>Help</p>",
        opened["created_at"],
    )
    assert (first["author"]["type"], first["author"]["id"]) == ("user", contact_id)
    assert state["part_type"] == "ticket_state_updated_by_admin" and state["ticket_state"] == "submitted"
    back_office = new_type(api, category="Back-office")
    refused = api.post(
        f"/conversations/{conversation_id}/convert", json={"ticket_type_id": back_office["id"]}
    )
    assert error_of(refused, 400) == {
        "code": "parameter_invalid",
        "message": "Ticket type is not a customer ticket type",
    }


def test_search(api: httpx.Client, bug, workspace) -> None:
    contact_id, other_contact = new_contact(api), new_contact(api)
    tracker = new_type(api, category="Tracker")
    first = new_ticket(api, bug["id"], contact_id, _default_title_="Login broken")
    second = new_ticket(api, bug["id"], other_contact, _default_title_="Export slow")
    third = new_ticket(api, tracker["id"], contact_id, _default_title_="API down")
    update(
        api, second["id"], ticket_state_id=state_id(bug, "in_progress"), admin_id=workspace[0].owner_admin_id
    )

    def found(query: dict, **extra) -> list[str]:
        response = api.post("/tickets/search", json={"query": query, **extra})
        assert response.status_code == 200, response.text
        return [t["id"] for t in response.json()["tickets"]]

    assert found({"field": "category", "operator": "=", "value": "request"}) == [second["id"], first["id"]]
    assert found({"field": "category", "operator": "=", "value": "tracker"}) == [third["id"]]
    assert found({"field": "state", "operator": "=", "value": "in_progress"}) == [second["id"]]
    assert found({"field": "title", "operator": "~", "value": "broken"}) == [first["id"]]
    assert found({"field": "contact_ids", "operator": "=", "value": contact_id}) == [third["id"], first["id"]]
    teammate = {"field": "teammate_ids", "operator": "=", "value": workspace[0].owner_admin_id}
    assert found(teammate) == [second["id"]]
    nested = {
        "operator": "AND",
        "value": [
            {"field": "open", "operator": "=", "value": True},
            {
                "operator": "OR",
                "value": [
                    {"field": "ticket_type_id", "operator": "=", "value": tracker["id"]},
                    {"field": "admin_assignee_id", "operator": "=", "value": "0"},
                ],
            },
        ],
    }
    assert found(nested, sort={"field": "created_at", "order": "ascending"}) == [
        first["id"],
        second["id"],
        third["id"],
    ]
    created = {"field": "created_at", "operator": ">=", "value": first["created_at"]}
    assert len(found(created)) == 3
    page = api.post("/tickets/search", json={"query": created, "pagination": {"per_page": 2}}).json()
    assert page["type"] == "ticket.list" and page["total_count"] == 3 and len(page["tickets"]) == 2
    cursor = page["pages"]["next"]["starting_after"]
    rest = api.post(
        "/tickets/search", json={"query": created, "pagination": {"per_page": 2, "starting_after": cursor}}
    ).json()
    assert len(rest["tickets"]) == 1 and "next" not in rest["pages"]
    bad_operator = api.post(
        "/tickets/search", json={"query": {"field": "updated_at", "operator": ">=", "value": 1}}
    )
    assert error_of(bad_operator, 400)["code"] == "invalid_operator"
    unknown_field = api.post(
        "/tickets/search", json={"query": {"field": "source.body", "operator": "=", "value": "x"}}
    )
    assert error_of(unknown_field, 400)["code"] == "invalid_field"


def test_search_ticket_attributes(api: httpx.Client, bug) -> None:
    seats = new_attribute(api, bug["id"], name="Seats", data_type="integer")
    other_type = new_type(api)
    new_attribute(api, other_type["id"], name="Seats", data_type="integer")
    small = new_ticket(api, bug["id"], new_contact(api), Seats=2)
    new_ticket(api, bug["id"], new_contact(api), Seats=20)
    new_ticket(api, other_type["id"], new_contact(api), Seats=2)
    query = {"field": f"ticket_attribute.{seats['id']}", "operator": "<", "value": 5}
    response = api.post("/tickets/search", json={"query": query}).json()
    assert [t["id"] for t in response["tickets"]] == [small["id"]]
    unknown = api.post("/tickets/search", json={"query": {**query, "field": "ticket_attribute.999999"}})
    assert error_of(unknown, 400)["code"] == "invalid_field"


def test_a_snooze_ends_by_the_workspace_clock(api: httpx.Client, bug, app, workspace) -> None:
    store, ws = domain_of(app, workspace)
    ticket = new_ticket(api, bug["id"], new_contact(api))
    now = store.now(ws)
    snoozed = update(api, ticket["id"], snoozed_until=now + 3600)
    assert snoozed["snoozed_until"] == now + 3600 and snoozed["open"] is True
    query = {"query": {"field": "snoozed_until", "operator": ">", "value": now}}
    assert api.post("/tickets/search", json=query).json()["total_count"] == 1
    assert api.get(f"/tickets/{ticket['id']}").json()["snoozed_until"] == now + 3600
    store.update_workspace(ws, clock_offset=(ws.clock_offset or 0) + 7200)
    assert api.post("/tickets/search", json=query).json()["total_count"] == 0
    woke = api.get(f"/tickets/{ticket['id']}").json()
    assert "snoozed_until" not in woke and woke["open"] is True
    last = parts(woke)[-1]
    assert (last["part_type"], last["created_at"], last["author"]["type"]) == (
        "timer_unsnooze",
        now + 3600,
        "bot",
    )
    assert [p["part_type"] for p in parts(woke)].count("timer_unsnooze") == 1
    assert api.get(f"/tickets/{ticket['id']}").json() == woke
    again = update(api, ticket["id"], snoozed_until=store.now(store.workspace(ws.id)) + 60)
    assert again["snoozed_until"] is not None and parts(again)[-1]["part_type"] == "snoozed"


def test_ticket_and_conversation_parts_share_the_bot_and_the_shapes(
    api: httpx.Client, bug, workspace
) -> None:
    admin_id = workspace[0].owner_admin_id
    contact_id = new_contact(api, "shapes@test.example")
    conversation = api.post(
        "/conversations", json={"from": {"type": "user", "id": contact_id}, "body": "Hello"}
    ).json()
    conversation_url = f"/conversations/{conversation['conversation_id']}"
    ticket = new_ticket(api, bug["id"], contact_id)
    files = {"attachment_urls": ["https://example.com/files/report.pdf", "https://example.com/"]}

    api.put(conversation_url, json={"custom_attributes": {"issue": "billing"}})
    conversation_bot = api.get(conversation_url).json()["conversation_parts"]["conversation_parts"][-1][
        "author"
    ]
    ticket_bot = parts(ticket)[0]["author"]
    assert conversation_bot == ticket_bot
    assert ticket_bot["type"] == "bot" and ticket_bot["name"] == "Fin"
    assert ticket_bot["id"] not in {admin["id"] for admin in api.get("/admins").json()["admins"]}

    admin_reply = {
        "type": "admin",
        "message_type": "comment",
        "admin_id": admin_id,
        "body": "See file",
        **files,
    }
    conversation_part = api.post(f"{conversation_url}/reply", json=admin_reply).json()
    conversation_files = conversation_part["conversation_parts"]["conversation_parts"][-1]["attachments"]
    ticket_files = api.post(f"/tickets/{ticket['id']}/reply", json=admin_reply).json()["attachments"]
    assert (
        conversation_files
        == ticket_files
        == [
            {
                "type": "upload",
                "name": "report.pdf",
                "url": "https://example.com/files/report.pdf",
                "content_type": "application/pdf",
                "filesize": 0,
            },
            {
                "type": "upload",
                "name": "attachment",
                "url": "https://example.com/",
                "content_type": "application/octet-stream",
                "filesize": 0,
            },
        ]
    )

    user_reply = {"type": "user", "message_type": "comment", "intercom_user_id": contact_id, "body": "Thanks"}
    conversation_part = api.post(f"{conversation_url}/reply", json=user_reply).json()
    conversation_user = conversation_part["conversation_parts"]["conversation_parts"][-1]["author"]
    ticket_user = api.post(f"/tickets/{ticket['id']}/reply", json=user_reply).json()["author"]
    assert (
        conversation_user
        == ticket_user
        == {
            "id": contact_id,
            "type": "user",
            "name": None,
            "email": "shapes@test.example",
        }
    )
