"""`Actions` / `AsyncActions`: Scalekit's `actions` surface (same method and argument names) over Intercom.

Code written for `scalekit_client.actions.execute_tool(tool_input=..., tool_name=...)` runs against
Intercom (or the fake) by swapping the object. Tool names are Scalekit's; Definable slugs resolve too.
"""

import os
import uuid
from collections.abc import Mapping
from typing import Any

import httpx
from pydantic import Field

from connector.accounts import (
    DEFAULT_CONNECTION_NAME,
    PROVIDER,
    AccountStore,
    ConnectedAccount,
    ConnectedAccountResponse,
    ConnectedAccounts,
    DeleteConnectedAccountResponse,
    ListConnectedAccountsResponse,
    MagicLinkResponse,
    ScalekitModel,
)
from connector.catalog import CATALOG, Catalog
from connector.client import DEFAULT_TIMEOUT, DEFAULT_VERSION, AsyncIntercomClient, IntercomClient
from connector.errors import ConnectorError, IntercomAPIError, UnauthorizedError
from connector.oauth import OAuthApp, access_token_from
from connector.schemas import SchemaFormat, get_tools
from connector.tool_calls import ToolCall, failed_envelope, parse_tool_calls, result_messages
from connector.tools import ToolDef


class Tool(ScalekitModel):
    id: str
    provider: str = PROVIDER
    definition: dict[str, Any]
    metadata: dict[str, Any] = Field(default_factory=dict)
    tags: list[str] = Field(default_factory=list)
    is_default: bool = True


class ListToolsResponse(ScalekitModel):
    tools: list[Tool]
    tool_names: list[str]
    total_count: int
    next_page_token: str | None = None
    previous_page_token: str | None = None


