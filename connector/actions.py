"""`Actions` / `AsyncActions`: Scalekit's `actions` surface (same method and argument names) over Intercom.

Code written for `scalekit_client.actions.execute_tool(tool_input=..., tool_name=...)` runs against
Intercom (or the fake) by swapping the object. Tool names are Scalekit's; Definable slugs resolve too.
"""

import os
import uuid
from collections.abc import Mapping
from typing import Any

import httpx
from pydantic import BaseModel, Field

from connector.catalog import CATALOG, Catalog, PreparedCall
from connector.client import DEFAULT_TIMEOUT, DEFAULT_VERSION, AsyncIntercomClient, IntercomClient
from connector.errors import ConnectorError, IntercomAPIError
from connector.tools import ToolDef

PROVIDER = "INTERCOM"


class _Response(BaseModel):
    def to_dict(self) -> dict[str, Any]:
        return self.model_dump()


class Tool(_Response):
    id: str
    provider: str = PROVIDER
    definition: dict[str, Any]
    metadata: dict[str, Any] = Field(default_factory=dict)
    tags: list[str] = Field(default_factory=list)
    is_default: bool = True


class ListToolsResponse(_Response):
    tools: list[Tool]
    tool_names: list[str]
    total_count: int
    next_page_token: str | None = None
    previous_page_token: str | None = None


class ExecuteToolResponse(_Response):
    data: Any = None
    execution_id: str
    tool_name: str
    successful: bool = True
    error: dict[str, Any] | None = None


def tool_model(tool: ToolDef) -> Tool:
    """A declaration in Scalekit's `Tool` shape (definition + annotations)."""
    return Tool(
        id=tool.name,
        definition={
            "name": tool.name,
            "description": tool.description,
            "input_schema": tool.input_schema(),
            "annotations": {
                "title": tool.title,
                "read_only_hint": tool.read_only,
                "destructive_hint": tool.destructive,
                "idempotent_hint": tool.idempotent,
                "open_world_hint": True,
            },
        },
        metadata={
            "operation_id": tool.operation_id,
            "method": tool.method,
            "path": tool.path,
            "resource": tool.resource,
            "aliases": list(tool.aliases),
            "source": tool.source,
        },
        tags=[tool.resource, "read" if tool.read_only else "write"],
    )


def _new_execution_id() -> str:
    return f"exec_{uuid.uuid4().hex}"


def _page_start(page_token: str | None) -> int:
    if not page_token:
        return 0
    if not page_token.isdigit():
        raise ValueError(f"page_token {page_token!r} was not returned by list_tools")
    return int(page_token)


def _check_path(path: str) -> str:
    # The token must only ever go to the configured Intercom host, never to a URL a caller smuggles in.
    url = httpx.URL(path)
    if url.scheme or url.host:
        raise ValueError(f"path must be an Intercom API path such as '/contacts', not {path!r}")
    return path if path.startswith("/") else f"/{path}"


class _ActionsBase:
    """Tool discovery and the result envelope; no I/O, shared by the sync and async facades."""

    catalog: Catalog

    def _settings(
        self,
        base_url: str | None,
        token: str | None,
        intercom_version: str | None,
        timeout: float,
        max_retries: int,
        region: str | None,
    ) -> dict[str, Any]:
        # Read at construction, not at import, so setting the variables later still works.
        return {
            "token": token or os.environ.get("INTERCOM_ACCESS_TOKEN"),
            "base_url": base_url or os.environ.get("INTERCOM_BASE_URL"),
            "region": region,
            "intercom_version": intercom_version or os.environ.get("INTERCOM_VERSION") or DEFAULT_VERSION,
            "timeout": timeout,
            "max_retries": max_retries,
        }

    def list_tools(
        self,
        tool_name: str | list[str] | None = None,
        query: str | None = None,
        page_size: int | None = None,
        page_token: str | None = None,
        connection_name: str | None = None,
        identifier: str | None = None,
        provider: str | None = None,
    ) -> ListToolsResponse:
        """Tools filtered by name/alias (`tool_name`) and by words (`query`), a page at a time.

        `connection_name` and `identifier` are accepted for Scalekit compatibility: every Intercom
        tool is available to every account.
        """
        tools = self._select(tool_name, query, provider)
        start = _page_start(page_token)
        end = len(tools) if page_size is None else start + max(page_size, 1)
        page = [tool_model(tool) for tool in tools[start:end]]
        return ListToolsResponse(
            tools=page,
            tool_names=[tool.id for tool in page],
            total_count=len(tools),
            next_page_token=str(end) if end < len(tools) else None,
            previous_page_token=str(max(start - (page_size or 0), 0)) if start else None,
        )

    def _select(
        self, tool_name: str | list[str] | None, query: str | None, provider: str | None
    ) -> list[ToolDef]:
        if provider and provider.upper() != PROVIDER:
            return []
        tools = list(self.catalog) if query is None else self.catalog.search(query)
        if tool_name is not None:
            names = [tool_name] if isinstance(tool_name, str) else tool_name
            wanted = {self.catalog.get(name).name for name in names if name in self.catalog}
            tools = [tool for tool in tools if tool.name in wanted]
        return tools

    def get_tool(self, name: str) -> Tool:
        """One tool by canonical name or alias, case-insensitive; `ToolNotFoundError` otherwise."""
        return tool_model(self.catalog.get(name))

    def _prepare(self, tool_name: str, tool_input: Any) -> tuple[ToolDef, PreparedCall]:
        tool = self.catalog.get(tool_name)
        return tool, self.catalog.prepare(tool, tool_input)

    @staticmethod
    def _failure(
        error: ConnectorError, execution_id: str, tool_name: str, raise_on_error: bool
    ) -> ExecuteToolResponse:
        if isinstance(error, IntercomAPIError):
            error.execution_id = execution_id
            error.tool_name = tool_name
        if raise_on_error:
            raise error
        return ExecuteToolResponse(
            data=None,
            execution_id=execution_id,
            tool_name=tool_name,
            successful=False,
            error=error.to_dict(),
        )


