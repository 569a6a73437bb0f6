"""The search language on POST /contacts/search: operators, types, nesting, limits, sort, errors."""

import json

import httpx
import pytest

from fake_intercom.search import day_bounds
from tests.fake.test_contacts import add_attribute, add_company, add_segment, add_tag, create, error, freeze

V216 = {"Intercom-Version": "2.16"}
DAY = 86_400
JAN_1_2020 = 1_577_836_800


def ids(api: httpx.Client, query: dict, **body) -> list[str]:
    response = api.post("/contacts/search", json={"query": query, **body})
    assert response.status_code == 200, response.text
    return [contact["id"] for contact in response.json()["data"]]


def where(field: str, operator: str, value) -> dict:
    return {"field": field, "operator": operator, "value": value}


@pytest.fixture
def people(api, app, workspace) -> dict[str, dict]:
    """Three contacts created a day apart, with tags, a company, a segment and custom attributes."""
    store, ws = app.state.store, workspace[0]
    add_attribute(store, ws, "plan", "string")
    add_attribute(store, ws, "seats", "integer")
    add_attribute(store, ws, "paid", "boolean")
    add_attribute(store, ws, "renews_at", "date")
    made = {}
    for day, (key, fields) in enumerate(
        {
            "ann": {
                "email": "ann@acme.com",
                "name": "Ann Smith",
                "external_id": "a-1",
                "custom_attributes": {
                    "plan": "Pro",
                    "seats": 5,
                    "paid": True,
                    "renews_at": JAN_1_2020 + 3600,
                },
            },
            "bob": {
                "email": "bob@globex.org",
                "name": "Bob Jones",
                "phone": "+100",
                "custom_attributes": {"plan": "free", "seats": 1, "paid": False},
            },
            "cat": {"role": "lead", "name": "cat_100%"},
        }.items()
    ):
        freeze(store, ws, JAN_1_2020 + day * DAY + 9 * 3600)
        made[key] = create(api, **fields)
    add_tag(store, ws.id, made["ann"]["id"], "vip")
    add_tag(store, ws.id, made["bob"]["id"], "churn")
    add_company(store, ws.id, made["ann"]["id"], "Acme")
    add_segment(store, ws.id, made["bob"]["id"], "Active")
    return made


def test_string_operators(api, people) -> None:
    ann, bob, cat = (people[k]["id"] for k in ("ann", "bob", "cat"))
    assert ids(api, where("email", "=", "ANN@acme.com")) == [ann]
    assert set(ids(api, where("email", "!=", "ann@acme.com"))) == {bob, cat}
    assert set(ids(api, where("name", "IN", ["ann smith", "Bob Jones"]))) == {ann, bob}
    assert ids(api, where("name", "NIN", ["Ann Smith", "Bob Jones"])) == [cat]
    assert ids(api, where("name", "~", "SMI")) == [ann]
    assert set(ids(api, where("name", "!~", "smi"))) == {bob, cat}
    assert ids(api, where("name", "^", "bob")) == [bob]
    assert ids(api, where("email", "$", ".org")) == [bob]
    assert ids(api, where("email_domain", "=", "acme.com")) == [ann]
    assert ids(api, where("role", "=", "lead")) == [cat]


def test_like_wildcards_are_literal(api, people) -> None:
    assert ids(api, where("name", "~", "_100%")) == [people["cat"]["id"]]
    assert ids(api, where("name", "~", "t_1")) == [people["cat"]["id"]]
    assert ids(api, where("name", "~", "%")) == [people["cat"]["id"]]


def test_null_matches_missing_values(api, people) -> None:
    assert ids(api, where("email", "=", None)) == [people["cat"]["id"]]
    assert set(ids(api, where("phone", "!=", None))) == {people["bob"]["id"]}


