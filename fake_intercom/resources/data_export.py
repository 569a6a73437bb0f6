"""Data export: delivery and engagement of the workspace's outbound messages in a period, as a gzipped CSV.

Intercom's export covers outbound content (emails, chats, posts, series...): who was sent each
message, when, and how they engaged with it; it carries no message or conversation text (S15
op:createDataExport, #data_export_csv). Here the outbound messages are the conversations an admin
or an automation started (source `delivered_as` admin_initiated, automated or campaigns_initiated):
one row, a receipt, per recipient of each such message sent in the inclusive range, with the
columns of #data_export_csv in its order. `first_reply` is the recipient's first part in the
conversation within the range; engagement the fake does not record (opens, clicks, series...) is
empty, and a message outside any series has series_id -1, as does a recipient without a company
for company_id.

One job at a time per workspace (a second while one is pending: 429). Jobs progress by the
workspace clock (see _export_jobs.py): `pending`, `in_progress`, then `completed`, or `no_data`
when nothing was sent in the period. The file is built from the conversations and their parts when
the job finishes. Cancelling stops an unfinished job (a finished one is answered as it is); a
canceled or expired job cannot be downloaded.
"""

from typing import Any

from fastapi import Depends
from starlette.responses import Response

from contracts.models.data_export import CreateDataExportRequest, DataExport
from fake_intercom import responses
from fake_intercom.context import Ctx, context
from fake_intercom.errors import (
    export_job_not_found,
    parameter_invalid,
    rate_limit_exceeded,
    require,
)
from fake_intercom.resources import _conversation_store as cs
from fake_intercom.resources import _export_jobs as jobs
from fake_intercom.routing import IntercomRouter
from fake_intercom.store import Store, loads

router = IntercomRouter(tags=["Data Export"])

KIND = "content"
COLUMNS = (
    "user_id",
    "user_external_id",
    "company_id",
    "email",
    "name",
    "ruleset_id",
    "content_id",
    "content_type",
    "content_title",
    "ruleset_version_id",
    "receipt_id",
    "received_at",
    "series_id",
    "series_title",
    "node_id",
    "first_reply",
    "first_completion",
    "first_series_completion",
    "first_series_disengagement",
    "first_series_exit",
    "first_goal_success",
    "first_open",
    "first_click",
    "first_dismisall",  # sic: the spec's spelling
    "first_unsubscribe",
    "first_hard_bounce",
)
OUTBOUND = ("admin_initiated", "automated", "campaigns_initiated")
CONTENT_TYPES = {
    "conversation": "Chat",
    "email": "Email",
    "push": "Push",
    "sms": "SMS",
    "whatsapp": "WhatsApp",
    "facebook": "Facebook",
    "instagram": "Instagram",
    "twitter": "Twitter",
    "phone_call": "Phone call",
    "phone_switch": "Phone switch",
}
NO_SERIES = "-1"
NO_COMPANY = "-1"


def _recipients(store: Store, workspace_id: str, contact_ids: list[str]) -> dict[str, dict[str, Any]]:
    if not contact_ids:
        return {}
    marks = ", ".join("?" * len(contact_ids))
    found = {
        row["id"]: dict(row)
        for row in store.query(
            f"SELECT id, external_id, email, name FROM contacts WHERE workspace_id = ? AND id IN ({marks})",
            [workspace_id, *contact_ids],
        )
    }
    for row in store.query(
        "SELECT contact_id, company_id FROM company_contacts "
        f"WHERE workspace_id = ? AND contact_id IN ({marks}) ORDER BY created_at, company_id",
        [workspace_id, *contact_ids],
    ):
        # A contact with several companies is reported with the first it joined.
        if row["contact_id"] in found:
            found[row["contact_id"]].setdefault("company_id", row["company_id"])
    return found


def receipt_rows(store: Store, workspace_id: str, start: int, end: int) -> list[tuple[Any, ...]]:
    """One row per recipient of each outbound message sent in [start, end], in COLUMNS order."""
    marks = ", ".join("?" * len(OUTBOUND))
    conversations = store.query(
        "SELECT id, created_at, data FROM conversations WHERE workspace_id = ? AND created_at BETWEEN ? AND ? "
        f"AND json_extract(data, '$.source.delivered_as') IN ({marks}) ORDER BY created_at, CAST(id AS INTEGER)",
        [workspace_id, start, end, *OUTBOUND],
    )
    found = []
    for conversation in conversations:
        source = loads(conversation["data"])["source"]
        recipient_ids = cs.contact_ids(store, workspace_id, conversation["id"])
        recipients = _recipients(store, workspace_id, recipient_ids)
        first_replies: dict[str, int] = {}
        for part in cs.parts(store, workspace_id, conversation["id"]):
            author = part.get("author") or {}
            when = part["created_at"]
            if author.get("type") in cs.CONTACT_TYPES and start <= when <= end:
                first_replies.setdefault(author.get("id"), when)
        for contact_id in recipient_ids:
            contact = recipients.get(contact_id, {})
            found.append(
                (
                    contact_id,
                    contact.get("external_id"),
                    contact.get("company_id", NO_COMPANY),
                    contact.get("email"),
                    contact.get("name"),
                    source["id"],
                    source["id"],
                    CONTENT_TYPES.get(source.get("type"), source.get("type")),
                    source.get("subject") or None,
                    None,
                    f"{source['id']}_{contact_id}",
                    conversation["created_at"],
                    NO_SERIES,
                    None,
                    None,
                    first_replies.get(contact_id),
                    *([None] * (len(COLUMNS) - 16)),
                )
            )
    return found


def _progress(ctx: Ctx, row: dict[str, Any]) -> dict[str, Any]:
    def build(params: dict[str, Any]) -> tuple[bytes, int]:
        rows = receipt_rows(ctx.store, ctx.ws, params["created_at_after"], params["created_at_before"])
        return jobs.csv_gzip(COLUMNS, rows), len(rows)

    url = f"{ctx.base_url}/download/content/data/{row['id']}"
    return jobs.progress(ctx.store, ctx.workspace, row, url, build, empty_status="no_data")


@router.operation("createDataExport", response_model=DataExport)
async def create_data_export(body: CreateDataExportRequest, ctx: Ctx = Depends(context)) -> Any:
    if body.created_at_after > body.created_at_before:
        raise parameter_invalid("created_at_after must be before created_at_before", field="created_at_after")
    if jobs.active_jobs(ctx.store, ctx.workspace, KIND) >= 1:
        raise rate_limit_exceeded("Exceeded rate limit of 1 pending message data export jobs")
    params = {"created_at_after": body.created_at_after, "created_at_before": body.created_at_before}
    return responses.json(jobs.new_job(ctx.store, ctx.workspace, KIND, params))


@router.operation("getDataExport", response_model=DataExport)
async def get_data_export(job_identifier: str, ctx: Ctx = Depends(context)) -> Any:
    return responses.json(
        _progress(
            ctx,
            require(
                jobs.find_job(ctx.store, ctx.ws, KIND, job_identifier), export_job_not_found, job_identifier
            ),
        )
    )


@router.operation("cancelDataExport", response_model=DataExport)
async def cancel_data_export(job_identifier: str, ctx: Ctx = Depends(context)) -> Any:
    row = require(
        jobs.find_job(ctx.store, ctx.ws, KIND, job_identifier), export_job_not_found, job_identifier
    )
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
    row = require(
        jobs.find_job(ctx.store, ctx.ws, KIND, job_identifier), export_job_not_found, job_identifier
    )
    return jobs.download(ctx.store, ctx.workspace, row, _progress(ctx, row), done="completed")
