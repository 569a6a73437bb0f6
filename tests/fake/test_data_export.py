"""Data export: one job at a time, progress by the clock, cancel, gzipped CSV download."""

import csv
import gzip
import io

import httpx

from fake_intercom.resources import _export_jobs
from fake_intercom.resources.data_export import COLUMNS
from fake_intercom.store import dumps, table
from tests.fake.test_companies import domain_of, error_of
from tests.fake.test_reporting_data_export import advance


def test_no_data_when_nothing_was_sent(api: httpx.Client, app, workspace) -> None:
    store, ws = domain_of(app, workspace)
    job = api.post("/export/content/data", json={"created_at_after": 0, "created_at_before": 10}).json()
    assert job["status"] == "pending" and job["download_url"] == "" and job["download_expires_at"] == ""
    advance(store, ws, 6)
    assert api.get(f"/export/content/data/{job['job_identifier']}").json()["status"] == "in_progress"
    advance(store, ws, 30)
    done = api.get(f"/export/content/data/{job['job_identifier']}").json()
    assert done == {**job, "status": "no_data"}
    assert error_of(api.get(f"/download/content/data/{job['job_identifier']}"), 404)["code"] == "not_found"


def test_one_pending_job_and_cancel(api: httpx.Client, app, workspace) -> None:
    store, ws = domain_of(app, workspace)
    body = {"created_at_after": 0, "created_at_before": 10}
    job = api.post("/export/content/data", json=body).json()
    error = error_of(api.post("/export/content/data", json=body), 429)
    assert error == {
        "code": "rate_limit_exceeded",
        "message": "Exceeded rate limit of 1 pending message data export jobs",
    }
    canceled = api.post(f"/export/cancel/{job['job_identifier']}").json()
    assert canceled["status"] == "canceled"
    advance(store, ws, 60)
    assert api.get(f"/export/content/data/{job['job_identifier']}").json()["status"] == "canceled"
    assert api.post("/export/content/data", json=body).status_code == 200
    assert error_of(api.get("/export/content/data/nope"), 404)["code"] == "not_found"
    assert error_of(api.post("/export/cancel/nope"), 404)["code"] == "not_found"
    assert error_of(
        api.post("/export/content/data", json={"created_at_after": 5, "created_at_before": 1}), 400
    )


def test_download_lists_the_messages_in_the_range(api: httpx.Client, app, workspace) -> None:
    store, ws = domain_of(app, workspace)
    if not store.db.table("conversations").exists():
        table("conversations", {"id": str, "data": str})
        store.create_tables()
    conversation = {
        "type": "conversation",
        "id": "9001",
        "created_at": 1_000,
        "source": {
            "id": "77",
            "delivered_as": "customer_initiated",
            "author": {"type": "user", "id": "c1"},
            "body": "<p>Help &amp; more</p>",
        },
        "conversation_parts": {
            "conversation_parts": [
                {
                    "id": "1",
                    "part_type": "comment",
                    "author": {"type": "admin", "id": "5"},
                    "created_at": 1_500,
                    "body": "<p>Hi</p>",
                },
                {
                    "id": "2",
                    "part_type": "close",
                    "author": {"type": "admin", "id": "5"},
                    "created_at": 5_000,
                    "body": None,
                },
            ]
        },
    }
    store.execute(
        "INSERT INTO conversations (workspace_id, id, data) VALUES (?, ?, ?)",
        (ws.id, "9001", dumps(conversation)),
    )
    job = api.post(
        "/export/content/data", json={"created_at_after": 1_000, "created_at_before": 2_000}
    ).json()
    advance(store, ws, _export_jobs.COMPLETE_SECONDS)
    done = api.get(f"/export/content/data/{job['job_identifier']}").json()
    assert done["status"] == "completed" and int(done["download_expires_at"]) > 0
    content = api.get(
        done["download_url"].replace("http://fake-intercom.test", ""),
        headers={"Accept": "application/octet-stream"},
    ).content
    rows = list(csv.reader(io.StringIO(gzip.decompress(content).decode())))
    assert rows[0] == list(COLUMNS)
    assert rows[1:] == [
        ["9001", "77", "source", "customer_initiated", "user", "c1", "1000", "Help & more"],
        ["9001", "1", "comment", "", "admin", "5", "1500", "Hi"],
    ]
    advance(store, ws, _export_jobs.DOWNLOAD_SECONDS + 60)
    assert error_of(api.get(f"/download/content/data/{job['job_identifier']}"), 404)["code"] == "not_found"