class Actions(_ActionsBase):
    """Synchronous facade.

    >>> actions = Actions(base_url="http://127.0.0.1:8000", token="tok")  # doctest: +SKIP
    >>> actions.execute_tool(tool_input={}, tool_name="intercom_list_admins").data  # doctest: +SKIP
    """

    def __init__(
        self,
        base_url: str | None = None,
        token: str | None = None,
        intercom_version: str | None = None,
        timeout: float = DEFAULT_TIMEOUT,
        max_retries: int = 2,
        transport: httpx.BaseTransport | None = None,
        region: str | None = None,
        catalog: Catalog = CATALOG,
        **client_options: Any,
    ) -> None:
        self.catalog = catalog
        settings = self._settings(base_url, token, intercom_version, timeout, max_retries, region)
        self.client = IntercomClient(transport=transport, **settings, **client_options)

    def execute_tool(
        self,
        tool_input: Mapping[str, Any] | None = None,
        tool_name: str = "",
        identifier: str | None = None,
        connected_account_id: str | None = None,
        connection_name: str | None = None,
        raise_on_error: bool = True,
    ) -> ExecuteToolResponse:
        """Validate `tool_input`, call Intercom once, and wrap the JSON answer.

        Raises `ToolNotFoundError`, `ToolInputError` (nothing sent), `IntercomAPIError` or
        `TransportError`; with `raise_on_error=False` returns `successful=False` and `error` instead.
        """
        execution_id = _new_execution_id()
        name = tool_name
        try:
            tool, call = self._prepare(tool_name, tool_input)
            name = tool.name
            data = self.client.call(**call.kwargs())
        except ConnectorError as error:
            return self._failure(error, execution_id, name, raise_on_error)
        return ExecuteToolResponse(data=data, execution_id=execution_id, tool_name=name)

    def request(
        self,
        path: str,
        method: str = "GET",
        query_params: Mapping[str, Any] | None = None,
        body: Any = None,
        headers: Mapping[str, str] | None = None,
        timeout: float | None = None,
        connection_name: str | None = None,
        identifier: str | None = None,
    ) -> httpx.Response:
        """Any Intercom path (e.g. '/contacts'), with auth and `Intercom-Version` added; the raw response."""
        return self.client.request(
            method, _check_path(path), query_params, body, headers=headers, timeout=timeout
        )

    def close(self) -> None:
        self.client.close()

    def __enter__(self) -> "Actions":
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()


class AsyncActions(_ActionsBase):
    """The asynchronous twin of `Actions`: `execute_tool` and `request` are awaited."""

    def __init__(
        self,
        base_url: str | None = None,
        token: str | None = None,
        intercom_version: str | None = None,
        timeout: float = DEFAULT_TIMEOUT,
        max_retries: int = 2,
        transport: httpx.AsyncBaseTransport | None = None,
        region: str | None = None,
        catalog: Catalog = CATALOG,
        **client_options: Any,
    ) -> None:
        self.catalog = catalog
        settings = self._settings(base_url, token, intercom_version, timeout, max_retries, region)
        self.client = AsyncIntercomClient(transport=transport, **settings, **client_options)

    async def execute_tool(
        self,
        tool_input: Mapping[str, Any] | None = None,
        tool_name: str = "",
        identifier: str | None = None,
        connected_account_id: str | None = None,
        connection_name: str | None = None,
        raise_on_error: bool = True,
    ) -> ExecuteToolResponse:
        execution_id = _new_execution_id()
        name = tool_name
        try:
            tool, call = self._prepare(tool_name, tool_input)
            name = tool.name
            data = await self.client.call(**call.kwargs())
        except ConnectorError as error:
            return self._failure(error, execution_id, name, raise_on_error)
        return ExecuteToolResponse(data=data, execution_id=execution_id, tool_name=name)

    async def request(
        self,
        path: str,
        method: str = "GET",
        query_params: Mapping[str, Any] | None = None,
        body: Any = None,
        headers: Mapping[str, str] | None = None,
        timeout: float | None = None,
        connection_name: str | None = None,
        identifier: str | None = None,
    ) -> httpx.Response:
        return await self.client.request(
            method, _check_path(path), query_params, body, headers=headers, timeout=timeout
        )

    async def aclose(self) -> None:
        await self.client.aclose()

    async def __aenter__(self) -> "AsyncActions":
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.aclose()