def test_date_operators_are_day_granular(api, people) -> None:
    ann, bob, cat = (people[k]["id"] for k in ("ann", "bob", "cat"))
    # Created at 09:00 on Jan 1, 2 and 3; any instant of Jan 2 names that whole day.
    jan_2_noon = JAN_1_2020 + DAY + 12 * 3600
    assert ids(api, where("created_at", "=", jan_2_noon)) == [bob]
    assert ids(api, where("created_at", ">", jan_2_noon)) == [cat]
    assert ids(api, where("created_at", "<", jan_2_noon)) == [ann]
    # The spec's own example passes a numeric string.
    assert set(ids(api, where("created_at", ">", "1306054154"))) == {ann, bob, cat}
    assert ids(api, where("custom_attributes.renews_at", "=", JAN_1_2020)) == [ann]


@pytest.mark.parametrize("operator", ["!=", "<=", ">=", "IN", "NIN", "~"])
def test_dates_refuse_other_operators(api, operator) -> None:
    value = [JAN_1_2020] if operator in ("IN", "NIN") else JAN_1_2020
    error(
        api.post("/contacts/search", json={"query": where("created_at", operator, value)}),
        400,
        "parameter_invalid",
    )


def test_an_or_of_days_matches_each_whole_day(api, people) -> None:
    """An OR of equalities on one field is read as one IN, but a date's `=` names a day, not a value."""
    ann, cat = people["ann"]["id"], people["cat"]["id"]
    noon = JAN_1_2020 + 12 * 3600
    query = {
        "operator": "OR",
        "value": [where("created_at", "=", noon), where("created_at", "=", noon + 2 * DAY)],
    }
    assert set(ids(api, query)) == {ann, cat}


def test_dates_refuse_non_numeric_values(api) -> None:
    error(
        api.post("/contacts/search", json={"query": where("created_at", ">", "foobar")}),
        400,
        "parameter_invalid",
    )
    error(
        api.post("/contacts/search", json={"query": where("created_at", ">", 10**30)}),
        400,
        "parameter_invalid",
    )


def test_day_bounds_follow_the_workspace_timezone() -> None:
    assert day_bounds(JAN_1_2020 + 9 * 3600, "UTC") == (JAN_1_2020, JAN_1_2020 + DAY)
    # 2020-03-08 is 23 hours long in New York (DST starts).
    start, end = day_bounds(1_583_683_200, "America/New_York")
    assert end - start == 23 * 3600


def test_integer_and_boolean_operators(api, people) -> None:
    ann, bob = people["ann"]["id"], people["bob"]["id"]
    assert ids(api, where("custom_attributes.seats", ">", 1)) == [ann]
    assert ids(api, where("custom_attributes.seats", ">=", 1), sort={"order": "ascending"}) == [ann, bob]
    assert ids(api, where("custom_attributes.seats", "<=", 1)) == [bob]
    assert ids(api, where("custom_attributes.seats", "IN", [1, 7])) == [bob]
    assert ids(api, where("custom_attributes.seats", "=", "5")) == [ann]
    assert ids(api, where("custom_attributes.paid", "=", True)) == [ann]
    assert set(ids(api, where("custom_attributes.paid", "!=", True))) == {bob, people["cat"]["id"]}
    assert ids(api, where("custom_attributes.plan", "=", "pro")) == [ann]
    error(
        api.post("/contacts/search", json={"query": where("custom_attributes.paid", "~", "t")}),
        400,
        "parameter_invalid",
    )
    error(
        api.post("/contacts/search", json={"query": where("custom_attributes.seats", "=", "many")}),
        400,
        "parameter_invalid",
    )
    error(
        api.post("/contacts/search", json={"query": where("unsubscribed_from_emails", "=", 1)}),
        400,
        "parameter_invalid",
    )


def test_owner_id_is_an_integer_field(api, workspace) -> None:
    owner = workspace[0].owner_admin_id
    owned = create(api, email="owned@example.com", owner_id=owner)["id"]
    create(api, email="unowned@example.com")
    assert ids(api, where("owner_id", "=", int(owner))) == [owned]
    assert ids(api, where("owner_id", "=", owner), sort={"order": "ascending"}) == [owned]
    assert ids(api, where("owner_id", ">", 0)) == [owned]
    error(
        api.post("/contacts/search", json={"query": where("owner_id", "~", "99")}), 400, "parameter_invalid"
    )


