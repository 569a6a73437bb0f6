"""Data events: submission, the 90-day list with its millisecond cursor, and summaries."""

from urllib.parse import parse_qs, urlsplit

import httpx
import pytest

from fake_intercom.resources.data_events import record_event

NOW = 1_734_537_000
DAY = 86_400


@pytest.fixture
def clock(app, workspace) -> None:
    store = app.state.store
    store.update_workspace(workspace[0], clock_frozen_at=NOW)


@pytest.fixture
def contact(api: httpx.Client, clock) -> dict:
    response = api.post(
        "/contacts", json={"role": "user", "external_id": "314159", "email": "frodo@example.com"}
    )
    assert response.status_code == 200, response.text
    return response.json()


def post_event(api: httpx.Client, **body) -> httpx.Response:
    return api.post("/events", json={"event_name": "invited-friend", "created_at": NOW - 60, **body})


def list_events(api: httpx.Client, **params) -> dict:
    response = api.get("/events", params={"type": "user", **params})
    assert response.status_code == 200, response.text
    return response.json()


@pytest.mark.parametrize("identifier", ["user_id", "id", "email"])
def test_submit_by_any_identifier(api: httpx.Client, contact: dict, identifier: str) -> None:
    value = {"user_id": "314159", "id": contact["id"], "email": "frodo@example.com"}[identifier]
    response = post_event(api, **{identifier: value}, metadata={"invite_code": "ADDAFRIEND"})
    assert response.status_code == 202
    assert response.content == b""
    events = list_events(api, user_id="314159")["events"]
    assert events == [
        {
            "type": "event",
            "event_name": "invited-friend",
            "created_at": NOW - 60,
            "email": "frodo@example.com",
            "intercom_user_id": contact["id"],
            "user_id": "314159",
            "metadata": {"invite_code": "ADDAFRIEND"},
        }
    ]


def test_user_id_may_be_a_number(api: httpx.Client, contact: dict) -> None:
    assert post_event(api, user_id=314159).status_code == 202
    assert len(list_events(api, email="frodo@example.com")["events"]) == 1


def test_duplicates_are_accepted_and_kept_once(api: httpx.Client, contact: dict) -> None:
    for _ in range(3):
        assert post_event(api, id=contact["id"]).status_code == 202
    assert len(list_events(api, intercom_user_id=contact["id"])["events"]) == 1
    summary = list_events(api, intercom_user_id=contact["id"], summary="true")
    assert summary["events"][0]["count"] == 1


def test_unknown_user_is_not_found(api: httpx.Client, clock) -> None:
    response = post_event(api, user_id="nobody")
    assert response.status_code == 404
    assert response.json()["errors"] == [{"code": "not_found", "message": "User Not Found"}]
    listed = api.get("/events", params={"type": "user", "email": "nobody@example.com"})
    assert listed.status_code == 404 and listed.json()["errors"][0]["message"] == "User Not Found"


@pytest.mark.parametrize(
    ("body", "code"),
    [
        ({"metadata": {f"key{i}": i for i in range(11)}}, "parameter_invalid"),
        ({"metadata": {"nested": {"a": 1}}}, "parameter_invalid"),
        ({"metadata": {"items": [1, 2]}}, "parameter_invalid"),
        ({"event_name": " "}, "parameter_invalid"),
        ({"user_id": None}, "parameter_not_found"),
    ],
)
def test_invalid_events(api: httpx.Client, contact: dict, body: dict, code: str) -> None:
    response = post_event(api, **{"user_id": "314159", **body})
    assert response.status_code == 400, response.text
    assert response.json()["errors"][0]["code"] == code
    assert list_events(api, user_id="314159")["events"] == []


def test_missing_event_name_or_created_at(api: httpx.Client, contact: dict) -> None:
    for body in ({"created_at": NOW, "user_id": "314159"}, {"event_name": "x", "user_id": "314159"}):
        response = api.post("/events", json=body)
        assert response.status_code == 400
        assert response.json()["errors"][0]["code"] == "parameter_not_found"


def test_typed_metadata_values_are_accepted(api: httpx.Client, contact: dict) -> None:
    metadata = {
        "article": {"url": "https://example.org/ab1de.html", "value": "the dude abides"},
        "price": {"amount": 34999, "currency": "eur"},
        "load": 3.67,
        "contact_date": 1392036272,
    }
    assert post_event(api, user_id="314159", metadata=metadata).status_code == 202
    assert list_events(api, user_id="314159")["events"][0]["metadata"] == metadata


def test_pages_walk_newest_first_without_overlap(api: httpx.Client, contact: dict) -> None:
    # Two events share a second: the millisecond cursor must still split them correctly.
    times = [NOW - 10, NOW - 10, NOW - 20, NOW - 30, NOW - 40]
    for n, created_at in enumerate(times):
        assert (
            post_event(api, user_id="314159", event_name=f"event-{n}", created_at=created_at).status_code
            == 202
        )
    first = list_events(api, user_id="314159", per_page=2)
    assert first["type"] == "event.list"
    assert first["intercom_user_id"] == contact["id"] and first["email"] == "frodo@example.com"
    seen = [event["event_name"] for event in first["events"]]
    next_url = first["pages"]["next"]
    assert "since" in first["pages"]
    while next_url:
        query = {key: values[0] for key, values in parse_qs(urlsplit(next_url).query).items()}
        assert query["before"].isdigit() and query["type"] == "user"
        page = api.get(urlsplit(next_url).path, params=query).json()
        seen += [event["event_name"] for event in page["events"]]
        next_url = page["pages"].get("next")
    assert sorted(seen) == [f"event-{n}" for n in range(5)]
    assert seen[-1] == "event-4" and set(seen[:2]) == {"event-0", "event-1"}


