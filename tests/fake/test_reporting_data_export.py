"""Reporting data export: datasets, enqueue validation and limit, progress by the clock, download."""

import csv
import gzip
import io

import httpx

from fake_intercom.resources.calls import create_call
from tests.helpers.api import domain_of, error_of

V216 = {"Intercom-Version": "2.16"}


def advance(store, ws, seconds: int) -> None:
    current = store.workspace(ws.id)
    store.update_workspace(current, clock_offset=(current.clock_offset or 0) + seconds)


def test_datasets_catalogue(api: httpx.Client) -> None:
    datasets = api.get("/export/reporting_data/get_datasets").json()
    assert datasets["type"] == "list"
    conversation = next(d for d in datasets["data"] if d["id"] == "conversation")
    assert conversation["default_time_attribute_id"] == "conversation_started_at"
    assert {"id": "conversation_id", "name": "Conversation ID"} in conversation["attributes"]
    qualified = api.get("/export/reporting_data/get_datasets", headers=V216).json()["data"][0]["attributes"][
        0
    ]
    assert qualified["qualified_id"] == "conversation.conversation_id"


def test_enqueue_validation(api: httpx.Client) -> None:
    base = {"dataset_id": "call", "attribute_ids": ["call_id"], "start_time": 1, "end_time": 2}
    cases = [
        ({k: v for k, v in base.items() if k != "dataset_id"}, "'dataset_id' is a required parameter"),
        ({**base, "dataset_id": "imaginary"}, "imaginary is not a valid dataset_id"),
        ({k: v for k, v in base.items() if k != "attribute_ids"}, "'attribute_ids' is a required parameter"),
        ({**base, "attribute_ids": "call_id"}, "'attribute_ids' not an array must be of type Array"),
        ({**base, "attribute_ids": []}, "attribute_ids must contain at least one attribute_id"),
        (
            {**base, "attribute_ids": ["call_id", "non_existent"]},
            "attribute_ids invalid for call dataset: non_existent",
        ),
        ({k: v for k, v in base.items() if k != "end_time"}, "'end_time' is a required parameter"),
    ]
    for body, message in cases:
        error = error_of(api.post("/export/reporting_data/enqueue", json=body), 400)
        assert error == {"code": "bad_request", "message": message}


def test_job_progresses_by_the_clock_and_downloads(api: httpx.Client, app, workspace) -> None:
    store, ws = domain_of(app, workspace)
    store.update_workspace(ws, clock_frozen_at=None, clock_offset=0)
    now = store.now(store.workspace(ws.id))
    inside = create_call(store, ws, phone="+15550001111", initiated_at=now - 100, duration=60)
    create_call(store, ws, phone="+15550002222", initiated_at=now - 10_000)
    body = {
        "dataset_id": "call",
        "attribute_ids": ["call.call_id", "call_duration", "call_direction"],
        "start_time": now - 1000,
        "end_time": now,
    }
    job = api.post("/export/reporting_data/enqueue", json=body).json()
    assert job["status"] == "pending" and job["download_url"] == "" and len(job["job_identifier"]) == 16
    status_url = f"/export/reporting_data/{job['job_identifier']}"
    download_url = f"/download/reporting_data/{job['job_identifier']}"
    assert error_of(api.get(download_url), 404)["code"] == "not_found"
    advance(store, ws, 10)
    assert api.get(status_url).json()["status"] == "in_progress"
    advance(store, ws, 30)
    done = api.get(status_url, params={"app_id": ws.id}).json()
    assert done["status"] == "complete" and done["download_url"].endswith(download_url)
    download = api.get(download_url, headers={"Accept": "application/octet-stream"})
    assert download.headers["content-type"] == "application/octet-stream"
    rows = list(csv.reader(io.StringIO(gzip.decompress(download.content).decode())))
    assert rows == [["call_id", "call_duration", "call_direction"], [inside["id"], "60", "inbound"]]
    assert error_of(api.get(status_url, params={"app_id": "other"}), 404)["message"] == (
        f"Export job not found for identifier: {job['job_identifier']}"
    )


def test_at_most_five_pending_jobs(api: httpx.Client, app, workspace) -> None:
    store, ws = domain_of(app, workspace)
    body = {"dataset_id": "admin_status_change", "attribute_ids": ["status"], "start_time": 0, "end_time": 1}
    for _ in range(5):
        assert api.post("/export/reporting_data/enqueue", json=body).status_code == 200
    error = error_of(api.post("/export/reporting_data/enqueue", json=body), 429)
    assert error == {
        "code": "rate_limit_exceeded",
        "message": "Exceeded rate limit of 5 pending reporting dataset export jobs",
    }
    advance(store, ws, 60)
    assert api.post("/export/reporting_data/enqueue", json=body).status_code == 200


def test_status_changes_dataset_follows_admins_going_away(api: httpx.Client, app, workspace) -> None:
    store, ws = domain_of(app, workspace)
    now = store.now(store.workspace(ws.id))
    away = {"away_mode_enabled": True, "away_mode_reassign": True}
    assert api.put(f"/admins/{ws.owner_admin_id}/away", json=away).status_code == 200
    body = {
        "dataset_id": "admin_status_change",
        "attribute_ids": ["teammate_id", "status"],
        "start_time": now - 5,
        "end_time": now + 5,
    }
    job = api.post("/export/reporting_data/enqueue", json=body).json()
    advance(store, ws, 31)
    assert api.get(f"/export/reporting_data/{job['job_identifier']}").json()["status"] == "complete"
    content = api.get(f"/download/reporting_data/{job['job_identifier']}").content
    rows = list(csv.reader(io.StringIO(gzip.decompress(content).decode())))
    assert rows == [["teammate_id", "status"], [ws.owner_admin_id, "away"]]
