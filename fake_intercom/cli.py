"""`fake-intercom`: run the sandbox, reset a database file, print its OpenAPI description.

Each command imports what it uses: `--help` or `reset` do not load the server, and `serve` imports
and builds it with the garbage collector paused (`startup_kept`).
"""

import gc
import json
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer
from rich.console import Console

if TYPE_CHECKING:
    from fake_intercom.settings import Settings

app = typer.Typer(help="A local, stateful Intercom REST API sandbox.", no_args_is_help=True)
console = Console(stderr=True)


def _option(help: str, env: str) -> Any:
    return typer.Option(help=help, envvar=f"FAKE_INTERCOM_{env}", show_envvar=True)


def settings_from_options(**options: Any) -> "Settings":
    """`Settings` from command-line options; a value they refuse is a usage error naming its option."""
    from pydantic import ValidationError

    from fake_intercom.settings import Settings

    try:
        return Settings(**options)
    except ValidationError as invalid:
        error = invalid.errors()[0]
        name = str(error["loc"][0]) if error["loc"] else ""
        raise typer.BadParameter(error["msg"], param_hint=f"--{name.replace('_', '-')}") from None


@contextmanager
def startup_kept() -> Iterator[None]:
    """Start-up with the garbage collector paused, and what it made frozen (left out of later collections).

    Importing and building the app makes some 200,000 objects (modules, models, routes) that live as
    long as the server; the collector scanned them again and again as they piled up, a tenth of the
    time to the first answer, and every full collection while serving would scan them once more.
    Refused options leave the collector as it was.
    """
    gc.disable()
    try:
        yield
    except BaseException:
        gc.enable()
        raise
    gc.freeze()
    gc.enable()


