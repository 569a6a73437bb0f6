"""`fake-intercom`: run the sandbox, print its OpenAPI description."""

import json
from typing import Annotated, Literal

import typer
import uvicorn
from rich.console import Console

from fake_intercom.app import create_app
from fake_intercom.settings import Settings

app = typer.Typer(help="A local, stateful Intercom REST API sandbox.", no_args_is_help=True)
console = Console(stderr=True)


def _option(help: str, env: str) -> typer.models.OptionInfo:
    return typer.Option(help=help, envvar=f"FAKE_INTERCOM_{env}", show_envvar=True)


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
    accept_any_token: Annotated[
        bool, _option("Give every unknown bearer token a fresh empty workspace.", "ACCEPT_ANY_TOKEN")
    ] = False,
    control_secret: Annotated[
        str | None,
        _option("Secret the control plane (/_sandbox) requires in X-Sandbox-Secret.", "CONTROL_SECRET"),
    ] = None,
) -> None:
    """Start the sandbox and print its base URL and access token."""
    if seed not in ("demo", "none"):
        raise typer.BadParameter("seed must be demo or none", param_hint="--seed")
    seed_choice: Literal["demo", "none"] = "demo" if seed == "demo" else "none"
    if plan not in ("active", "inactive"):
        raise typer.BadParameter("plan must be active or inactive", param_hint="--plan")
    plan_choice: Literal["active", "inactive"] = "inactive" if plan == "inactive" else "active"
    settings = Settings(
        host=host,
        port=port,
        db=db,
        token=token,
        seed=seed_choice,
        version=version,
        rate_limit=rate_limit,
        plan=plan_choice,
        oauth_client_id=oauth_client_id,
        oauth_client_secret=oauth_client_secret,
        accept_any_token=accept_any_token,
        control_secret=control_secret,
    )
    with console.status("Preparing the workspace..."):
        api = create_app(settings)
    workspace = api.state.workspace
    console.print(
        f"[bold]fake-intercom[/] workspace [cyan]{workspace.name}[/] ({workspace.id}), seed {workspace.seed}"
    )
    console.print(f"  base URL      [green]{settings.base_url}[/]")
    console.print(f"  access token  [green]{settings.token}[/]")
    console.print(f"  database      {settings.db}")
    if settings.control_secret:
        console.print("  control plane /_sandbox (needs X-Sandbox-Secret)")
    elif settings.loopback:
        console.print("  control plane /_sandbox (open on loopback)")
    else:
        console.print("  control plane [yellow]closed[/]: set --control-secret to use it on this bind")
    if accept_any_token:
        console.print("  any bearer token is accepted (each gets its own empty workspace)")
    uvicorn.run(api, host=host, port=port, log_level="warning")


@app.command()
def reset(
    db: Annotated[str, _option("SQLite file of the sandbox.", "DB")] = "fake-intercom.db",
    token: Annotated[str, _option("Access token of the workspace to reset.", "TOKEN")] = "sandbox-token",
    to: Annotated[str, typer.Option(help="seed (what it was created with) or empty.")] = "seed",
) -> None:
    """Reset a workspace of a database file (the server need not run)."""
    from fake_intercom import sandbox
    from fake_intercom.resources import resource_modules
    from fake_intercom.store import Store

    if to not in ("seed", "empty"):
        raise typer.BadParameter("to must be seed or empty", param_hint="--to")
    resource_modules()
    store = Store(db)
    workspace = store.workspace_for_token(token)
    if workspace is None:
        raise typer.BadParameter(f"no workspace has the token {token!r} in {db}", param_hint="--token")
    sandbox.reset(store, workspace, "seed" if to == "seed" else "empty")
    console.print(f"workspace {workspace.id} reset to {to}")


@app.command()
def openapi() -> None:
    """Print the sandbox's own OpenAPI description."""
    print(json.dumps(create_app(Settings()).openapi(), indent=2))


if __name__ == "__main__":
    app()