def test_since_link_asks_for_newer_events(api: httpx.Client, contact: dict) -> None:
    post_event(api, user_id="314159", event_name="old", created_at=NOW - 100)
    since_url = list_events(api, user_id="314159")["pages"]["since"]
    post_event(api, user_id="314159", event_name="new", created_at=NOW - 5)
    query = {key: values[0] for key, values in parse_qs(urlsplit(since_url).query).items()}
    assert [event["event_name"] for event in api.get("/events", params=query).json()["events"]] == ["new"]


def test_only_the_last_90_days_are_listed_but_all_are_summarised(app, workspace, api, contact) -> None:
    store, ws = app.state.store, workspace[0]
    record_event(store, ws, contact["id"], "placed-order", NOW - 91 * DAY, {"order": 1})
    record_event(store, ws, contact["id"], "placed-order", NOW - 89 * DAY, {"order": 2})
    listed = list_events(api, user_id="314159")["events"]
    assert [event["metadata"]["order"] for event in listed] == [2]
    summary = list_events(api, user_id="314159", summary="true")
    assert summary["type"] == "event.summary"
    assert summary["user_id"] == "314159" and summary["intercom_user_id"] == contact["id"]
    assert summary["events"] == [
        {
            "name": "placed-order",
            "first": "2024-09-18T15:50:00.000+00:00",
            "last": "2024-09-20T15:50:00.000+00:00",
            "count": 2,
            "description": None,
        }
    ]


def test_posted_summaries_add_to_counts(api: httpx.Client, contact: dict) -> None:
    post_event(api, user_id="314159", event_name="updated-plan", created_at=NOW - 50)
    body = {
        "user_id": "314159",
        "event_summaries": {"event_name": "updated-plan", "count": 4, "first": NOW - 500, "last": NOW - 400},
    }
    response = api.post("/events/summaries", json=body)
    assert response.status_code == 200 and response.content == b""
    [item] = list_events(api, user_id="314159", summary="true")["events"]
    assert item["count"] == 5
    assert item["first"].startswith("2024-12-18T15:41:40") and item["last"].startswith("2024-12-18T15:49:10")


def test_posted_summaries_need_a_known_user(api: httpx.Client, clock) -> None:
    body = {"user_id": "nobody", "event_summaries": {"event_name": "x", "count": 1}}
    response = api.post("/events/summaries", json=body)
    assert response.status_code == 404 and response.json()["errors"][0]["message"] == "User Not Found"
    assert api.post("/events/summaries", json={"event_summaries": []}).status_code == 400


@pytest.mark.parametrize(
    ("params", "code"),
    [
        ({"user_id": "314159"}, "parameter_not_found"),
        ({"type": "company", "user_id": "314159"}, "parameter_invalid"),
        ({"type": "user"}, "parameter_not_found"),
        ({"type": "user", "user_id": "314159", "per_page": 151}, "parameter_invalid"),
    ],
)
def test_list_needs_type_and_one_identifier(
    api: httpx.Client, contact: dict, params: dict, code: str
) -> None:
    response = api.get("/events", params=params)
    assert response.status_code == 400
    assert response.json()["errors"][0]["code"] == code


def test_archived_contacts_are_not_found(api: httpx.Client, contact: dict) -> None:
    assert api.post(f"/contacts/{contact['id']}/archive").status_code == 200
    assert post_event(api, id=contact["id"]).status_code == 404


@pytest.mark.parametrize(
    "body",
    [{"created_at": 10**30}, {"created_at": -1}, {"metadata": {"big": 2**70}}],
)
def test_out_of_range_numbers_are_refused(api: httpx.Client, contact: dict, body: dict) -> None:
    response = post_event(api, **{"user_id": "314159", **body})
    assert response.status_code == 400, response.text
    huge_cursor = api.get("/events", params={"type": "user", "user_id": "314159", "before": 2**70})
    assert huge_cursor.status_code == 400


def test_posted_summaries_may_be_a_list(api: httpx.Client, contact: dict) -> None:
    summaries = [
        {"event_name": "a", "count": 2, "first": NOW - 100},
        {"event_name": "b", "count": 3, "last": NOW},
    ]
    assert (
        api.post("/events/summaries", json={"user_id": "314159", "event_summaries": summaries}).status_code
        == 200
    )
    listed = list_events(api, user_id="314159", summary="true")["events"]
    assert {item["name"]: item["count"] for item in listed} == {"a": 2, "b": 3}
    assert next(item for item in listed if item["name"] == "a")["last"].startswith("2024-12-18T15:48:20")
