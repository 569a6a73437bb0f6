"""Contacts: every operation, its shapes and its errors, against the in-process fake."""

import httpx
import pytest

from fake_intercom.context import Ctx
from fake_intercom.resources._contact_store import CONTACT_KEYS, create_contact, touch_contact
from fake_intercom.resources.data_attributes import create_data_attribute
from fake_intercom.store import Store, Workspace, dumps

V216 = {"Intercom-Version": "2.16"}


# -- writing the shared tables directly, as the resources that own them would ---------------


def add_attribute(store: Store, workspace: Workspace, name: str, data_type: str) -> None:
    create_data_attribute(store, workspace, "contact", name, data_type)


def add_tag(store: Store, workspace_id: str, contact_id: str, name: str, applied_at: int = 1) -> str:
    tag_id = store.scalar("SELECT id FROM tags WHERE workspace_id = ? AND name = ?", (workspace_id, name))
    if tag_id is None:
        tag_id = store.numeric_id(workspace_id, "tag")
        store.insert(
            "tags",
            {
                "workspace_id": workspace_id,
                "id": tag_id,
                "name": name,
                "data": dumps({"type": "tag", "id": tag_id, "name": name}),
            },
        )
    store.insert(
        "contact_tags",
        {
            "workspace_id": workspace_id,
            "contact_id": contact_id,
            "tag_id": tag_id,
            "applied_at": applied_at,
            "applied_by": "991267401",
        },
    )
    return tag_id


def add_company(store: Store, workspace_id: str, contact_id: str, name: str, attached_at: int = 1) -> str:
    company_id = store.scalar(
        "SELECT id FROM companies WHERE workspace_id = ? AND name = ?", (workspace_id, name)
    )
    if company_id is None:
        company_id = store.hex_id(workspace_id, "company", 1_700_000_000)
        store.insert(
            "companies",
            {
                "workspace_id": workspace_id,
                "id": company_id,
                "company_id": f"ext-{name}",
                "name": name,
                "created_at": 1,
                "updated_at": 1,
                "data": dumps(
                    {"type": "company", "id": company_id, "company_id": f"ext-{name}", "name": name}
                ),
                "custom_attributes": "{}",
            },
        )
    store.insert(
        "company_contacts",
        {
            "workspace_id": workspace_id,
            "company_id": company_id,
            "contact_id": contact_id,
            "created_at": attached_at,
        },
    )
    return company_id


def add_note(store: Store, workspace_id: str, contact_id: str) -> str:
    note_id = store.numeric_id(workspace_id, "note")
    store.insert(
        "notes",
        {
            "workspace_id": workspace_id,
            "id": note_id,
            "contact_id": contact_id,
            "created_at": 1,
            "data": dumps({"type": "note", "id": note_id, "contact": {"type": "contact", "id": contact_id}}),
        },
    )
    return note_id


def add_segment(store: Store, workspace_id: str, contact_id: str, name: str) -> str:
    segment_id = store.hex_id(workspace_id, "segment", 1_700_000_000)
    segment = {
        "type": "segment",
        "id": segment_id,
        "name": name,
        "created_at": 1,
        "updated_at": 1,
        "person_type": "user",
    }
    store.insert(
        "segments",
        {
            "workspace_id": workspace_id,
            "id": segment_id,
            "name": name,
            "person_type": "user",
            "created_at": 1,
            "data": dumps(segment),
        },
    )
    store.insert(
        "segment_members", {"workspace_id": workspace_id, "segment_id": segment_id, "member_id": contact_id}
    )
    return segment_id


def add_subscription(store: Store, workspace_id: str, contact_id: str, consent: str) -> str:
    type_id = store.numeric_id(workspace_id, "subscription_type")
    subscription = {"type": "subscription", "id": type_id, "state": "live", "consent_type": consent}
    store.insert(
        "subscription_types",
        {
            "workspace_id": workspace_id,
            "id": type_id,
            "state": "live",
            "consent_type": consent,
            "data": dumps(subscription),
        },
    )
    store.insert(
        "contact_subscriptions",
        {
            "workspace_id": workspace_id,
            "contact_id": contact_id,
            "subscription_type_id": type_id,
            "consent": consent,
        },
    )
    return type_id


