"""Contact search stays on indexes as workspaces grow: every form of the benchmark reads an index (the
query plans say so), substrings found through the trigram index are checked exactly, custom attributes
beyond their slots are still found, and counts follow every write."""

from typing import Any
from unittest import mock

import httpx
import pytest

from contracts.models.search import SearchRequest
from fake_intercom import search as search_module
from fake_intercom.pagination import encode_cursor
from fake_intercom.resources import _contact_search
from fake_intercom.resources._contact_store import create_contact
from fake_intercom.resources.contacts import CONTACT_SEARCH
from fake_intercom.search import compile_search
from fake_intercom.store import Store, Workspace
from tests.fake.test_contacts import add_attribute, create
from tests.fake.test_search import ids, where

PLANS = ("free", "starter", "pro", "enterprise")


@pytest.fixture
def contacts(app, workspace) -> list[dict[str, Any]]:
    store, ws = app.state.store, workspace[0]
    add_attribute(store, ws, "plan", "string")
    add_attribute(store, ws, "seats", "integer")
    return [
        create_contact(
            store,
            ws,
            {
                "role": "user" if n % 4 else "lead",
                "email": f"person{n}@example.com",
                "external_id": f"ext-{n}",
                "name": f"Person Number{n}",
                "phone": f"+1555{n:07d}",
                "created_at": 1_600_000_000 + n,
                "custom_attributes": {"plan": PLANS[n % 4], "seats": n % 100},
            },
        )
        for n in range(40)
    ]


def either(*filters: dict) -> dict:
    return {"operator": "OR", "value": list(filters)}


def both(*filters: dict) -> dict:
    return {"operator": "AND", "value": list(filters)}


# The search forms of `make bench`, and the index each one's page is read through when it has few
# matches (found through its leading filter) and when it has many (read along the sort order).
FORMS = {
    "email =": (where("email", "=", "person7@example.com"), None, "contact_search_email", "created"),
    "external_id =": (where("external_id", "=", "EXT-7"), None, "contact_search_external_id", "created"),
    "custom attribute =": (where("custom_attributes.plan", "=", "pro"), None, "contact_search_a0", "created"),
    "AND[OR[email =, email =], role =]": (
        both(
            either(where("email", "=", "person1@example.com"), where("email", "=", "person2@example.com")),
            where("role", "=", "user"),
        ),
        None,
        "contact_search_email",
        "created",
    ),
    "AND[role =, OR[plan =, seats >]]": (
        both(
            where("role", "=", "user"),
            either(where("custom_attributes.plan", "=", "pro"), where("custom_attributes.seats", ">", 50)),
        ),
        None,
        "contact_search_filters",
        "created",
    ),
    "name ~": (where("name", "~", "number1"), None, "contact_search_text", "created"),
    "role = user by updated_at": (
        where("role", "=", "user"),
        {"field": "updated_at", "order": "descending"},
        "contact_search_filters",
        "updated",
    ),
}

COUNTED_FORMS = ("custom attribute =", "role = user by updated_at")


def plans(store: Store, ws: Workspace, query: dict, sort: dict | None, cursor: str | None = None):
    body = SearchRequest.model_validate(
        {
            "query": query,
            "pagination": {"per_page": 5, "starting_after": cursor},
            **({"sort": sort} if sort else {}),
        }
    )
    compiled, _ = compile_search(store, ws, "2.15", CONTACT_SEARCH, body)
    page = compiled.page_query()

    def plan(sql: str, params: list) -> list[str]:
        return [row["detail"] for row in store.query(f"EXPLAIN QUERY PLAN {sql}", params)]

    return plan(compiled.count_sql, compiled.count_params), plan(page.sql, page.params)


def full_scans(plan: list[str]) -> list[str]:
    return [step for step in plan if step.startswith("SCAN") and "VIRTUAL TABLE" not in step]


@pytest.mark.parametrize("form", FORMS)
@pytest.mark.parametrize("many", [False, True], ids=["few matches", "many matches"])
def test_every_search_form_reads_an_index(app, workspace, contacts, form, many) -> None:
    store, ws = app.state.store, workspace[0]
    query, sort, leading_index, sort_index = FORMS[form]
    with mock.patch.object(search_module, "SORTED_IN_MEMORY", 0 if many else 10_000):
        count_plan, page_plan = plans(store, ws, query, sort)
    assert not full_scans(count_plan) and not full_scans(page_plan), (count_plan, page_plan)
    if form in COUNTED_FORMS:
        # One comparison: counted from the counts kept of its values, not from its matches.
        assert count_plan == ["SEARCH v USING PRIMARY KEY (workspace_id=? AND field=? AND value=?)"]
    else:
        assert any("INDEX" in step for step in count_plan), count_plan
    if many:
        # Along the sort order's index, with no sorting step: a page costs a few pages' rows.
        assert any(f"INDEX contact_search_{sort_index}" in step for step in page_plan), page_plan
        assert not any("TEMP B-TREE" in step for step in page_plan), page_plan
    elif leading_index != "contact_search_created":
        assert any(leading_index in step for step in page_plan), page_plan


