"""Reporting data export: datasets of the workspace's reporting, exported as gzipped CSV.

The catalogue is fixed (GET /export/reporting_data/get_datasets); each dataset is computed from
live tables when its job finishes:
- `conversation`: conversations started in the period (from the conversations resource's table);
- `call`: calls started in the period (calls.py);
- `admin_status_change`: teammates going away or coming back (the admins' activity log).
From 2.16 attributes also carry `qualified_id` ("dataset.attribute"); enqueue accepts either form.
At most 5 jobs may be pending at once (429). Jobs progress by the workspace clock (_export_jobs.py);
a finished reporting job's status is `complete`, as in the spec's example.
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from fastapi import Depends, Query
from starlette.responses import Response

from contracts.models.reporting_data_export import (
    DatasetList,
    EnqueueReportingDataExportRequest,
    ExportJob,
)
from fake_intercom import responses
from fake_intercom.context import Ctx, context
from fake_intercom.errors import bad_request, export_job_not_found, rate_limit_exceeded, require
from fake_intercom.resources import _export_jobs as jobs
from fake_intercom.routing import IntercomRouter
from fake_intercom.store import Store, loads

router = IntercomRouter(tags=["Reporting Data Export"])

KIND = "reporting"
MAX_PENDING = 5
DONE = "complete"
Row = dict[str, Any]


@dataclass(frozen=True)
class Dataset:
    id: str
    name: str
    description: str
    time_attribute: str
    attributes: dict[str, str]
    rows: Callable[[Store, str, int, int], list[Row]]

    def catalogue(self, qualified: bool) -> dict[str, Any]:
        attributes = []
        for attribute_id, name in self.attributes.items():
            attribute = {"id": attribute_id, "name": name}
            if qualified:
                attribute["qualified_id"] = f"{self.id}.{attribute_id}"
            attributes.append(attribute)
        return {
            "id": self.id,
            "name": self.name,
            "description": self.description,
            "default_time_attribute_id": self.time_attribute,
            "attributes": attributes,
        }


def _conversation_rows(store: Store, workspace_id: str, start: int, end: int) -> list[Row]:
    if not store.db.table("conversations").exists():
        return []
    rows = []
    for row in store.query("SELECT data FROM conversations WHERE workspace_id = ?", (workspace_id,)):
        conversation = loads(row["data"])
        if not isinstance(conversation, dict) or not start <= (conversation.get("created_at") or 0) <= end:
            continue
        contacts = (conversation.get("contacts") or {}).get("contacts") or []
        statistics = conversation.get("statistics") or {}
        rows.append(
            {
                "conversation_id": conversation.get("id"),
                "conversation_started_at": conversation.get("created_at"),
                "conversation_state": conversation.get("state"),
                "channel": (conversation.get("source") or {}).get("type"),
                "teammate_assigned": conversation.get("admin_assignee_id"),
                "team_assigned": conversation.get("team_assignee_id"),
                "contact_id": contacts[0]["id"] if contacts else None,
                "conversation_last_closed_at": statistics.get("last_close_at"),
            }
        )
    return sorted(rows, key=lambda r: (r["conversation_started_at"] or 0, str(r["conversation_id"])))


def _call_rows(store: Store, workspace_id: str, start: int, end: int) -> list[Row]:
    rows = store.query(
        "SELECT data FROM calls WHERE workspace_id = ? AND created_at BETWEEN ? AND ? "
        "ORDER BY created_at, CAST(id AS INTEGER)",
        (workspace_id, start, end),
    )
    calls = [loads(row["data"]) for row in rows]
    return [
        {
            "call_id": call["id"],
            "call_started_at": call["initiated_at"],
            "call_direction": call["direction"],
            "call_state": call["state"],
            "call_duration": (call["ended_at"] - call["initiated_at"]) if call["ended_at"] else None,
            "teammate_id": call["admin_id"],
            "contact_id": call["contact_id"],
            "conversation_id": call["conversation_id"],
        }
        for call in calls
    ]


def _status_change_rows(store: Store, workspace_id: str, start: int, end: int) -> list[Row]:
    rows = store.query(
        "SELECT data FROM activity_logs WHERE workspace_id = ? AND created_at BETWEEN ? AND ? "
        "ORDER BY created_at, seq",
        (workspace_id, start, end),
    )
    changes = []
    for row in rows:
        entry = loads(row["data"])
        if entry["activity_type"] != "admin_away_mode_change":
            continue
        changes.append(
            {
                "teammate_id": entry["performed_by"]["id"],
                "teammate_email": entry["performed_by"].get("email"),
                "status": "away" if entry["metadata"].get("away_mode") else "active",
                "reassign_conversations": entry["metadata"].get("reassign_conversations"),
                "status_changed_at": entry["created_at"],
            }
        )
    return changes


DATASETS = {
    dataset.id: dataset
    for dataset in (
        Dataset(
            "conversation",
            "Conversation",
            "Conversation-level details: status, channel, assignee.",
            "conversation_started_at",
            {
                "conversation_id": "Conversation ID",
                "conversation_started_at": "Started at",
                "conversation_state": "Conversation state",
                "channel": "Channel",
                "teammate_assigned": "Teammate assigned",
                "team_assigned": "Team assigned",
                "contact_id": "Contact ID",
                "conversation_last_closed_at": "Last closed at",
            },
            _conversation_rows,
        ),
        Dataset(
            "call",
            "Calls",
            "Phone calls: direction, state, duration, teammate.",
            "call_started_at",
            {
                "call_id": "Call ID",
                "call_started_at": "Call started at",
                "call_direction": "Direction",
                "call_state": "Call state",
                "call_duration": "Duration (seconds)",
                "teammate_id": "Teammate ID",
                "contact_id": "Contact ID",
                "conversation_id": "Conversation ID",
            },
            _call_rows,
        ),
        Dataset(
            "admin_status_change",
            "Teammate status changes",
            "When teammates set themselves away or active.",
            "status_changed_at",
            {
                "teammate_id": "Teammate ID",
                "teammate_email": "Teammate email",
                "status": "Status",
                "reassign_conversations": "Reassign conversations",
                "status_changed_at": "Status changed at",
            },
            _status_change_rows,
        ),
    )
}


def _validate(body: EnqueueReportingDataExportRequest) -> tuple[Dataset, list[str], int, int]:
    if body.dataset_id is None:
        raise bad_request("'dataset_id' is a required parameter")
    dataset = DATASETS.get(str(body.dataset_id))
    if dataset is None:
        raise bad_request(f"{body.dataset_id} is not a valid dataset_id")
    if body.attribute_ids is None:
        raise bad_request("'attribute_ids' is a required parameter")
    if not isinstance(body.attribute_ids, list):
        raise bad_request("'attribute_ids' not an array must be of type Array")
    if not body.attribute_ids:
        raise bad_request("attribute_ids must contain at least one attribute_id")
    prefix = f"{dataset.id}."
    attribute_ids = [
        str(a)[len(prefix) :] if str(a).startswith(prefix) else str(a) for a in body.attribute_ids
    ]
    unknown = [
        str(a)
        for a, plain in zip(body.attribute_ids, attribute_ids, strict=True)
        if plain not in dataset.attributes
    ]
    if unknown:
        raise bad_request(f"attribute_ids invalid for {dataset.id} dataset: {', '.join(unknown)}")
    times = []
    for name in ("start_time", "end_time"):
        value = getattr(body, name)
        if value is None:
            raise bad_request(f"'{name}' is a required parameter")
        if isinstance(value, bool) or not isinstance(value, int):
            raise bad_request(f"'{name}' must be a Unix timestamp")
        times.append(value)
    if times[0] > times[1]:
        raise bad_request("start_time must be before end_time")
    return dataset, attribute_ids, times[0], times[1]


def _find_job(ctx: Ctx, job_identifier: str, app_id: str | None) -> dict[str, Any] | None:
    """The job, when it is this workspace's (a job asked for under another app_id is not found)."""
    if app_id is not None and app_id != ctx.ws:
        return None
    return jobs.find_job(ctx.store, ctx.ws, KIND, job_identifier)


