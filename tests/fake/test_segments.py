"""Segments: listed and found; created only by the seed."""

import httpx

from fake_intercom.resources.segments import create_segment
from tests.helpers.api import domain_of, error_of, new_company, new_contact


def test_list_in_creation_order_with_optional_counts(api: httpx.Client, app, workspace) -> None:
    store, ws = domain_of(app, workspace)
    assert api.get("/segments").json() == {"type": "segment.list", "segments": []}
    contact_ids = [new_contact(api), new_contact(api)]
    john = create_segment(store, ws, "John segment", "user", contact_ids)
    jane = create_segment(store, ws, "Jane segment", "contact", [])
    assert api.get("/segments").json()["segments"] == [john, jane]
    counted = api.get("/segments", params={"include_count": "true"}).json()["segments"]
    assert [s["count"] for s in counted] == [2, 0]
    assert all(
        "count" not in s for s in api.get("/segments", params={"include_count": "false"}).json()["segments"]
    )


def test_company_segments_are_listed_apart(api: httpx.Client, app, workspace) -> None:
    """`type=company`, as the Singer extractor's company_segments stream asks for them."""
    store, ws = domain_of(app, workspace)
    people = create_segment(store, ws, "People", "user", [new_contact(api)])
    company = new_company(api)
    companies = create_segment(store, ws, "Big companies", "user", [company["id"]])
    assert api.get("/segments").json()["segments"] == [people]
    assert api.get("/segments", params={"type": "company"}).json()["segments"] == [companies]


def test_segment_shape_and_retrieve(api: httpx.Client, app, workspace) -> None:
    store, ws = domain_of(app, workspace)
    segment = create_segment(store, ws, "Active", "user", [])
    assert set(segment) == {"type", "id", "name", "created_at", "updated_at", "person_type"}
    assert len(segment["id"]) == 24 and int(segment["id"], 16) >= 0
    assert api.get(f"/segments/{segment['id']}").json() == segment


def test_unknown_segment_is_not_found(api: httpx.Client) -> None:
    error = error_of(api.get("/segments/000000000000000000000000"), 404)
    assert error == {"code": "not_found", "message": "Resource Not Found"}


def test_contacts_list_their_segments(api: httpx.Client, app, workspace) -> None:
    store, ws = domain_of(app, workspace)
    contact_id = new_contact(api)
    segment = create_segment(store, ws, "Mine", "user", [contact_id])
    assert [s["id"] for s in api.get(f"/contacts/{contact_id}/segments").json()["data"]] == [segment["id"]]