def test_related_fields(api, people) -> None:
    ann, bob, cat = (people[k]["id"] for k in ("ann", "bob", "cat"))
    vip = people["ann"]["id"]
    tag_id = api.get(f"/contacts/{vip}/tags").json()["data"][0]["id"]
    assert ids(api, where("tag_id", "=", tag_id)) == [ann]
    assert set(ids(api, where("tag_id", "!=", tag_id))) == {bob, cat}
    error(
        api.post("/contacts/search", json={"query": where("tag_id", "IN", [tag_id])}),
        400,
        "parameter_invalid",
    )
    assert ids(api, where("companies.name", "=", "acme")) == [ann]
    assert ids(api, where("companies.company_id", "=", "ext-Acme")) == [ann]
    segment_id = api.get(f"/contacts/{bob}/segments").json()["data"][0]["id"]
    assert ids(api, where("segment_id", "=", segment_id)) == [bob]


def test_nested_and_or(api, people) -> None:
    ann, bob = people["ann"]["id"], people["bob"]["id"]
    query = {
        "operator": "AND",
        "value": [
            {"operator": "OR", "value": [where("name", "^", "ann"), where("name", "^", "bob")]},
            {
                "operator": "OR",
                "value": [where("email_domain", "=", "globex.org"), where("phone", "=", "+200")],
            },
        ],
    }
    assert ids(api, query) == [bob]
    assert set(ids(api, {"operator": "OR", "value": [where("id", "=", ann), where("id", "=", bob)]})) == {
        ann,
        bob,
    }


def test_nesting_and_group_limits(api) -> None:
    leaf = where("name", "=", "x")
    two_levels = {"operator": "AND", "value": [{"operator": "OR", "value": [leaf]}]}
    assert api.post("/contacts/search", json={"query": two_levels}).status_code == 200
    three_levels = {"operator": "AND", "value": [two_levels]}
    error(api.post("/contacts/search", json={"query": three_levels}), 400, "parameter_invalid")
    fifteen = {"operator": "OR", "value": [leaf] * 15}
    assert api.post("/contacts/search", json={"query": fifteen}).status_code == 200
    error(
        api.post("/contacts/search", json={"query": {"operator": "OR", "value": [leaf] * 16}}),
        400,
        "parameter_invalid",
    )
    error(
        api.post("/contacts/search", json={"query": {"operator": "OR", "value": []}}),
        400,
        "parameter_invalid",
    )


@pytest.mark.parametrize(
    ("query", "code"),
    [
        (where("favourite_colour", "=", "red"), "parameter_invalid"),
        (where("custom_attributes.undefined", "=", "red"), "parameter_invalid"),
        (where("email", "AND", "a@b.c"), "parameter_invalid"),
        (where("email", "LIKE", "a"), "parameter_invalid"),
        ({"operator": "XOR", "value": [where("email", "=", "a")]}, "parameter_invalid"),
        (where("email", "IN", "not-a-list"), "parameter_invalid"),
        (where("email", "=", ["a", "b"]), "parameter_invalid"),
        (where("email", "~", None), "parameter_invalid"),
        ({"operator": "AND", "value": "not-a-list"}, "parameter_invalid"),
        ({"operator": "AND", "value": ["not-an-object"]}, "parameter_invalid"),
    ],
)
def test_bad_queries_are_400(api, query, code) -> None:
    error(api.post("/contacts/search", json={"query": query}), 400, code)


def test_body_errors(api) -> None:
    error(api.post("/contacts/search", json={}), 400, "parameter_not_found")
    error(api.post("/contacts/search", json={"query": "email"}), 400, "parameter_invalid")
    leaf = where("name", "=", "x")
    error(
        api.post("/contacts/search", json={"query": leaf, "pagination": {"per_page": 151}}),
        400,
        "parameter_invalid",
    )
    response = api.post("/contacts/search", json={"query": leaf, "pagination": {"starting_after": "Wz"}})
    error(response, 400, "client_error")


