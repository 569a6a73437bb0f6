"""`--record-cassette PATH`: the live target's traffic becomes a parity cassette.

    INTERCOM_ACCESS_TOKEN=... pytest tests/contracts -k live -n 0 --record-cassette intercom.jsonl
    fake-intercom verify intercom.jsonl

Every request the contract checks make to the live API goes through the recording proxy; personal
data is redacted (`--record-redact`, all of email, name and phone by default, since list answers show
the workspace's real people).
"""

import os
from collections.abc import Iterator

import httpx
import pytest

from fake_intercom.parity.record import Recorder, recording_proxy
from fake_intercom.parity.redact import CATEGORIES, Redactor
from fake_intercom.testing import SyncASGITransport
from tests.conftest import Target


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("fake-intercom parity")
    group.addoption(
        "--record-cassette",
        metavar="PATH",
        help="record the live target's traffic into this cassette, for `fake-intercom verify`",
    )
    group.addoption(
        "--record-redact",
        metavar="LIST",
        default=",".join(CATEGORIES),
        help="personal data replaced in the cassette: any of email,name,phone, or empty for none",
    )


def pytest_configure(config: pytest.Config) -> None:
    if not config.getoption("--record-cassette"):
        return
    if not os.environ.get("INTERCOM_ACCESS_TOKEN"):
        raise pytest.UsageError("--record-cassette records the live target: set INTERCOM_ACCESS_TOKEN")
    if hasattr(config, "workerinput"):
        raise pytest.UsageError(
            "--record-cassette writes one file: run the live target in one process (-n 0)"
        )


@pytest.fixture(scope="session")
def recording_transport(request: pytest.FixtureRequest) -> Iterator[SyncASGITransport]:
    """The recording proxy in this process, writing the `--record-cassette` file."""
    redacted = [
        item.strip() for item in request.config.getoption("--record-redact").split(",") if item.strip()
    ]
    with open(request.config.getoption("--record-cassette"), "w", encoding="utf-8") as cassette:
        recorder = Recorder(cassette, Redactor(redacted), os.environ["INTERCOM_ACCESS_TOKEN"])
        upstream = os.environ.get("INTERCOM_BASE_URL", "https://api.intercom.io")
        transport = SyncASGITransport(recording_proxy(upstream, recorder))
        try:
            yield transport
        finally:
            transport.stop()


@pytest.fixture
def target(target: Target, request: pytest.FixtureRequest) -> Iterator[Target]:
    """The live target talks through the recording proxy when a cassette is being recorded."""
    if not target.live or not request.config.getoption("--record-cassette"):
        yield target
        return
    transport = request.getfixturevalue("recording_transport")
    with httpx.Client(
        base_url="http://recording-proxy.test",
        headers=dict(target.client.headers),
        transport=transport,
        timeout=60,
    ) as client:
        yield Target("live", client)
