"""Calls: list, show, recording, transcript, search by conversation; Fin Voice register and collect."""

import httpx

from fake_intercom.resources._app import app_number
from fake_intercom.resources.calls import create_call
from fake_intercom.store import loads
from tests.conftest import new_workspace
from tests.helpers.api import domain_of, error_of

LINES = [(3, "Teammate 1", "Hello, how can I help?"), (65, "User", "I need help.")]


def test_list_newest_first_paged_by_25(api: httpx.Client, app, workspace) -> None:
    store, ws = domain_of(app, workspace)
    assert api.get("/calls").json() == {
        "type": "list",
        "data": [],
        "total_count": 0,
        "pages": {"type": "pages", "next": None, "page": 1, "per_page": 25, "total_pages": 0},
    }
    ids = [
        create_call(store, ws, phone="+15551234567", initiated_at=1_700_000_000 + i)["id"] for i in range(27)
    ]
    first = api.get("/calls").json()
    assert [c["id"] for c in first["data"]] == ids[::-1][:25] and first["total_count"] == 27
    assert first["pages"]["next"].endswith("/calls?per_page=25&page=2")
    assert [c["id"] for c in api.get("/calls", params={"page": 2}).json()["data"]] == ids[1::-1]
    assert error_of(api.get("/calls", params={"per_page": 26}), 400)["code"] == "parameter_invalid"


def test_show_recording_and_transcript(api: httpx.Client, app, workspace) -> None:
    store, ws = domain_of(app, workspace)
    call = create_call(
        store, ws, phone="+15551234567", admin_id=ws.owner_admin_id, transcript=LINES, recorded=True
    )
    shown = api.get(f"/calls/{call['id']}").json()
    assert shown["type"] == "call" and shown["state"] == "completed" and shown["phone"] == "+15551234567"
    assert shown["recording_url"] == f"http://fake-intercom.test/calls/{call['id']}/recording"
    assert shown["transcription_url"] == f"http://fake-intercom.test/calls/{call['id']}/transcript"
    assert shown["fin_recording_url"] is None and shown["ended_at"] - shown["initiated_at"] == 90
    recording = api.get(f"/calls/{call['id']}/recording")
    assert recording.status_code == 302 and recording.headers["location"].endswith(
        f"/{call['id']}.mp3?expires=" + recording.headers["location"].rsplit("=", 1)[1]
    )
    transcript = api.get(f"/calls/{call['id']}/transcript")
    assert transcript.headers["content-type"].startswith("text/plain")
    assert (
        transcript.text == '[00:00:03] Teammate 1: "Hello, how can I help?"\n[00:01:05] User: "I need help."'
    )
    bare = create_call(store, ws, phone=None)
    assert error_of(api.get(f"/calls/{bare['id']}/recording"), 404)["message"] == "Recording Not Found"
    assert error_of(api.get(f"/calls/{bare['id']}/transcript"), 404)["message"] == "Not Found"
    assert error_of(api.get("/calls/999999"), 404) == {"code": "not_found", "message": "Not Found"}


def test_search_by_conversation_ids(api: httpx.Client, app, workspace) -> None:
    store, ws = domain_of(app, workspace)
    with_transcript = create_call(store, ws, phone="+15550000001", conversation_id="101", transcript=LINES)
    create_call(store, ws, phone="+15550000002", conversation_id="102")
    create_call(store, ws, phone="+15550000003", conversation_id="103")
    found = api.post("/calls/search", json={"conversation_ids": ["101", 102]}).json()
    assert [c["conversation_id"] for c in found["data"]] == ["101", "102"]
    assert (
        found["data"][0]["id"] == with_transcript["id"]
        and found["data"][0]["transcript_status"] == "completed"
    )
    assert found["data"][0]["transcript"][1] == {
        "timestamp": "00:01:05",
        "speaker": "User",
        "text": "I need help.",
    }
    assert found["data"][1]["transcript"] == [] and found["data"][1]["transcript_status"] is None
    limit = {
        "code": "conversation_id_limit_exceeded",
        "message": "A list of up to 20 conversation IDs is required",
    }
    assert error_of(api.post("/calls/search", json={"conversation_ids": []}), 400) == limit
    assert (
        error_of(api.post("/calls/search", json={"conversation_ids": [str(i) for i in range(21)]}), 400)
        == limit
    )


def test_fin_voice_register_matches_and_collects(api: httpx.Client, app, workspace) -> None:
    store, ws = domain_of(app, workspace)
    # Fin Voice endpoints are called without an Intercom-Version header.
    registered = api.post("/fin_voice/register", json={"phone_number": "+15559990000", "call_id": "ext-1"})
    assert registered.status_code == 200, registered.text
    pending = registered.json()
    assert pending["status"] == "registered" and pending["intercom_call_id"] is None
    assert pending["app_id"] == app_number(ws.id) and isinstance(pending["id"], int)
    assert error_of(api.get(f"/fin_voice/collect/{pending['id']}"), 404)["code"] == "not_found"
    call = create_call(store, ws, phone="+15559990000", conversation_id="555", transcript=LINES, fin=True)
    collected = api.get(f"/fin_voice/collect/{pending['id']}").json()
    assert collected["intercom_call_id"] == call["id"] and collected["intercom_conversation_id"] == "555"
    assert (
        collected["status"] == "resolved"
        and collected["call_summary"] == "Hello, how can I help? I need help."
    )
    assert len(collected["call_transcript"]) == 2
    assert api.get("/fin_voice/external_id/ext-1").json() == collected
    assert api.get("/fin_voice/phone_number/+15559990000").json() == collected
    assert api.get("/fin_voice/conversation/555").json() == [collected]
    assert api.get("/fin_voice/conversation/556").json() == []
    assert error_of(api.get("/fin_voice/phone_number/+15550000000"), 404)["code"] == "not_found"
    assert api.get(f"/calls/{call['id']}").json()["fin_transcription_url"].endswith("/transcript")


def test_fin_voice_register_matches_an_existing_call_and_validates(api: httpx.Client, app, workspace) -> None:
    store, ws = domain_of(app, workspace)
    call = create_call(store, ws, phone="+15551112222", state="in_progress")
    body = {"phone_number": "+15551112222", "call_id": "ext-2", "source": "five9"}
    matched = api.post("/fin_voice/register", json=body).json()
    assert matched["intercom_call_id"] == call["id"] and matched["status"] == "in-progress"
    assert error_of(api.post("/fin_voice/register", json=body), 409)["code"] == "conflict"
    missing = api.post("/fin_voice/register", json={"phone_number": "+15551112222"})
    assert error_of(missing, 400) == {
        "code": "parameter_not_found",
        "message": "call_id is a required parameter",
        "field": "call_id",
    }
    bad_source = api.post("/fin_voice/register", json={**body, "call_id": "ext-3", "source": "skype"})
    assert error_of(bad_source, 400)["field"] == "source"


def test_demo_calls_are_with_their_conversations_contact(app) -> None:
    workspace, _ = new_workspace(app, seed="demo")
    store = app.state.store
    calls = [
        loads(row["data"])
        for row in store.query("SELECT data FROM calls WHERE workspace_id = ?", (workspace.id,))
    ]
    linked = [call for call in calls if call["conversation_id"]]
    assert linked
    for call in linked:
        participants = store.query(
            "SELECT contact_id FROM conversation_contacts WHERE workspace_id = ? AND conversation_id = ?",
            (workspace.id, call["conversation_id"]),
        )
        assert call["contact_id"] in {row["contact_id"] for row in participants}
        contact = store.row("contacts", workspace.id, call["contact_id"])
        assert call["phone"] == contact["phone"]
