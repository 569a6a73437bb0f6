"""An inspector over a demo workspace, in-process: a browser-like client on a loopback host name, and an
API client with the workspace's token."""

from collections.abc import Iterator
from dataclasses import dataclass

import httpx
import pytest

from fake_intercom import Settings, create_app
from fake_intercom.testing import SyncASGITransport

TOKEN = "inspector-token"
BASE_URL = "http://127.0.0.1:8000"


@dataclass
class Inspected:
    app: object
    workspace_id: str
    ui: httpx.Client
    api: httpx.Client

    def page(self, view: str = "", **params) -> httpx.Response:
        return self.ui.get(f"/_sandbox/ui/workspaces/{self.workspace_id}{view}", params=params)

    def act(self, view: str, body: dict) -> httpx.Response:
        """A write as the inspector's script sends it: JSON from the same origin."""
        return self.ui.post(
            f"/_sandbox/ui/workspaces/{self.workspace_id}{view}", json=body, headers={"Origin": BASE_URL}
        )


def browser_client(transport: httpx.BaseTransport, base_url: str = BASE_URL) -> httpx.Client:
    return httpx.Client(base_url=base_url, transport=transport, follow_redirects=False, timeout=30)


@pytest.fixture(scope="session")
def inspected() -> Iterator[Inspected]:
    app = create_app(Settings(seed="demo", token=TOKEN))
    transport = SyncASGITransport(app)
    headers = {"Authorization": f"Bearer {TOKEN}"}
    with (
        browser_client(transport) as ui,
        httpx.Client(base_url=BASE_URL, transport=transport, headers=headers) as api,
    ):
        yield Inspected(app, app.state.workspace.id, ui, api)
    transport.stop()
    app.state.webhooks.close()


def assert_page(response: httpx.Response, *texts: str, status: int = 200) -> str:
    assert response.status_code == status, response.text[:2000]
    assert response.headers["content-type"].startswith("text/html")
    assert "frame-ancestors 'none'" in response.headers["content-security-policy"]
    for text in texts:
        assert text in response.text, text
    return response.text
