"""The control plane under /_sandbox/: never mistaken for an Intercom path.

Workspaces and tokens, reset/seed/snapshot/restore, the workspace clock, fault rules, the request
journal and webhook subscriptions. Open on a loopback bind; on any other bind (or whenever a control
secret is configured) each call must carry the secret in `X-Sandbox-Secret`.
"""

import hmac
import secrets
import time
import uuid
from typing import Any, Literal

import httpx
from fastapi import APIRouter, Depends, Query, Request, Response
from pydantic import BaseModel, Field

from contracts.operations import OPERATIONS
from contracts.versions import ALL_VERSIONS, DEFAULT_VERSION
from fake_intercom import clock
from fake_intercom.errors import IntercomError, not_found
from fake_intercom.faults import Faults, FaultSpec
from fake_intercom.gateway import INTERNAL_HEADER
from fake_intercom.journal import Journal
from fake_intercom.store import Store, Workspace, workspace_code
from fake_intercom.webhooks import Webhooks

SEED_SNAPSHOT = "__seed__"
SECRET_HEADER = "X-Sandbox-Secret"


def control_guard(request: Request) -> None:
    settings = request.app.state.settings
    secret = settings.control_secret
    if secret:
        given = request.headers.get(SECRET_HEADER, "")
        if not hmac.compare_digest(given.encode(), secret.encode()):
            raise IntercomError(401, "unauthorized", f"The control plane needs a valid {SECRET_HEADER}")
    elif not settings.loopback:
        raise IntercomError(
            403, "forbidden", "The control plane is closed on a non-loopback bind without a control secret"
        )


router = APIRouter(prefix="/_sandbox", tags=["Sandbox"], dependencies=[Depends(control_guard)])


# -- models -----------------------------------------------------------------------------------

SeedName = Literal["none", "demo"]


class WorkspaceIn(BaseModel):
    name: str = Field("Sandbox Workspace", max_length=200)
    token: str | None = Field(None, min_length=1, max_length=200, description="generated when omitted")
    default_version: str = Field(DEFAULT_VERSION, description="Intercom-Version used when a request omits it")
    oauth_client_id: str | None = None
    oauth_client_secret: str | None = Field(None, description="signs webhooks; generated when omitted")
    seed: SeedName = "none"
    records: dict[str, Any] | None = Field(None, description="records to create after the seed, see /seed")


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
    created_at: int
    now: int


class WorkspaceList(BaseModel):
    type: Literal["list"] = "list"
    data: list[WorkspaceOut]


class TokenIn(BaseModel):
    token: str | None = Field(None, min_length=1, max_length=200)


class TokenOut(BaseModel):
    type: Literal["sandbox.token"] = "sandbox.token"
    token: str
    workspace_id: str


class ResetIn(BaseModel):
    to: Literal["seed", "empty"] = Field("seed", description="the workspace's seed, or only its owner admin")
    clear_journal: bool = True
    clear_faults: bool = True
    real_time: bool = Field(True, description="put the clock back on the machine's time")


class SeedIn(BaseModel):
    seed: SeedName | None = Field(None, description="add the demo workspace's data")
    records: dict[str, Any] | None = Field(
        None,
        description=(
            "records created through the API in this order: `{collection: [body, ...]}` where POST "
            "/<collection> is an Intercom operation (contacts, companies, tags, conversations, tickets, "
            "events...), and `requests: [{method, path, body}]` for anything else"
        ),
    )
    remember: bool = Field(True, description="make the result what `reset` returns to")


class SeedOut(BaseModel):
    type: Literal["sandbox.seed_result"] = "sandbox.seed_result"
    created: dict[str, list[Any]]


class SnapshotIn(BaseModel):
    name: str = Field(..., min_length=1, max_length=200)


class SnapshotOut(BaseModel):
    type: Literal["sandbox.snapshot"] = "sandbox.snapshot"
    name: str
    created_at: int


class SnapshotList(BaseModel):
    type: Literal["list"] = "list"
    data: list[SnapshotOut]


class ClockOut(BaseModel):
    type: Literal["sandbox.clock"] = "sandbox.clock"
    now: int
    frozen: bool
    offset: int


class ClockAt(BaseModel):
    at: int | None = Field(None, ge=0, le=2**40, description="Unix seconds; default: the current time")


class ClockSet(BaseModel):
    at: int = Field(..., ge=0, le=2**40)


