"""`create_app(settings)`: the fake Intercom API as a FastAPI application."""

import secrets
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI

from fake_intercom import inspector, notifications, oauth, relations, sandbox  # noqa: F401  (tables declared on import)
from fake_intercom.errors import install_error_handlers
from fake_intercom.faults import Faults
from fake_intercom.gateway import Gateway, RateLimiter
from fake_intercom.journal import Journal
from fake_intercom.resources import ip_allowlist, resource_modules
from fake_intercom.routing import dispatch_by_first_segment, include_each_route
from fake_intercom.sandbox.access import BrowserSessions
from fake_intercom.settings import Settings
from fake_intercom.store import Store, Workspace
from fake_intercom.webhooks import Webhooks

# Every resource module, imported with this one rather than by the first `create_app`: a test session
# imports once and may build many apps; the tables they declare exist before any store is opened.
RESOURCE_MODULES = resource_modules()

OPENAPI_TAGS = [
    {
        "name": "Sandbox",
        "description": (
            "The control plane of the sandbox, not part of Intercom's API: workspaces and tokens, reset, "
            "seed, snapshot and restore, the workspace clock, fault injection, the request journal, and "
            "webhook subscriptions with their delivery log. Open on a loopback bind; otherwise every call "
            "needs the configured control secret in `X-Sandbox-Secret`."
        ),
    }
]


def create_app(settings: Settings | None = None, store: Store | None = None) -> FastAPI:
    settings = settings or Settings()
    store = store or Store(settings.db)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        app.state.store.tidy_soon()  # what a stop left undone: the rows of workspaces deleted before it
        yield

    app = FastAPI(
        lifespan=lifespan,
        title="fake-intercom",
        version="2.15",
        description="A local, stateful sandbox of Intercom's REST API.",
        docs_url="/docs",
        redoc_url=None,
        openapi_tags=OPENAPI_TAGS,
        # Intercom answers `/contacts/` with 404; a redirect would also be built from the client's Host.
        redirect_slashes=False,
        # FastAPI asks OpenTelemetry on every request whether anyone is listening; a sandbox has nobody
        # to report to, and the question costs more than serving a contact's JSON.
        telemetry={"tracing": False, "metrics": False, "logs": False},
    )
    app.state.settings = settings
    app.state.store = store
    app.state.workspace = ensure_default_workspace(store, settings)
    app.state.limiter = RateLimiter(settings.rate_limit)
    app.state.faults = Faults()
    app.state.journal = Journal(
        settings.journal_size, settings.journal_budget_bytes, settings.journal_total_budget_bytes
    )
    app.state.webhooks = Webhooks(
        store, settings.webhook_timeout, settings.webhook_retry_delay, settings.webhook_targets
    )
    app.state.internal_key = secrets.token_hex(16).encode()
    app.state.any_tokens = (
        sandbox.AnyTokenWorkspaces(
            store,
            settings.any_token_limit,
            settings.any_token_idle_seconds,
            lambda workspace_id: sandbox.forget_workspace(app.state, workspace_id),
        )
        if settings.accept_any_token
        else None
    )
    app.state.browser_sessions = BrowserSessions()
    install_error_handlers(app)
    for router in (
        *(module.router for module in RESOURCE_MODULES),
        oauth.router,
        sandbox.router,
        inspector.router,
    ):
        include_each_route(app, router)
    dispatch_by_first_segment(app)
    app.add_middleware(
        Gateway,
        store=store,
        limiter=app.state.limiter,
        faults=app.state.faults,
        journal=app.state.journal if settings.journal else None,
        webhooks=app.state.webhooks,
        unknown_token=app.state.any_tokens,
        internal_key=app.state.internal_key,
        max_body_bytes=settings.max_body_bytes,
        allowed_hosts=tuple(settings.allowed_hosts),
        allowlist=lambda workspace_id: ip_allowlist.allowed_networks(store, workspace_id),
    )
    return app


def ensure_default_workspace(store: Store, settings: Settings) -> Workspace:
    """The workspace of `settings.token`: reused from the database file, or created and seeded."""
    existing = store.workspace_for_token(settings.token)
    registered = tuple(settings.oauth_redirect_uris)
    if existing is not None:
        if registered and registered != existing.oauth_redirect_uris:
            with store.atomic():
                existing = store.update_workspace(existing, oauth_redirect_uris=registered)
        # The plan is the server's setting, whatever the database file held.
        return (
            existing
            if existing.plan == settings.plan
            else store.update_workspace(existing, plan=settings.plan)
        )
    workspace = sandbox.provision_workspace(
        store,
        name=settings.workspace_name,
        token=settings.token,
        default_version=settings.version,
        oauth_client_id=settings.oauth_client_id,
        oauth_client_secret=settings.oauth_client_secret,
        oauth_redirect_uris=registered,
        seed=settings.seed,
    )
    return store.update_workspace(workspace, plan=settings.plan)
