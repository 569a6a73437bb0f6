"""Data export: the workspace's conversation messages of a period, as a gzipped CSV.

One job at a time per workspace (a second while one is pending: 429). Jobs progress by the
workspace clock (see _export_jobs.py): `pending`, `in_progress`, then `completed`, or `no_data`
when nothing was sent in the period. The file has one row per message — each conversation's
opening message and its parts — created in the inclusive range, read from the conversations
resource's table when the job finishes. Cancelling stops an unfinished job (a finished one is
answered as it is); a canceled or expired job cannot be downloaded.
"""

import html
import re
from typing import Any

from fastapi import Depends
from starlette.responses import Response

from contracts.models.data_export import CreateDataExportRequest, DataExport
from fake_intercom import responses
from fake_intercom.context import Ctx, context
from fake_intercom.errors import IntercomError, bad_request, not_found
from fake_intercom.resources import _export_jobs as jobs
from fake_intercom.routing import IntercomRouter
from fake_intercom.store import Store, loads

router = IntercomRouter(tags=["Data Export"])

KIND = "content"
COLUMNS = (
    "conversation_id",
    "message_id",
    "message_type",
    "delivered_as",
    "author_type",
    "author_id",
    "created_at",
    "body",
)
TAGS = re.compile(r"<[^>]+>")


def _text(body: str | None) -> str:
    return html.unescape(TAGS.sub(" ", body or "")).strip()


def message_rows(store: Store, workspace_id: str, start: int, end: int) -> list[tuple[Any, ...]]:
    if not store.db.table("conversations").exists():
        return []
    found = []
    for row in store.query("SELECT data FROM conversations WHERE workspace_id = ?", (workspace_id,)):
        conversation = loads(row["data"])
        if not isinstance(conversation, dict):
            continue
        source = conversation.get("source") or {}
        messages = [
            (
                source.get("id"),
                "source",
                source.get("delivered_as"),
                source.get("author") or {},
                conversation.get("created_at"),
                source.get("body"),
            )
        ]
        parts = (conversation.get("conversation_parts") or {}).get("conversation_parts") or []
        messages += [
            (
                part.get("id"),
                part.get("part_type"),
                None,
                part.get("author") or {},
                part.get("created_at"),
                part.get("body"),
            )
            for part in parts
        ]
        for message_id, kind, delivered_as, author, created_at, body in messages:
            if created_at is not None and start <= created_at <= end:
                found.append(
                    (
                        conversation.get("id"),
                        message_id,
                        kind,
                        delivered_as,
                        author.get("type"),
                        author.get("id"),
                        created_at,
                        _text(body),
                    )
                )
    return sorted(found, key=lambda r: (r[6], str(r[0]), str(r[1])))


def _require_job(ctx: Ctx, job_identifier: str) -> dict[str, Any]:
    row = jobs.find_job(ctx.store, ctx.ws, KIND, job_identifier)
    if row is None:
        raise not_found(f"Export job not found for identifier: {job_identifier}")
    return row


def _progress(ctx: Ctx, row: dict[str, Any]) -> dict[str, Any]:
    def build(params: dict[str, Any]) -> tuple[bytes, int]:
        rows = message_rows(ctx.store, ctx.ws, params["created_at_after"], params["created_at_before"])
        return jobs.csv_gzip(COLUMNS, rows), len(rows)

    url = f"{ctx.base_url}/download/content/data/{row['id']}"
    return jobs.progress(ctx.store, ctx.workspace, row, url, build, empty_status="no_data")


@router.operation("createDataExport", response_model=DataExport)
async def create_data_export(body: CreateDataExportRequest, ctx: Ctx = Depends(context)) -> Any:
    if body.created_at_after > body.created_at_before:
        raise bad_request("created_at_after must be before created_at_before", field="created_at_after")
    if jobs.active_jobs(ctx.store, ctx.workspace, KIND) >= 1:
        raise IntercomError(
            429, "rate_limit_exceeded", "Exceeded rate limit of 1 pending message data export jobs"
        )
    params = {"created_at_after": body.created_at_after, "created_at_before": body.created_at_before}
    return responses.json(jobs.new_job(ctx.store, ctx.workspace, KIND, params))


@router.operation("getDataExport", response_model=DataExport)
async def get_data_export(job_identifier: str, ctx: Ctx = Depends(context)) -> Any:
    return responses.json(_progress(ctx, _require_job(ctx, job_identifier)))


@router.operation("cancelDataExport", response_model=DataExport)
async def cancel_data_export(job_identifier: str, ctx: Ctx = Depends(context)) -> Any:
    row = _require_job(ctx, job_identifier)
    job = _progress(ctx, row)
    if job["status"] in jobs.ACTIVE:
        job = jobs.cancel(ctx.store, ctx.workspace, row)
    return responses.json(job)


@router.operation(
    "downloadDataExport",
    response_class=Response,
    responses={
        200: {"content": {"application/octet-stream": {"schema": {"type": "string", "format": "binary"}}}}
    },
)
async def download_data_export(job_identifier: str, ctx: Ctx = Depends(context)) -> Any:
    row = _require_job(ctx, job_identifier)
    job = _progress(ctx, row)
    if job["status"] != "completed" or jobs.download_expired(ctx.store, ctx.workspace, job):
        raise not_found(f"Export job not found for identifier: {job_identifier}")
    file = ctx.store.scalar(
        "SELECT file FROM export_jobs WHERE workspace_id = ? AND id = ?", (ctx.ws, row["id"])
    )
    return Response(
        file,
        media_type="application/octet-stream",
        headers={"Content-Disposition": f'attachment; filename="{job_identifier}.csv.gz"'},
    )
