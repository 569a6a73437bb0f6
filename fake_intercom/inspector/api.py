"""The workspace as an inspector page reads and changes it: through the app's own Intercom API, in-process.

The inspector's requests are the sandbox's own (see `internal_client`): they never show in the journal
it displays, no fault rule or rate limit breaks the view, and a write notifies webhooks as any write does.
"""

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from typing import Any

import httpx
from fastapi import Request
from starlette.responses import Response

from fake_intercom.errors import IntercomError, conflict, parameter_invalid
from fake_intercom.inspector.render import render
from fake_intercom.sandbox.access import store_of, workspace_of
from fake_intercom.sandbox.records import internal_client
from fake_intercom.sandbox.workspaces import WorkspaceOut, describe
from fake_intercom.store import Workspace


@dataclass
class WorkspaceApi:
    workspace: Workspace
    info: WorkspaceOut
    client: httpx.AsyncClient

    async def call(self, method: str, path: str, *, params: Any = None, json: Any = None) -> Any:
        """The answer's JSON, or the `IntercomError` the API answered with."""
        response = await self.client.request(method, path, params=params, json=json)
        if response.is_error:
            errors = (response.json().get("errors") or [{}]) if response.content else [{}]
            raise IntercomError(
                response.status_code,
                errors[0].get("code", "server_error"),
                errors[0].get("message", response.reason_phrase),
                field=errors[0].get("field"),
            )
        return response.json() if response.content else None

    async def get(self, path: str, **params: Any) -> Any:
        return await self.call("GET", path, params={k: v for k, v in params.items() if v is not None})

    async def post(self, path: str, body: Any = None, **params: Any) -> Any:
        return await self.call(
            "POST", path, json=body, params={k: v for k, v in params.items() if v is not None}
        )


@asynccontextmanager
async def workspace_api(request: Request, workspace_id: str) -> AsyncIterator[WorkspaceApi]:
    workspace = workspace_of(request, workspace_id)
    info = describe(store_of(request), workspace)
    if info.token is None:
        raise conflict("This workspace has no access token left: add one on its page to browse it")
    async with internal_client(request, workspace, info.token) as client:
        yield WorkspaceApi(workspace, info, client)


def page_number(text: str) -> int:
    """A page list's `page` from a page's query string (1 when empty)."""
    if not text:
        return 1
    if not text.isdigit() or int(text) < 1:
        raise parameter_invalid("page must be 1 or more", field="page")
    return int(text)


def workspace_page(request: Request, template: str, workspace: WorkspaceOut, **context: Any) -> Response:
    """A page of one workspace, with the workspace switcher and navigation."""
    workspaces = [(each.id, each.name) for each in store_of(request).workspaces()]
    return render(request, template, workspace=workspace, workspaces=workspaces, **context)