class ClockAdvance(BaseModel):
    seconds: int = Field(0, ge=-(2**32), le=2**32)
    minutes: int = Field(0, ge=-(2**26), le=2**26)
    hours: int = Field(0, ge=-(2**22), le=2**22)
    days: int = Field(0, ge=-(2**16), le=2**16)

    @property
    def total(self) -> int:
        return self.seconds + 60 * self.minutes + 3_600 * self.hours + 86_400 * self.days


class FaultOut(FaultSpec):
    type: Literal["sandbox.fault"] = "sandbox.fault"
    id: str
    fired: int


class FaultList(BaseModel):
    type: Literal["list"] = "list"
    data: list[FaultOut]


class JournalEntry(BaseModel):
    type: Literal["sandbox.request"] = "sandbox.request"
    id: int
    request_id: str
    at: float
    workspace_time: int
    method: str
    path: str
    query: dict[str, Any]
    request_body: Any = None
    status: int
    response_body: Any = None
    operation_id: str | None
    duration_ms: float
    fault: str | None
    injected: bool


class JournalList(BaseModel):
    type: Literal["list"] = "list"
    data: list[JournalEntry]
    total_count: int


class SubscriptionIn(BaseModel):
    url: str = Field(..., min_length=1, max_length=2_000, description="http(s) URL the notifications go to")
    topics: list[str] = Field(
        default_factory=list, description="topics or globs (`contact.*`); ping is implied"
    )


class SubscriptionOut(BaseModel):
    type: Literal["sandbox.webhook_subscription"] = "sandbox.webhook_subscription"
    id: str
    url: str
    topics: list[str]
    created_at: int
    active: bool
    state: Literal["active", "throttled", "paused", "suspended", "disabled"]
    resume_at: int | None = Field(None, description="workspace time a throttle or a pause ends")
    failing_since: int | None = Field(None, description="workspace time of the first failure since a success")
    disabled_reason: str | None


class SubscriptionList(BaseModel):
    type: Literal["list"] = "list"
    data: list[SubscriptionOut]


class PingOut(BaseModel):
    type: Literal["sandbox.ping"] = "sandbox.ping"
    notification_id: str


class DeliveryOut(BaseModel):
    type: Literal["sandbox.webhook_delivery"] = "sandbox.webhook_delivery"
    id: int
    subscription_id: str
    notification_id: str
    topic: str
    url: str
    attempt: int
    status: int | None
    error: str | None
    delivered: bool
    outcome: Literal[
        "delivered", "retrying", "failed", "throttled", "paused", "suspended", "disabled", "dropped"
    ]
    workspace_time: int = Field(description="the workspace clock when the attempt was made")
    next_attempt_at: int | None = Field(None, description="workspace time of the next attempt, if any")
    sent_at: float
    duration_ms: float
    notification: dict[str, Any]


class DeliveryList(BaseModel):
    type: Literal["list"] = "list"
    data: list[DeliveryOut]
    pending: int


# -- provisioning (also used by the app at start-up and for unknown tokens) --------------------


def provision_workspace(
    store: Store,
    *,
    name: str,
    token: str,
    default_version: str = DEFAULT_VERSION,
    oauth_client_id: str | None = None,
    oauth_client_secret: str | None = None,
    seed: str = "none",
    workspace_id: str | None = None,
) -> Workspace:
    """Create, seed, and remember the seed as what `reset` returns to."""
    from fake_intercom.seed import seed_workspace

    workspace = store.create_workspace(
        name=name,
        token=token,
        default_version=default_version,
        oauth_client_id=oauth_client_id,
        oauth_client_secret=oauth_client_secret,
        workspace_id=workspace_id,
    )
    workspace = seed_workspace(store, workspace, seed)
    store.snapshot_workspace(workspace, SEED_SNAPSHOT)
    return workspace


def workspace_for_any_token(store: Store, token: str) -> Workspace:
    """`--accept-any-token`: an unknown token gets a fresh empty workspace of its own."""
    workspace_id = workspace_code(f"any-token:{token}")
    if store.workspace(workspace_id) is not None:
        workspace_id = uuid.uuid4().hex[:8]
    return provision_workspace(
        store, name=f"Workspace {workspace_id}", token=token, workspace_id=workspace_id
    )


# -- helpers ----------------------------------------------------------------------------------


def _store(request: Request) -> Store:
    return request.app.state.store