# -- fixtures ---------------------------------------------------------------------------------


@pytest.fixture
def store(app) -> Store:
    return app.state.store


@pytest.fixture
def ws(workspace) -> Workspace:
    return workspace[0]


def create(api: httpx.Client, **fields) -> dict:
    response = api.post("/contacts", json=fields)
    assert response.status_code == 200, response.text
    return response.json()


def error(response: httpx.Response, status: int, code: str) -> str:
    assert response.status_code == status, response.text
    body = response.json()
    assert body["type"] == "error.list"
    assert body["errors"][0]["code"] == code, body
    return body["errors"][0]["message"]


def freeze(store: Store, ws: Workspace, at: int) -> None:
    store.update_workspace(ws, clock_frozen_at=at)


# -- create -----------------------------------------------------------------------------------


def test_create_by_email_has_intercoms_shape(api, store, ws) -> None:
    freeze(store, ws, 1_734_537_437)
    contact = create(api, email="joebloggs@intercom.io")
    assert tuple(contact) == CONTACT_KEYS
    assert contact["type"] == "contact" and contact["role"] == "user"
    assert contact["workspace_id"] == ws.id
    assert len(contact["id"]) == 24 and int(contact["id"], 16)
    assert contact["created_at"] == contact["updated_at"] == 1_734_537_437
    assert contact["signed_up_at"] is None and contact["custom_attributes"] == {}
    assert contact["location"]["type"] == "location"
    assert contact["social_profiles"] == {"type": "list", "data": []}
    for key, suffix in (
        ("tags", "tags"),
        ("notes", "notes"),
        ("opted_in_subscription_types", "subscriptions"),
    ):
        assert contact[key] == {
            "type": "list",
            "data": [],
            "url": f"/contacts/{contact['id']}/{suffix}",
            "total_count": 0,
            "has_more": False,
        }


def test_create_sets_every_field_sent(api, store, ws) -> None:
    owner = ws.owner_admin_id
    contact = create(
        api,
        role="lead",
        external_id="ext-1",
        email="ann@example.com",
        phone="+353871234567",
        name="Ann",
        avatar="https://example.com/a.png",
        signed_up_at=1_571_672_154,
        last_seen_at=1_571_672_155,
        owner_id=int(owner),
        unsubscribed_from_emails=True,
    )
    assert contact["role"] == "lead" and contact["external_id"] == "ext-1"
    assert contact["phone"] == "+353871234567" and contact["name"] == "Ann"
    assert contact["avatar"] == {"type": "avatar", "image_url": "https://example.com/a.png"}
    assert (contact["signed_up_at"], contact["last_seen_at"]) == (1_571_672_154, 1_571_672_155)
    assert contact["owner_id"] == int(owner) and contact["unsubscribed_from_emails"] is True


def test_create_needs_email_external_id_or_role(api) -> None:
    error(api.post("/contacts", json={"name": "Nobody"}), 400, "parameter_invalid")
    error(api.post("/contacts", json={"email": "", "role": None}), 400, "parameter_invalid")
    assert create(api, role="lead")["role"] == "lead"
    assert create(api, external_id="only-external")["role"] == "user"


def test_null_flags_are_false(api) -> None:
    contact = create(api, email="flags@example.com", unsubscribed_from_emails=None)
    assert contact["unsubscribed_from_emails"] is False
    updated = api.put(
        f"/contacts/{contact['id']}", json={"unsubscribed_from_emails": True, "email": ""}
    ).json()
    assert updated["unsubscribed_from_emails"] is True and updated["email"] is None


def test_create_rejects_unknown_role_and_owner(api) -> None:
    error(api.post("/contacts", json={"role": "admin"}), 400, "parameter_invalid")
    message = error(
        api.post("/contacts", json={"email": "o@example.com", "owner_id": 1}), 400, "parameter_invalid"
    )
    assert message == "The owner specified is not a member of the workspace"
    error(api.post("/contacts", json={"email": 5}), 400, "parameter_invalid")


