"""`Actions` / `AsyncActions`: Scalekit's `actions` surface (same method and argument names) over Intercom.

Code written for `scalekit_client.actions.execute_tool(tool_input=..., tool_name=...)` runs against
Intercom (or the fake) by swapping the object. Tool names are Scalekit's; Definable slugs resolve too.
"""

import contextlib
import contextvars
import inspect
import logging
import os
import uuid
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

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
from connector.errors import (
    ConnectorError,
    IntercomAPIError,
    ToolNotAllowedError,
    ToolNotFoundError,
    UnauthorizedError,
)
from connector.oauth import OAuthApp, access_token_from
from connector.results import fit, select_fields
from connector.schemas import SchemaFormat, get_tools, tool_name_of
from connector.tool_calls import ToolCall, failed_envelope, offered_in, parse_tool_calls, result_messages
from connector.tools import ToolDef

logger = logging.getLogger("connector")
_EXECUTION: contextvars.ContextVar[str | None] = contextvars.ContextVar("intercom_execution_id", default=None)

try:  # optional: spans only when the OpenTelemetry API is installed
    from opentelemetry import trace as _otel_trace
except ImportError:  # pragma: no cover - exercised where the package is absent
    _otel_trace = None  # type: ignore[assignment]

RequestHook = Callable[[httpx.Request], Any]
ResponseHook = Callable[[httpx.Response], Any]


def current_execution_id() -> str | None:
    """The execution id of the tool call running now (in hooks and log handlers), if any."""
    return _EXECUTION.get()


@dataclass
class Modifier:
    """A function applied to a tool's input (`pre`) or to its answer's data (`post`), as Scalekit's."""

    tool_names: list[str]
    type: Literal["pre", "post"]
    func: Callable[[Any], Any] = field(default=lambda value: value)

    def applies_to(self, tool_name: str) -> bool:
        return tool_name in self.tool_names


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
    truncated: dict[str, Any] | None = None
    """Set when `max_result_chars` cut the answer: what was kept and how to read the rest."""


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


