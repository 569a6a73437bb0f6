"""Properties of contacts: search finds exactly what a plain Python filter finds, in its order; create
round-trips.

The oracle below reads Intercom's rules (FIDELITY §5.3-5.4), not the SQL compiler: strings match
ASCII case-insensitively, negations also match contacts without a value, dates compare by UTC day.
Whichever way a search is read (through its leading filter's index or along its sort order, with
substrings found through the trigram index or row by row, custom attributes from their slots or
their JSON), it finds the same contacts in the same order.
"""

import uuid
from typing import Any
from unittest import mock

from hypothesis import given, settings
from hypothesis import strategies as st

from fake_intercom import search as search_module
from fake_intercom.resources import _contact_search
from fake_intercom.resources._contact_store import create_contact
from tests.conftest import examples, new_workspace
from tests.fake.test_contacts import add_attribute
from tests.property.search_oracle import DAY, client, matches, nested, search_ids

BASE = 1_577_836_800  # 2020-01-01T00:00:00Z

STRING_FIELDS = ("name", "email", "role", "email_domain", "external_id", "phone", "custom_attributes.plan")
TYPES = {
    **dict.fromkeys(STRING_FIELDS, "string"),
    "custom_attributes.seats": "integer",
    "custom_attributes.paid": "boolean",
    "created_at": "day",
}
OPERATORS = {
    "string": ("=", "!=", "IN", "NIN", "~", "!~", "^", "$"),
    "integer": ("=", "!=", "IN", "NIN", "<", ">", "<=", ">="),
    "boolean": ("=", "!=", "IN", "NIN"),
    "day": ("=", "<", ">"),
}

# Few letters, so that generated values collide with the contacts'; with LIKE's wildcards, an FTS5
# quote, and non-ASCII letters (which SQLite's LIKE, like the oracle, does not case-fold, but its
# trigram index does); substrings shorter and longer than a trigram.
words = st.text(alphabet='abAB_%é É"', max_size=5)
contacts = st.lists(
    st.fixed_dictionaries(
        {
            "role": st.sampled_from(["user", "lead"]),
            "name": st.none() | words,
            "local": st.none() | st.text(alphabet="abAB", min_size=1, max_size=2),
            "domain": st.sampled_from(["acme.com", "Globex.org", "x.io"]),
            "created_at": st.integers(BASE, BASE + 4 * DAY),
            "plan": st.none() | words,
            "seats": st.none() | st.integers(-3, 3),
            "paid": st.none() | st.booleans(),
            "external_id": st.none() | words,
            "phone": st.none() | words,
        }
    ),
    max_size=12,
)


def seed(app, specs: list[dict[str, Any]], slots_taken: bool = False) -> tuple[str, list[dict[str, Any]]]:
    """A fresh workspace holding these contacts; returns its token and each contact's values. With
    `slots_taken`, other custom attributes were searched first, so that these are read from the JSON."""
    workspace, token = new_workspace(app)
    store = app.state.store
    if slots_taken:
        for slot in range(_contact_search.SLOTS):
            add_attribute(store, workspace, f"earlier{slot}", "string")
            assert _contact_search.slot_of(store, workspace.id, f"earlier{slot}") is not None
    for name, data_type in (("plan", "string"), ("seats", "integer"), ("paid", "boolean")):
        add_attribute(store, workspace, name, data_type)
    made = []
    for index, spec in enumerate(specs):
        email = f"{spec['local']}{index}@{spec['domain']}" if spec["local"] else None
        custom = {key: spec[key] for key in ("plan", "seats", "paid") if spec[key] is not None}
        # External ids are unique in a workspace.
        external_id = f"{spec['external_id']}{index}" if spec["external_id"] is not None else None
        fields = {
            "role": spec["role"],
            "name": spec["name"],
            "email": email,
            "external_id": external_id,
            "phone": spec["phone"],
            "created_at": spec["created_at"],
            "custom_attributes": custom,
        }
        contact = create_contact(store, workspace, fields)
        made.append(
            {
                "id": contact["id"],
                "name": spec["name"],
                "email": email,
                "role": spec["role"],
                "email_domain": spec["domain"].lower() if email else None,
                "external_id": external_id or None,
                "phone": spec["phone"],
                "created_at": spec["created_at"],
                **{f"custom_attributes.{key}": value for key, value in custom.items()},
            }
        )
    return token, made


# -- queries ----------------------------------------------------------------------------------