def test_empty_result_shape(api) -> None:
    response = api.post(
        "/contacts/search", json={"query": where("name", "=", "nobody"), "pagination": {"per_page": 5}}
    )
    assert response.json() == {
        "type": "list",
        "data": [],
        "total_count": 0,
        "pages": {"type": "pages", "page": 1, "per_page": 5, "total_pages": 0},
    }


def test_sort_and_pages(api, people) -> None:
    ann, bob, cat = (people[k]["id"] for k in ("ann", "bob", "cat"))
    everyone = where("created_at", ">", 0)
    assert ids(api, everyone) == [cat, bob, ann]
    assert ids(api, everyone, sort={"field": "created_at", "order": "ascending"}) == [ann, bob, cat]
    assert ids(api, everyone, sort={"field": "name", "order": "ascending"}) == [ann, bob, cat]
    assert ids(api, everyone, sort={"field": "custom_attributes.seats", "order": "descending"}) == [
        ann,
        bob,
        cat,
    ]
    first = api.post("/contacts/search", json={"query": everyone, "pagination": {"per_page": 2}}).json()
    assert first["total_count"] == 3 and first["pages"]["total_pages"] == 2
    cursor = first["pages"]["next"]["starting_after"]
    rest = api.post(
        "/contacts/search", json={"query": everyone, "pagination": {"per_page": 2, "starting_after": cursor}}
    )
    assert [c["id"] for c in rest.json()["data"]] == [ann]
    assert rest.json()["pages"]["page"] == 2
    error(
        api.post("/contacts/search", json={"query": everyone, "sort": {"field": "tag_id"}}),
        400,
        "parameter_invalid",
    )


def test_sort_order_is_checked_from_216(api, people) -> None:
    body = {"query": where("created_at", ">", 0), "sort": {"field": "created_at", "order": "desc"}}
    assert api.post("/contacts/search", json=body).status_code == 200
    message = error(api.post("/contacts/search", json=body, headers=V216), 400, "invalid_sort_order")
    assert message == "Invalid sort order 'desc'. Must be one of: ascending, descending"


# -- what real clients send (FIDELITY §11) -------------------------------------------------------------


def test_dates_take_unix_seconds_with_a_fraction(api, people) -> None:
    """FIDELITY §11.3: extractors send `datetime.timestamp()`; the fraction is truncated."""
    ann, bob, cat = (people[k]["id"] for k in ("ann", "bob", "cat"))
    assert set(ids(api, where("created_at", ">", float(JAN_1_2020 - DAY)))) == {ann, bob, cat}
    assert ids(api, where("created_at", "=", JAN_1_2020 + 0.5)) == [ann]
    assert ids(api, where("created_at", "<", JAN_1_2020 + DAY + 0.9)) == [ann]
    error(
        api.post("/contacts/search", json={"query": where("created_at", ">", 1e300)}),
        400,
        "parameter_invalid",
    )


def test_conversation_and_ticket_dates_take_floats(api, workspace) -> None:
    from tests.fake.test_conversations import start

    contact_id = create(api, email="float@example.com")["id"]
    conversation = start(api, contact_id)
    since = {"field": "created_at", "operator": ">", "value": 946684800.0}
    found = api.post("/conversations/search", json={"query": since}).json()["conversations"]
    assert [c["id"] for c in found] == [conversation["conversation_id"]]
    assert api.post("/tickets/search", json={"query": since}).status_code == 200
    assert api.post("/tickets/search", json={"query": {**since, "value": 1700000000.5}}).status_code == 200