class ExecuteToolResponse(ScalekitModel):
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

    def _checked(self, tool_name: str, tool_input: Any) -> ToolDef:
        """The tool, once its input is known to be valid: bad input is reported before any account lookup."""
        tool = self.catalog.get(tool_name)
        self.catalog.validate(tool, tool_input)
        return tool

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

    # -- schemas for models ------------------------------------------------------------------

    def get_tools(
        self, format: SchemaFormat = "openai", tool_names: str | list[str] | None = None
    ) -> list[dict[str, Any]]:
        """Tool schemas for `openai` (chat), `openai_responses`, `anthropic` or `mcp`; all tools by default."""
        return get_tools(format, tool_names, self.catalog)

    def to_openai_tools(self, tool_names: str | list[str] | None = None) -> list[dict[str, Any]]:
        return self.get_tools("openai", tool_names)

    def to_openai_responses_tools(self, tool_names: str | list[str] | None = None) -> list[dict[str, Any]]:
        return self.get_tools("openai_responses", tool_names)

    def to_anthropic_tools(self, tool_names: str | list[str] | None = None) -> list[dict[str, Any]]:
        return self.get_tools("anthropic", tool_names)

    def to_mcp_tools(self, tool_names: str | list[str] | None = None) -> list[dict[str, Any]]:
        return self.get_tools("mcp", tool_names)

    # -- connected accounts (local: the store, no request to Intercom) -------------------------

    accounts: ConnectedAccounts

    def _setup_accounts(
        self,
        base_url: str,
        oauth: OAuthApp | None,
        store: AccountStore | None,
        default_connection_name: str,
    ) -> None:
        self.oauth = oauth
        self.accounts = ConnectedAccounts(store, oauth, base_url, default_connection_name)

    def _account_auth(
        self,
        identifier: str | None,
        connection_name: str | None,
        connected_account_id: str | None,
    ) -> tuple[ConnectedAccount | None, dict[str, str] | None]:
        """The account a call runs as and its Authorization header; (None, None) for the default token.

        Without an OAuth app or a store, an `identifier` alone is ignored (as code written for Scalekit
        passes one everywhere) and the configured token is used.
        """
        if not connected_account_id and not (identifier and self.accounts.configured):
            return None, None
        account, token = self.accounts.token_for(connection_name, identifier, connected_account_id)
        return account, {"Authorization": f"Bearer {token}"}

    def _note_unauthorized(self, account: ConnectedAccount | None, status_code: int) -> None:
        if account is not None and status_code == 401:
            self.accounts.mark_expired(account)

    def get_authorization_link(
        self,
        identifier: str | None = None,
        connection_name: str | None = None,
        connected_account_id: str | None = None,
        state: str | None = None,
        user_verify_url: str | None = None,
    ) -> MagicLinkResponse:
        """Intercom's authorization page for this end user, with a single-use `state` that expires.

        Send the user to `.link`; Intercom sends them back to the OAuth app's `redirect_uri` with
        `code` and `state`, which go to `complete_authorization`. `user_verify_url` is accepted for
        Scalekit compatibility; Intercom has no user-verification step.
        """
        return self.accounts.authorization_link(identifier, connection_name, connected_account_id, state)

    def get_connected_account(
        self,
        connection_name: str | None = None,
        identifier: str | None = None,
        connected_account_id: str | None = None,
    ) -> ConnectedAccountResponse:
        """The account with its credentials; `ConnectedAccountNotFoundError` if there is none."""
        return self.accounts.get(connection_name, identifier, connected_account_id)

    def get_connected_account_details(
        self,
        connection_name: str | None = None,
        identifier: str | None = None,
        connected_account_id: str | None = None,
    ) -> ConnectedAccountResponse:
        """The account without its tokens."""
        return self.accounts.details(connection_name, identifier, connected_account_id)

    def list_connected_accounts(
        self,
        connection_name: str | None = None,
        identifier: str | None = None,
        provider: str | None = None,
        connection_names: list[str] | None = None,
        page_size: int | None = None,
        page_token: str | None = None,
    ) -> ListConnectedAccountsResponse:
        return self.accounts.list(
            connection_name, identifier, provider, connection_names, page_size, page_token
        )

    def create_connected_account(
        self,
        connection_name: str | None = None,
        identifier: str | None = None,
        authorization_details: dict[str, Any] | None = None,
        api_config: dict[str, Any] | None = None,
        **_: Any,
    ) -> ConnectedAccountResponse:
        """A new account; ACTIVE when `authorization_details` carries a token
        (`{"oauth_token": {"access_token": ...}}` or `{"static_auth": {"access_token": ...}}`)."""
        return self.accounts.create(connection_name, identifier, authorization_details, api_config)

    def get_or_create_connected_account(
        self,
        connection_name: str | None = None,
        identifier: str | None = None,
        authorization_details: dict[str, Any] | None = None,
        api_config: dict[str, Any] | None = None,
        **_: Any,
    ) -> ConnectedAccountResponse:
        """The existing account (its credentials replaced when given), or a new one."""
        return self.accounts.get_or_create(connection_name, identifier, authorization_details, api_config)

    upsert_connected_account = get_or_create_connected_account

    def update_connected_account(
        self,
        connection_name: str | None = None,
        identifier: str | None = None,
        authorization_details: dict[str, Any] | None = None,
        api_config: dict[str, Any] | None = None,
        connected_account_id: str | None = None,
        **_: Any,
    ) -> ConnectedAccountResponse:
        return self.accounts.update(
            connection_name, identifier, authorization_details, api_config, connected_account_id
        )

    def delete_connected_account(
        self,
        connection_name: str | None = None,
        identifier: str | None = None,
        connected_account_id: str | None = None,
    ) -> DeleteConnectedAccountResponse:
        return self.accounts.delete(connection_name, identifier, connected_account_id)

    def _sdk_token(
        self, identifier: str | None, connection_name: str | None, connected_account_id: str | None
    ) -> Any:
        if not identifier and not connected_account_id:
            if not self.client.token:
                raise ValueError("no token: pass token=... (or INTERCOM_ACCESS_TOKEN) or an identifier")
            return self.client.token

        def account_token() -> str:
            # Read on every request, so re-authorizing the account is picked up by a live SDK client.
            return self.accounts.token_for(connection_name, identifier, connected_account_id)[1]

        account_token()  # fail now, not on the first request, when the account cannot be used
        return account_token


def _import_intercom_sdk() -> Any:
    try:
        import intercom
    except ImportError:
        raise ImportError(
            "intercom_client() needs Intercom's official SDK: pip install python-intercom"
        ) from None
    return intercom