def _refuse_tool_request(tool_request: Any) -> None:
    if tool_request is not None:
        raise TypeError(
            "tool_request (Scalekit's gRPC request object) is not supported: pass tool_input and tool_name"
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
    client: IntercomClient | AsyncIntercomClient

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

    def _checked(self, tool_name: str, tool_input: Any) -> tuple[ToolDef, Any]:
        """The tool and its input after pre-modifiers, once the input is known to be valid: bad input
        is reported before any account lookup."""
        tool = self.catalog.get(tool_name)
        tool_input = self._modified("pre", tool, tool_input)
        self.catalog.validate(tool, tool_input)
        return tool, tool_input

    @staticmethod
    def _failure(
        error: ConnectorError, execution_id: str, tool_name: str, raise_on_error: bool
    ) -> ExecuteToolResponse:
        if isinstance(error, IntercomAPIError):
            error.execution_id = execution_id
            error.tool_name = tool_name
        logger.info(
            "%s failed: %s",
            tool_name,
            error,
            extra={"execution_id": execution_id, "tool_name": tool_name, "error_type": error.error_type},
        )
        if raise_on_error:
            raise error
        return ExecuteToolResponse(
            data=None,
            execution_id=execution_id,
            tool_name=tool_name,
            successful=False,
            error=error.to_dict(),
        )

    def _success(
        self,
        tool: ToolDef,
        data: Any,
        execution_id: str,
        fields: Iterable[str] | None,
        max_result_chars: int | None,
    ) -> ExecuteToolResponse:
        data = self._modified("post", tool, data)
        if fields is not None:
            data = select_fields(data, list(fields))
        truncated = None
        if max_result_chars is not None:
            data, truncated = fit(data, tool, max_result_chars)
        logger.info(
            "%s succeeded%s",
            tool.name,
            " (truncated)" if truncated else "",
            extra={"execution_id": execution_id, "tool_name": tool.name},
        )
        return ExecuteToolResponse(
            data=data, execution_id=execution_id, tool_name=tool.name, truncated=truncated
        )

    @contextlib.contextmanager
    def _running(self, tool_name: str, execution_id: str) -> Iterator[Any]:
        """The execution id in context (for hooks and logs) and an OpenTelemetry span, if installed."""
        token = _EXECUTION.set(execution_id)
        logger.info("%s started", tool_name, extra={"execution_id": execution_id, "tool_name": tool_name})
        try:
            if _otel_trace is None:
                yield None
                return
            tracer = _otel_trace.get_tracer("connector")
            attributes = {"intercom.tool_name": tool_name, "intercom.execution_id": execution_id}
            with tracer.start_as_current_span(f"intercom {tool_name}", attributes=attributes) as span:
                yield span
        finally:
            _EXECUTION.reset(token)

    @staticmethod
    def _record(span: Any, outcome: ExecuteToolResponse) -> ExecuteToolResponse:
        if span is not None:
            span.set_attribute("intercom.tool_name", outcome.tool_name)
            span.set_attribute("intercom.successful", outcome.successful)
            if outcome.error:
                span.set_attribute("intercom.error_type", outcome.error["type"])
                if outcome.error.get("status") is not None:
                    span.set_attribute("http.response.status_code", outcome.error["status"])
        return outcome

    # -- modifiers (Scalekit's) ----------------------------------------------------------------

    _modifiers: list[Modifier]

    def add_modifier(self, modifier: Modifier) -> None:
        modifier.tool_names = [self.catalog.get(name).name for name in modifier.tool_names]
        self._modifiers.append(modifier)

    def get_modifiers(
        self, tool_name: str | None = None, modifier_type: Literal["pre", "post"] | None = None
    ) -> list[Modifier]:
        name = self.catalog.get(tool_name).name if tool_name else None
        return [
            modifier
            for modifier in self._modifiers
            if (name is None or modifier.applies_to(name))
            and (modifier_type is None or modifier.type == modifier_type)
        ]

    def _decorator(
        self, kind: Literal["pre", "post"], tool_names: str | list[str]
    ) -> Callable[[Callable[[Any], Any]], Callable[[Any], Any]]:
        names = [tool_names] if isinstance(tool_names, str) else list(tool_names)

        def register(func: Callable[[Any], Any]) -> Callable[[Any], Any]:
            self.add_modifier(Modifier(names, kind, func))
            return func

        return register

    def pre_modifier(
        self, tool_names: str | list[str]
    ) -> Callable[[Callable[[Any], Any]], Callable[[Any], Any]]:
        """Decorate a function that gets a tool's input dict and returns the one to validate and send."""
        return self._decorator("pre", tool_names)

    def post_modifier(
        self, tool_names: str | list[str]
    ) -> Callable[[Callable[[Any], Any]], Callable[[Any], Any]]:
        """Decorate a function that gets an answer's data and returns what the caller (or model) sees."""
        return self._decorator("post", tool_names)

    def _modified(self, kind: Literal["pre", "post"], tool: ToolDef, value: Any) -> Any:
        for modifier in self._modifiers:
            if modifier.type == kind and modifier.applies_to(tool.name):
                value = modifier.func(dict(value or {}) if kind == "pre" else value)
        return value

    # -- schemas for models ------------------------------------------------------------------

    _offered: list[str] | None = None

    def get_tools(
        self,
        format: SchemaFormat = "openai",
        tools: str | Iterable[str] | None = None,
        *,
        groups: str | Iterable[str] | None = None,
        read_only: bool = False,
        query: str | None = None,
        limit: int | None = None,
        strict: bool = False,
    ) -> list[dict[str, Any]]:
        """Tool schemas for `openai` (chat), `openai_responses`, `anthropic` or `mcp` (see
        `connector.schemas.get_tools`: the small default set unless tools, groups or a query say
        otherwise). The tools returned are what `handle_tool_calls` runs unless told otherwise."""
        exported = get_tools(
            format,
            tools,
            groups=groups,
            read_only=read_only,
            query=query,
            limit=limit,
            strict=strict,
            catalog=self.catalog,
        )
        self._offered = [tool_name_of(entry) for entry in exported]
        return exported

    def to_openai_tools(
        self, tools: str | Iterable[str] | None = None, **selectors: Any
    ) -> list[dict[str, Any]]:
        return self.get_tools("openai", tools, **selectors)

    def to_openai_responses_tools(
        self, tools: str | Iterable[str] | None = None, **selectors: Any
    ) -> list[dict[str, Any]]:
        return self.get_tools("openai_responses", tools, **selectors)

    def to_anthropic_tools(
        self, tools: str | Iterable[str] | None = None, **selectors: Any
    ) -> list[dict[str, Any]]:
        return self.get_tools("anthropic", tools, **selectors)

    def to_mcp_tools(
        self, tools: str | Iterable[str] | None = None, **selectors: Any
    ) -> list[dict[str, Any]]:
        return self.get_tools("mcp", tools, **selectors)

    def langchain_tools(self, tools: str | Iterable[str] | None = None, **selectors: Any) -> list[Any]:
        """LangChain tools for the selected tools (see `connector.adapters`)."""
        from connector.adapters import langchain_tools

        if not isinstance(self, Actions):
            raise TypeError("LangChain tools run synchronously: build them from Actions")
        return langchain_tools(self, tools, **selectors)

    def _allowed(self, response: Any, allowed_tools: Iterable[str] | None) -> set[str]:
        """The canonical names a model may run: the explicit list, else the tools the response itself
        says it was offered (Responses API), else what this object's `get_tools` last returned."""
        names = list(allowed_tools) if allowed_tools is not None else offered_in(response)
        if names is None:
            names = self._offered
        if names is None:
            raise ValueError(
                "handle_tool_calls runs only tools the model was offered: pass allowed_tools=[...] "
                "or get the schemas from this object's get_tools() first"
            )
        return {self.catalog.get(name).name for name in names if name in self.catalog}

    def _refusal(self, call: ToolCall, allowed: set[str]) -> dict[str, Any] | None:
        """The failed envelope for a call that must not run (unreadable arguments, a tool not offered)."""
        if call.problem is not None:
            return failed_envelope(call, call.problem, _new_execution_id())
        if call.name not in self.catalog:
            return failed_envelope(call, ToolNotFoundError(call.name), _new_execution_id())
        if self.catalog.get(call.name).name not in allowed:
            return failed_envelope(call, ToolNotAllowedError(call.name, sorted(allowed)), _new_execution_id())
        return None

    # -- connected accounts (local: the store, no request to Intercom) -------------------------

    accounts: ConnectedAccounts

    @staticmethod
    def _hooks(
        on_request: RequestHook | None, on_response: ResponseHook | None, asynchronous: bool
    ) -> dict[str, Any]:
        """httpx event hooks calling the user's, with the running tool call's id in
        `request.extensions["execution_id"]`; awaited when the user's hook is a coroutine function."""

        def tag(request: httpx.Request) -> None:
            request.extensions["execution_id"] = _EXECUTION.get()
            logger.debug("%s %s", request.method, request.url, extra={"execution_id": _EXECUTION.get()})

        def run(hook: Callable[[Any], Any] | None, value: Any) -> Any:
            return hook(value) if hook is not None else None

        if not asynchronous:

            def request_sync(request: httpx.Request) -> None:
                tag(request)
                run(on_request, request)

            return {"request": [request_sync], "response": [lambda response: run(on_response, response)]}

        async def arun(hook: Callable[[Any], Any] | None, value: Any) -> None:
            result = run(hook, value)
            if inspect.isawaitable(result):
                await result

        async def request_hook(request: httpx.Request) -> None:
            tag(request)
            await arun(on_request, request)

        async def response_hook(response: httpx.Response) -> None:
            await arun(on_response, response)

        return {"request": [request_hook], "response": [response_hook]}

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

    client: IntercomClient

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
        on_request: RequestHook | None = None,
        on_response: ResponseHook | None = None,
        **client_options: Any,
    ) -> None:
        self.catalog = catalog
        self._transport = transport
        self._modifiers = []
        settings = self._settings(base_url, token, intercom_version, timeout, max_retries, region)
        hooks = self._hooks(on_request, on_response, asynchronous=False)
        self.client = IntercomClient(transport=transport, event_hooks=hooks, **settings, **client_options)
        self._setup_accounts(self.client.base_url, oauth, store, default_connection_name)

    def execute_tool(
        self,
        tool_input: Mapping[str, Any] | None = None,
        tool_name: str = "",
        identifier: str | None = None,
        connected_account_id: str | None = None,
        connection_name: str | None = None,
        raise_on_error: bool = True,
        tool_request: Any = None,
        fields: Iterable[str] | None = None,
        max_result_chars: int | None = None,
    ) -> ExecuteToolResponse:
        """Validate `tool_input`, call Intercom once (as the account of `identifier`, if any), wrap the answer.

        Pre-modifiers change the input before it is checked, post-modifiers the answer's data;
        `fields` keeps only those fields of each item (plus `type` and `id`); `max_result_chars`
        trims a list answer to fit, saying so in `truncated`. Raises `ToolNotFoundError`,
        `ToolInputError` (nothing sent), `AuthorizationRequiredError` (no ACTIVE account; carries a
        fresh link), `IntercomAPIError` or `TransportError`; with `raise_on_error=False` returns
        `successful=False` and `error` instead. A 401 marks the account EXPIRED.
        """
        _refuse_tool_request(tool_request)
        execution_id = _new_execution_id()
        name = tool_name
        account = None
        with self._running(tool_name, execution_id) as span:
            try:
                tool, tool_input = self._checked(tool_name, tool_input)
                name = tool.name
                account, headers = self._account_auth(identifier, connection_name, connected_account_id)
                data = self.catalog.execute(self.client, tool, tool_input, headers=headers)
            except ConnectorError as error:
                if isinstance(error, UnauthorizedError):
                    self._note_unauthorized(account, 401)
                return self._record(span, self._failure(error, execution_id, name, raise_on_error))
            return self._record(span, self._success(tool, data, execution_id, fields, max_result_chars))

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
        *,
        allowed_tools: Iterable[str] | None = None,
        choice: int | None = None,
        fields: Iterable[str] | None = None,
        max_result_chars: int | None = None,
    ) -> list[dict[str, Any]]:
        """Run the tool calls of an OpenAI (chat or Responses) or Anthropic answer, in order, and return
        the result messages to append, in that provider's format.

        Only tools the model was offered run: `allowed_tools`, else the tools the response lists
        (Responses API), else what this object's `get_tools` last returned. Any other call, and any
        call whose arguments cannot be read, gets a failed result the model can read; API errors
        too. A chat completion with several choices needs `choice=` (the one the conversation
        continues with). `fields` and `max_result_chars` size every result (see `execute_tool`).
        """
        allowed = self._allowed(response, allowed_tools)
        provider, calls = parse_tool_calls(response, choice)
        results: list[tuple[ToolCall, dict[str, Any]]] = []
        for call in calls:
            envelope = (
                self._refusal(call, allowed)
                or self.execute_tool(
                    tool_input=call.arguments,
                    tool_name=call.name,
                    identifier=identifier,
                    connection_name=connection_name,
                    connected_account_id=connected_account_id,
                    raise_on_error=False,
                    fields=fields,
                    max_result_chars=max_result_chars,
                ).to_dict()
            )
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

    client: AsyncIntercomClient

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
        on_request: RequestHook | None = None,
        on_response: ResponseHook | None = None,
        **client_options: Any,
    ) -> None:
        self.catalog = catalog
        self._transport = transport
        self._modifiers = []
        settings = self._settings(base_url, token, intercom_version, timeout, max_retries, region)
        hooks = self._hooks(on_request, on_response, asynchronous=True)
        self.client = AsyncIntercomClient(
            transport=transport, event_hooks=hooks, **settings, **client_options
        )
        self._setup_accounts(self.client.base_url, oauth, store, default_connection_name)

    async def execute_tool(
        self,
        tool_input: Mapping[str, Any] | None = None,
        tool_name: str = "",
        identifier: str | None = None,
        connected_account_id: str | None = None,
        connection_name: str | None = None,
        raise_on_error: bool = True,
        tool_request: Any = None,
        fields: Iterable[str] | None = None,
        max_result_chars: int | None = None,
    ) -> ExecuteToolResponse:
        _refuse_tool_request(tool_request)
        execution_id = _new_execution_id()
        name = tool_name
        account = None
        with self._running(tool_name, execution_id) as span:
            try:
                tool, tool_input = self._checked(tool_name, tool_input)
                name = tool.name
                account, headers = self._account_auth(identifier, connection_name, connected_account_id)
                data = await self.catalog.aexecute(self.client, tool, tool_input, headers=headers)
            except ConnectorError as error:
                if isinstance(error, UnauthorizedError):
                    self._note_unauthorized(account, 401)
                return self._record(span, self._failure(error, execution_id, name, raise_on_error))
            return self._record(span, self._success(tool, data, execution_id, fields, max_result_chars))

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
        *,
        allowed_tools: Iterable[str] | None = None,
        choice: int | None = None,
        fields: Iterable[str] | None = None,
        max_result_chars: int | None = None,
    ) -> list[dict[str, Any]]:
        # One after another, as the model listed them: a later call may depend on an earlier write.
        allowed = self._allowed(response, allowed_tools)
        provider, calls = parse_tool_calls(response, choice)
        results: list[tuple[ToolCall, dict[str, Any]]] = []
        for call in calls:
            envelope = self._refusal(call, allowed)
            if envelope is None:
                outcome = await self.execute_tool(
                    tool_input=call.arguments,
                    tool_name=call.name,
                    identifier=identifier,
                    connection_name=connection_name,
                    connected_account_id=connected_account_id,
                    raise_on_error=False,
                    fields=fields,
                    max_result_chars=max_result_chars,
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