def test_a_page_deep_in_the_sort_order_starts_with_a_seek(app, workspace, contacts) -> None:
    store, ws = app.state.store, workspace[0]
    last = contacts[20]
    cursor = encode_cursor([last["updated_at"], last["id"], 4])
    with mock.patch.object(search_module, "SORTED_IN_MEMORY", 0):
        _, page_plan = plans(store, ws, where("role", "=", "user"), {"field": "updated_at"}, cursor)
    assert any("contact_search_updated (workspace_id=? AND updated_at<?)" in step for step in page_plan), (
        page_plan
    )


def test_an_and_without_a_lookup_counts_the_entries_of_its_role(app, workspace, contacts) -> None:
    """The count reads only the index entries of the role asked for, checking the rest in them."""
    query = FORMS["AND[role =, OR[plan =, seats >]]"][0]
    count_plan, _ = plans(app.state.store, workspace[0], query, None)
    assert count_plan == ["SEARCH s USING COVERING INDEX contact_search_filters (workspace_id=? AND role=?)"]


def test_short_substrings_are_matched_row_by_row(app, workspace, contacts) -> None:
    count_plan, _ = plans(app.state.store, workspace[0], where("name", "~", "r1"), None)
    assert not any("contact_search_text" in step for step in count_plan), count_plan


def test_substrings_found_by_trigrams_match_as_like_does(api, app, workspace) -> None:
    """The trigram index folds the case of every letter and finds a substring anywhere; a match is what
    LIKE keeps of its candidates: ASCII case folded, anchors where `^` and `$` put them."""
    ecole = create(api, email="a@example.com", name="ÉCOLE Primaire")["id"]
    school = create(api, email="b@example.com", name="école Primaire")["id"]
    quoted = create(api, email="c@example.com", name='The "Quoted" 100%')["id"]
    assert ids(api, where("name", "~", "ÉCOLE")) == [ecole]
    assert ids(api, where("name", "~", "école")) == [school]
    assert set(ids(api, where("name", "~", "cole prim"))) == {ecole, school}
    assert ids(api, where("name", "^", "primaire")) == []
    assert set(ids(api, where("name", "$", "PRIMAIRE"))) == {ecole, school}
    assert ids(api, where("name", "~", '"quoted"')) == [quoted]
    assert ids(api, where("name", "~", "0%")) == [quoted]
    assert ids(api, where("email", "^", "B@EX")) == [school]
    assert set(ids(api, where("name", "!~", "école"))) == {ecole, quoted}


def test_custom_attributes_beyond_the_slots_are_read_from_the_json(api, app, workspace) -> None:
    store, ws = app.state.store, workspace[0]
    names = [f"attribute{n}" for n in range(_contact_search.SLOTS + 2)]
    for name in names:
        add_attribute(store, ws, name, "string")
    made = [
        create(api, email=f"p{n}@example.com", custom_attributes={name: f"V{n}"})
        for n, name in enumerate(names)
    ]
    for n, name in enumerate(names):
        assert ids(api, where(f"custom_attributes.{name}", "=", f"v{n}")) == [made[n]["id"]]
        assert ids(api, where(f"custom_attributes.{name}", "~", f"{n}")) == [made[n]["id"]]
    slots = store.scalar("SELECT COUNT(*) FROM contact_search_slots WHERE workspace_id = ?", (ws.id,))
    assert slots == _contact_search.SLOTS


def total(api: httpx.Client, query: dict) -> int:
    response = api.post("/contacts/search", json={"query": query})
    assert response.status_code == 200, response.text
    return response.json()["total_count"]