def values_for(field: str, made: list[dict[str, Any]]) -> st.SearchStrategy:
    kind = TYPES[field]
    if kind == "integer":
        return st.integers(-4, 4)
    if kind == "boolean":
        return st.booleans()
    present = sorted({contact[field] for contact in made if contact.get(field) is not None})
    if kind == "day":
        # Instants of the contacts' own days, as integers or as the numeric strings Intercom accepts.
        near = (
            st.sampled_from(present).flatmap(lambda ts: st.integers(ts - DAY, ts + DAY))
            if present
            else st.nothing()
        )
        return (near | st.integers(BASE - DAY, BASE + 5 * DAY)).flatmap(
            lambda ts: st.sampled_from([ts, str(ts)])
        )
    if not present:
        return words
    # A contact's value, or a piece of one (from its middle, so that `^` and `$` must look at where the
    # trigram index found it) with its case changed (which the trigram index folds further than LIKE).
    pieces = st.sampled_from(present).flatmap(
        lambda value: st.tuples(st.integers(0, len(value)), st.integers(0, len(value))).map(
            lambda bounds: value[min(bounds) : max(bounds)]
        )
    )
    return st.sampled_from(present) | pieces | pieces.map(str.swapcase) | words


@st.composite
def leaf(draw, made: list[dict[str, Any]]) -> dict[str, Any]:
    field = draw(st.sampled_from(sorted(TYPES)))
    operator = draw(st.sampled_from(OPERATORS[TYPES[field]]))
    values = values_for(field, made)
    if operator in ("IN", "NIN"):
        value = draw(st.lists(values, max_size=3))
    elif operator in ("=", "!=") and TYPES[field] == "string" and draw(st.integers(0, 9)) == 0:
        value = None
    else:
        value = draw(values)
    return {"field": field, "operator": operator, "value": value}


@settings(max_examples=examples(60), deadline=None)
@given(
    specs=contacts,
    data=st.data(),
    # 0: every page is read along the sort order; otherwise through the leading filter's index.
    sorted_in_memory=st.sampled_from([0, search_module.SORTED_IN_MEMORY]),
    slots_taken=st.booleans(),
)
def test_search_finds_what_the_oracle_finds(
    app, asgi_transport, specs, data, sorted_in_memory, slots_taken
) -> None:
    token, made = seed(app, specs, slots_taken)
    with (
        client(asgi_transport, token) as api,
        mock.patch.object(search_module, "SORTED_IN_MEMORY", sorted_in_memory),
    ):
        for query in data.draw(st.lists(nested(leaf(made)), min_size=1, max_size=4), label="queries"):
            found = search_ids(api, "/contacts/search", "data", query, per_page=7)
            expected = [contact for contact in made if matches(contact, query, TYPES)]
            # Newest first (the default sort), then by id.
            expected.sort(key=lambda contact: (contact["created_at"], contact["id"]), reverse=True)
            assert found == [contact["id"] for contact in expected], query


# -- create, then get -------------------------------------------------------------------------

texts = st.text(alphabet=st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=20)
timestamps = st.none() | st.integers(0, 2**31)


@settings(max_examples=examples(40), deadline=None)
@given(
    fields=st.fixed_dictionaries(
        {},
        optional={
            "role": st.sampled_from(["user", "lead"]),
            "external_id": texts.filter(bool),
            "phone": st.none() | texts,
            "name": st.none() | texts,
            "avatar": st.none() | st.just("https://example.com/avatar.png"),
            "signed_up_at": timestamps,
            "last_seen_at": timestamps,
            "unsubscribed_from_emails": st.booleans(),
            "custom_attributes": st.fixed_dictionaries(
                {}, optional={"plan": texts, "seats": st.integers(-(2**53), 2**53), "paid": st.booleans()}
            ),
        },
    ),
    with_owner=st.booleans(),
)
def test_create_then_get_round_trips_every_field(app, asgi_transport, fields, with_owner) -> None:
    workspace, token = new_workspace(app)
    store = app.state.store
    for name, data_type in (("plan", "string"), ("seats", "integer"), ("paid", "boolean")):
        add_attribute(store, workspace, name, data_type)
    sent = {"email": f"{uuid.uuid4().hex[:8]}@example.com", **fields}
    if with_owner:
        sent["owner_id"] = int(workspace.owner_admin_id)
    with client(asgi_transport, token) as api:
        created = api.post("/contacts", json=sent)
        assert created.status_code == 200, created.text
        got = api.get(f"/contacts/{created.json()['id']}").json()
    assert got == created.json()
    for key, value in sent.items():
        if key == "avatar":
            assert got["avatar"] == ({"type": "avatar", "image_url": value} if value else None)
        else:
            assert got[key] == value, key