def _workspace(request: Request, workspace_id: str) -> Workspace:
    workspace = _store(request).workspace(workspace_id)
    if workspace is None:
        raise not_found("Workspace Not Found")
    return workspace


def _describe(store: Store, workspace: Workspace) -> WorkspaceOut:
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
        created_at=workspace.created_at,
        now=store.now(workspace),
    )


def _check_version(version: str) -> None:
    if version not in ALL_VERSIONS:
        raise IntercomError(400, "intercom_version_invalid", f"Unknown Intercom-Version: {version}")


def _faults(request: Request) -> Faults:
    return request.app.state.faults


def _journal(request: Request) -> Journal:
    return request.app.state.journal


def _webhooks(request: Request) -> Webhooks:
    return request.app.state.webhooks


# -- workspaces -------------------------------------------------------------------------------


@router.get("/workspaces", response_model=WorkspaceList, summary="List workspaces")
async def list_workspaces(request: Request) -> WorkspaceList:
    store = _store(request)
    return WorkspaceList(data=[_describe(store, workspace) for workspace in store.workspaces()])


@router.post("/workspaces", response_model=WorkspaceOut, status_code=201, summary="Create a workspace")
async def create_workspace(body: WorkspaceIn, request: Request) -> WorkspaceOut:
    store = _store(request)
    _check_version(body.default_version)
    token = body.token or f"sandbox-{secrets.token_hex(16)}"
    if store.workspace_for_token(token) is not None:
        raise IntercomError(409, "conflict", "This token already belongs to a workspace")
    workspace = provision_workspace(
        store,
        name=body.name,
        token=token,
        default_version=body.default_version,
        oauth_client_id=body.oauth_client_id or f"client-{secrets.token_hex(8)}",
        oauth_client_secret=body.oauth_client_secret or secrets.token_hex(20),
        seed=body.seed,
        workspace_id=uuid.uuid4().hex[:8],
    )
    if body.records:
        await _create_records(request, workspace, token, body.records)
        store.snapshot_workspace(workspace, SEED_SNAPSHOT)
    return _describe(store, workspace)


@router.get("/workspaces/{workspace_id}", response_model=WorkspaceOut, summary="Show a workspace")
async def show_workspace(workspace_id: str, request: Request) -> WorkspaceOut:
    return _describe(_store(request), _workspace(request, workspace_id))


@router.delete("/workspaces/{workspace_id}", status_code=204, summary="Delete a workspace and its tokens")
async def delete_workspace(workspace_id: str, request: Request) -> Response:
    workspace = _workspace(request, workspace_id)
    _store(request).delete_workspace(workspace.id)
    _faults(request).clear(workspace.id)
    _journal(request).clear(workspace.id)
    _webhooks(request).forget(workspace.id)
    request.app.state.limiter.forget(workspace.id)
    return Response(status_code=204)


@router.post(
    "/workspaces/{workspace_id}/tokens",
    response_model=TokenOut,
    status_code=201,
    summary="Add an access token",
)
async def add_token(workspace_id: str, body: TokenIn, request: Request) -> TokenOut:
    store = _store(request)
    workspace = _workspace(request, workspace_id)
    token = body.token or f"sandbox-{secrets.token_hex(16)}"
    if store.workspace_for_token(token) is not None:
        raise IntercomError(409, "conflict", "This token already belongs to a workspace")
    with store.atomic():
        store.add_token(workspace.id, token)
    return TokenOut(token=token, workspace_id=workspace.id)


@router.delete("/tokens/{token}", status_code=204, summary="Revoke an access token")
async def revoke_token(token: str, request: Request) -> Response:
    store = _store(request)
    if store.workspace_for_token(token) is None:
        raise not_found("Token Not Found")
    with store.atomic():
        store.revoke_token(token)
    return Response(status_code=204)


# -- reset, seed, snapshots -------------------------------------------------------------------


@router.post("/workspaces/{workspace_id}/reset", response_model=WorkspaceOut, summary="Reset a workspace")
async def reset_workspace(workspace_id: str, request: Request, body: ResetIn | None = None) -> WorkspaceOut:
    body = body or ResetIn()
    store = _store(request)
    workspace = _workspace(request, workspace_id)
    workspace = reset(store, workspace, body.to)
    if body.real_time:
        workspace = clock.real_time(store, workspace)
    if body.clear_journal:
        _journal(request).clear(workspace.id)
    if body.clear_faults:
        _faults(request).clear(workspace.id)
    return _describe(store, workspace)


