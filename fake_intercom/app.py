"""`create_app(settings)`: the fake Intercom API as a FastAPI application."""

from fastapi import FastAPI

from fake_intercom import relations  # noqa: F401  (declares the shared tables)
from fake_intercom.errors import install_error_handlers
from fake_intercom.gateway import Gateway, RateLimiter
from fake_intercom.resources import resource_modules
from fake_intercom.settings import Settings
from fake_intercom.store import Store, Workspace


def create_app(settings: Settings | None = None, store: Store | None = None) -> FastAPI:
    settings = settings or Settings()
    modules = resource_modules()  # imported before the store, so their tables exist
    store = store or Store(settings.db)
    app = FastAPI(
        title="fake-intercom",
        version="2.15",
        description="A local, stateful sandbox of Intercom's REST API.",
        docs_url="/docs",
        redoc_url=None,
    )
    app.state.settings = settings
    app.state.store = store
    app.state.workspace = ensure_default_workspace(store, settings)
    install_error_handlers(app)
    for module in modules:
        app.include_router(module.router)
    app.add_middleware(Gateway, store=store, limiter=RateLimiter(settings.rate_limit))
    return app


def ensure_default_workspace(store: Store, settings: Settings) -> Workspace:
    """The workspace of `settings.token`: reused from the database file, or created and seeded."""
    from fake_intercom.seed import seed_workspace

    existing = store.workspace_for_token(settings.token)
    if existing is not None:
        return existing
    workspace = store.create_workspace(
        name=settings.workspace_name,
        token=settings.token,
        default_version=settings.version,
        oauth_client_id=settings.oauth_client_id,
        oauth_client_secret=settings.oauth_client_secret,
    )
    return seed_workspace(store, workspace, settings.seed)
