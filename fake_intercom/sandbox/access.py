"""What every control-plane route shares: the guard in front of it, and finding the workspace it names."""

import hmac

from fastapi import APIRouter, Depends, Request

from fake_intercom.errors import forbidden, not_found, unauthorized
from fake_intercom.routing import JSONRoute
from fake_intercom.store import Store, Workspace

SECRET_HEADER = "X-Sandbox-Secret"
PREFIX = "/_sandbox"
# The snapshot `reset` returns to: the seed, and whatever was seeded after it with `remember`.
SEED_SNAPSHOT = "__seed__"


async def control_guard(request: Request) -> None:
    settings = request.app.state.settings
    secret = settings.control_secret
    if secret:
        given = request.headers.get(SECRET_HEADER, "")
        if not hmac.compare_digest(given.encode(), secret.encode()):
            raise unauthorized(f"The control plane needs a valid {SECRET_HEADER}")
    elif not settings.loopback:
        raise forbidden("The control plane is closed on a non-loopback bind without a control secret")


def control_router() -> APIRouter:
    """A router of control-plane routes: under /_sandbox, behind the guard."""
    return APIRouter(
        prefix=PREFIX, tags=["Sandbox"], dependencies=[Depends(control_guard)], route_class=JSONRoute
    )


def store_of(request: Request) -> Store:
    return request.app.state.store


def workspace_of(request: Request, workspace_id: str) -> Workspace:
    workspace = store_of(request).workspace(workspace_id)
    if workspace is None:
        raise not_found("Workspace Not Found")
    return workspace