def test_counts_follow_every_write(api, app, workspace) -> None:
    """Counts are kept until the next write: one made by any path (the store itself included) counts."""
    store, ws = app.state.store, workspace[0]
    users = where("role", "=", "user")
    first = create(api, email="first@example.com")["id"]
    assert total(api, users) == 1
    assert api.get("/contacts").json()["total_count"] == 1
    create_contact(store, ws, {"email": "second@example.com"})
    assert total(api, users) == 2
    second = create(api, email="third@example.com")["id"]
    assert api.post(f"/contacts/{first}/archive").status_code == 200
    assert total(api, users) == 2
    assert api.get("/contacts").json()["total_count"] == 2
    assert api.post(f"/contacts/{first}/unarchive").status_code == 200
    assert api.get("/contacts").json()["total_count"] == 3
    lead = create(api, role="lead", email="lead@example.com")["id"]
    merged = api.post("/contacts/merge", json={"from": lead, "into": second})
    assert merged.status_code == 200, merged.text
    assert api.get("/contacts").json()["total_count"] == 3
    assert api.delete(f"/contacts/{second}").status_code == 200
    assert total(api, users) == 2
    assert api.get("/contacts").json()["total_count"] == 2


ASCII_FOLD = str.maketrans("ABCDEFGHIJKLMNOPQRSTUVWXYZ", "abcdefghijklmnopqrstuvwxyz")


def _value_key(field: str, value: Any) -> tuple[str, str, Any]:
    """A value as NOCASE tells values apart: text by its ASCII-folded form, numbers as numbers."""
    if isinstance(value, str):
        return (field, "text", value.translate(ASCII_FOLD))
    return (field, "number", value)


def kept_value_counts(store: Store, workspace_id: str) -> dict[tuple[str, str, Any], int]:
    """The counts kept of each role and slot value of the workspace's contacts (those at zero left out)."""
    rows = store.execute(
        "SELECT field, value, counted FROM contact_search_values WHERE workspace_id = ? AND counted != 0",
        (workspace_id,),
    )
    return {_value_key(field, value): counted for field, value, counted in rows}


def value_recount(store: Store, workspace_id: str) -> dict[tuple[str, str, Any], int]:
    """The same counts, counted now from the search copy."""
    return {
        _value_key(column, value): counted
        for column in _contact_search.VALUE_COUNTED
        for value, counted in store.execute(
            f"SELECT {column}, COUNT(*) FROM contact_search WHERE workspace_id = ? AND {column} IS NOT NULL "
            f"GROUP BY {column} COLLATE NOCASE",
            (workspace_id,),
        )
    }


def test_a_search_writes_nothing(api, app, workspace) -> None:
    """A custom attribute has its slot from its definition: the first search on it, however many contacts
    hold it, reads and writes nothing else (it used to fill the slot from every contact then)."""
    store, ws = app.state.store, workspace[0]
    add_attribute(store, ws, "tier", "string")
    made = [create(api, email=f"t{n}@example.com", custom_attributes={"tier": f"T{n % 3}"}) for n in range(6)]
    before = store.db.conn.total_changes
    assert set(ids(api, where("custom_attributes.tier", "=", "t1"))) == {made[1]["id"], made[4]["id"]}
    assert store.db.conn.total_changes == before


def test_one_comparison_is_counted_from_the_kept_counts(api, app, workspace) -> None:
    """Kept counts follow every write: values changed in case, removed, archived, merged, deleted."""
    store, ws = app.state.store, workspace[0]
    add_attribute(store, ws, "plan", "string")
    add_attribute(store, ws, "seats", "integer")
    people = [
        create(
            api,
            email=f"k{n}@example.com",
            custom_attributes={"plan": ("Pro", "pro", "free")[n % 3], "seats": n},
        )
        for n in range(9)
    ]
    assert total(api, where("custom_attributes.plan", "=", "PRO")) == 6
    assert total(api, where("custom_attributes.plan", "IN", ["pro", "free", "none"])) == 9
    assert total(api, where("custom_attributes.seats", ">", 5)) == 3
    api.put(f"/contacts/{people[0]['id']}", json={"custom_attributes": {"plan": None}})
    api.put(f"/contacts/{people[2]['id']}", json={"custom_attributes": {"plan": "pRO"}})
    assert api.post(f"/contacts/{people[1]['id']}/archive").status_code == 200
    assert api.delete(f"/contacts/{people[3]['id']}").status_code == 200
    lead = create(api, role="lead", email="lead@example.com", custom_attributes={"plan": "pro"})
    assert total(api, where("role", "=", "lead")) == 1
    assert api.post("/contacts/merge", json={"from": lead["id"], "into": people[5]["id"]}).status_code == 200
    assert total(api, where("role", "=", "lead")) == 0
    assert total(api, where("custom_attributes.plan", "=", "pro")) == 4  # people 2, 4, 6 and 7
    assert kept_value_counts(store, ws.id) == value_recount(store, ws.id)