def test_conversation_ids_compare_and_sort_as_numbers(api, app, workspace) -> None:
    """FIDELITY §11.4: `id > <last id>` (and `> ""`) sorted by id, as incremental extractors page."""
    from tests.fake.test_conversations import start

    contact_id = create(api, email="ids@example.com")["id"]
    first = start(api, contact_id)["conversation_id"]
    app.state.store.execute(
        "UPDATE counters SET value = 8998 WHERE workspace_id = ? AND name = 'conversation'",
        (workspace[0].id,),
    )
    later = [start(api, contact_id)["conversation_id"] for _ in range(2)]
    assert later == ["9999", "10000"] and first == "1001"

    def by_id(query: dict, order: str = "ascending") -> list[str]:
        body = {"query": query, "sort": {"field": "id", "order": order}}
        response = api.post("/conversations/search", json=body)
        assert response.status_code == 200, response.text
        return [c["id"] for c in response.json()["conversations"]]

    assert by_id(where("id", ">", "")) == ["1001", "9999", "10000"]
    assert by_id(where("id", ">", ""), "descending") == ["10000", "9999", "1001"]
    assert by_id(where("id", ">", "9999")) == ["10000"]
    assert by_id(where("id", ">", 1001)) == ["9999", "10000"]
    assert by_id(where("id", "<", "10000")) == ["1001", "9999"]
    assert by_id(where("id", "=", "")) == []
    assert by_id(where("id", "IN", ["1001", 10000])) == ["1001", "10000"]
    assert by_id(where("id", "NIN", ["1001"])) == ["9999", "10000"]
    # What a Singer extractor sends, first run and after an interruption.
    for last, expected in (("", ["1001", "9999", "10000"]), ("9999", ["9999", "10000"])):
        query = {
            "operator": "AND",
            "value": [
                {"operator": "OR", "value": [where("id", ">", last), where("id", "=", last)]},
                {
                    "operator": "OR",
                    "value": [where("updated_at", ">", 946684800.0), where("updated_at", "=", 946684800.0)],
                },
            ],
        }
        assert by_id(query) == expected
    error(
        api.post("/conversations/search", json={"query": where("id", ">", "abc")}), 400, "parameter_invalid"
    )
    error(api.post("/conversations/search", json={"query": where("id", "~", "10")}), 400, "parameter_invalid")


@pytest.mark.parametrize(
    ("query", "field"),
    [
        (where("role", "=", 5), "role"),
        (where("name", "IN", ["a", 5]), "name"),
        (where("unsubscribed_from_emails", "=", "true"), "unsubscribed_from_emails"),
        (where("custom_attributes.paid", "=", "false"), "custom_attributes.paid"),
        (where("custom_attributes.seats", "=", 1.5), "custom_attributes.seats"),
    ],
)
def test_a_value_of_the_wrong_type_is_400_not_an_empty_result(api, people, query, field) -> None:
    message = error(api.post("/contacts/search", json={"query": query}), 400, "parameter_invalid")
    assert field in message and "Input should" not in message


def test_ids_may_be_sent_as_numbers(api, people) -> None:
    """FIDELITY §7: requests often send ids as ints."""
    vip = people["ann"]["id"]
    tag_id = api.get(f"/contacts/{vip}/tags").json()["data"][0]["id"]
    assert ids(api, where("tag_id", "=", int(tag_id))) == [vip]


@pytest.mark.parametrize(
    ("path", "query"),
    [
        ("/contacts/search", where("name", "~", "\ud800")),
        ("/contacts/search", where("custom_attributes.\ud800", "=", "x")),
        ("/contacts/search", where("email", "IN", ["a@b.c", "\udfff"])),
        ("/conversations/search", where("source.body", "=", "\ud800")),
        ("/tickets/search", where("title", "^", "x\ud800")),
        ("/contacts/search", where("name", ["="], "x")),
        ("/contacts/search", where("name", {"op": "="}, "x")),
        ("/conversations/search", where("state", ["="], "open")),
        ("/tickets/search", {"operator": {}}),
        ("/tickets/search", {"operator": ["AND"], "value": [where("title", "=", "x")]}),
        ("/contacts/search", where("name", "~", "a" * 60_000)),
        ("/contacts/search", where("location.city", "^", "%" * 30_000)),
        ("/conversations/search", where("title", "$", "b" * 60_000)),
        ("/tickets/search", where("title", "~", "c" * 60_000)),
    ],
)
def test_hostile_queries_are_400_never_500(api, path, query) -> None:
    """A lone surrogate, an operator that is not a string, a pattern past SQLite's LIKE limit."""
    response = api.post(
        path, content=json.dumps({"query": query}), headers={"Content-Type": "application/json"}
    )
    message = error(response, 400, "parameter_invalid")
    assert "\ud800" not in message
