"""Reset, snapshots and restore: a workspace's content saved and brought back."""

import asyncio
import time
from collections.abc import Generator
from typing import Literal

from fastapi import BackgroundTasks, Request, Response
from pydantic import BaseModel, Field, field_validator

from fake_intercom import clock
from fake_intercom.errors import not_found
from fake_intercom.sandbox.access import SEED_SNAPSHOT, control_router, store_of, workspace_of
from fake_intercom.sandbox.faults import faults_of
from fake_intercom.sandbox.journal import journal_of
from fake_intercom.sandbox.workspaces import WorkspaceOut, describe
from fake_intercom.seed import seed_workspace
from fake_intercom.store import Result, Store, Workspace, run_steps


class ResetIn(BaseModel):
    to: Literal["seed", "empty"] = Field("seed", description="the workspace's seed, or only its owner admin")
    clear_journal: bool = True
    clear_faults: bool = True
    real_time: bool = Field(True, description="put the clock back on the machine's time")


class SnapshotIn(BaseModel):
    name: str = Field(..., min_length=1, max_length=200, description="any text but `.` and `..`")

    @field_validator("name")
    @classmethod
    def _addressable(cls, name: str) -> str:
        # Restore and delete name the snapshot in their path, where browsers and URL libraries resolve
        # a `.` or `..` segment (percent-encoded too) instead of sending it.
        if name in (".", ".."):
            raise ValueError("cannot be . or ..")
        return name


class SnapshotOut(BaseModel):
    type: Literal["sandbox.snapshot"] = "sandbox.snapshot"
    name: str
    created_at: int


class SnapshotList(BaseModel):
    type: Literal["list"] = "list"
    data: list[SnapshotOut]


router = control_router()


@router.post("/workspaces/{workspace_id}/reset", response_model=WorkspaceOut, summary="Reset a workspace")
async def reset_workspace(
    workspace_id: str, request: Request, tasks: BackgroundTasks, body: ResetIn | None = None
) -> WorkspaceOut:
    body = body or ResetIn()
    store = store_of(request)
    workspace = await in_steps(reset_steps(store, workspace_of(request, workspace_id), body.to))
    if body.real_time:
        workspace = clock.real_time(store, workspace)
    if body.clear_journal:
        journal_of(request).clear(workspace.id)
    if body.clear_faults:
        faults_of(request).clear(workspace.id)
    tasks.add_task(store.tidy)
    return describe(store, workspace)


def reset(store: Store, workspace: Workspace, to: Literal["seed", "empty"] = "seed") -> Workspace:
    """Back to the remembered seed, or to nothing but the owner admin: one transaction."""
    with store.atomic():
        return run_steps(reset_steps(store, workspace, to))


def reset_steps(
    store: Store, workspace: Workspace, to: Literal["seed", "empty"] = "seed"
) -> Generator[None, None, Workspace]:
    """`reset` a step at a time (see `Store.clear_steps`)."""
    if to == "seed":
        restored = yield from store.restore_steps(workspace, SEED_SNAPSHOT)
        if restored is not None:
            return restored
    with store.replacing(workspace.id) as finished:
        yield from store.clear_steps(workspace.id)
        with store.atomic():
            workspace = seed_workspace(store, workspace, "none")
            finished()
    return workspace


async def in_steps(steps: Generator[None, None, Result]) -> Result:
    """Run a stepwise operation on the event loop, letting other requests in between its steps."""
    try:
        while True:
            try:
                next(steps)
            except StopIteration as done:
                return done.value
            await asyncio.sleep(0)
    finally:
        # A request cancelled between steps (its client gone) rolls the operation back now, not when
        # the abandoned generator is collected: until then its workspace would stay marked as in steps.
        steps.close()


@router.get("/workspaces/{workspace_id}/snapshots", response_model=SnapshotList, summary="List snapshots")
async def list_snapshots(workspace_id: str, request: Request) -> SnapshotList:
    workspace = workspace_of(request, workspace_id)
    return SnapshotList(data=[SnapshotOut(**row) for row in store_of(request).snapshots(workspace.id)])


@router.post(
    "/workspaces/{workspace_id}/snapshots",
    response_model=SnapshotOut,
    status_code=201,
    summary="Take a snapshot",
)
async def take_snapshot(
    workspace_id: str, body: SnapshotIn, request: Request, tasks: BackgroundTasks
) -> SnapshotOut:
    workspace = workspace_of(request, workspace_id)
    store = store_of(request)
    store.snapshot_workspace(workspace, body.name)
    tasks.add_task(store.tidy)
    return SnapshotOut(name=body.name, created_at=int(time.time()))


@router.post(
    "/workspaces/{workspace_id}/snapshots/{name:path}/restore",
    response_model=WorkspaceOut,
    summary="Restore a snapshot",
)
async def restore_snapshot(
    workspace_id: str, name: str, request: Request, tasks: BackgroundTasks
) -> WorkspaceOut:
    store = store_of(request)
    restored = await in_steps(store.restore_steps(workspace_of(request, workspace_id), name))
    if restored is None:
        raise not_found("Snapshot Not Found")
    tasks.add_task(store.tidy)
    return describe(store, restored)


@router.delete(
    "/workspaces/{workspace_id}/snapshots/{name:path}", status_code=204, summary="Delete a snapshot"
)
async def delete_snapshot(workspace_id: str, name: str, request: Request, tasks: BackgroundTasks) -> Response:
    workspace = workspace_of(request, workspace_id)
    store = store_of(request)
    if not store.delete_snapshot(workspace.id, name):
        raise not_found("Snapshot Not Found")
    tasks.add_task(store.tidy)
    return Response(status_code=204)