def test_duplicate_email_or_external_id_conflicts(api) -> None:
    first = create(api, email="dup@example.com", external_id="dup-1")
    message = error(api.post("/contacts", json={"email": "DUP@example.com"}), 409, "conflict")
    assert message == f"A contact matching those details already exists with id={first['id']}"
    error(api.post("/contacts", json={"external_id": "dup-1", "email": "other@example.com"}), 409, "conflict")
    # A lead may share a user's email: that is what merging is for.
    assert create(api, role="lead", email="dup@example.com")["role"] == "lead"


def test_archived_duplicate_conflicts_with_its_own_message(api) -> None:
    first = create(api, email="gone@example.com")
    api.post(f"/contacts/{first['id']}/archive")
    message = error(api.post("/contacts", json={"email": "gone@example.com"}), 409, "conflict")
    assert message == f"An archived contact matching those details already exists with id={first['id']}"


def test_custom_attributes_must_exist_and_match_their_type(api, store, ws) -> None:
    add_attribute(store, ws, "plan", "string")
    add_attribute(store, ws, "seats", "integer")
    add_attribute(store, ws, "spend", "float")
    add_attribute(store, ws, "paid", "boolean")
    add_attribute(store, ws, "renews_at", "date")
    message = error(
        api.post("/contacts", json={"email": "c@example.com", "custom_attributes": {"nope": 1}}),
        400,
        "parameter_invalid",
    )
    assert message == "Custom attribute 'nope' does not exist"
    for name, value in (("seats", "3"), ("seats", True), ("paid", 1), ("plan", 3), ("spend", "1.5")):
        response = api.post("/contacts", json={"email": "c@example.com", "custom_attributes": {name: value}})
        error(response, 400, "parameter_invalid")
    values = {"plan": "pro", "seats": 3, "spend": 155.5, "paid": True, "renews_at": 1_700_000_000}
    contact = create(api, email="c@example.com", custom_attributes=values)
    assert contact["custom_attributes"] == values
    assert api.get(f"/contacts/{contact['id']}").json()["custom_attributes"] == values


# -- get, find, list --------------------------------------------------------------------------


def test_get_and_unknown_contact(api) -> None:
    contact = create(api, email="g@example.com")
    assert api.get(f"/contacts/{contact['id']}").json() == contact
    message = error(api.get("/contacts/000000000000000000000000"), 404, "not_found")
    assert message == "User Not Found"


def test_owner_id_is_an_integer_in_215_and_a_string_in_216(api, ws) -> None:
    contact = create(api, email="owned@example.com", owner_id=ws.owner_admin_id)
    assert contact["owner_id"] == int(ws.owner_admin_id)
    later = api.get(f"/contacts/{contact['id']}", headers=V216).json()
    assert later["owner_id"] == ws.owner_admin_id


def test_find_by_external_id_finds_users_only(api) -> None:
    user = create(api, email="u@example.com", external_id="u-1")
    create(api, role="lead", external_id="l-1")
    assert api.get("/contacts/find_by_external_id/u-1").json()["id"] == user["id"]
    error(api.get("/contacts/find_by_external_id/l-1"), 404, "not_found")
    error(api.get("/contacts/find_by_external_id/none"), 404, "not_found")


def test_list_is_newest_first_ten_a_page_by_default(api, store, ws) -> None:
    ids = []
    for second in range(12):
        freeze(store, ws, 1_700_000_000 + second)
        ids.append(create(api, email=f"l{second}@example.com")["id"])
    first = api.get("/contacts").json()
    assert first["type"] == "list" and first["total_count"] == 12
    assert first["pages"]["per_page"] == 10 and first["pages"]["total_pages"] == 2
    assert [c["id"] for c in first["data"]] == ids[::-1][:10]
    cursor = first["pages"]["next"]["starting_after"]
    second = api.get("/contacts", params={"starting_after": cursor}).json()
    assert [c["id"] for c in second["data"]] == ids[::-1][10:]
    assert second["pages"]["page"] == 2 and "next" not in second["pages"]


def test_list_limits_and_bad_cursor(api) -> None:
    error(api.get("/contacts", params={"per_page": 151}), 400, "parameter_invalid")
    error(api.get("/contacts", params={"per_page": 0}), 400, "parameter_invalid")
    error(api.get("/contacts", params={"starting_after": "not-a-cursor"}), 400, "client_error")
    empty = api.get("/contacts", params={"per_page": 150}).json()
    assert empty == {
        "type": "list",
        "data": [],
        "total_count": 0,
        "pages": {"type": "pages", "page": 1, "per_page": 150, "total_pages": 0},
    }