@app.command()
def serve(
    host: Annotated[str, _option("Address to bind (loopback by default).", "HOST")] = "127.0.0.1",
    port: Annotated[int, _option("Port to listen on.", "PORT")] = 8000,
    db: Annotated[
        str, _option("SQLite file that keeps the state across restarts.", "DB")
    ] = "fake-intercom.db",
    token: Annotated[str, _option("Access token of the default workspace.", "TOKEN")] = "sandbox-token",
    seed: Annotated[str, _option("Contents of a new workspace: demo or none.", "SEED")] = "demo",
    version: Annotated[str, _option("Default Intercom-Version of the workspace.", "VERSION")] = "2.15",
    rate_limit: Annotated[int, _option("Requests per minute per workspace.", "RATE_LIMIT")] = 10_000,
    plan: Annotated[
        str, _option("Plan of the workspace: active, or inactive (no subscription: 403s).", "PLAN")
    ] = "active",
    oauth_client_id: Annotated[
        str | None, _option("Client id of the workspace's OAuth app.", "OAUTH_CLIENT_ID")
    ] = None,
    oauth_client_secret: Annotated[
        str | None, _option("Client secret of the workspace's OAuth app.", "OAUTH_CLIENT_SECRET")
    ] = None,
    oauth_redirect_uri: Annotated[
        list[str] | None,
        _option(
            "A redirect URI registered for the OAuth app (repeatable; the first is the default).",
            "OAUTH_REDIRECT_URI",
        ),
    ] = None,
    accept_any_token: Annotated[
        bool, _option("Give every unknown bearer token a fresh empty workspace.", "ACCEPT_ANY_TOKEN")
    ] = False,
    any_token_limit: Annotated[
        int, _option("Most workspaces unknown tokens may have at once.", "ANY_TOKEN_LIMIT")
    ] = 1_000,
    any_token_idle_seconds: Annotated[
        int,
        _option(
            "Seconds unused after which an unknown token's workspace is deleted.", "ANY_TOKEN_IDLE_SECONDS"
        ),
    ] = 3_600,
    control_secret: Annotated[
        str | None,
        _option("Secret the control plane (/_sandbox) requires in X-Sandbox-Secret.", "CONTROL_SECRET"),
    ] = None,
    allowed_host: Annotated[
        list[str] | None,
        _option(
            "A Host name to accept besides localhost and loopback addresses (repeatable).", "ALLOWED_HOST"
        ),
    ] = None,
    max_body_bytes: Annotated[int, _option("Largest request body accepted.", "MAX_BODY_BYTES")] = 4
    * 1024
    * 1024,
    journal_budget_mb: Annotated[
        float, _option("Request journal kept per workspace, in MiB.", "JOURNAL_BUDGET_MB")
    ] = 16,
    journal_total_budget_mb: Annotated[
        float, _option("Request journal kept for all workspaces, in MiB.", "JOURNAL_TOTAL_BUDGET_MB")
    ] = 128,
    webhook_targets: Annotated[
        str, _option("Where webhooks may go: loopback, no-link-local or any.", "WEBHOOK_TARGETS")
    ] = "no-link-local",
    max_connections: Annotated[int, _option("Open connections served at once.", "MAX_CONNECTIONS")] = 512,
    header_timeout: Annotated[
        float, _option("Seconds a client has to send a request's headers.", "HEADER_TIMEOUT")
    ] = 10.0,
    body_timeout: Annotated[
        float, _option("Seconds a client has to send a request's body.", "BODY_TIMEOUT")
    ] = 30.0,
    keep_alive_timeout: Annotated[
        float, _option("Seconds an idle connection is kept open.", "KEEP_ALIVE_TIMEOUT")
    ] = 5.0,
) -> None:
    """Start the sandbox and print its base URL and access token."""
    with startup_kept():
        settings = settings_from_options(
            host=host,
            port=port,
            db=db,
            token=token,
            seed=seed,
            version=version,
            rate_limit=rate_limit,
            plan=plan,
            oauth_client_id=oauth_client_id,
            oauth_client_secret=oauth_client_secret,
            oauth_redirect_uris=oauth_redirect_uri or [],
            accept_any_token=accept_any_token,
            any_token_limit=any_token_limit,
            any_token_idle_seconds=any_token_idle_seconds,
            control_secret=control_secret,
            allowed_hosts=allowed_host or [],
            max_body_bytes=max_body_bytes,
            journal_budget_mb=journal_budget_mb,
            journal_total_budget_mb=journal_total_budget_mb,
            webhook_targets=webhook_targets,
            max_connections=max_connections,
            header_timeout=header_timeout,
            body_timeout=body_timeout,
            keep_alive_timeout=keep_alive_timeout,
        )
        from fake_intercom import serving
        from fake_intercom.app import create_app
        from fake_intercom.inspector.render import UI_PREFIX
        from fake_intercom.inspector.session import login_link
        from fake_intercom.store import DatabaseInUse

        try:
            with console.status("Preparing the workspace..."):
                api = create_app(settings)
        except DatabaseInUse as in_use:
            raise typer.BadParameter(str(in_use), param_hint="--db") from None

    workspace = api.state.workspace
    # A wildcard bind is reached in a browser through the loopback.
    browser_url = settings.base_url.replace("0.0.0.0", "127.0.0.1")
    console.print(
        f"[bold]fake-intercom[/] workspace [cyan]{workspace.name}[/] ({workspace.id}), seed {workspace.seed}"
    )
    console.print(f"  base URL      [green]{settings.base_url}[/]")
    console.print(f"  access token  [green]{settings.token}[/]")
    console.print(f"  database      {settings.db}")
    if settings.control_secret:
        console.print("  control plane /_sandbox (needs X-Sandbox-Secret)")
        code = api.state.browser_sessions.one_time_code()
        console.print(f"  inspector     [green]{browser_url}{UI_PREFIX}[/] (log in with the control secret)")
        console.print(f"                or once, without it: {login_link(browser_url, code)}")
    elif settings.loopback:
        console.print("  control plane /_sandbox (open on loopback, to this machine's own clients)")
        console.print(f"  inspector     [green]{browser_url}{UI_PREFIX}[/]")
    else:
        console.print("  control plane [yellow]closed[/]: set --control-secret to use it on this bind")
    if settings.accept_any_token:
        console.print(
            f"  any bearer token is accepted (each gets its own empty workspace, at most "
            f"{settings.any_token_limit}, deleted after {settings.any_token_idle_seconds} s unused)"
        )
    serving.run(api, settings)


@app.command()
def reset(
    db: Annotated[str, _option("SQLite file of the sandbox.", "DB")] = "fake-intercom.db",
    token: Annotated[str, _option("Access token of the workspace to reset.", "TOKEN")] = "sandbox-token",
    to: Annotated[str, typer.Option(help="seed (what it was created with) or empty.")] = "seed",
) -> None:
    """Reset a workspace of a database file (while no server uses the file)."""
    from fake_intercom import sandbox
    from fake_intercom.resources import resource_modules
    from fake_intercom.store import DatabaseInUse, Store

    if to not in ("seed", "empty"):
        raise typer.BadParameter("to must be seed or empty", param_hint="--to")
    if not Path(db).is_file():
        raise typer.BadParameter(f"no database file at {db}", param_hint="--db")
    resource_modules()
    try:
        store = Store(db)
    except DatabaseInUse as in_use:
        raise typer.BadParameter(str(in_use), param_hint="--db") from None
    try:
        workspace = store.workspace_for_token(token)
        if workspace is None:
            raise typer.BadParameter(f"no workspace has the token {token!r} in {db}", param_hint="--token")
        sandbox.reset(store, workspace, "seed" if to == "seed" else "empty")
        store.tidy_now()
    finally:
        store.close()
    console.print(f"workspace {workspace.id} reset to {to}")


