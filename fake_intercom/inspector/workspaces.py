"""Workspaces: the list, and one workspace's tokens, counts, clock, reset and snapshots.

Every change is a call the page's script makes to the control plane itself (`/_sandbox/...`)."""

from fastapi import Request
from starlette.responses import RedirectResponse, Response

from fake_intercom import clock
from fake_intercom.inspector.access import inspector_router
from fake_intercom.inspector.api import workspace_api, workspace_page
from fake_intercom.inspector.render import UI_PREFIX, render
from fake_intercom.sandbox.access import store_of, workspace_of
from fake_intercom.sandbox.workspaces import describe

router = inspector_router()


@router.get("")
async def home() -> Response:
    return RedirectResponse(f"{UI_PREFIX}/workspaces", status_code=303)


@router.get("/workspaces")
async def list_workspaces(request: Request) -> Response:
    store = store_of(request)
    workspaces = [describe(store, workspace) for workspace in store.workspaces()]
    return render(
        request, "workspaces.html", workspaces=workspaces, base_url=str(request.base_url).rstrip("/")
    )


@router.get("/workspaces/{workspace_id}")
async def show_workspace(workspace_id: str, request: Request) -> Response:
    store = store_of(request)
    workspace = workspace_of(request, workspace_id)
    info = describe(store, workspace)
    counts = conversation_counts = None
    if info.token is not None:
        async with workspace_api(request, workspace_id) as api:
            counts = await api.get("/counts")
            conversation_counts = await api.get("/counts", type="conversation")
    return workspace_page(
        request,
        "workspace.html",
        info,
        nav="overview",
        base_url=str(request.base_url).rstrip("/"),
        clock=clock.state(store, workspace),
        snapshots=store.snapshots(workspace.id),
        counts=counts,
        conversation_counts=conversation_counts,
    )
