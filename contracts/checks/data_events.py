import time
import uuid

import httpx

from contracts.checks import body, check, expect_error, parse
from contracts.models.data_events import DataEventList, DataEventSummary


@check(writes=True)
def events_are_submitted_listed_and_summarised(api: httpx.Client) -> None:
    external_id = f"contract-{uuid.uuid4().hex[:12]}"
    contact = body(api.post("/contacts", json={"role": "user", "external_id": external_id}))
    try:
        event = {
            "event_name": "contract-checked",
            "created_at": int(time.time()) - 60,
            "user_id": external_id,
        }
        for _ in range(2):  # a duplicate is accepted too
            response = api.post("/events", json={**event, "metadata": {"source": "contract"}})
            assert response.status_code == 202, response.text
            assert response.content == b""
        listed = parse(DataEventList, api.get("/events", params={"type": "user", "user_id": external_id}))
        assert all(item.event_name == "contract-checked" for item in listed.events)
        summary = parse(
            DataEventSummary,
            api.get("/events", params={"type": "user", "intercom_user_id": contact["id"], "summary": "true"}),
        )
        assert all(item is None or item.count >= 1 for item in summary.events)
    finally:
        body(api.delete(f"/contacts/{contact['id']}"))


@check(writes=True)
def events_of_unknown_users_are_user_not_found(api: httpx.Client) -> None:
    event = {
        "event_name": "contract-checked",
        "created_at": int(time.time()),
        "user_id": f"nobody-{uuid.uuid4().hex}",
    }
    assert (
        expect_error(api.post("/events", json=event), 404, "not_found").errors[0].message == "User Not Found"
    )