# -- update -----------------------------------------------------------------------------------


def test_update_changes_only_what_is_sent(api, store, ws) -> None:
    add_attribute(store, ws, "plan", "string")
    add_attribute(store, ws, "seats", "integer")
    freeze(store, ws, 1_700_000_000)
    contact = create(
        api, email="before@example.com", name="Before", custom_attributes={"plan": "free", "seats": 1}
    )
    freeze(store, ws, 1_700_000_100)
    updated = api.put(
        f"/contacts/{contact['id']}",
        json={"name": "After", "custom_attributes": {"plan": "pro", "seats": None}},
    ).json()
    assert updated["name"] == "After" and updated["email"] == "before@example.com"
    assert updated["custom_attributes"] == {"plan": "pro"}
    assert updated["updated_at"] == 1_700_000_100 and updated["created_at"] == 1_700_000_000
    assert api.get(f"/contacts/{contact['id']}").json() == updated
    searched = api.post(
        "/contacts/search", json={"query": {"field": "email", "operator": "=", "value": "before@example.com"}}
    )
    assert searched.json()["data"][0]["name"] == "After"


def test_update_errors(api) -> None:
    taken = create(api, email="taken@example.com")
    other = create(api, email="other@example.com")
    error(api.put(f"/contacts/{other['id']}", json={"email": "taken@example.com"}), 409, "conflict")
    error(api.put(f"/contacts/{other['id']}", json={"role": "visitor"}), 400, "parameter_invalid")
    error(api.put("/contacts/000000000000000000000000", json={"name": "x"}), 404, "not_found")
    # Sending a contact its own email is no conflict.
    assert api.put(f"/contacts/{taken['id']}", json={"email": "taken@example.com"}).status_code == 200


# -- archive, unarchive, block, delete --------------------------------------------------------


def test_archive_hides_and_unarchive_restores(api) -> None:
    contact = create(api, email="a@example.com", external_id="arch")
    archived = api.post(f"/contacts/{contact['id']}/archive").json()
    assert archived == {"type": "contact", "id": contact["id"], "external_id": "arch", "archived": True}
    error(api.get(f"/contacts/{contact['id']}"), 404, "not_found")
    assert api.get("/contacts").json()["total_count"] == 0
    query = {"query": {"field": "id", "operator": "=", "value": contact["id"]}}
    assert api.post("/contacts/search", json=query).json()["total_count"] == 0
    unarchived = api.post(f"/contacts/{contact['id']}/unarchive").json()
    assert unarchived == {"type": "contact", "id": contact["id"], "external_id": "arch", "archived": False}
    assert api.get(f"/contacts/{contact['id']}").status_code == 200
    error(api.post("/contacts/000000000000000000000000/archive"), 404, "not_found")
    error(api.post("/contacts/000000000000000000000000/unarchive"), 404, "not_found")


def test_block(api) -> None:
    contact = create(api, email="spam@example.com")
    blocked = api.post(f"/contacts/{contact['id']}/block").json()
    assert blocked == {"type": "contact", "id": contact["id"], "external_id": None, "blocked": True}
    error(api.post("/contacts/000000000000000000000000/block"), 404, "not_found")


def test_delete_removes_the_contact_and_its_links(api, store, ws) -> None:
    contact = create(api, email="d@example.com", external_id="del")
    add_tag(store, ws.id, contact["id"], "vip")
    deleted = api.delete(f"/contacts/{contact['id']}").json()
    assert deleted == {"type": "contact", "id": contact["id"], "external_id": "del", "deleted": True}
    error(api.get(f"/contacts/{contact['id']}"), 404, "not_found")
    error(api.delete(f"/contacts/{contact['id']}"), 404, "not_found")
    assert store.scalar("SELECT COUNT(*) FROM contact_tags WHERE workspace_id = ?", (ws.id,)) == 0
    # Its email is free again.
    assert create(api, email="d@example.com")["id"] != contact["id"]


