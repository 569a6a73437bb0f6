"""`Sandbox`: a Python client for the control plane, and the way to start a fake from a test.

>>> with Sandbox.in_process() as sandbox:  # or Sandbox("http://127.0.0.1:8000"), or Sandbox.serve()
...     workspace = sandbox.create_workspace(seed="demo")
...     workspace.faults.add(action="rate_limit", operation_id="CreateContact", times=1)
...     client = workspace.client()  # an httpx client with the workspace's token
...     contact = client.post("/contacts", json={"email": "ada@example.com"}).json()
...     assert len(workspace.journal(writes=True, injected=False)) == 1
"""

import contextlib
import time
from collections.abc import Callable
from typing import Any
from urllib.parse import quote

import httpx

from fake_intercom.app import create_app
from fake_intercom.settings import Settings
from fake_intercom.testing import SyncASGITransport, serve_in_thread

IN_PROCESS_URL = "http://fake-intercom.test"


class SandboxError(Exception):
    def __init__(self, response: httpx.Response) -> None:
        self.status_code = response.status_code
        try:
            body = response.json()
            errors = body.get("errors") or [{}]
            self.code = errors[0].get("code")
            message = errors[0].get("message") or response.text
        except ValueError:
            self.code = None
            message = response.text
        super().__init__(
            f"{response.request.method} {response.request.url.path}: {response.status_code} {message}"
        )


class Sandbox:
    """The control plane of one fake-intercom server."""

    def __init__(
        self,
        base_url: str = "http://127.0.0.1:8000",
        *,
        secret: str | None = None,
        transport: httpx.BaseTransport | None = None,
        timeout: float = 30.0,
    ) -> None:
        self.base_url = base_url.rstrip("/")
        self.transport = transport
        self.timeout = timeout
        self.app: Any = None
        self._cleanup: list[Callable[[], None]] = []
        headers = {"X-Sandbox-Secret": secret} if secret else {}
        self._http = httpx.Client(
            base_url=self.base_url, transport=transport, headers=headers, timeout=timeout
        )

    # -- starting a fake --------------------------------------------------------------------

    @classmethod
    def in_process(cls, settings: Settings | None = None, **overrides: Any) -> "Sandbox":
        """A fake inside this process (no socket): fastest; clients get its transport."""
        app = create_app(_settings(settings, overrides))
        transport = SyncASGITransport(app)
        sandbox = cls(IN_PROCESS_URL, transport=transport)
        sandbox.app = app
        sandbox._cleanup += [transport.stop, app.state.webhooks.close]
        return sandbox

    @classmethod
    def serve(cls, settings: Settings | None = None, **overrides: Any) -> "Sandbox":
        """A real server on a free loopback port, in a thread: for clients that need a URL."""
        app = create_app(_settings(settings, overrides))
        server = contextlib.ExitStack()
        sandbox = cls(server.enter_context(serve_in_thread(app)))
        sandbox.app = app
        sandbox._cleanup += [server.close, app.state.webhooks.close]
        return sandbox

    def close(self) -> None:
        self._http.close()
        while self._cleanup:
            self._cleanup.pop()()

    def __enter__(self) -> "Sandbox":
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    # -- workspaces -------------------------------------------------------------------------

    def create_workspace(
        self,
        *,
        name: str = "Sandbox Workspace",
        token: str | None = None,
        seed: str = "none",
        records: dict[str, Any] | None = None,
        default_version: str | None = None,
        oauth_client_id: str | None = None,
        oauth_client_secret: str | None = None,
        plan: str | None = None,
        oauth_redirect_uris: list[str] | None = None,
    ) -> "SandboxWorkspace":
        body: dict[str, Any] = {"name": name, "seed": seed}
        optional = {
            "token": token,
            "records": records,
            "default_version": default_version,
            "oauth_client_id": oauth_client_id,
            "oauth_client_secret": oauth_client_secret,
            "plan": plan,
            "oauth_redirect_uris": oauth_redirect_uris,
        }
        body.update({key: value for key, value in optional.items() if value is not None})
        return SandboxWorkspace(self, self.call("POST", "/workspaces", json=body))

    def workspace(self, workspace_id: str) -> "SandboxWorkspace":
        return SandboxWorkspace(self, self.call("GET", f"/workspaces/{quote(workspace_id, safe='')}"))

    def workspaces(self) -> list["SandboxWorkspace"]:
        return [SandboxWorkspace(self, info) for info in self.call("GET", "/workspaces")["data"]]

    def revoke_token(self, token: str) -> None:
        """Revoke an access token of any workspace: using it again is 401 `token_revoked`."""
        self.call("DELETE", f"/tokens/{quote(token, safe='')}")

    def call(self, method: str, path: str, **kwargs: Any) -> Any:
        """One control-plane call (`path` below /_sandbox); the JSON answer, or `SandboxError`."""
        response = self._http.request(method, f"/_sandbox{path}", **kwargs)
        if response.is_error:
            raise SandboxError(response)
        return response.json() if response.content else None


