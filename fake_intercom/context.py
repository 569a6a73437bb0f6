"""What every route handler is given: the store, the caller's workspace and API version."""

from dataclasses import dataclass

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


def context(request: Request) -> Ctx:
    state = request.scope["state"]
    return Ctx(
        store=request.app.state.store,
        workspace=state["workspace"],
        version=state["version"],
        request_id=state["request_id"],
        settings=request.app.state.settings,
        base_url=str(request.base_url).rstrip("/"),
    )
