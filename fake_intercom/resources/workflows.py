"""Workflows (Intercom's automation builder) and their export, GET /export/workflows/{id}.

Workflows are built in Intercom's UI, so only the seed and tests create them (`create_workflow`).
The export wraps the stored definition with the export format's version, the time of the export
by the workspace clock, and the workspace's numeric app id. Workflow timestamps are ISO 8601
strings here, unlike the rest of the API.
"""

from typing import Any

from fastapi import Depends

from contracts.models.workflows import WorkflowExport
from fake_intercom import responses
from fake_intercom.context import Ctx, context
from fake_intercom.errors import not_found
from fake_intercom.resources._app import app_number
from fake_intercom.routing import IntercomRouter
from fake_intercom.store import Store, Workspace, dumps, table

WORKFLOWS = table("workflows", {"id": str, "state": str, "created_at": int, "data": str})

router = IntercomRouter(tags=["Workflows"])

SEED_ORDER = 60
EXPORT_VERSION = "1.0"
STATES = ("live", "draft", "paused")


def create_workflow(
    store: Store,
    workspace: Workspace,
    title: str,
    *,
    trigger_type: str = "inbound_conversation",
    state: str = "draft",
    description: str | None = None,
    target_channels: list[str] | None = None,
    steps: list[dict[str, Any]] | None = None,
    targeting: dict[str, Any] | None = None,
    created_at: int | None = None,
) -> dict[str, Any]:
    if state not in STATES:
        raise ValueError(f"state must be one of {STATES}")
    now = store.now(workspace)
    created = created_at if created_at is not None else now
    workflow = {
        "id": store.numeric_id(workspace.id, "workflow", base=67_000),
        "title": title,
        "description": description,
        "trigger_type": trigger_type,
        "state": state,
        "target_channels": target_channels or ["chat"],
        "preferred_devices": ["desktop", "mobile"],
        "created_at": responses.iso(created),
        "updated_at": responses.iso(now),
        "targeting": targeting or {},
        "snapshot": {"steps": steps or []},
        "attributes": [],
        "embedded_rules": [],
    }
    store.insert(
        "workflows",
        {
            "workspace_id": workspace.id,
            "id": workflow["id"],
            "state": state,
            "created_at": created,
            "data": dumps(workflow),
        },
    )
    return workflow


@router.operation("exportWorkflow", response_model=WorkflowExport)
async def export_workflow(id: str, ctx: Ctx = Depends(context)) -> Any:
    workflow = ctx.store.data("workflows", ctx.ws, id)
    if workflow is None:
        raise not_found("Workflow not found")
    return responses.json(
        {
            "export_version": EXPORT_VERSION,
            "exported_at": responses.iso(ctx.now()),
            "app_id": app_number(ctx.ws),
            "workflow": workflow,
        }
    )


def seed_demo(seeder: Any) -> None:
    store, ws = seeder.store, seeder.workspace
    create_workflow(
        store,
        ws,
        "Route billing questions",
        description="Asks what the question is about and routes billing to the Billing team.",
        state="live",
        steps=[
            {"type": "send_message", "body": "Hi! What can we help you with?"},
            {"type": "reply_buttons", "options": ["Billing", "Something else"]},
            {"type": "assign", "assignee": "team:Billing", "when": "Billing"},
        ],
        targeting={"audience": "users"},
        created_at=seeder.ago(300),
    )
    create_workflow(
        store,
        ws,
        "Welcome new leads",
        trigger_type="customer_visits_page",
        state="paused",
        target_channels=["chat", "email"],
        steps=[{"type": "send_message", "body": "Welcome! Want a tour?"}],
        targeting={"audience": "leads"},
        created_at=seeder.ago(200),
    )
    create_workflow(store, ws, "Out of office reply", state="draft", created_at=seeder.ago(30))
