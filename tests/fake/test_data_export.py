"""Data export: one job at a time, progress by the clock, cancel, gzipped CSV download."""

import csv
import gzip
import io

import httpx

from fake_intercom.resources import _export_jobs
from fake_intercom.resources.data_export import COLUMNS
from tests.fake.test_reporting_data_export import advance
from tests.helpers.api import attach, domain_of, error_of, new_company, new_contact


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


def at(store, ws, moment: int) -> None:
    store.update_workspace(store.workspace(ws.id), clock_frozen_at=moment, clock_offset=0)


def later(store, ws, seconds: int) -> None:
    at(store, ws, store.now(store.workspace(ws.id)) + seconds)


def download(api: httpx.Client, store, ws, after: int, before: int) -> list[dict[str, str]]:
    job = api.post("/export/content/data", json={"created_at_after": after, "created_at_before": before})
    assert job.status_code == 200, job.text
    later(store, ws, _export_jobs.COMPLETE_SECONDS)
    done = api.get(f"/export/content/data/{job.json()['job_identifier']}").json()
    assert done["status"] == "completed" and int(done["download_expires_at"]) > 0, done
    content = api.get(
        done["download_url"].replace("http://fake-intercom.test", ""),
        headers={"Accept": "application/octet-stream"},
    ).content
    rows = list(csv.reader(io.StringIO(gzip.decompress(content).decode())))
    assert rows[0] == list(COLUMNS)
    return [dict(zip(COLUMNS, row, strict=True)) for row in rows[1:]]


def test_download_lists_each_recipient_of_the_outbound_messages_in_the_range(
    api: httpx.Client, app, workspace
) -> None:
    store, ws = domain_of(app, workspace)
    admin = ws.owner_admin_id
    start = 1_750_000_000
    at(store, ws, start - 10)
    reader = api.post(
        "/contacts",
        json={"role": "user", "email": "reader@test.example", "external_id": "r-1", "name": "Rea"},
    ).json()
    silent = new_contact(api, "silent@test.example")
    company = new_company(api, name="Acme")
    attach(api, reader["id"], company["id"])
    at(store, ws, start)
    chat = api.post(
        "/messages",
        json={
            "message_type": "in_app",
            "from": {"type": "admin", "id": admin},
            "to": {"type": "user", "id": reader["id"]},
            "body": "Have you tried the new editor?",
            "create_conversation_without_contact_reply": True,
        },
    ).json()
    at(store, ws, start + 100)
    reply = {"message_type": "comment", "type": "user", "intercom_user_id": reader["id"], "body": "Yes!"}
    replied = api.post(f"/conversations/{chat['conversation_id']}/reply", json=reply)
    assert replied.status_code == 200, replied.text
    at(store, ws, start + 200)
    email = api.post(
        "/messages",
        json={
            "message_type": "email",
            "subject": "Your invoice",
            "from": {"type": "admin", "id": admin},
            "to": {"type": "user", "id": silent},
            "body": "Attached.",
        },
    ).json()
    inbound = api.post("/conversations", json={"from": {"type": "user", "id": silent}, "body": "Help"})
    assert inbound.status_code == 200, inbound.text
    at(store, ws, start + 5_000)
    api.post(
        "/messages",
        json={
            "message_type": "in_app",
            "from": {"type": "admin", "id": admin},
            "to": {"type": "user", "id": silent},
            "body": "Too late for the export",
        },
    )
    empty = dict.fromkeys(COLUMNS, "")
    assert download(api, store, ws, start, start + 1_000) == [
        {
            **empty,
            "user_id": reader["id"],
            "user_external_id": "r-1",
            "company_id": company["id"],
            "email": "reader@test.example",
            "name": "Rea",
            "ruleset_id": chat["id"],
            "content_id": chat["id"],
            "content_type": "Chat",
            "receipt_id": f"{chat['id']}_{reader['id']}",
            "received_at": str(start),
            "series_id": "-1",
            "first_reply": str(start + 100),
        },
        {
            **empty,
            "user_id": silent,
            "company_id": "-1",
            "email": "silent@test.example",
            "ruleset_id": email["id"],
            "content_id": email["id"],
            "content_type": "Email",
            "content_title": "Your invoice",
            "receipt_id": f"{email['id']}_{silent}",
            "received_at": str(start + 200),
            "series_id": "-1",
        },
    ]
    # A reply after the range is not counted, as Intercom counts only events inside it.
    later(store, ws, _export_jobs.COMPLETE_SECONDS)
    [late] = download(api, store, ws, start, start + 50)
    assert late["user_id"] == reader["id"] and late["first_reply"] == ""


def test_a_downloaded_file_is_gone_after_two_days(api: httpx.Client, app, workspace) -> None:
    store, ws = domain_of(app, workspace)
    at(store, ws, 1_750_000_000)
    api.post(
        "/messages",
        json={
            "message_type": "in_app",
            "from": {"type": "admin", "id": ws.owner_admin_id},
            "to": {"type": "user", "id": new_contact(api)},
            "body": "Hi",
        },
    )
    job = api.post(
        "/export/content/data", json={"created_at_after": 1_749_999_000, "created_at_before": 1_750_001_000}
    ).json()
    later(store, ws, _export_jobs.COMPLETE_SECONDS)
    assert api.get(f"/export/content/data/{job['job_identifier']}").json()["status"] == "completed"
    assert api.get(f"/download/content/data/{job['job_identifier']}").status_code == 200
    later(store, ws, _export_jobs.DOWNLOAD_SECONDS + 60)
    assert error_of(api.get(f"/download/content/data/{job['job_identifier']}"), 404)["code"] == "not_found"
