"""Conversation search finds exactly what a plain Python filter over the same conversations finds.

The oracle reads Intercom's rules (FIDELITY §5), not the SQL compiler: strings match ASCII
case-insensitively; multi-valued fields (contact_ids, tag_ids, the words of source.body) match when
one value does and their negations when none does; dates compare by the second (conversation
search is not day-granular); 2.15 shows priority as `priority`/`not_priority`.
"""

from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from fake_intercom.resources import _conversation_store as cs
from fake_intercom.resources._contact_store import create_contact
from fake_intercom.resources._conversation_store import start_from_contact, tag_conversation
from fake_intercom.resources.tags import create_tag
from tests.conftest import new_workspace
from tests.property.search_oracle import client, matches, nested, search_ids

BASE = 1_700_000_000
WORDS = ("support", "Billing", "invoice", "login", "help")

TYPES = {
    "state": "string",
    "title": "string",
    "priority": "string",
    "open": "boolean",
    "read": "boolean",
    "admin_assignee_id": "integer",
    "created_at": "date",
    "contact_ids": "many",
    "tag_ids": "many",
    "source.body": "many",
}
OPERATORS = {
    "string": ("=", "!=", "IN", "NIN", "~", "!~", "^", "$"),
    "many": ("=", "!=", "IN", "NIN", "~", "!~", "^", "$"),
    "integer": ("=", "!=", "IN", "NIN", "<", ">"),
    "boolean": ("=", "!=", "IN", "NIN"),
    "date": ("=", "!=", "IN", "NIN", "<", ">"),
}

conversations = st.lists(
    st.fixed_dictionaries(
        {
            "state": st.sampled_from(["open", "closed", "snoozed"]),
            "read": st.booleans(),
            "priority": st.sampled_from(["none", "high"]),
            "title": st.none() | st.text(alphabet="abAB_%", max_size=3),
            "assignee": st.none() | st.integers(0, 2),
            "created_at": st.integers(BASE, BASE + 5),
            "contacts": st.lists(st.integers(0, 2), min_size=1, max_size=3, unique=True),
            "tags": st.lists(st.integers(0, 2), max_size=2, unique=True),
            "words": st.lists(st.sampled_from(WORDS), min_size=1, max_size=3),
        }
    ),
    max_size=10,
)


def seed(app, specs: list[dict[str, Any]]) -> tuple[str, list[dict[str, Any]], dict[str, list[str]]]:
    """A workspace with these conversations; returns its token, each one's searchable values and the pools."""
    workspace, token = new_workspace(app)
    store = app.state.store
    contacts = [create_contact(store, workspace, {"email": f"c{i}@search.test"}) for i in range(3)]
    tags = [create_tag(store, workspace, name)["id"] for name in ("red", "Green", "blue")]
    admins = [991_000_001, 991_000_002, 991_000_003]
    made = []
    for spec in specs:
        first = contacts[spec["contacts"][0]]
        stored, _ = start_from_contact(
            store, workspace, first, " ".join(spec["words"]), created_at=spec["created_at"]
        )
        for index in spec["contacts"][1:]:
            cs.add_contact(store, workspace.id, stored["id"], contacts[index]["id"])
        for index in spec["tags"]:
            tag_conversation(store, workspace, stored["id"], tags[index], workspace.owner_admin_id)
        assignee = admins[spec["assignee"]] if spec["assignee"] is not None else None
        stored.update(
            state=spec["state"],
            open=spec["state"] != "closed",
            read=spec["read"],
            priority=spec["priority"],
            title=spec["title"],
            admin_assignee_id=assignee,
            snoozed_until=BASE * 2 if spec["state"] == "snoozed" else None,
        )
        cs.save(store, workspace.id, stored)
        made.append(
            {
                "id": stored["id"],
                "state": spec["state"],
                "title": spec["title"],
                "priority": "not_priority" if spec["priority"] == "none" else "priority",
                "open": spec["state"] != "closed",
                "read": spec["read"],
                "admin_assignee_id": assignee,
                "created_at": spec["created_at"],
                "contact_ids": [contacts[i]["id"] for i in spec["contacts"]],
                "tag_ids": [tags[i] for i in spec["tags"]],
                "source.body": sorted({word.lower() for word in spec["words"]}),
            }
        )
    pools = {
        "contact_ids": [c["id"] for c in contacts],
        "tag_ids": tags,
        "source.body": list(WORDS),
        "admin_assignee_id": admins,
    }
    return token, made, pools


# -- queries ------------------------------------------------------------------------------------------


def values_for(field: str, pools: dict[str, list[Any]]) -> st.SearchStrategy:
    kind = TYPES[field]
    if kind == "boolean":
        return st.booleans()
    if kind == "date":
        return st.integers(BASE - 1, BASE + 6).flatmap(lambda ts: st.sampled_from([ts, str(ts)]))
    if field == "admin_assignee_id":
        return st.sampled_from(pools[field]) | st.integers(0, 3)
    if field == "state":
        return st.sampled_from(["open", "closed", "snoozed", "OPEN", "los"])
    if field == "priority":
        return st.sampled_from(["priority", "not_priority", "not"])
    if field in pools:
        return st.sampled_from(pools[field]) | st.text(alphabet="abeGRl", min_size=1, max_size=2)
    return st.text(alphabet="abAB_%", max_size=3)


@st.composite
def leaf(draw, pools: dict[str, list[Any]]) -> dict[str, Any]:
    field = draw(st.sampled_from(sorted(TYPES)))
    operator = draw(st.sampled_from(OPERATORS[TYPES[field]]))
    values = values_for(field, pools)
    if operator in ("IN", "NIN"):
        value = draw(st.lists(values, max_size=3))
    elif operator in ("=", "!=") and TYPES[field] in ("string", "many") and draw(st.integers(0, 9)) == 0:
        value = None
    else:
        value = draw(values)
    return {"field": field, "operator": operator, "value": value}


@settings(max_examples=40, deadline=None)
@given(specs=conversations, data=st.data())
def test_search_finds_what_the_oracle_finds(app, asgi_transport, specs, data) -> None:
    token, made, pools = seed(app, specs)
    with client(asgi_transport, token) as api:
        for query in data.draw(st.lists(nested(leaf(pools)), min_size=1, max_size=4), label="queries"):
            found = search_ids(api, "/conversations/search", "conversations", query, per_page=3)
            assert len(found) == len(set(found)), query
            expected = [conversation["id"] for conversation in made if matches(conversation, query, TYPES)]
            assert sorted(found) == sorted(expected), query