def test_an_archived_contact_can_be_deleted(api) -> None:
    contact = create(api, email="ad@example.com")
    api.post(f"/contacts/{contact['id']}/archive")
    assert api.delete(f"/contacts/{contact['id']}").json()["deleted"] is True


# -- merge ------------------------------------------------------------------------------------


def test_merge_moves_the_leads_links_to_the_user(api, store, ws) -> None:
    user = create(api, email="m@example.com")
    lead = create(api, role="lead", email="m@example.com", phone="+1555", name="Lead Name")
    tag_id = add_tag(store, ws.id, lead["id"], "from-lead")
    company_id = add_company(store, ws.id, lead["id"], "Acme")
    note_id = add_note(store, ws.id, lead["id"])
    merged = api.post("/contacts/merge", json={"from": lead["id"], "into": user["id"]}).json()
    assert merged["id"] == user["id"] and merged["role"] == "user"
    assert [item["id"] for item in merged["tags"]["data"]] == [tag_id]
    assert [item["id"] for item in merged["companies"]["data"]] == [company_id]
    assert [item["id"] for item in merged["notes"]["data"]] == [note_id]
    assert merged["phone"] == "+1555" and merged["name"] == "Lead Name"
    error(api.get(f"/contacts/{lead['id']}"), 404, "not_found")
    assert [c["id"] for c in api.get("/contacts").json()["data"]] == [user["id"]]
    query = {"query": {"field": "email", "operator": "=", "value": "m@example.com"}}
    assert [c["id"] for c in api.post("/contacts/search", json=query).json()["data"]] == [user["id"]]
    note = store.data("notes", ws.id, note_id)
    assert note["contact"]["id"] == user["id"]


def test_merged_contact_is_410_with_a_link_from_216(api) -> None:
    user = create(api, email="canon@example.com")
    lead = create(api, role="lead", email="canon@example.com")
    api.post("/contacts/merge", json={"from": lead["id"], "into": user["id"]})
    response = api.get(f"/contacts/{lead['id']}", headers=V216)
    error(response, 410, "contact_merged")
    assert response.headers["Link"] == f'</contacts/{user["id"]}>; rel="canonical"'


def test_merge_errors(api) -> None:
    user = create(api, email="mu@example.com")
    other = create(api, email="mu2@example.com")
    lead = create(api, role="lead")
    error(api.post("/contacts/merge", json={"from": lead["id"], "to": user["id"]}), 404, "not_found")
    error(
        api.post("/contacts/merge", json={"from": user["id"], "into": other["id"]}), 400, "parameter_invalid"
    )
    error(
        api.post("/contacts/merge", json={"from": lead["id"], "into": lead["id"]}), 400, "parameter_invalid"
    )
    # 2.16 merges duplicates only, unless told to skip the check.
    body = {"from": lead["id"], "into": user["id"]}
    error(api.post("/contacts/merge", json=body, headers=V216), 400, "invalid_merge")
    merged = api.post("/contacts/merge", json={**body, "skip_duplicate_validation": True}, headers=V216)
    assert merged.status_code == 200 and merged.json()["owner_id"] is None


# -- embedded and attached lists --------------------------------------------------------------


def test_embedded_lists_are_truncated_references(api, store, ws) -> None:
    contact = create(api, email="many@example.com")
    tag_ids = [add_tag(store, ws.id, contact["id"], f"t{i}", applied_at=i) for i in range(12)]
    type_id = add_subscription(store, ws.id, contact["id"], "opt_out")
    tags = api.get(f"/contacts/{contact['id']}").json()["tags"]
    assert tags["total_count"] == 12 and tags["has_more"] is True
    assert tags["data"] == [
        {"type": "tag", "id": tag_id, "url": f"/tags/{tag_id}"} for tag_id in tag_ids[:10]
    ]
    opted_out = api.get(f"/contacts/{contact['id']}").json()["opted_out_subscription_types"]
    assert opted_out["data"] == [{"type": "subscription", "id": type_id, "url": f"/subscriptions/{type_id}"}]
    assert opted_out["url"] == f"/contacts/{contact['id']}/subscriptions"