def _progress(ctx: Ctx, row: dict[str, Any]) -> dict[str, Any]:
    def build(params: dict[str, Any]) -> tuple[bytes, int]:
        dataset = DATASETS[params["dataset_id"]]
        rows = dataset.rows(ctx.store, ctx.ws, params["start_time"], params["end_time"])
        columns = params["attribute_ids"]
        return jobs.csv_gzip(columns, ([r.get(c) for c in columns] for r in rows)), len(rows)

    url = f"{ctx.base_url}/download/reporting_data/{row['id']}"
    return jobs.progress(ctx.store, ctx.workspace, row, url, build, done_status=DONE, empty_status=DONE)


@router.operation("listReportingDatasets", response_model=DatasetList)
async def list_reporting_datasets(ctx: Ctx = Depends(context)) -> Any:
    qualified = ctx.since("2.16")
    return responses.json({"type": "list", "data": [d.catalogue(qualified) for d in DATASETS.values()]})


@router.operation("enqueueReportingDataExport", response_model=ExportJob)
async def enqueue_reporting_data_export(
    body: EnqueueReportingDataExportRequest, ctx: Ctx = Depends(context)
) -> Any:
    dataset, attribute_ids, start, end = _validate(body)
    if jobs.active_jobs(ctx.store, ctx.workspace, KIND) >= MAX_PENDING:
        raise rate_limit_exceeded(
            f"Exceeded rate limit of {MAX_PENDING} pending reporting dataset export jobs"
        )
    params = {"dataset_id": dataset.id, "attribute_ids": attribute_ids, "start_time": start, "end_time": end}
    return responses.json(jobs.new_job(ctx.store, ctx.workspace, KIND, params))


@router.operation("getReportingDataExportStatus", response_model=ExportJob)
async def get_reporting_data_export_status(
    job_identifier: str,
    app_id: str | None = Query(default=None, description="The workspace's id code; must be the caller's."),
    client_id: str | None = Query(default=None, description="The app's client id."),
    ctx: Ctx = Depends(context),
) -> Any:
    return responses.json(
        _progress(ctx, require(_find_job(ctx, job_identifier, app_id), export_job_not_found, job_identifier))
    )


@router.operation(
    "downloadReportingDataExport",
    response_class=Response,
    responses={
        200: {"content": {"application/octet-stream": {"schema": {"type": "string", "format": "binary"}}}}
    },
)
async def download_reporting_data_export(
    job_identifier: str,
    app_id: str | None = Query(default=None, description="The workspace's id code; must be the caller's."),
    ctx: Ctx = Depends(context),
) -> Any:
    row = require(_find_job(ctx, job_identifier, app_id), export_job_not_found, job_identifier)
    return jobs.download(ctx.store, ctx.workspace, row, _progress(ctx, row), done=DONE)