def _settings(settings: Settings | None, overrides: dict[str, Any]) -> Settings:
    base = settings or Settings()
    return base.model_copy(update=overrides) if overrides else base


class SandboxWorkspace:
    """One workspace: its token, clients bound to it, and its controls."""

    def __init__(self, sandbox: Sandbox, info: dict[str, Any]) -> None:
        self.sandbox = sandbox
        self.info = info
        self.id: str = info["id"]
        self.token: str = info["token"]
        self.clock = Clock(self)
        self.faults = FaultRules(self)
        self.webhooks = Webhooks(self)

    def __repr__(self) -> str:
        return f"SandboxWorkspace(id={self.id!r}, token={self.token!r})"

    @property
    def base_url(self) -> str:
        return self.sandbox.base_url

    @property
    def transport(self) -> httpx.BaseTransport | None:
        """How clients reach the sandbox: its in-process transport, or None over HTTP."""
        return self.sandbox.transport

    @property
    def client_secret(self) -> str:
        """The OAuth client secret, which signs this workspace's webhooks."""
        return self.refresh().info["oauth_client_secret"]

    def _call(self, method: str, path: str = "", **kwargs: Any) -> Any:
        return self.sandbox.call(method, f"/workspaces/{self.id}{path}", **kwargs)

    def refresh(self) -> "SandboxWorkspace":
        self.info = self._call("GET")
        return self

    def set_plan(self, plan: str) -> "SandboxWorkspace":
        """`active`, or `inactive`: plan-restricted operations then answer 403 api_plan_restricted."""
        self.info = self._call("PUT", "/plan", json={"plan": plan})
        return self

    # -- clients bound to the workspace ----------------------------------------------------

    def client(self, version: str | None = None, **kwargs: Any) -> httpx.Client:
        """A plain httpx client with the workspace's bearer token."""
        headers = {"Authorization": f"Bearer {self.token}", "Accept": "application/json"}
        if version:
            headers["Intercom-Version"] = version
        return httpx.Client(
            base_url=self.base_url, transport=self.transport, headers=headers, timeout=30, **kwargs
        )

    def sdk(self, **kwargs: Any) -> Any:
        """Intercom's official Python SDK (`python-intercom`) bound to the workspace."""
        from intercom import Intercom

        if self.transport is not None:
            kwargs.setdefault("httpx_client", httpx.Client(transport=self.transport, timeout=30))
        return Intercom(token=self.token, base_url=self.base_url, **kwargs)

    # -- state ------------------------------------------------------------------------------

    def reset(
        self,
        to: str = "seed",
        *,
        clear_journal: bool = True,
        clear_faults: bool = True,
        real_time: bool = True,
    ) -> "SandboxWorkspace":
        """Back to the seed (or `to="empty"`); by default also clears journal and faults and the clock."""
        body = {
            "to": to,
            "clear_journal": clear_journal,
            "clear_faults": clear_faults,
            "real_time": real_time,
        }
        self.info = self._call("POST", "/reset", json=body)
        return self

    def seed(
        self, seed: str | None = None, records: dict[str, Any] | None = None, *, remember: bool = True
    ) -> dict[str, list[Any]]:
        """Add the demo data and/or records (`{"contacts": [...], ...}`); returns what was created."""
        body = {"seed": seed, "records": records, "remember": remember}
        return self._call("POST", "/seed", json=body)["created"]

    def snapshot(self, name: str) -> None:
        self._call("POST", "/snapshots", json={"name": name})

    def restore(self, name: str) -> "SandboxWorkspace":
        self.info = self._call("POST", f"/snapshots/{quote(name, safe='')}/restore")
        return self

    def delete_snapshot(self, name: str) -> None:
        self._call("DELETE", f"/snapshots/{quote(name, safe='')}")

    def snapshots(self) -> list[str]:
        return [snapshot["name"] for snapshot in self._call("GET", "/snapshots")["data"]]

    def add_token(self, token: str | None = None) -> str:
        return self._call("POST", "/tokens", json={"token": token})["token"]

    def delete(self) -> None:
        self._call("DELETE")

    # -- journal ----------------------------------------------------------------------------

    def journal(self, **filters: Any) -> list[dict[str, Any]]:
        """Every request and answer the journal holds, oldest first, read page after page. Filters:
        method, path (glob), operation_id, status, writes, injected, after (an entry id), limit."""
        entries: list[dict[str, Any]] = []
        page = self.journal_page(**filters)
        while True:
            entries += page["data"]
            following = page["pages"].get("next")
            if not following:
                return entries
            page = self.journal_page(**{**filters, "after": following["after"]})

    def journal_page(self, **filters: Any) -> dict[str, Any]:
        """One page of the journal (`data`, `total_count`, `pages.next.after`); `per_page` up to 1000."""
        params = {key: value for key, value in filters.items() if value is not None}
        return self._call("GET", "/journal", params=params)

    def clear_journal(self) -> None:
        self._call("DELETE", "/journal")


