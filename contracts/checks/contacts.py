"""Contacts: lifecycle, lists, search and errors. Every check deletes the contacts it creates."""

import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import httpx

from contracts.checks import body, check, expect_error, parse
from contracts.models.common import CursorPages
from contracts.models.contacts import (
    Contact,
    ContactArchived,
    ContactAttachedCompanies,
    ContactDeleted,
    ContactList,
    ContactSegments,
    ContactSubscriptions,
    ContactTags,
)

V215 = {"Intercom-Version": "2.15"}
MISSING = "000000000000000000000000"


def unique_email() -> str:
    return f"contract-{uuid.uuid4().hex[:12]}@example.com"


@contextmanager
def contacts(api: httpx.Client, *bodies: dict[str, Any]) -> Iterator[list[Contact]]:
    """Create contacts for a check and delete whatever is left of them afterwards."""
    made: list[Contact] = []
    try:
        for request in bodies:
            made.append(parse(Contact, api.post("/contacts", json=request)))
        yield made
    finally:
        for contact in made:
            api.delete(f"/contacts/{contact.id}")


def refused(api: httpx.Client, request: dict[str, Any], status: int, code: str | None = None) -> None:
    """POST /contacts must fail; if it does not, the contact it made is deleted before failing."""
    response = api.post("/contacts", json=request)
    if response.status_code == 200:
        api.delete(f"/contacts/{response.json()['id']}")
    expect_error(response, status, code)


def eventually(probe: Callable[[], bool], seconds: float = 60) -> None:
    """Live search indexes new contacts after a delay (FIDELITY §5.7); the fake at once."""
    deadline = time.monotonic() + seconds
    while not probe():
        assert time.monotonic() < deadline, "not visible in search in time"
        time.sleep(2)


def search(api: httpx.Client, query: dict[str, Any], **extra: Any) -> httpx.Response:
    return api.post("/contacts/search", json={"query": query, **extra})


@check(writes=True)
def contact_is_created_read_updated_and_deleted(api: httpx.Client) -> None:
    email = unique_email()
    with contacts(api, {"email": email, "name": "Contract Check"}) as (contact,):
        assert contact.role == "user" and contact.email == email
        assert contact.tags.total_count == 0 and contact.tags.url == f"/contacts/{contact.id}/tags"
        assert parse(Contact, api.get(f"/contacts/{contact.id}")).id == contact.id
        updated = parse(Contact, api.put(f"/contacts/{contact.id}", json={"name": "Renamed"}))
        assert updated.name == "Renamed" and updated.email == email
        deleted = parse(ContactDeleted, api.delete(f"/contacts/{contact.id}"))
        assert deleted.deleted is True and deleted.id == contact.id
        expect_error(api.get(f"/contacts/{contact.id}"), 404, "not_found")


@check(writes=True)
def contact_is_found_by_external_id(api: httpx.Client) -> None:
    external_id = f"contract-{uuid.uuid4().hex[:12]}"
    with contacts(api, {"external_id": external_id, "email": unique_email()}) as (contact,):
        found = parse(Contact, api.get(f"/contacts/find_by_external_id/{external_id}"))
        assert found.id == contact.id
    expect_error(api.get(f"/contacts/find_by_external_id/{external_id}"), 404, "not_found")


@check()
def contacts_are_listed_by_cursor(api: httpx.Client) -> None:
    first = parse(ContactList, api.get("/contacts"))
    assert first.pages.per_page == 10 and len(first.data) <= 10
    two = parse(ContactList, api.get("/contacts", params={"per_page": 2}))
    assert len(two.data) <= 2
    if two.pages.next is not None:
        cursor = two.pages.next.starting_after
        following = parse(ContactList, api.get("/contacts", params={"per_page": 2, "starting_after": cursor}))
        assert following.pages.page == 2
        assert not {c.id for c in following.data} & {c.id for c in two.data}


