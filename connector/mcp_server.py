"""`fake-intercom-mcp`: the connector's tools as an MCP server (stdio, or streamable HTTP with a bearer token).

    fake-intercom-mcp --base-url http://127.0.0.1:8000 --token sandbox-token                  # stdio
    fake-intercom-mcp --transport http --port 8765 --auth-token s3cret --groups inbox,people   # HTTP

The server itself is `connector.mcp_app` (it needs the `mcp` extra); this module only parses the
command line, so that without the extra it says what to install instead of failing on an import.
"""

import secrets
from enum import StrEnum
from typing import Annotated, Any

import typer

MCP_MISSING = (
    "The MCP server needs the official MCP SDK, which is not installed: pip install 'fake-intercom[mcp]'"
)


class Transport(StrEnum):
    stdio = "stdio"
    http = "http"


cli = typer.Typer(help="An MCP server with the Intercom connector's tools.", add_completion=False)


def _option(help: str, env: str | None = None) -> Any:
    return typer.Option(help=help, envvar=env, show_envvar=env is not None)


def _names(value: str | None) -> list[str] | None:
    return [name.strip() for name in value.split(",") if name.strip()] if value else None


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
    auth_token: Annotated[
        str | None,
        _option(
            "HTTP: the bearer token clients must send (one is generated and printed if not given).",
            "INTERCOM_MCP_AUTH_TOKEN",
        ),
    ] = None,
    allowed_host: Annotated[
        str | None, _option("HTTP: comma-separated host names clients may use besides the bind address.")
    ] = None,
    tools: Annotated[str | None, _option("Comma-separated tool names to expose.")] = None,
    groups: Annotated[
        str | None,
        _option("Comma-separated tool groups to expose (default, inbox, people, content, contacts...)."),
    ] = None,
    read_only: Annotated[bool, _option("Expose only tools that change nothing.")] = False,
    query: Annotated[str | None, _option("Expose the tools most relevant to these words.")] = None,
    limit: Annotated[int | None, _option("Expose at most this many tools.")] = None,
    max_result_chars: Annotated[
        int | None, _option("Trim answers longer than this many characters (saying so in the result).")
    ] = None,
    identifier: Annotated[
        str | None, _option("Run as this end user's connected account instead of --token.")
    ] = None,
    connection_name: Annotated[str | None, _option("Connection of --identifier's account.")] = None,
    accounts_db: Annotated[
        str | None, _option("SQLite file of connected accounts.", "INTERCOM_CONNECTOR_ACCOUNTS_DB")
    ] = None,
) -> None:
    """Serve the tools over stdio (for desktop clients) or streamable HTTP at http://HOST:PORT/mcp.

    Without a selector every tool is exposed (about 25,000 tokens of schemas): clients with a small
    context or a tool limit do better with --groups default or --query.
    """
    try:
        import anyio

        from connector import mcp_app
    except ModuleNotFoundError as error:
        if error.name and error.name.split(".")[0] in ("mcp", "mcp_types"):
            typer.echo(MCP_MISSING, err=True)
            raise typer.Exit(1) from None
        raise
    from connector.accounts import SQLiteAccountStore
    from connector.actions import AsyncActions

    store = SQLiteAccountStore(accounts_db) if identifier else None
    actions = AsyncActions(base_url=base_url, token=token, intercom_version=intercom_version, store=store)
    server = mcp_app.build_server(
        actions,
        _names(tools),
        identifier,
        connection_name,
        groups=_names(groups),
        read_only=read_only,
        query=query,
        limit=limit,
        max_result_chars=max_result_chars,
    )
    if transport is Transport.stdio:
        anyio.run(mcp_app.serve_stdio, server)
        return
    import uvicorn

    if not mcp_app.is_loopback(host):
        typer.echo(
            f"warning: serving on {host}, reachable from other machines; every caller with the bearer "
            "token acts with this server's Intercom token",
            err=True,
        )
    if not auth_token:
        auth_token = secrets.token_urlsafe(32)
        typer.echo(f"MCP bearer token (send as Authorization: Bearer ...): {auth_token}", err=True)
    app = mcp_app.http_app(server, auth_token, host, allowed_hosts=_names(allowed_host) or ())
    uvicorn.run(app, host=host, port=port, log_level="warning")


def main() -> None:
    cli()


if __name__ == "__main__":
    main()