def reset(store: Store, workspace: Workspace, to: Literal["seed", "empty"] = "seed") -> Workspace:
    """Back to the remembered seed, or to nothing but the owner admin."""
    from fake_intercom.seed import seed_workspace

    if to == "seed":
        restored = store.restore_workspace(workspace, SEED_SNAPSHOT)
        if restored is not None:
            return restored
    store.clear_workspace(workspace.id)
    return seed_workspace(store, workspace, "none")


@router.post("/workspaces/{workspace_id}/seed", response_model=SeedOut, summary="Add data to a workspace")
async def seed(workspace_id: str, body: SeedIn, request: Request) -> SeedOut:
    from fake_intercom.seed import DemoSeeder

    store = _store(request)
    workspace = _workspace(request, workspace_id)
    created: dict[str, list[Any]] = {}
    if body.seed == "demo":
        with store.atomic():
            DemoSeeder(store, workspace).run()
            workspace = store.update_workspace(workspace, seed="demo")
    if body.records:
        token = store.scalar("SELECT token FROM tokens WHERE workspace_id = ? LIMIT 1", (workspace.id,))
        if token is None:
            raise IntercomError(409, "conflict", "The workspace has no access token to create records with")
        created = await _create_records(request, workspace, token, body.records)
    if body.remember:
        store.snapshot_workspace(store.workspace(workspace.id) or workspace, SEED_SNAPSHOT)
    return SeedOut(created=created)


async def _create_records(
    request: Request, workspace: Workspace, token: str, records: dict[str, Any]
) -> dict[str, list[Any]]:
    """Create records through the API itself, so they get every rule and side effect a client's would."""
    calls: list[tuple[str, str, str, Any]] = []
    for collection, bodies in records.items():
        if collection == "requests":
            for index, call in enumerate(_as_list(bodies, collection)):
                if not isinstance(call, dict) or not isinstance(call.get("path"), str):
                    raise IntercomError(
                        400, "parameter_invalid", f"requests[{index}] needs a method and a path"
                    )
                calls.append(
                    (collection, str(call.get("method", "POST")).upper(), call["path"], call.get("body"))
                )
            continue
        if not any(op.method == "POST" and op.path == f"/{collection}" for op in OPERATIONS.values()):
            raise IntercomError(
                400,
                "parameter_invalid",
                f"records: no Intercom operation creates {collection!r} (POST /{collection})",
            )
        calls.extend((collection, "POST", f"/{collection}", body) for body in _as_list(bodies, collection))

    created: dict[str, list[Any]] = {}
    transport = httpx.ASGITransport(app=request.app)
    headers = {
        "Authorization": f"Bearer {token}",
        "Intercom-Version": workspace.default_version,
        INTERNAL_HEADER.decode(): request.app.state.internal_key.decode(),
    }
    async with httpx.AsyncClient(
        transport=transport, base_url="http://sandbox.internal", headers=headers
    ) as api:
        for index, (collection, method, path, body) in enumerate(calls):
            response = await api.request(method, path, json=body)
            if response.is_error:
                raise IntercomError(
                    400,
                    "parameter_invalid",
                    f"record {index} ({method} {path}) failed with {response.status_code}: {response.text[:500]}",
                )
            created.setdefault(collection, []).append(response.json() if response.content else None)
    return created


def _as_list(value: Any, collection: str) -> list[Any]:
    if not isinstance(value, list):
        raise IntercomError(400, "parameter_invalid", f"records.{collection} must be a list")
    return value


@router.get("/workspaces/{workspace_id}/snapshots", response_model=SnapshotList, summary="List snapshots")
async def list_snapshots(workspace_id: str, request: Request) -> SnapshotList:
    workspace = _workspace(request, workspace_id)
    return SnapshotList(data=[SnapshotOut(**row) for row in _store(request).snapshots(workspace.id)])


@router.post(
    "/workspaces/{workspace_id}/snapshots",
    response_model=SnapshotOut,
    status_code=201,
    summary="Take a snapshot",
)
async def take_snapshot(workspace_id: str, body: SnapshotIn, request: Request) -> SnapshotOut:
    workspace = _workspace(request, workspace_id)
    _store(request).snapshot_workspace(workspace, body.name)
    return SnapshotOut(name=body.name, created_at=int(time.time()))