class Clock:
    def __init__(self, workspace: SandboxWorkspace) -> None:
        self._workspace = workspace

    def _post(self, action: str, body: dict[str, Any] | None = None) -> int:
        return int(self._workspace._call("POST", f"/clock/{action}", json=body)["now"])

    def now(self) -> int:
        return int(self._workspace._call("GET", "/clock")["now"])

    def freeze(self, at: int | None = None) -> int:
        return self._post("freeze", {"at": at})

    def set(self, at: int) -> int:
        return self._post("set", {"at": at})

    def advance(self, seconds: int = 0, *, minutes: int = 0, hours: int = 0, days: int = 0) -> int:
        return self._post("advance", {"seconds": seconds, "minutes": minutes, "hours": hours, "days": days})

    def unfreeze(self) -> int:
        return self._post("unfreeze")

    def real(self) -> int:
        return self._post("real")


class FaultRules:
    def __init__(self, workspace: SandboxWorkspace) -> None:
        self._workspace = workspace

    def add(self, **rule: Any) -> dict[str, Any]:
        """A rule: action (error | rate_limit | drop | delay), method, path (glob), operation_id, status,
        code, message, body, latency_ms, retry_after, times, probability, seed."""
        return self._workspace._call("POST", "/faults", json=rule)

    def list(self) -> list[dict[str, Any]]:
        return self._workspace._call("GET", "/faults")["data"]

    def remove(self, fault_id: str) -> None:
        self._workspace._call("DELETE", f"/faults/{fault_id}")

    def clear(self) -> None:
        self._workspace._call("DELETE", "/faults")


class Webhooks:
    def __init__(self, workspace: SandboxWorkspace) -> None:
        self._workspace = workspace

    def subscribe(self, url: str, topics: list[str]) -> dict[str, Any]:
        return self._workspace._call("POST", "/webhooks", json={"url": url, "topics": topics})

    def subscriptions(self) -> list[dict[str, Any]]:
        return self._workspace._call("GET", "/webhooks")["data"]

    def unsubscribe(self, subscription_id: str) -> None:
        self._workspace._call("DELETE", f"/webhooks/{subscription_id}")

    def ping(self, subscription_id: str) -> str:
        return self._workspace._call("POST", f"/webhooks/{subscription_id}/ping")["notification_id"]

    def deliveries(self, topic: str | None = None) -> list[dict[str, Any]]:
        params = {"topic": topic} if topic else None
        return self._workspace._call("GET", "/webhook_deliveries", params=params)["data"]

    def wait_for(self, topic: str, count: int = 1, timeout: float = 10.0) -> list[dict[str, Any]]:
        """Wait until `count` deliveries of `topic` were attempted; return them (TimeoutError otherwise)."""
        deadline = time.monotonic() + timeout
        while True:
            found = self.deliveries(topic)
            if len(found) >= count:
                return found
            if time.monotonic() > deadline:
                raise TimeoutError(f"{len(found)} of {count} {topic!r} deliveries after {timeout}s")
            time.sleep(0.02)