def test_embedded_lists_keep_each_lists_own_order(api, store, ws) -> None:
    """Tags by when applied (never applied first), then id; notes newest first, then the later id;
    companies by when attached (unknown first)."""
    contact = create(api, email="ordered@example.com")
    late, early, unapplied, tied = (
        add_tag(store, ws.id, contact["id"], name, applied_at=at)
        for name, at in (("late", 30), ("early", 10), ("unapplied", 1), ("tied", 10))
    )
    store.execute("UPDATE contact_tags SET applied_at = NULL WHERE tag_id = ?", (unapplied,))
    older, newest, older_later_id = (add_note(store, ws.id, contact["id"]) for _ in range(3))
    for note_id, created_at in ((older, 5), (newest, 9), (older_later_id, 5)):
        store.execute("UPDATE notes SET created_at = ? WHERE id = ?", (created_at, note_id))
    last, first, unknown = (
        add_company(store, ws.id, contact["id"], name, attached_at=at)
        for name, at in (("Last", 20), ("First", 5), ("Unknown", 1))
    )
    store.execute("UPDATE company_contacts SET created_at = NULL WHERE company_id = ?", (unknown,))
    shown = api.get(f"/contacts/{contact['id']}").json()
    assert [item["id"] for item in shown["tags"]["data"]] == [unapplied, early, tied, late]
    assert [item["id"] for item in shown["notes"]["data"]] == [newest, older_later_id, older]
    assert [item["id"] for item in shown["companies"]["data"]] == [unknown, first, last]


def test_list_tags_of_a_contact(api, store, ws) -> None:
    contact = create(api, email="t@example.com")
    tag_id = add_tag(store, ws.id, contact["id"], "Manual tag", applied_at=1_663_597_223)
    assert api.get(f"/contacts/{contact['id']}/tags").json() == {
        "type": "list",
        "data": [
            {
                "type": "tag",
                "id": tag_id,
                "name": "Manual tag",
                "applied_at": 1_663_597_223,
                "applied_by": {"type": "admin", "id": "991267401"},
            }
        ],
    }


def test_list_companies_of_a_contact_is_paged_with_both_keys(api, store, ws) -> None:
    contact = create(api, email="co@example.com")
    ids = [add_company(store, ws.id, contact["id"], f"Company {i}", attached_at=i) for i in range(3)]
    first = api.get(f"/contacts/{contact['id']}/companies", params={"per_page": 2}).json()
    assert first["type"] == "list" and first["total_count"] == 3
    assert [c["id"] for c in first["data"]] == [c["id"] for c in first["companies"]] == ids[:2]
    assert first["data"][0]["user_count"] == 1
    assert first["pages"]["next"].endswith("page=2") and first["pages"]["total_pages"] == 2
    last = api.get(f"/contacts/{contact['id']}/companies", params={"per_page": 2, "page": 3}).json()
    assert last["data"] == [] and last["companies"] == []


def test_a_contacts_companies_carry_their_last_request(api, store, ws) -> None:
    """The S15 example of GET /contacts/{id}/companies has `last_request_at`: its people's latest."""
    contact = create(api, email="seen@example.com", last_seen_at=1_700_000_000)
    add_company(store, ws.id, contact["id"], "Seen Co")
    company = api.get(f"/contacts/{contact['id']}/companies").json()["data"][0]
    assert company["last_request_at"] == 1_700_000_000


def test_list_segments_and_subscriptions_of_a_contact(api, store, ws) -> None:
    contact = create(api, email="s@example.com")
    segment_id = add_segment(store, ws.id, contact["id"], "Active")
    opt_in = add_subscription(store, ws.id, contact["id"], "opt_in")
    opt_out = add_subscription(store, ws.id, contact["id"], "opt_out")
    segments = api.get(f"/contacts/{contact['id']}/segments").json()
    assert segments["type"] == "list" and [s["id"] for s in segments["data"]] == [segment_id]
    assert segments["data"][0]["type"] == "segment"
    subscriptions = api.get(f"/contacts/{contact['id']}/subscriptions").json()
    assert [s["id"] for s in subscriptions["data"]] == [opt_out, opt_in]
    assert {s["type"] for s in subscriptions["data"]} == {"subscription"}


