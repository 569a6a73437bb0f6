"""Workflow export."""

import httpx

from fake_intercom.resources._app import app_number
from fake_intercom.resources.workflows import create_workflow
from tests.helpers.api import domain_of, error_of


def test_export_wraps_the_workflow(api: httpx.Client, app, workspace) -> None:
    store, ws = domain_of(app, workspace)
    store.update_workspace(ws, clock_frozen_at=1_769_428_800)
    workflow = create_workflow(
        store, ws, "My Workflow", state="live", steps=[{"type": "send_message"}], created_at=1_750_000_000
    )
    exported = api.get(f"/export/workflows/{workflow['id']}").json()
    assert exported["export_version"] == "1.0"
    assert exported["exported_at"] == "2026-01-26T12:00:00Z"
    assert exported["app_id"] == app_number(ws.id) and isinstance(exported["app_id"], int)
    assert exported["workflow"]["title"] == "My Workflow" and exported["workflow"]["state"] == "live"
    assert exported["workflow"]["created_at"] == "2025-06-15T15:06:40Z"
    assert exported["workflow"]["snapshot"] == {"steps": [{"type": "send_message"}]}


def test_unknown_workflow(api: httpx.Client) -> None:
    assert error_of(api.get("/export/workflows/12345"), 404) == {
        "code": "not_found",
        "message": "Workflow not found",
    }
