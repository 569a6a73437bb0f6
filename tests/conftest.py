"""Fixtures shared by every test: the fake app, fresh workspaces, and the contract targets."""

import os
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest

from fake_intercom import Settings, create_app
from fake_intercom.seed import seed_workspace
from fake_intercom.store import Workspace
from fake_intercom.testing import SyncASGITransport, serve_in_thread

# Shared fixtures of their own modules, available to every test.
pytest_plugins = ["tests.helpers.sandbox"]

SPEC_DIR = Path(__file__).resolve().parents[1].parent / "shared" / "intercom-openapi"

# The default suite is deterministic: pyproject's `intercom_hypothesis_profile = "ci"` loads the testing
# kit's derandomized profile (no example database, no deadline), so `make test` passes or fails for the
# code alone. `make explore` runs the kit's "dev" profile instead (fresh random examples, remembered in
# .hypothesis/) and multiplies the explicit counts below by EXPLORE_FACTOR; what it finds becomes an
# explicit @example or a fixed test.
EXPLORE_FACTOR = int(os.environ.get("EXPLORE_FACTOR", "1"))


def examples(count: int) -> int:
    """A property test's example count: `count` in the default suite, more under `make explore`."""
    return count * EXPLORE_FACTOR


@dataclass
class Target:
    """Where a contract check runs: the fake in-process, the fake over HTTP, or the live API."""

    name: str
    client: httpx.Client
    workspace: Workspace | None = None

    @property
    def live(self) -> bool:
        return self.name == "live"


@pytest.fixture(scope="session")
def app():
    return create_app(Settings(seed="none"))


@pytest.fixture(scope="session")
def asgi_transport(app) -> Iterator[SyncASGITransport]:
    transport = SyncASGITransport(app)
    yield transport
    transport.stop()


@pytest.fixture(scope="session")
def server_url(app) -> Iterator[str]:
    with serve_in_thread(app) as url:
        yield url


def new_workspace(app, seed: str = "none") -> tuple[Workspace, str]:
    token = f"test-{uuid.uuid4().hex}"
    store = app.state.store
    workspace = store.create_workspace(name="Test Workspace", token=token, workspace_id=uuid.uuid4().hex[:8])
    return seed_workspace(store, workspace, seed), token


def _client(base_url: str, token: str, transport: httpx.BaseTransport | None = None) -> httpx.Client:
    return httpx.Client(
        base_url=base_url,
        headers={"Authorization": f"Bearer {token}", "Accept": "application/json"},
        transport=transport,
        timeout=30,
    )


@pytest.fixture
def workspace(app) -> tuple[Workspace, str]:
    """A fresh, empty workspace (its owner admin only) and its token."""
    return new_workspace(app)


@pytest.fixture
def api(asgi_transport, workspace) -> Iterator[httpx.Client]:
    """An httpx client for a fresh workspace of the fake, in-process."""
    with _client("http://fake-intercom.test", workspace[1], asgi_transport) as client:
        yield client


@pytest.fixture(params=["asgi", "http", "live"])
def target(request, app) -> Iterator[Target]:
    """Every contract check runs against each of these."""
    if request.param == "live":
        token = os.environ.get("INTERCOM_ACCESS_TOKEN")
        if not token:
            pytest.skip("live target: set INTERCOM_ACCESS_TOKEN (and optionally INTERCOM_BASE_URL) to run it")
        base_url = os.environ.get("INTERCOM_BASE_URL", "https://api.intercom.io")
        with _client(base_url, token) as client:
            yield Target("live", client)
        return
    workspace, token = new_workspace(app)
    if request.param == "asgi":
        transport = request.getfixturevalue("asgi_transport")
        with _client("http://fake-intercom.test", token, transport) as client:
            yield Target("asgi", client, workspace)
    else:
        with _client(request.getfixturevalue("server_url"), token) as client:
            yield Target("http", client, workspace)


def pytest_collection_modifyitems(config, items):
    for item in items:
        if "[live" in item.nodeid or item.get_closest_marker("live"):
            item.add_marker(pytest.mark.live)
