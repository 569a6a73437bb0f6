"""Cursor pagination of GET /contacts and POST /contacts/search visits every contact exactly once.

Contacts share creation times and sort values on purpose: ties are where keyset pagination breaks.
"""

import math
from typing import Any

import httpx
from hypothesis import given, settings
from hypothesis import strategies as st

from fake_intercom.resources._contact_store import create_contact
from tests.conftest import new_workspace
from tests.fake.test_contacts import add_attribute

BASE = 1_700_000_000

contact_specs = st.lists(
    st.fixed_dictionaries(
        {
            "created_at": st.sampled_from([BASE, BASE + 1, BASE + 86_400]),
            "role": st.sampled_from(["user", "lead"]),
            "name": st.none() | st.sampled_from(["Ann", "Bob", "ann"]),
            "seats": st.none() | st.integers(0, 2),
        }
    ),
    max_size=25,
)
sorts = st.none() | st.fixed_dictionaries(
    {
        "field": st.sampled_from(["created_at", "name", "role", "email", "custom_attributes.seats", "id"]),
        "order": st.sampled_from(["ascending", "descending"]),
    }
)


def seed(app, specs: list[dict[str, Any]]) -> tuple[str, list[str]]:
    workspace, token = new_workspace(app)
    store = app.state.store
    add_attribute(store, workspace, "seats", "integer")
    ids = []
    for spec in specs:
        custom = {"seats": spec["seats"]} if spec["seats"] is not None else {}
        fields = {"role": spec["role"], "name": spec["name"], "created_at": spec["created_at"]}
        ids.append(create_contact(store, workspace, {**fields, "custom_attributes": custom})["id"])
    return token, ids


def walk(fetch) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """Every page from the first, following `pages.next.starting_after`; returns (items, pages)."""
    items, pages, cursor = [], [], None
    while True:
        response = fetch(cursor)
        assert response.status_code == 200, response.text
        body = response.json()
        items += body["data"]
        pages.append(body)
        cursor = (body["pages"].get("next") or {}).get("starting_after")
        if not cursor:
            return items, pages
        assert len(pages) <= 200, "pagination does not end"


def client(asgi_transport, token: str) -> httpx.Client:
    return httpx.Client(
        base_url="http://fake-intercom.test",
        headers={"Authorization": f"Bearer {token}"},
        transport=asgi_transport,
    )


def check_pages(pages: list[dict[str, Any]], total: int, per_page: int) -> None:
    assert [page["pages"]["page"] for page in pages] == list(range(1, len(pages) + 1))
    assert len(pages) == max(math.ceil(total / per_page), 1)
    for page in pages:
        assert page["total_count"] == total and page["pages"]["per_page"] == per_page
        assert page["pages"]["total_pages"] == math.ceil(total / per_page)
        assert len(page["data"]) <= per_page


@settings(max_examples=40, deadline=None)
@given(specs=contact_specs, per_page=st.integers(1, 30))
def test_list_visits_every_contact_once_newest_first(app, asgi_transport, specs, per_page) -> None:
    token, ids = seed(app, specs)
    with client(asgi_transport, token) as api:
        items, pages = walk(
            lambda cursor: api.get(
                "/contacts", params={"per_page": per_page, **({"starting_after": cursor} if cursor else {})}
            )
        )
    assert sorted(item["id"] for item in items) == sorted(ids)
    check_pages(pages, len(ids), per_page)
    keys = [(item["created_at"], item["id"]) for item in items]
    assert keys == sorted(keys, reverse=True)


@settings(max_examples=40, deadline=None)
@given(specs=contact_specs, per_page=st.integers(1, 30), sort=sorts)
def test_search_visits_every_match_once(app, asgi_transport, specs, per_page, sort) -> None:
    token, ids = seed(app, specs)
    query = {"field": "role", "operator": "IN", "value": ["user", "lead"]}
    with client(asgi_transport, token) as api:

        def fetch(cursor: str | None) -> httpx.Response:
            pagination = {"per_page": per_page, **({"starting_after": cursor} if cursor else {})}
            return api.post(
                "/contacts/search",
                json={"query": query, "pagination": pagination, **({"sort": sort} if sort else {})},
            )

        items, pages = walk(fetch)
    assert sorted(item["id"] for item in items) == sorted(ids)
    check_pages(pages, len(ids), per_page)
