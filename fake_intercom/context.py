"""What every route handler is given: the store, the caller's workspace and API version."""

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any

from fastapi import Request

from contracts.versions import at_least
from fake_intercom.settings import Settings
from fake_intercom.store import Store, Workspace


@dataclass
class Ctx:
    store: Store
    workspace: Workspace
    version: str
    request_id: str
    settings: Settings
    base_url: str

    @property
    def ws(self) -> str:
        return self.workspace.id

    def now(self) -> int:
        return self.store.now(self.workspace)

    def since(self, version: str) -> bool:
        """True when the request asked for `version` or a later one."""
        return at_least(self.version, version)


# The package code of the app an API request comes from (the sandbox's one app). A part created through
# the API carries it in `app_package_code`; one the fake makes by itself (the seed, a timer) does not.
API_APP_PACKAGE_CODE = "sandbox-api"
_through_api: ContextVar[bool] = ContextVar("fake_intercom_through_api", default=False)


@contextmanager
def through_api() -> Iterator[None]:
    """While an API request writes."""
    token = _through_api.set(True)
    try:
        yield
    finally:
        _through_api.reset(token)


def app_package_code() -> str | None:
    """The calling app's package code inside an API request's write, else None."""
    return API_APP_PACKAGE_CODE if _through_api.get() else None


_base_urls: dict[tuple[Any, ...], str] = {}


def context(request: Request) -> Ctx:
    """The route's context. The base URL is worked out once per host: building it from the request
    costs more than the rest of the context."""
    scope = request.scope
    state = scope["state"]
    host = next((value for name, value in scope["headers"] if name == b"host"), None)
    server = scope.get("server")  # a tuple, or a list from some clients
    key = (
        scope.get("scheme"),
        tuple(server) if server else None,
        scope.get("root_path"),
        scope.get("app_root_path"),
        host,
    )
    base_url = _base_urls.get(key)
    if base_url is None:
        if len(_base_urls) >= 256:  # the Host header is the client's: keep the cache bounded
            _base_urls.clear()
        base_url = _base_urls[key] = str(request.base_url).rstrip("/")
    app_state = request.app.state
    return Ctx(
        store=app_state.store,
        workspace=state["workspace"],
        version=state["version"],
        request_id=state["request_id"],
        settings=app_state.settings,
        base_url=base_url,
    )