@app.command()
def openapi() -> None:
    """Print the sandbox's own OpenAPI description."""
    from fake_intercom.app import create_app
    from fake_intercom.settings import Settings

    print(json.dumps(create_app(Settings()).openapi(), indent=2))


@app.command()
def record(
    out: Annotated[Path, typer.Option(help="Cassette to write (JSON Lines, one exchange a line).")],
    upstream: Annotated[
        str, typer.Option(help="The API to record: Intercom, a regional host, or any server.")
    ] = "https://api.intercom.io",
    token: Annotated[
        str | None,
        typer.Option(
            help="Access token sent upstream when a client sends no Authorization header.",
            envvar="INTERCOM_ACCESS_TOKEN",
            show_envvar=True,
        ),
    ] = None,
    port: Annotated[int, typer.Option(help="Loopback port the proxy listens on.")] = 8765,
    redact: Annotated[
        str, typer.Option(help="Personal data to replace with placeholders: any of email,name,phone.")
    ] = "",
) -> None:
    """Record traffic to the live API through a local proxy, for `verify` to hold the sandbox to it."""
    import uvicorn

    from fake_intercom.parity.record import Recorder, recording_proxy
    from fake_intercom.parity.redact import Redactor

    try:
        redactor = Redactor([item.strip() for item in redact.split(",") if item.strip()])
    except ValueError as error:
        raise typer.BadParameter(str(error), param_hint="--redact") from error
    with out.open("w", encoding="utf-8") as cassette:
        recorder = Recorder(cassette, redactor, token)
        console.print(f"[bold]fake-intercom[/] recording {upstream} into [cyan]{out}[/]")
        console.print(f"  point your client at [green]http://127.0.0.1:{port}[/]; Ctrl-C stops")
        uvicorn.run(recording_proxy(upstream, recorder), host="127.0.0.1", port=port, log_level="warning")
    console.print(f"{recorder.count} exchanges written to {out}")


@app.command()
def verify(
    cassette: Annotated[
        Path, typer.Argument(help="A cassette written by `record`.", exists=True, dir_okay=False)
    ],
    version: Annotated[
        str | None,
        typer.Option(help="Intercom-Version the recorded app was pinned to (requests without one)."),
    ] = None,
    base_url: Annotated[
        str | None, typer.Option(help="A running sandbox to replay against (default: one in this process).")
    ] = None,
    secret: Annotated[
        str | None,
        typer.Option(
            help="Control secret of that sandbox.", envvar="FAKE_INTERCOM_CONTROL_SECRET", show_envvar=True
        ),
    ] = None,
    accepted: Annotated[
        Path | None, typer.Option(help="Reviewed accepted differences (default: <cassette>.accepted.toml).")
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the report as JSON.")] = False,
) -> None:
    """Replay a cassette against a fresh sandbox workspace; exit 1 if any answer differs from the recorded one."""
    import httpx

    from contracts.versions import ALL_VERSIONS
    from fake_intercom import Sandbox, SandboxError
    from fake_intercom.parity.cassette import CassetteError
    from fake_intercom.parity.verify import AcceptedFileError, verify

    if version is not None and version not in ALL_VERSIONS:
        raise typer.BadParameter(f"unknown Intercom-Version {version!r}", param_hint="--version")
    sandbox = Sandbox(base_url, secret=secret) if base_url else None
    try:
        report = verify(cassette, sandbox=sandbox, version=version, accepted=accepted)
    except (CassetteError, AcceptedFileError, SandboxError, httpx.HTTPError) as error:
        console.print(f"[red]{error}[/]")
        raise typer.Exit(2) from error
    finally:
        if sandbox is not None:
            sandbox.close()
    if as_json:
        print(json.dumps(report.to_json(), indent=2))
    else:
        output = Console()
        if report.failures:
            output.print(report.table())
            for line in report.legend():
                output.print(f"  {line}", style="dim")
        output.print(("[green]" if report.ok else "[red]") + report.summary() + "[/]")
        for entry in report.unused:
            output.print(f"[yellow]accepted difference that no longer occurs:[/] {entry.to_json()}")
    if not report.ok:
        raise typer.Exit(1)


if __name__ == "__main__":
    app()
