"""An MCP server over the connector's catalog, on the official `mcp` SDK (stdio and streamable HTTP).

Every tool call returns the result envelope (CONNECTOR.md §5) as JSON text and as structured content
matching the tool's `outputSchema`; a failed call (Intercom error, bad arguments, a tool this server
does not expose) is a result with `isError`, never a protocol error, so the model can read what went
wrong. Only listed tools run: names are the canonical ones, aliases are not accepted.

Over HTTP every request needs `Authorization: Bearer <token>` (the server's Intercom token must not
be usable by whoever reaches the port), and the Host and Origin headers are checked on every bind
against DNS rebinding.
"""

import hmac
import json
import socket
from collections.abc import Awaitable, Callable, Iterable, MutableMapping
from typing import Any

import mcp_types as types
from mcp.server.lowlevel import Server
from mcp.server.stdio import stdio_server
from mcp.server.transport_security import TransportSecuritySettings
from starlette.applications import Starlette

from connector.actions import AsyncActions
from connector.errors import ToolNotFoundError
from connector.schemas import mcp_tool
from connector.selection import select

SERVER_NAME = "intercom"
INSTRUCTIONS = (
    "Tools for Intercom's REST API: contacts, companies, conversations, tickets, tags, notes, admins and "
    "more. Each result is a JSON envelope: `successful`, `data` (Intercom's JSON), `error` (type, status, "
    "code, message, retryable), `execution_id`, and `truncated` when a long answer was cut. Ids are strings."
)
LOOPBACK = ("127.0.0.1", "localhost", "::1")

Scope = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[MutableMapping[str, Any]]]
Send = Callable[[MutableMapping[str, Any]], Awaitable[None]]


def _tool(tool_json: dict[str, Any]) -> types.Tool:
    annotations = tool_json["annotations"]
    return types.Tool(
        name=tool_json["name"],
        title=tool_json["title"],
        description=tool_json["description"],
        input_schema=tool_json["inputSchema"],
        output_schema=tool_json["outputSchema"],
        annotations=types.ToolAnnotations(
            title=annotations["title"],
            read_only_hint=annotations["readOnlyHint"],
            destructive_hint=annotations["destructiveHint"],
            idempotent_hint=annotations["idempotentHint"],
            open_world_hint=annotations["openWorldHint"],
        ),
    )


def _result(envelope: dict[str, Any]) -> types.CallToolResult:
    return types.CallToolResult(
        content=[types.TextContent(text=json.dumps(envelope))],
        structured_content=envelope,
        is_error=not envelope["successful"],
    )


def build_server(
    actions: AsyncActions,
    tools: Iterable[str] | None = None,
    identifier: str | None = None,
    connection_name: str | None = None,
    *,
    groups: Iterable[str] | None = None,
    read_only: bool = False,
    query: str | None = None,
    limit: int | None = None,
    max_result_chars: int | None = None,
) -> Server:
    """An MCP server exposing the selected tools (the whole catalog when no selector is given) that
    runs them through `actions`, as `identifier`'s connected account when one is given."""
    if tools is None and groups is None and query is None:
        groups = ["all"]
    exposed = select(actions.catalog, tools, groups, read_only, query, limit)
    listed = [_tool(mcp_tool(tool)) for tool in exposed]
    allowed = {tool.name for tool in exposed}

    async def list_tools(ctx: Any, params: types.PaginatedRequestParams | None) -> types.ListToolsResult:
        return types.ListToolsResult(tools=listed)

    async def call_tool(ctx: Any, params: types.CallToolRequestParams) -> types.CallToolResult:
        if params.name not in allowed:
            # An alias, a tool left out of this server and a made-up name are all unknown here.
            error = ToolNotFoundError(params.name)
            return _result(
                {
                    "data": None,
                    "execution_id": None,
                    "tool_name": params.name,
                    "successful": False,
                    "error": error.to_dict(),
                    "truncated": None,
                }
            )
        outcome = await actions.execute_tool(
            tool_input=params.arguments or {},
            tool_name=params.name,
            identifier=identifier,
            connection_name=connection_name,
            raise_on_error=False,
            max_result_chars=max_result_chars,
        )
        return _result(outcome.to_dict())

    return Server(
        SERVER_NAME,
        version="0.1.0",
        title="Intercom",
        instructions=INSTRUCTIONS,
        on_list_tools=list_tools,
        on_call_tool=call_tool,
    )


async def serve_stdio(server: Server) -> None:
    async with stdio_server() as (read_stream, write_stream):
        await server.run(read_stream, write_stream, server.create_initialization_options())


def is_loopback(host: str) -> bool:
    return host in LOOPBACK or host.startswith("127.")


def transport_security(host: str, allowed_hosts: Iterable[str] = ()) -> TransportSecuritySettings:
    """Host and Origin checks for any bind: loopback names, the bind address, and the names given."""
    # Off loopback, the machine's own names are how clients usually reach it.
    names = [*LOOPBACK, "[::1]"] if is_loopback(host) else [socket.gethostname(), socket.getfqdn()]
    if host not in ("0.0.0.0", "::", *LOOPBACK):
        names.append(host)
    names += list(allowed_hosts)
    hosts = [f"{name}:*" for name in dict.fromkeys(names) if name != "::1"]
    origins = [f"{scheme}://{entry}" for entry in hosts for scheme in ("http", "https")]
    return TransportSecuritySettings(
        enable_dns_rebinding_protection=True, allowed_hosts=hosts, allowed_origins=origins
    )


class BearerAuth:
    """ASGI middleware: every HTTP request must carry `Authorization: Bearer <token>`."""

    def __init__(self, app: Starlette, token: str) -> None:
        if not token:
            raise ValueError("the MCP HTTP transport needs a bearer token")
        self.app = app
        self._expected = f"Bearer {token}".encode()

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http":
            given = dict(scope.get("headers") or []).get(b"authorization", b"")
            if not hmac.compare_digest(given, self._expected):
                body = json.dumps(
                    {"error": "unauthorized", "error_description": "Send Authorization: Bearer <token>."}
                ).encode()
                await send(
                    {
                        "type": "http.response.start",
                        "status": 401,
                        "headers": [
                            (b"content-type", b"application/json"),
                            (b"www-authenticate", b'Bearer realm="mcp"'),
                            (b"content-length", str(len(body)).encode()),
                        ],
                    }
                )
                await send({"type": "http.response.body", "body": body})
                return
        await self.app(scope, receive, send)


def http_app(
    server: Server,
    token: str,
    host: str = "127.0.0.1",
    path: str = "/mcp",
    allowed_hosts: Iterable[str] = (),
) -> BearerAuth:
    """The streamable-HTTP ASGI app behind bearer-token auth (run it with its lifespan: it starts the
    session manager)."""
    app = server.streamable_http_app(
        streamable_http_path=path,
        host=host,
        transport_security=transport_security(host, allowed_hosts),
    )
    return BearerAuth(app, token)
