"""Workspaces and their access tokens; provisioning, which the app also uses at start-up and for unknown
tokens."""

import secrets
import time
from collections.abc import Callable
from typing import Any, Literal

from fastapi import BackgroundTasks, Request, Response
from pydantic import BaseModel, Field

from contracts.versions import ALL_VERSIONS, DEFAULT_VERSION
from fake_intercom.errors import conflict, intercom_version_invalid, not_found, parameter_invalid
from fake_intercom.oauth import redirect_uri_problem
from fake_intercom.plans import DEFAULT_PLAN, Plan
from fake_intercom.sandbox.access import SEED_SNAPSHOT, control_router, store_of, workspace_of
from fake_intercom.sandbox.records import SeedName, create_records
from fake_intercom.seed import seed_workspace
from fake_intercom.store import Store, Workspace


class WorkspaceIn(BaseModel):
    name: str = Field("Sandbox Workspace", max_length=200)
    token: str | None = Field(None, min_length=1, max_length=200, description="generated when omitted")
    default_version: str = Field(DEFAULT_VERSION, description="Intercom-Version used when a request omits it")
    oauth_client_id: str | None = None
    oauth_client_secret: str | None = Field(None, description="signs webhooks; generated when omitted")
    oauth_redirect_uris: list[str] = Field(
        default_factory=list,
        max_length=20,
        description="redirect URIs registered for the OAuth app (the first is the default); "
        "none: any https or loopback URL is taken",
    )
    seed: SeedName = "none"
    records: dict[str, Any] | None = Field(None, description="records to create after the seed, see /seed")
    plan: Plan = Field(DEFAULT_PLAN, description="inactive: plan-restricted operations answer 403")


class WorkspaceOut(BaseModel):
    type: Literal["sandbox.workspace"] = "sandbox.workspace"
    id: str
    name: str
    token: str | None = Field(None, description="the first access token of the workspace")
    tokens: list[str]
    default_version: str
    seed: str
    owner_admin_id: str | None
    oauth_client_id: str | None
    oauth_client_secret: str | None
    plan: str
    oauth_redirect_uris: list[str]
    created_at: int
    now: int


class PlanIn(BaseModel):
    plan: Plan = Field(description="active, or inactive (no subscription: plan-restricted operations 403)")


class WorkspaceList(BaseModel):
    type: Literal["list"] = "list"
    data: list[WorkspaceOut]


class TokenIn(BaseModel):
    token: str | None = Field(None, min_length=1, max_length=200)


class TokenOut(BaseModel):
    type: Literal["sandbox.token"] = "sandbox.token"
    token: str
    workspace_id: str


router = control_router()


def provision_workspace(
    store: Store,
    *,
    name: str,
    token: str,
    default_version: str = DEFAULT_VERSION,
    oauth_client_id: str | None = None,
    oauth_client_secret: str | None = None,
    oauth_redirect_uris: tuple[str, ...] = (),
    seed: str = "none",
    token_kind: str = "access_token",
    workspace_id: str | None = None,
) -> Workspace:
    """Create, seed, and remember the seed as what `reset` returns to. The id is random unless given
    (a benchmark dataset that must equal one built through the API)."""
    workspace = store.create_workspace(
        name=name,
        token=token,
        default_version=default_version,
        oauth_client_id=oauth_client_id,
        oauth_client_secret=oauth_client_secret,
        oauth_redirect_uris=oauth_redirect_uris,
        token_kind=token_kind,
        workspace_id=workspace_id,
    )
    workspace = seed_workspace(store, workspace, seed)
    store.snapshot_workspace(workspace, SEED_SNAPSHOT)
    return workspace


ANY_TOKEN_KIND = "any_token"


class AnyTokenWorkspaces:
    """`--accept-any-token`: an unknown token gets a fresh empty workspace of its own, up to `limit`
    of them at once; one unused for `idle_seconds` is deleted with everything the server kept for it."""

    def __init__(self, store: Store, limit: int, idle_seconds: float, forget: Callable[[str], None]) -> None:
        self.store = store
        self.limit = limit
        self.idle_seconds = idle_seconds
        self.forget = forget
        now = time.monotonic()
        # Those made before this start count from now.
        self.last_used: dict[str, float] = {
            row["workspace_id"]: now
            for row in store.query(
                "SELECT DISTINCT workspace_id FROM tokens WHERE kind = ?", (ANY_TOKEN_KIND,)
            )
        }
        self._next_sweep = now

    @property
    def full_message(self) -> str:
        return (
            f"Access Token Invalid: the sandbox already holds {self.limit} workspaces of unknown tokens "
            "(--any-token-limit); one is freed when it has gone unused for --any-token-idle-seconds"
        )

    def provision(self, token: str) -> Workspace | None:
        """A new workspace for `token`, or None when the limit is reached."""
        self.sweep(force=True)
        if len(self.last_used) >= self.limit:
            return None
        workspace = provision_workspace(
            self.store, name="Workspace of an unknown token", token=token, token_kind=ANY_TOKEN_KIND
        )
        self.last_used[workspace.id] = time.monotonic()
        return workspace

    def touch(self, workspace_id: str) -> None:
        if workspace_id in self.last_used:
            self.last_used[workspace_id] = time.monotonic()
        self.sweep()

    def sweep(self, force: bool = False) -> None:
        """Delete the workspaces unused for too long (at most once a second unless forced)."""
        now = time.monotonic()
        if not force and now < self._next_sweep:
            return
        self._next_sweep = now + 1
        forgotten = False
        for workspace_id, used in list(self.last_used.items()):
            if now - used >= self.idle_seconds:
                del self.last_used[workspace_id]
                self.forget(workspace_id)
                forgotten = True
        if forgotten:
            self.store.tidy_soon()


