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
    oauth_client_id: Annotated[
        str | None, _option("Client id of the workspace's OAuth app.", "OAUTH_CLIENT_ID")
    ] = None,
    oauth_client_secret: Annotated[
        str | None, _option("Client secret of the workspace's OAuth app.", "OAUTH_CLIENT_SECRET")
    ] = None,
) -> None:
    """Start the sandbox and print its base URL and access token."""
    if seed not in ("demo", "none"):
        raise typer.BadParameter("seed must be demo or none", param_hint="--seed")
    seed_choice: Literal["demo", "none"] = "demo" if seed == "demo" else "none"
    settings = Settings(
        host=host,
        port=port,
        db=db,
        token=token,
        seed=seed_choice,
        version=version,
        rate_limit=rate_limit,
        oauth_client_id=oauth_client_id,
        oauth_client_secret=oauth_client_secret,
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
    uvicorn.run(api, host=host, port=port, log_level="warning")


@app.command()
def openapi() -> None:
    """Print the sandbox's own OpenAPI description."""
    print(json.dumps(create_app(Settings()).openapi(), indent=2))


if __name__ == "__main__":
    app()
