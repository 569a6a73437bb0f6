"""Ticket search finds exactly what a plain Python filter finds over the same tickets.

The oracle reads Intercom's rules (FIDELITY §5), not the SQL compiler: strings match ASCII
case-insensitively, categories are searched as request/task/tracker, dates compare to the second
(ticket search is not day-granular), multi-valued fields (contact_ids, teammate_ids) match when any
value does, and negations also match tickets without a value.
"""

from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from contracts.models.tickets import UpdateTicketRequest
from fake_intercom.context import Ctx
from fake_intercom.resources._contact_store import create_contact
from fake_intercom.resources._ticket_store import create_ticket, update_ticket
from fake_intercom.resources.admins import create_admin
from fake_intercom.resources.ticket_states import first_state
from fake_intercom.resources.ticket_type_attributes import create_attribute
from fake_intercom.resources.ticket_types import create_ticket_type
from tests.conftest import new_workspace
from tests.property.search_oracle import client, matches, nested, search_ids

BASE = 1_700_000_000
CATEGORIES = {"Customer": "request", "Back-office": "task", "Tracker": "tracker"}
STATES = ("submitted", "in_progress", "waiting_on_customer", "resolved")
SEATS = "ticket_attribute.seats"
TYPES = {
    **dict.fromkeys(
        ("title", "description", "category", "state", "ticket_type_id", "admin_assignee_id", "id"), "string"
    ),
    "contact_ids": "many",
    "teammate_ids": "many",
    "open": "boolean",
    "created_at": "date",
    SEATS: "integer",
}
OPERATORS = {
    "string": ("=", "!=", "IN", "NIN", "~", "!~", "^", "$"),
    "many": ("=", "!=", "IN", "NIN", "~", "!~", "^", "$"),
    "boolean": ("=", "!=", "IN", "NIN"),
    "integer": ("=", "!=", "IN", "NIN", "<", ">"),
    "date": ("=", "!=", "IN", "NIN", "<", ">", "<=", ">="),
}

words = st.text(alphabet="abAB_%", max_size=3)
tickets = st.lists(
    st.fixed_dictionaries(
        {
            "type": st.sampled_from(sorted(CATEGORIES)),
            "title": st.none() | words,
            "description": st.none() | words,
            "contact": st.integers(0, 2),
            "state": st.sampled_from(STATES),
            "admin": st.none() | st.integers(0, 1),
            "close": st.booleans(),
            "created_at": st.integers(BASE, BASE + 5),
            "seats": st.none() | st.integers(-2, 2),
        }
    ),
    max_size=10,
)


def seed(app, specs: list[dict[str, Any]]) -> tuple[str, list[dict[str, Any]]]:
    """A workspace holding these tickets (seats only on the Customer type); each ticket's values."""
    workspace, token = new_workspace(app)
    store = app.state.store
    ctx = Ctx(store, workspace, "2.15", "test", app.state.settings, "http://fake-intercom.test")
    with store.atomic():
        admins = [
            create_admin(store, workspace, name=f"A{i}", email=f"a{i}@test.example")["id"] for i in range(2)
        ]
        contacts = [create_contact(store, workspace, {"role": "user"})["id"] for _ in range(3)]
        types = {
            category: create_ticket_type(store, workspace, {"name": category, "category": category})
            for category in CATEGORIES
        }
        seats = create_attribute(
            store,
            workspace,
            types["Customer"]["id"],
            {"name": "seats", "description": "", "data_type": "integer"},
        )
        made = []
        for spec in specs:
            ticket_type = types[spec["type"]]
            attributes = {"_default_title_": spec["title"], "_default_description_": spec["description"]}
            if spec["type"] == "Customer" and spec["seats"] is not None:
                attributes["seats"] = spec["seats"]
            ticket = create_ticket(
                ctx, ticket_type, [contacts[spec["contact"]]], attributes, created_at=spec["created_at"]
            )
            state = first_state(store, workspace.id, ticket_type["id"], spec["state"])
            admin = admins[spec["admin"]] if spec["admin"] is not None else None
            change = UpdateTicketRequest(ticket_state_id=state["id"], admin_id=admin, assignee_id=admin)
            ticket = update_ticket(ctx, ticket, change)
            if spec["close"]:
                ticket = update_ticket(ctx, ticket, UpdateTicketRequest(open=False))
            made.append(
                {
                    "id": ticket["id"],
                    "title": spec["title"],
                    "description": spec["description"],
                    "category": CATEGORIES[spec["type"]],
                    "state": spec["state"],
                    "ticket_type_id": ticket_type["id"],
                    "admin_assignee_id": admin or "0",
                    "contact_ids": [contacts[spec["contact"]]],
                    "teammate_ids": [admin] if admin else [],
                    "open": ticket["open"],
                    "created_at": spec["created_at"],
                    SEATS: attributes.get("seats"),
                }
            )
    return token, made, seats["id"]


# -- queries ----------------------------------------------------------------------------------


def values_for(field: str, made: list[dict[str, Any]]) -> st.SearchStrategy:
    kind = TYPES[field]
    if kind == "boolean":
        return st.booleans()
    if kind == "integer":
        return st.integers(-3, 3)
    if kind == "date":
        return st.integers(BASE - 1, BASE + 6).flatmap(lambda ts: st.sampled_from([ts, str(ts)]))
    if kind == "many":
        present = sorted({item for ticket in made for item in ticket[field]})
    else:
        present = sorted({ticket[field] for ticket in made if ticket[field] is not None})
    fixed = {"category": list(CATEGORIES.values()), "state": list(STATES)}.get(field, [])
    pool = sorted({*present, *fixed})
    return (st.sampled_from(pool) | words) if pool else words


@st.composite
def leaf(draw, made: list[dict[str, Any]]) -> dict[str, Any]:
    field = draw(st.sampled_from(sorted(TYPES)))
    kind = TYPES[field]
    operator = draw(st.sampled_from(OPERATORS[kind]))
    values = values_for(field, made)
    if operator in ("IN", "NIN"):
        value = draw(st.lists(values, max_size=3))
    elif operator in ("=", "!=") and kind in ("string", "many") and draw(st.integers(0, 9)) == 0:
        value = None
    else:
        value = draw(values)
    return {"field": field, "operator": operator, "value": value}


@settings(max_examples=50, deadline=None)
@given(specs=tickets, data=st.data())
def test_search_finds_what_the_oracle_finds(app, asgi_transport, specs, data) -> None:
    token, made, seats_id = seed(app, specs)
    with client(asgi_transport, token) as api:
        for query in data.draw(st.lists(nested(leaf(made)), min_size=1, max_size=4), label="queries"):
            sent = _with_attribute_id(query, seats_id)
            found = search_ids(api, "/tickets/search", "tickets", sent, per_page=4)
            expected = [ticket["id"] for ticket in made if matches(ticket, query, TYPES)]
            assert sorted(found) == sorted(expected), query
            assert len(found) == len(set(found))


def _with_attribute_id(query: dict[str, Any], seats_id: str) -> dict[str, Any]:
    """The oracle names the attribute `ticket_attribute.seats`; the API wants its id."""
    if "field" in query:
        field = f"ticket_attribute.{seats_id}" if query["field"] == SEATS else query["field"]
        return {**query, "field": field}
    return {**query, "value": [_with_attribute_id(member, seats_id) for member in query["value"]]}