def describe(store: Store, workspace: Workspace) -> WorkspaceOut:
    tokens = [
        row["token"]
        for row in store.query(
            "SELECT token FROM tokens WHERE workspace_id = ? ORDER BY created_at, rowid", (workspace.id,)
        )
    ]
    return WorkspaceOut(
        id=workspace.id,
        name=workspace.name,
        token=tokens[0] if tokens else None,
        tokens=tokens,
        default_version=workspace.default_version,
        seed=workspace.seed,
        owner_admin_id=workspace.owner_admin_id,
        oauth_client_id=workspace.oauth_client_id,
        oauth_client_secret=workspace.oauth_client_secret,
        plan=workspace.plan or DEFAULT_PLAN,
        oauth_redirect_uris=list(workspace.oauth_redirect_uris),
        created_at=workspace.created_at,
        now=store.now(workspace),
    )


def _check_version(version: str) -> None:
    if version not in ALL_VERSIONS:
        raise intercom_version_invalid(f"Unknown Intercom-Version: {version}")


@router.get("/workspaces", response_model=WorkspaceList, summary="List workspaces")
async def list_workspaces(request: Request) -> WorkspaceList:
    store = store_of(request)
    return WorkspaceList(data=[describe(store, workspace) for workspace in store.workspaces()])


@router.post("/workspaces", response_model=WorkspaceOut, status_code=201, summary="Create a workspace")
async def create_workspace(body: WorkspaceIn, request: Request) -> WorkspaceOut:
    store = store_of(request)
    _check_version(body.default_version)
    for uri in body.oauth_redirect_uris:
        if (problem := redirect_uri_problem(uri)) is not None:
            raise parameter_invalid(problem, field="oauth_redirect_uris")
    token = body.token or f"sandbox-{secrets.token_hex(16)}"
    if store.workspace_for_token(token) is not None:
        raise conflict("This token already belongs to a workspace")
    with store.atomic():  # a bad record leaves no workspace, no token, no records behind
        workspace = provision_workspace(
            store,
            name=body.name,
            token=token,
            default_version=body.default_version,
            oauth_client_id=body.oauth_client_id or f"client-{secrets.token_hex(8)}",
            oauth_client_secret=body.oauth_client_secret or secrets.token_hex(20),
            oauth_redirect_uris=tuple(body.oauth_redirect_uris),
            seed=body.seed,
        )
        if body.records:
            create_records(request, workspace, token, body.records)
            store.snapshot_workspace(workspace, SEED_SNAPSHOT)
        workspace = store.update_workspace(workspace, plan=body.plan)
    return describe(store, workspace)


@router.put(
    "/workspaces/{workspace_id}/plan", response_model=WorkspaceOut, summary="Put a workspace on a plan"
)
async def set_plan(workspace_id: str, body: PlanIn, request: Request) -> WorkspaceOut:
    store = store_of(request)
    workspace = store.update_workspace(workspace_of(request, workspace_id), plan=body.plan)
    return describe(store, workspace)


@router.get("/workspaces/{workspace_id}", response_model=WorkspaceOut, summary="Show a workspace")
async def show_workspace(workspace_id: str, request: Request) -> WorkspaceOut:
    return describe(store_of(request), workspace_of(request, workspace_id))


@router.delete(
    "/workspaces/{workspace_id}", status_code=204, summary="Delete a workspace; its tokens are revoked"
)
async def delete_workspace(workspace_id: str, request: Request, tasks: BackgroundTasks) -> Response:
    # Its tokens answer `token_revoked` from now on, as an uninstalled app's do.
    forget_workspace(request.app.state, workspace_of(request, workspace_id).id, revoke_tokens=True)
    tasks.add_task(store_of(request).tidy)  # its rows, once the answer is sent
    return Response(status_code=204)


def forget_workspace(state: Any, workspace_id: str, *, revoke_tokens: bool = False) -> None:
    """Delete a workspace: its tokens and all the server keeps in memory for it at once, its content
    when the store is next tidied. An idle workspace of `--accept-any-token` keeps its tokens unrevoked:
    used again, one gets a new workspace."""
    state.store.delete_workspace(workspace_id, revoke_tokens=revoke_tokens)
    state.faults.clear(workspace_id)
    state.journal.clear(workspace_id)
    state.webhooks.forget(workspace_id)
    state.limiter.forget(workspace_id)


@router.post(
    "/workspaces/{workspace_id}/tokens",
    response_model=TokenOut,
    status_code=201,
    summary="Add an access token",
)
async def add_token(workspace_id: str, body: TokenIn, request: Request) -> TokenOut:
    store = store_of(request)
    workspace = workspace_of(request, workspace_id)
    token = body.token or f"sandbox-{secrets.token_hex(16)}"
    if store.workspace_for_token(token) is not None:
        raise conflict("This token already belongs to a workspace")
    with store.atomic():
        store.add_token(workspace.id, token)
    return TokenOut(token=token, workspace_id=workspace.id)


# `:path`: a token may hold `/` (OAuth tokens are base64), sent percent-encoded.
@router.delete("/tokens/{token:path}", status_code=204, summary="Revoke an access token")
async def revoke_token(token: str, request: Request) -> Response:
    store = store_of(request)
    if store.workspace_for_token(token) is None:
        raise not_found("Token Not Found")
    with store.atomic():
        store.revoke_token(token)
    return Response(status_code=204)
