"""The search language on POST /contacts/search: operators, types, nesting, limits, sort, errors."""

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
        "invalid_operator",
    )


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
        "invalid_operator",
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
    error(api.post("/contacts/search", json={"query": where("owner_id", "~", "99")}), 400, "invalid_operator")


def test_related_fields(api, people) -> None:
    ann, bob, cat = (people[k]["id"] for k in ("ann", "bob", "cat"))
    vip = people["ann"]["id"]
    tag_id = api.get(f"/contacts/{vip}/tags").json()["data"][0]["id"]
    assert ids(api, where("tag_id", "=", tag_id)) == [ann]
    assert set(ids(api, where("tag_id", "!=", tag_id))) == {bob, cat}
    error(
        api.post("/contacts/search", json={"query": where("tag_id", "IN", [tag_id])}), 400, "invalid_operator"
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
        (where("favourite_colour", "=", "red"), "invalid_field"),
        (where("custom_attributes.undefined", "=", "red"), "invalid_field"),
        (where("email", "AND", "a@b.c"), "invalid_operator"),
        (where("email", "LIKE", "a"), "invalid_operator"),
        ({"operator": "XOR", "value": [where("email", "=", "a")]}, "invalid_operator"),
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
        "invalid_field",
    )


def test_sort_order_is_checked_from_216(api, people) -> None:
    body = {"query": where("created_at", ">", 0), "sort": {"field": "created_at", "order": "desc"}}
    assert api.post("/contacts/search", json=body).status_code == 200
    message = error(api.post("/contacts/search", json=body, headers=V216), 400, "invalid_sort_order")
    assert message == "Invalid sort order 'desc'. Must be one of: ascending, descending"
