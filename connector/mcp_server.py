"""An MCP server over the connector's catalog, on the official `mcp` SDK (stdio and streamable HTTP).

    fake-intercom-mcp --base-url http://127.0.0.1:8000 --token sandbox-token           # stdio
    fake-intercom-mcp --transport http --port 8765 --base-url https://api.intercom.io  # http://127.0.0.1:8765/mcp

Every tool call returns the result envelope (CONNECTOR.md §5) as JSON text and as structured
content; a failed call (Intercom error, bad arguments, unknown tool) is a result with `isError`,
never a protocol error, so the model can read what went wrong.
"""

import json
from collections.abc import Iterable
from enum import StrEnum
from typing import Annotated, Any

import anyio
import mcp_types as types
import typer
from mcp.server.lowlevel import Server
from mcp.server.stdio import stdio_server
from starlette.applications import Starlette

from connector.accounts import SQLiteAccountStore
from connector.actions import AsyncActions
from connector.errors import ToolNotFoundError
from connector.schemas import mcp_tool, select_tools

SERVER_NAME = "intercom"
INSTRUCTIONS = (
    "Tools for Intercom's REST API: contacts, companies, conversations, tags, notes, admins and more. "
    "Each result is a JSON envelope: `successful`, `data` (Intercom's JSON), `error` (type, status, code, "
    "message) and `execution_id`. Ids are strings."
)


def _tool(tool_json: dict[str, Any]) -> types.Tool:
    annotations = tool_json["annotations"]
    return types.Tool(
        name=tool_json["name"],
        title=tool_json["title"],
        description=tool_json["description"],
        input_schema=tool_json["inputSchema"],
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
    tool_names: Iterable[str] | None = None,
    identifier: str | None = None,
    connection_name: str | None = None,
) -> Server:
    """An MCP server exposing `tool_names` (all tools by default) that runs them through `actions`,
    as `identifier`'s connected account when one is given."""
    exposed = select_tools(list(tool_names) if tool_names is not None else None, actions.catalog)
    tools = [_tool(mcp_tool(tool)) for tool in exposed]
    allowed = {tool.name for tool in exposed}

    async def list_tools(ctx: Any, params: types.PaginatedRequestParams | None) -> types.ListToolsResult:
        return types.ListToolsResult(tools=tools)

    async def call_tool(ctx: Any, params: types.CallToolRequestParams) -> types.CallToolResult:
        name = params.name
        if name in actions.catalog and actions.catalog.get(name).name not in allowed:
            # A tool left out of this server is as unknown as one that does not exist.
            error = ToolNotFoundError(name)
            envelope = {
                "data": None,
                "execution_id": None,
                "tool_name": name,
                "successful": False,
                "error": error.to_dict(),
            }
            return _result(envelope)
        outcome = await actions.execute_tool(
            tool_input=params.arguments or {},
            tool_name=name,
            identifier=identifier,
            connection_name=connection_name,
            raise_on_error=False,
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


def http_app(server: Server, host: str = "127.0.0.1", path: str = "/mcp") -> Starlette:
    """The streamable-HTTP ASGI app (run it with its lifespan: it starts the session manager)."""
    return server.streamable_http_app(streamable_http_path=path, host=host)


class Transport(StrEnum):
    stdio = "stdio"
    http = "http"


cli = typer.Typer(help="An MCP server with the Intercom connector's tools.", add_completion=False)


def _option(help: str, env: str | None = None) -> Any:
    return typer.Option(help=help, envvar=env, show_envvar=env is not None)


@cli.command()
def serve(
    base_url: Annotated[
        str | None, _option("Intercom API base URL (the sandbox's, or a region's).", "INTERCOM_BASE_URL")
    ] = None,
    token: Annotated[str | None, _option("Intercom access token.", "INTERCOM_ACCESS_TOKEN")] = None,
    intercom_version: Annotated[str | None, _option("Intercom-Version header.", "INTERCOM_VERSION")] = None,
    transport: Annotated[Transport, _option("stdio, or streamable HTTP.")] = Transport.stdio,
    host: Annotated[str, _option("HTTP: address to bind.")] = "127.0.0.1",
    port: Annotated[int, _option("HTTP: port.")] = 8765,
    tools: Annotated[
        str | None, _option("Comma-separated tool names or aliases to expose (all by default).")
    ] = None,
    identifier: Annotated[
        str | None, _option("Run as this end user's connected account instead of --token.")
    ] = None,
    connection_name: Annotated[str | None, _option("Connection of --identifier's account.")] = None,
    accounts_db: Annotated[
        str | None, _option("SQLite file of connected accounts.", "INTERCOM_CONNECTOR_ACCOUNTS_DB")
    ] = None,
) -> None:
    """Serve the tools over stdio (for desktop clients) or streamable HTTP at http://HOST:PORT/mcp."""
    store = SQLiteAccountStore(accounts_db) if identifier else None
    actions = AsyncActions(base_url=base_url, token=token, intercom_version=intercom_version, store=store)
    names = [name.strip() for name in tools.split(",") if name.strip()] if tools else None
    server = build_server(actions, names, identifier, connection_name)
    if transport is Transport.stdio:
        anyio.run(serve_stdio, server)
        return
    import uvicorn

    uvicorn.run(http_app(server, host), host=host, port=port, log_level="warning")


def main() -> None:
    cli()


if __name__ == "__main__":
    main()