@router.post(
    "/workspaces/{workspace_id}/snapshots/{name}/restore",
    response_model=WorkspaceOut,
    summary="Restore a snapshot",
)
async def restore_snapshot(workspace_id: str, name: str, request: Request) -> WorkspaceOut:
    store = _store(request)
    restored = store.restore_workspace(_workspace(request, workspace_id), name)
    if restored is None:
        raise not_found("Snapshot Not Found")
    return _describe(store, restored)


@router.delete("/workspaces/{workspace_id}/snapshots/{name}", status_code=204, summary="Delete a snapshot")
async def delete_snapshot(workspace_id: str, name: str, request: Request) -> Response:
    workspace = _workspace(request, workspace_id)
    if not _store(request).delete_snapshot(workspace.id, name):
        raise not_found("Snapshot Not Found")
    return Response(status_code=204)


# -- clock ------------------------------------------------------------------------------------


def _clock(store: Store, workspace: Workspace) -> ClockOut:
    return ClockOut(**{k: v for k, v in clock.state(store, workspace).items() if k != "type"})


@router.get("/workspaces/{workspace_id}/clock", response_model=ClockOut, summary="Read the workspace clock")
async def read_clock(workspace_id: str, request: Request) -> ClockOut:
    return _clock(_store(request), _workspace(request, workspace_id))


@router.post("/workspaces/{workspace_id}/clock/freeze", response_model=ClockOut, summary="Freeze the clock")
async def freeze_clock(workspace_id: str, request: Request, body: ClockAt | None = None) -> ClockOut:
    store = _store(request)
    return _clock(store, clock.freeze(store, _workspace(request, workspace_id), (body or ClockAt()).at))


@router.post("/workspaces/{workspace_id}/clock/set", response_model=ClockOut, summary="Set the clock")
async def set_clock(workspace_id: str, body: ClockSet, request: Request) -> ClockOut:
    store = _store(request)
    return _clock(store, clock.set_time(store, _workspace(request, workspace_id), body.at))


@router.post("/workspaces/{workspace_id}/clock/advance", response_model=ClockOut, summary="Advance the clock")
async def advance_clock(workspace_id: str, body: ClockAdvance, request: Request) -> ClockOut:
    store = _store(request)
    workspace = _workspace(request, workspace_id)
    if store.now(workspace) + body.total < 0:
        raise IntercomError(400, "parameter_invalid", "The clock cannot go before 1970")
    return _clock(store, clock.advance(store, workspace, body.total))


@router.post(
    "/workspaces/{workspace_id}/clock/unfreeze", response_model=ClockOut, summary="Unfreeze the clock"
)
async def unfreeze_clock(workspace_id: str, request: Request) -> ClockOut:
    store = _store(request)
    return _clock(store, clock.unfreeze(store, _workspace(request, workspace_id)))


@router.post("/workspaces/{workspace_id}/clock/real", response_model=ClockOut, summary="Back to real time")
async def real_clock(workspace_id: str, request: Request) -> ClockOut:
    store = _store(request)
    return _clock(store, clock.real_time(store, _workspace(request, workspace_id)))


# -- faults -----------------------------------------------------------------------------------


@router.get("/workspaces/{workspace_id}/faults", response_model=FaultList, summary="List fault rules")
async def list_faults(workspace_id: str, request: Request) -> FaultList:
    workspace = _workspace(request, workspace_id)
    return FaultList(data=[FaultOut(**fault.as_dict()) for fault in _faults(request).list(workspace.id)])


@router.post(
    "/workspaces/{workspace_id}/faults", response_model=FaultOut, status_code=201, summary="Add a fault rule"
)
async def add_fault(workspace_id: str, body: FaultSpec, request: Request) -> FaultOut:
    workspace = _workspace(request, workspace_id)
    return FaultOut(**_faults(request).add(workspace.id, body).as_dict())


@router.delete("/workspaces/{workspace_id}/faults", status_code=204, summary="Remove every fault rule")
async def clear_faults(workspace_id: str, request: Request) -> Response:
    _faults(request).clear(_workspace(request, workspace_id).id)
    return Response(status_code=204)


@router.delete("/workspaces/{workspace_id}/faults/{fault_id}", status_code=204, summary="Remove a fault rule")
async def remove_fault(workspace_id: str, fault_id: str, request: Request) -> Response:
    if not _faults(request).remove(_workspace(request, workspace_id).id, fault_id):
        raise not_found("Fault Not Found")
    return Response(status_code=204)


# -- journal ----------------------------------------------------------------------------------