class Actions(_ActionsBase):
    """Synchronous facade.

    >>> actions = Actions(base_url="http://127.0.0.1:8000", token="tok")  # doctest: +SKIP
    >>> actions.execute_tool(tool_input={}, tool_name="intercom_list_admins").data  # doctest: +SKIP

    With `oauth=OAuthApp(...)` (and `store=`, SQLite at ~/.intercom-connector/accounts.db by default),
    each end user connects their own workspace and calls run with their token:
    `execute_tool(..., identifier="user_42")`.
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
        oauth: OAuthApp | None = None,
        store: AccountStore | None = None,
        default_connection_name: str = DEFAULT_CONNECTION_NAME,
        **client_options: Any,
    ) -> None:
        self.catalog = catalog
        self._transport = transport
        settings = self._settings(base_url, token, intercom_version, timeout, max_retries, region)
        self.client = IntercomClient(transport=transport, **settings, **client_options)
        self._setup_accounts(self.client.base_url, oauth, store, default_connection_name)

    def execute_tool(
        self,
        tool_input: Mapping[str, Any] | None = None,
        tool_name: str = "",
        identifier: str | None = None,
        connected_account_id: str | None = None,
        connection_name: str | None = None,
        raise_on_error: bool = True,
        **_: Any,
    ) -> ExecuteToolResponse:
        """Validate `tool_input`, call Intercom once (as the account of `identifier`, if any), wrap the answer.

        Raises `ToolNotFoundError`, `ToolInputError` (nothing sent), `AuthorizationRequiredError` (no
        ACTIVE account; carries a fresh link), `IntercomAPIError` or `TransportError`; with
        `raise_on_error=False` returns `successful=False` and `error` instead. A 401 marks the account EXPIRED.
        """
        execution_id = _new_execution_id()
        name = tool_name
        account = None
        try:
            tool = self._checked(tool_name, tool_input)
            name = tool.name
            account, headers = self._account_auth(identifier, connection_name, connected_account_id)
            data = self.catalog.execute(self.client, tool, tool_input, headers=headers)
        except ConnectorError as error:
            if isinstance(error, UnauthorizedError):
                self._note_unauthorized(account, 401)
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
        connected_account_id: str | None = None,
    ) -> httpx.Response:
        """Any Intercom path (e.g. '/contacts'), with auth and `Intercom-Version` added; the raw response."""
        path = _check_path(path)
        account, auth = self._account_auth(identifier, connection_name, connected_account_id)
        response = self.client.request(
            method, path, query_params, body, headers={**(headers or {}), **(auth or {})}, timeout=timeout
        )
        self._note_unauthorized(account, response.status_code)
        return response

    def handle_tool_calls(
        self,
        response: Any,
        identifier: str | None = None,
        connection_name: str | None = None,
        connected_account_id: str | None = None,
    ) -> list[dict[str, Any]]:
        """Run every tool call of an OpenAI (chat or Responses) or Anthropic answer, in order, and return
        the result messages to append, in that provider's format. API errors come back as failed
        envelopes, never as exceptions."""
        provider, calls = parse_tool_calls(response)
        results: list[tuple[ToolCall, dict[str, Any]]] = []
        for call in calls:
            if call.problem is not None:
                envelope = failed_envelope(call, call.problem, _new_execution_id())
            else:
                envelope = self.execute_tool(
                    tool_input=call.arguments,
                    tool_name=call.name,
                    identifier=identifier,
                    connection_name=connection_name,
                    connected_account_id=connected_account_id,
                    raise_on_error=False,
                ).to_dict()
            results.append((call, envelope))
        return result_messages(provider, results)

    def complete_authorization(self, code: str, state: str) -> ConnectedAccountResponse:
        """Finish what `get_authorization_link` started: check `state` (once), trade `code` for a token,
        store it; the account is then ACTIVE. Raises `OAuthStateError` or Intercom's refusal."""
        account, token_request = self.accounts.begin_completion(code, state)
        response = self.client.send_unauthenticated(**token_request)
        return self.accounts.finish_completion(account, access_token_from(response))

    def intercom_client(
        self,
        identifier: str | None = None,
        connection_name: str | None = None,
        connected_account_id: str | None = None,
    ) -> Any:
        """Intercom's official SDK client (`intercom.Intercom`, package python-intercom) on the same base
        URL, version and token (the account's, when `identifier` is given)."""
        intercom = _import_intercom_sdk()
        token = self._sdk_token(identifier, connection_name, connected_account_id)
        options: dict[str, Any] = {}
        if self._transport is not None:
            options["httpx_client"] = httpx.Client(transport=self._transport, timeout=self.client.timeout)
        return intercom.Intercom(
            base_url=self.client.base_url,
            token=token,
            headers={"Intercom-Version": self.client.intercom_version or DEFAULT_VERSION},
            **options,
        )

    def close(self) -> None:
        self.client.close()

    def __enter__(self) -> "Actions":
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()


