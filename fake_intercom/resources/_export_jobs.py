"""Export jobs that finish by the workspace clock, shared by the data and reporting exports.

A job is `pending` for its first PENDING_SECONDS, `in_progress` until COMPLETE_SECONDS after it was
created, then done (`completed`, or `no_data` for an empty data export), so a test advances the
workspace clock to see it progress. A done job's download expires two days later, as Intercom's
do. The file is built when the job finishes (first looked at after COMPLETE_SECONDS), from the
workspace as it is then, and kept, so later changes do not alter a finished export.
"""

import csv
import gzip
import hashlib
import io
from collections.abc import Iterable, Sequence
from typing import Any

from starlette.responses import Response

from fake_intercom.errors import export_job_not_found
from fake_intercom.store import Store, Workspace, dumps, loads, table

EXPORT_JOBS = table(
    "export_jobs",
    {"id": str, "kind": str, "status": str, "created_at": int, "data": str, "file": bytes},
    indexes=(("workspace_id", "kind", "status"),),
)

PENDING_SECONDS = 5
COMPLETE_SECONDS = 30
DOWNLOAD_SECONDS = 2 * 86_400
ACTIVE = ("pending", "in_progress")
ALPHABET = "abcdefghijklmnopqrstuvwxyz0123456789"


def new_job(store: Store, workspace: Workspace, kind: str, params: dict[str, Any]) -> dict[str, Any]:
    # Intercom's identifiers look like "al9w983lwu88w1fd": 16 lowercase alphanumerics.
    number = store.next_number(workspace.id, "export_job")
    digest = int(hashlib.blake2b(f"{workspace.id}:export:{number}".encode(), digest_size=12).hexdigest(), 16)
    identifier = ""
    for _ in range(16):
        digest, index = divmod(digest, len(ALPHABET))
        identifier += ALPHABET[index]
    now = store.now(workspace)
    job = {"job_identifier": identifier, "status": "pending", "download_url": "", "download_expires_at": ""}
    store.insert(
        "export_jobs",
        {
            "workspace_id": workspace.id,
            "id": identifier,
            "kind": kind,
            "status": "pending",
            "created_at": now,
            "data": dumps({"job": job, "params": params}),
            "file": None,
        },
    )
    return job


def find_job(store: Store, workspace_id: str, kind: str, identifier: str) -> dict[str, Any] | None:
    row = store.one(
        "SELECT * FROM export_jobs WHERE workspace_id = ? AND id = ? AND kind = ?",
        (workspace_id, identifier, kind),
    )
    return row


def active_jobs(store: Store, workspace: Workspace, kind: str) -> int:
    """Jobs not yet done by the clock (the stored status lags until a job is looked at)."""
    started_after = store.now(workspace) - COMPLETE_SECONDS
    return int(
        store.scalar(
            "SELECT COUNT(*) FROM export_jobs WHERE workspace_id = ? AND kind = ? AND status IN (?, ?) "
            "AND created_at > ?",
            (workspace.id, kind, *ACTIVE, started_after),
        )
        or 0
    )


def csv_gzip(header: Sequence[str], rows: Iterable[Sequence[Any]]) -> bytes:
    text = io.StringIO()
    writer = csv.writer(text)
    writer.writerow(header)
    writer.writerows(["" if value is None else value for value in row] for row in rows)
    return gzip.compress(text.getvalue().encode(), mtime=0)


def progress(
    store: Store,
    workspace: Workspace,
    row: dict[str, Any],
    download_url: str,
    build: Any,
    *,
    done_status: str = "completed",
    empty_status: str = "completed",
) -> dict[str, Any]:
    """The job as it stands now; when it finishes, `build(params) -> (file, row_count)` makes its file."""
    state = loads(row["data"])
    job = state["job"]
    if job["status"] not in ACTIVE:
        return job
    elapsed = store.now(workspace) - row["created_at"]
    if elapsed < PENDING_SECONDS:
        return job
    if elapsed < COMPLETE_SECONDS:
        job["status"] = "in_progress"
        return job
    file, count = build(state["params"])
    finished_at = row["created_at"] + COMPLETE_SECONDS
    downloadable = bool(count) or empty_status == done_status
    job.update(
        status=done_status if downloadable else empty_status,
        download_url=download_url if downloadable else "",
        download_expires_at=str(finished_at + DOWNLOAD_SECONDS) if downloadable else "",
    )
    store.execute(
        "UPDATE export_jobs SET status = ?, data = ?, file = ? WHERE workspace_id = ? AND id = ?",
        (job["status"], dumps(state), file, workspace.id, row["id"]),
    )
    return job


def cancel(store: Store, workspace: Workspace, row: dict[str, Any]) -> dict[str, Any]:
    state = loads(row["data"])
    state["job"].update(status="canceled", download_url="", download_expires_at="")
    store.execute(
        "UPDATE export_jobs SET status = 'canceled', data = ?, file = NULL WHERE workspace_id = ? AND id = ?",
        (dumps(state), workspace.id, row["id"]),
    )
    return state["job"]


def download_expired(store: Store, workspace: Workspace, job: dict[str, Any]) -> bool:
    expires = job.get("download_expires_at")
    return bool(expires) and store.now(workspace) > int(expires)


def download(
    store: Store, workspace: Workspace, row: dict[str, Any], job: dict[str, Any], done: str
) -> Response:
    """The gzipped CSV of a finished job whose download has not expired; 404 otherwise, as Intercom."""
    identifier = job["job_identifier"]
    if job["status"] != done or download_expired(store, workspace, job):
        raise export_job_not_found(identifier)
    file = store.scalar(
        "SELECT file FROM export_jobs WHERE workspace_id = ? AND id = ?", (workspace.id, row["id"])
    )
    return Response(
        file,
        media_type="application/octet-stream",
        headers={"Content-Disposition": f'attachment; filename="{identifier}.csv.gz"'},
    )
