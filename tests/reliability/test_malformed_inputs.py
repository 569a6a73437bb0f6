"""Every hostile or malformed input of the table is a 4xx error.list and writes nothing."""

import httpx
import pytest

from fake_intercom import Settings, create_app
from fake_intercom.testing import SyncASGITransport, serve_in_thread
from tests.reliability.hostile_inputs import RAW_REQUESTS, hostile_inputs
from tests.reliability.scenarios import run_battery, run_raw_battery


@pytest.fixture(scope="module")
def app():
    return create_app(Settings(token="hostile-token"))


def test_every_hostile_input_is_a_4xx_error_list_and_writes_nothing(app) -> None:
    workspace = app.state.workspace
    transport = SyncASGITransport(app)
    try:
        with httpx.Client(base_url="http://fake-intercom.test", transport=transport, timeout=60) as client:
            outcomes = run_battery(client, app.state.store, workspace.id, "hostile-token")
    finally:
        transport.stop()
    assert len(outcomes) == len(hostile_inputs()) >= 140
    failed = [outcome for outcome in outcomes if not outcome.ok]
    assert failed == []


def test_broken_http_framing_is_a_4xx_error_list(app) -> None:
    with serve_in_thread(app) as url:
        outcomes = run_raw_battery(url)
    assert len(outcomes) == len(RAW_REQUESTS)
    assert [outcome for outcome in outcomes if not outcome.ok] == []