@router.get(
    "/workspaces/{workspace_id}/journal", response_model=JournalList, summary="Read the request journal"
)
async def read_journal(
    workspace_id: str,
    request: Request,
    method: str | None = Query(None, max_length=10),
    path: str | None = Query(None, max_length=500, description="glob over the path, e.g. /contacts/*"),
    operation_id: str | None = Query(None, max_length=200),
    status: int | None = Query(None, ge=100, le=599),
    writes: bool | None = Query(None, description="true: only non-GET requests; false: only reads"),
    injected: bool | None = Query(None, description="answered by a fault or the rate limit, not by a route"),
    after: int | None = Query(None, ge=0, description="only entries with a greater id"),
    limit: int | None = Query(None, ge=1, le=10_000, description="the last `limit` matching entries"),
) -> JournalList:
    workspace = _workspace(request, workspace_id)
    entries = _journal(request).entries(
        workspace.id,
        method=method,
        path=path,
        operation_id=operation_id,
        status=status,
        writes=writes,
        injected=injected,
        after=after,
        limit=limit,
    )
    return JournalList(data=[JournalEntry(**entry.as_dict()) for entry in entries], total_count=len(entries))


@router.delete("/workspaces/{workspace_id}/journal", status_code=204, summary="Clear the request journal")
async def clear_journal(workspace_id: str, request: Request) -> Response:
    _journal(request).clear(_workspace(request, workspace_id).id)
    return Response(status_code=204)


# -- webhooks ---------------------------------------------------------------------------------


@router.get(
    "/workspaces/{workspace_id}/webhooks", response_model=SubscriptionList, summary="List subscriptions"
)
async def list_subscriptions(workspace_id: str, request: Request) -> SubscriptionList:
    workspace = _workspace(request, workspace_id)
    return SubscriptionList(
        data=[SubscriptionOut(**s.as_dict()) for s in _webhooks(request).subscriptions(workspace.id)]
    )


@router.post(
    "/workspaces/{workspace_id}/webhooks",
    response_model=SubscriptionOut,
    status_code=201,
    summary="Subscribe a URL to topics",
)
async def subscribe(workspace_id: str, body: SubscriptionIn, request: Request) -> SubscriptionOut:
    workspace = _workspace(request, workspace_id)
    url = httpx.URL(body.url) if body.url.startswith(("http://", "https://")) else None
    if url is None or not url.host:
        raise IntercomError(400, "parameter_invalid", "url must be an absolute http(s) URL", field="url")
    subscription = _webhooks(request).subscribe(workspace, body.url, body.topics)
    return SubscriptionOut(**subscription.as_dict())


@router.delete(
    "/workspaces/{workspace_id}/webhooks/{subscription_id}", status_code=204, summary="Remove a subscription"
)
async def unsubscribe(workspace_id: str, subscription_id: str, request: Request) -> Response:
    if not _webhooks(request).unsubscribe(_workspace(request, workspace_id).id, subscription_id):
        raise not_found("Subscription Not Found")
    return Response(status_code=204)


@router.post(
    "/workspaces/{workspace_id}/webhooks/{subscription_id}/ping",
    response_model=PingOut,
    summary="Send a ping",
)
async def ping(workspace_id: str, subscription_id: str, request: Request) -> PingOut:
    workspace = _workspace(request, workspace_id)
    webhooks = _webhooks(request)
    subscription = webhooks.subscription(workspace.id, subscription_id)
    if subscription is None:
        raise not_found("Subscription Not Found")
    return PingOut(notification_id=webhooks.ping(workspace, subscription))


@router.get(
    "/workspaces/{workspace_id}/webhook_deliveries",
    response_model=DeliveryList,
    summary="Read the delivery log",
)
async def deliveries(
    workspace_id: str,
    request: Request,
    topic: str | None = Query(None, max_length=200),
    subscription_id: str | None = Query(None, max_length=100),
) -> DeliveryList:
    workspace = _workspace(request, workspace_id)
    webhooks = _webhooks(request)
    # Notifications written outside a request (seeding, the clock) are handed over on the next read too.
    webhooks.dispatch()
    log = [
        entry
        for entry in webhooks.deliverer.deliveries(workspace.id)
        if (topic is None or entry["topic"] == topic)
        and (subscription_id is None or entry["subscription_id"] == subscription_id)
    ]
    return DeliveryList(
        data=[DeliveryOut(**entry) for entry in log], pending=webhooks.deliverer.pending(workspace.id)
    )