class AsyncActions(_ActionsBase):
    """The asynchronous twin of `Actions`.

    What reaches Intercom is awaited (`execute_tool`, `request`, `complete_authorization`); the
    connected-account methods only read and write the local store, so they are plain calls.
    """

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
        oauth: OAuthApp | None = None,
        store: AccountStore | None = None,
        default_connection_name: str = DEFAULT_CONNECTION_NAME,
        **client_options: Any,
    ) -> None:
        self.catalog = catalog
        self._transport = transport
        settings = self._settings(base_url, token, intercom_version, timeout, max_retries, region)
        self.client = AsyncIntercomClient(transport=transport, **settings, **client_options)
        self._setup_accounts(self.client.base_url, oauth, store, default_connection_name)

    async def execute_tool(
        self,
        tool_input: Mapping[str, Any] | None = None,
        tool_name: str = "",
        identifier: str | None = None,
        connected_account_id: str | None = None,
        connection_name: str | None = None,
        raise_on_error: bool = True,
        **_: Any,
    ) -> ExecuteToolResponse:
        execution_id = _new_execution_id()
        name = tool_name
        account = None
        try:
            tool = self._checked(tool_name, tool_input)
            name = tool.name
            account, headers = self._account_auth(identifier, connection_name, connected_account_id)
            data = await self.catalog.aexecute(self.client, tool, tool_input, headers=headers)
        except ConnectorError as error:
            if isinstance(error, UnauthorizedError):
                self._note_unauthorized(account, 401)
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
        connected_account_id: str | None = None,
    ) -> httpx.Response:
        path = _check_path(path)
        account, auth = self._account_auth(identifier, connection_name, connected_account_id)
        response = await self.client.request(
            method, path, query_params, body, headers={**(headers or {}), **(auth or {})}, timeout=timeout
        )
        self._note_unauthorized(account, response.status_code)
        return response

    async def handle_tool_calls(
        self,
        response: Any,
        identifier: str | None = None,
        connection_name: str | None = None,
        connected_account_id: str | None = None,
    ) -> list[dict[str, Any]]:
        # One after another, as the model listed them: a later call may depend on an earlier write.
        provider, calls = parse_tool_calls(response)
        results: list[tuple[ToolCall, dict[str, Any]]] = []
        for call in calls:
            if call.problem is not None:
                envelope = failed_envelope(call, call.problem, _new_execution_id())
            else:
                outcome = await self.execute_tool(
                    tool_input=call.arguments,
                    tool_name=call.name,
                    identifier=identifier,
                    connection_name=connection_name,
                    connected_account_id=connected_account_id,
                    raise_on_error=False,
                )
                envelope = outcome.to_dict()
            results.append((call, envelope))
        return result_messages(provider, results)

    async def complete_authorization(self, code: str, state: str) -> ConnectedAccountResponse:
        account, token_request = self.accounts.begin_completion(code, state)
        response = await self.client.send_unauthenticated(**token_request)
        return self.accounts.finish_completion(account, access_token_from(response))

    def intercom_client(
        self,
        identifier: str | None = None,
        connection_name: str | None = None,
        connected_account_id: str | None = None,
    ) -> Any:
        """Intercom's official async SDK client (`intercom.AsyncIntercom`), bound like `Actions.intercom_client`."""
        intercom = _import_intercom_sdk()
        token = self._sdk_token(identifier, connection_name, connected_account_id)
        options: dict[str, Any] = {}
        if self._transport is not None:
            options["httpx_client"] = httpx.AsyncClient(
                transport=self._transport, timeout=self.client.timeout
            )
        return intercom.AsyncIntercom(
            base_url=self.client.base_url,
            token=token,
            headers={"Intercom-Version": self.client.intercom_version or DEFAULT_VERSION},
            **options,
        )

    async def aclose(self) -> None:
        await self.client.aclose()

    async def __aenter__(self) -> "AsyncActions":
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.aclose()
