"""Filling a workspace: the demo data, and records created through the API itself.

A record may use what an earlier one created: `{"$created": "contacts/0/id"}` anywhere in a body
stands for that value (the first created contact's id), and so does `{contacts/0/id}` in the path of a
`requests` entry. Records are created in the order given, so references only reach back.
"""

import re
from collections.abc import Coroutine
from typing import Any, Literal, TypeVar, cast
from urllib.parse import quote

import httpx
from fastapi import Request
from pydantic import BaseModel, Field

from contracts.operations import OPERATIONS
from fake_intercom.errors import conflict, parameter_invalid, service_unavailable
from fake_intercom.gateway import INTERNAL_HEADER, OPEN_PREFIXES
from fake_intercom.sandbox.access import SEED_SNAPSHOT, control_router, store_of, workspace_of
from fake_intercom.seed import DemoSeeder
from fake_intercom.store import Workspace

SeedName = Literal["none", "demo"]
Result = TypeVar("Result")


class SeedIn(BaseModel):
    seed: SeedName | None = Field(None, description="add the demo workspace's data")
    records: dict[str, Any] | None = Field(
        None,
        description=(
            "records created through the API in this order: `{collection: [body, ...]}` where POST "
            "/<collection> is an Intercom operation (contacts, companies, tags, conversations, tickets, "
            "events...), and `requests: [{method, path, body}]` for anything else; "
            '`{"$created": "contacts/0/id"}` in a body, or `{contacts/0/id}` in a path, is a value an '
            "earlier record created"
        ),
    )
    remember: bool = Field(True, description="make the result what `reset` returns to")


class SeedOut(BaseModel):
    type: Literal["sandbox.seed_result"] = "sandbox.seed_result"
    created: dict[str, list[Any]]


router = control_router()


@router.post("/workspaces/{workspace_id}/seed", response_model=SeedOut, summary="Add data to a workspace")
async def seed(workspace_id: str, body: SeedIn, request: Request) -> SeedOut:
    store = store_of(request)
    workspace = workspace_of(request, workspace_id)
    created: dict[str, list[Any]] = {}
    with store.atomic():  # all of it or nothing: a bad record undoes the ones before it
        if body.seed == "demo":
            DemoSeeder(store, workspace).run()
            workspace = store.update_workspace(workspace, seed="demo")
        if body.records:
            token = store.scalar("SELECT token FROM tokens WHERE workspace_id = ? LIMIT 1", (workspace.id,))
            if token is None:
                raise conflict("The workspace has no access token to create records with")
            created = create_records(request, workspace, token, body.records)
        if body.remember:
            store.snapshot_workspace(store.workspace(workspace.id) or workspace, SEED_SNAPSHOT)
    return SeedOut(created=created)


def create_records(
    request: Request, workspace: Workspace, token: str, records: dict[str, Any]
) -> dict[str, list[Any]]:
    """Create records through the API itself, so they get every rule and side effect a client's would.

    Called inside the control-plane call's transaction, the API requests are run to completion without
    ever handing the event loop to another request: nothing else can write into that transaction, and
    a failure rolls back every record with it."""
    calls: list[tuple[str, str, str, Any]] = []
    for collection, bodies in records.items():
        if collection == "requests":
            for index, call in enumerate(_as_list(bodies, collection)):
                if not isinstance(call, dict) or not isinstance(call.get("path"), str):
                    raise parameter_invalid(f"requests[{index}] needs a method and a path")
                if not call["path"].startswith("/") or call["path"].startswith(OPEN_PREFIXES):
                    raise parameter_invalid(f"requests[{index}]: the path must be one of Intercom's API")
                calls.append(
                    (collection, str(call.get("method", "POST")).upper(), call["path"], call.get("body"))
                )
            continue
        if not any(op.method == "POST" and op.path == f"/{collection}" for op in OPERATIONS.values()):
            raise parameter_invalid(
                f"records: no Intercom operation creates {collection!r} (POST /{collection})"
            )
        calls.extend((collection, "POST", f"/{collection}", body) for body in _as_list(bodies, collection))

    return _without_yielding(_send(request, workspace, token, calls))


async def _send(
    request: Request, workspace: Workspace, token: str, calls: list[tuple[str, str, str, Any]]
) -> dict[str, list[Any]]:
    created: dict[str, list[Any]] = {}
    async with internal_client(request, workspace, token) as api:
        for index, (collection, method, path, body) in enumerate(calls):
            where = f"record {index} ({method} {path})"
            path = _resolved_path(path, created, where)
            response = await api.request(method, path, json=_resolved(body, created, where))
            if response.is_error:
                raise parameter_invalid(
                    f"record {index} ({method} {path}) failed with {response.status_code}: {response.text[:500]}"
                )
            created.setdefault(collection, []).append(response.json() if response.content else None)
    return created


def _without_yielding(call: Coroutine[Any, Any, Result]) -> Result:
    """Run `call` to its end at once. The in-process API answers without waiting on anything; were it
    ever to wait, other requests would run inside the open transaction, so that is refused instead."""
    try:
        call.send(None)
    except StopIteration as finished:
        return cast(Result, finished.value)
    call.close()
    raise service_unavailable("Creating records had to wait on something; nothing was created")


REFERENCE = "$created"
PATH_REFERENCE = re.compile(r"\{(\w+/\d+(?:/[^/{}]+)*)\}")


def _resolved(value: Any, created: dict[str, list[Any]], where: str) -> Any:
    """`value` with its `{"$created": path}` references replaced by what they name."""
    if isinstance(value, dict):
        if set(value) == {REFERENCE}:
            return _created(created, value[REFERENCE], where)
        return {key: _resolved(item, created, where) for key, item in value.items()}
    if isinstance(value, list):
        return [_resolved(item, created, where) for item in value]
    return value


def _resolved_path(path: str, created: dict[str, list[Any]], where: str) -> str:
    return PATH_REFERENCE.sub(lambda match: quote(str(_created(created, match[1], where)), safe=""), path)


def _created(created: dict[str, list[Any]], path: Any, where: str) -> Any:
    node: Any = created
    for part in str(path).split("/"):
        if isinstance(node, dict) and part in node:
            node = node[part]
        elif isinstance(node, list) and part.isdigit() and int(part) < len(node):
            node = node[int(part)]
        else:
            raise parameter_invalid(f"{where}: {REFERENCE} {path!r} names nothing created before it")
    return node


def internal_client(request: Request, workspace: Workspace, token: str) -> httpx.AsyncClient:
    """A client of the workspace's API inside this app. Its requests are the sandbox's own, not the
    integration's traffic: they skip the rate limit, faults and journal (and notify webhooks as any
    write does)."""
    headers = {
        "Authorization": f"Bearer {token}",
        "Intercom-Version": workspace.default_version,
        INTERNAL_HEADER.decode(): request.app.state.internal_key.decode(),
    }
    return httpx.AsyncClient(
        transport=httpx.ASGITransport(app=request.app), base_url="http://sandbox.internal", headers=headers
    )


def _as_list(value: Any, collection: str) -> list[Any]:
    if not isinstance(value, list):
        raise parameter_invalid(f"records.{collection} must be a list")
    return value
