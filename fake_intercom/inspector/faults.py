"""Fault rules: the workspace's rules with how often each fired; adding and removing them is the page's
script calling the control plane."""

from typing import get_args

from fastapi import Request
from starlette.responses import Response

from fake_intercom.faults import DEFAULT_ERRORS, Action
from fake_intercom.inspector.access import inspector_router
from fake_intercom.inspector.api import workspace_page
from fake_intercom.sandbox.access import store_of, workspace_of
from fake_intercom.sandbox.faults import faults_of
from fake_intercom.sandbox.workspaces import describe

router = inspector_router()


@router.get("/workspaces/{workspace_id}/faults")
async def faults(workspace_id: str, request: Request) -> Response:
    workspace = workspace_of(request, workspace_id)
    return workspace_page(
        request,
        "faults.html",
        describe(store_of(request), workspace),
        nav="faults",
        rules=[fault.as_dict() for fault in faults_of(request).list(workspace.id)],
        actions=get_args(Action),
        statuses=sorted(DEFAULT_ERRORS),
    )