@check(writes=True)
def contacts_are_searched_by_field(api: httpx.Client) -> None:
    email = unique_email()
    with contacts(api, {"email": email}, {"role": "lead", "name": f"Lead of {email}"}) as (user, lead):
        by_email = {"field": "email", "operator": "=", "value": email}

        def only_user_found() -> bool:
            return [c.id for c in parse(ContactList, search(api, by_email)).data] == [user.id]

        eventually(only_user_found)
        both = {
            "operator": "OR",
            "value": [
                {"field": "id", "operator": "=", "value": user.id},
                {"field": "id", "operator": "=", "value": lead.id},
            ],
        }
        eventually(lambda: parse(ContactList, search(api, both)).total_count == 2)
        page = parse(ContactList, search(api, both, pagination={"per_page": 1}))
        assert len(page.data) == 1 and page.pages.next is not None


@check()
def empty_search_has_intercoms_shape(api: httpx.Client) -> None:
    query = {"field": "email", "operator": "=", "value": unique_email()}
    found = body(search(api, query, pagination={"per_page": 5}))
    assert found["type"] == "list" and found["data"] == [] and found["total_count"] == 0
    pages = CursorPages.model_validate(found["pages"])
    assert (pages.page, pages.per_page, pages.total_pages, pages.next) == (1, 5, 0, None)


@check()
def bad_searches_are_400(api: httpx.Client) -> None:
    # Dates take only =, < and > (FIDELITY §5.3).
    expect_error(search(api, {"field": "created_at", "operator": "!=", "value": 1577836800}), 400)
    expect_error(search(api, {"field": "created_at", "operator": ">", "value": "foobar"}), 400)
    expect_error(search(api, {"field": "tag_id", "operator": "~", "value": "1"}), 400)
    expect_error(search(api, {"field": "not_a_contact_field", "operator": "=", "value": "x"}), 400)


@check(writes=True)
def contact_is_archived_and_unarchived(api: httpx.Client) -> None:
    with contacts(api, {"email": unique_email()}) as (contact,):
        archived = parse(ContactArchived, api.post(f"/contacts/{contact.id}/archive"))
        assert archived.archived is True and archived.id == contact.id
        unarchived = parse(ContactArchived, api.post(f"/contacts/{contact.id}/unarchive"))
        assert unarchived.archived is False
        assert parse(Contact, api.get(f"/contacts/{contact.id}")).id == contact.id


@check(writes=True)
def duplicate_email_is_a_conflict(api: httpx.Client) -> None:
    email = unique_email()
    with contacts(api, {"email": email}) as (contact,):
        errors = expect_error(api.post("/contacts", json={"email": email}), 409, "conflict")
        assert errors.errors[0].message.endswith(f"id={contact.id}")


@check(writes=True)
def contact_bodies_are_checked(api: httpx.Client) -> None:
    refused(
        api, {"email": unique_email(), "custom_attributes": {f"undefined_{uuid.uuid4().hex[:8]}": 1}}, 400
    )
    refused(api, {"email": unique_email(), "role": "not-a-role"}, 400)


@check(writes=True)
def lead_is_merged_into_user(api: httpx.Client) -> None:
    email = unique_email()
    with contacts(api, {"email": email}, {"role": "lead", "email": email}) as (user, lead):
        merged = parse(
            Contact, api.post("/contacts/merge", json={"from": lead.id, "into": user.id}, headers=V215)
        )
        assert merged.id == user.id and merged.role == "user"
        expect_error(api.get(f"/contacts/{lead.id}", headers=V215), 404, "not_found")


@check(writes=True)
def attached_lists_of_a_new_contact_are_empty(api: httpx.Client) -> None:
    with contacts(api, {"email": unique_email()}) as (contact,):
        companies = parse(ContactAttachedCompanies, api.get(f"/contacts/{contact.id}/companies"))
        assert companies.data == [] and companies.total_count == 0
        assert parse(ContactTags, api.get(f"/contacts/{contact.id}/tags")).data == []
        assert parse(ContactSegments, api.get(f"/contacts/{contact.id}/segments")).data == []
        assert parse(ContactSubscriptions, api.get(f"/contacts/{contact.id}/subscriptions")).data == []


@check()
def unknown_contact_is_user_not_found(api: httpx.Client) -> None:
    for path in ("", "/tags", "/companies", "/segments", "/subscriptions"):
        errors = expect_error(api.get(f"/contacts/{MISSING}{path}"), 404, "not_found")
        assert errors.errors[0].message == "User Not Found"