@pytest.mark.parametrize("suffix", ["companies", "segments", "subscriptions", "tags"])
def test_lists_of_a_missing_contact_are_user_not_found(api, suffix) -> None:
    message = error(api.get(f"/contacts/000000000000000000000000/{suffix}"), 404, "not_found")
    assert message == "User Not Found"


# -- the domain functions other resources use -------------------------------------------------


def test_create_contact_and_touch_contact(app, store, ws) -> None:
    freeze(store, ws, 1_700_000_000)
    ws = store.workspace(ws.id)
    contact = create_contact(
        store, ws, {"email": "seed@example.com", "created_at": 1_600_000_000, "browser": "firefox"}
    )
    assert contact["created_at"] == 1_600_000_000 and contact["browser"] == "firefox"
    assert contact["updated_at"] == 1_700_000_000 and contact["id"].startswith(f"{1_600_000_000:08x}")
    freeze(store, ws, 1_700_000_500)
    ctx = Ctx(store, store.workspace(ws.id), "2.15", "request", app.state.settings, "http://test")
    touch_contact(ctx, contact["id"])
    assert store.data("contacts", ws.id, contact["id"])["updated_at"] == 1_700_000_500


# -- 2.16: merge history ------------------------------------------------------------------------


def test_merge_history_records_every_merge(api, store, ws) -> None:
    user = create(api, email="history@example.com")
    leads = [create(api, role="lead", email="history@example.com") for _ in range(3)]
    for index, lead in enumerate(leads):
        freeze(store, store.workspace(ws.id), 1_700_000_000 + index)
        merged = api.post("/contacts/merge", json={"from": lead["id"], "into": user["id"]})
        assert merged.status_code == 200, merged.text
    history = api.get(f"/contacts/{user['id']}/merge_history", headers=V216).json()
    assert history == {
        "type": "list",
        "data": [
            {
                "type": "merge_history",
                "source_contact_id": lead["id"],
                "source_contact_role": "lead",
                "merged_at": 1_700_000_000 + index,
            }
            for index, lead in reversed(list(enumerate(leads)))
        ],
        "has_more": False,
    }
    first = api.get(
        f"/contacts/{user['id']}/merge_history", params={"per_page": 2, "order": "asc"}, headers=V216
    )
    first = first.json()
    assert [e["source_contact_id"] for e in first["data"]] == [leads[0]["id"], leads[1]["id"]]
    assert first["has_more"] is True
    rest = api.get(
        f"/contacts/{user['id']}/merge_history",
        params={"per_page": 2, "order": "asc", "cursor": first["next_cursor"]},
        headers=V216,
    ).json()
    assert [e["source_contact_id"] for e in rest["data"]] == [leads[2]["id"]] and "next_cursor" not in rest


def test_merge_history_errors(api) -> None:
    lead = create(api, role="lead")
    assert error(api.get(f"/contacts/{lead['id']}/merge_history", headers=V216), 404, "not_found") == (
        "Contact not found"
    )
    error(api.get("/contacts/000000000000000000000000/merge_history", headers=V216), 404, "not_found")
    user = create(api, email="none@example.com")
    assert api.get(f"/contacts/{user['id']}/merge_history", headers=V216).json()["data"] == []
    error(
        api.get(f"/contacts/{user['id']}/merge_history", params={"order": "up"}, headers=V216),
        400,
        "parameter_invalid",
    )
    error(api.get(f"/contacts/{user['id']}/merge_history"), 400, "intercom_version_invalid")


def test_an_avatar_must_be_an_image_url(api: httpx.Client) -> None:
    refused = api.post("/contacts", json={"email": "pic@example.com", "avatar": "not a url"})
    assert refused.status_code == 400
    assert refused.json()["errors"][0]["code"] == "parameter_invalid"
    assert (
        api.post(
            "/contacts/search",
            json={"query": {"field": "email", "operator": "=", "value": "pic@example.com"}},
        ).json()["total_count"]
        == 0
    )
    created = api.post("/contacts", json={"email": "pic@example.com", "avatar": "https://example.com/a.png"})
    assert created.json()["avatar"] == {"type": "avatar", "image_url": "https://example.com/a.png"}
