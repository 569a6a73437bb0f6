"""The recording proxy: clients get upstream's answers, the cassette gets the exchanges without secrets."""

import io
import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest
from typer.testing import CliRunner

from fake_intercom import Sandbox
from fake_intercom.cli import app as cli
from fake_intercom.parity.cassette import Exchange, loads_cassette
from fake_intercom.parity.record import Recorder, recording_proxy
from fake_intercom.parity.redact import REDACTED, Redactor
from fake_intercom.parity.verify import verify
from fake_intercom.testing import SyncASGITransport, free_port


class Proxy:
    def __init__(self, sandbox: Sandbox, token: str | None, upstream: str | None = None) -> None:
        self.out = io.StringIO()
        self.recorder = Recorder(self.out, Redactor(), token)
        transport = None if upstream else httpx.ASGITransport(app=sandbox.app)
        self.transport = SyncASGITransport(
            recording_proxy(upstream or sandbox.base_url, self.recorder, transport=transport)
        )

    def client(self, **headers: str) -> httpx.Client:
        return httpx.Client(base_url="http://recorder.test", transport=self.transport, headers=headers)

    @property
    def exchanges(self) -> list[Exchange]:
        return loads_cassette(self.out.getvalue())


@pytest.fixture
def workspace(sandbox):
    workspace = sandbox.create_workspace(
        oauth_client_id="parity-app", oauth_client_secret="parity-app-secret"
    )
    yield workspace
    workspace.delete()


@pytest.fixture
def proxy(sandbox, workspace) -> Iterator[Proxy]:
    proxy = Proxy(sandbox, workspace.token)
    yield proxy
    proxy.transport.stop()


def test_clients_get_upstreams_answer_and_the_cassette_what_matters(proxy, workspace) -> None:
    with proxy.client(authorization=f"Bearer {workspace.token}", **{"intercom-version": "2.16"}) as api:
        created = api.post("/contacts", json={"email": "rec@example.com"}, headers={"x-trace": "1"})
        listed = api.get("/contacts", params={"per_page": 1, "email": ""})
    assert created.status_code == 200 and created.json()["email"] == "rec@example.com"
    assert "x-ratelimit-limit" in created.headers and listed.json()["type"] == "list"
    first, second = proxy.exchanges
    assert (first.n, first.request.line, first.request.auth) == (1, "POST /contacts", "token")
    assert first.request.headers == {
        "intercom-version": "2.16",
        "content-type": "application/json",
        "accept": "*/*",
    }
    assert first.request.json == {"email": "rec@example.com"}
    assert first.response.json == created.json() and first.response.status == 200
    assert set(first.response.headers) == {
        "content-type",
        "x-ratelimit-limit",
        "x-ratelimit-remaining",
        "x-ratelimit-reset",
    }
    assert second.request.query == [("per_page", "1"), ("email", "")]
    assert workspace.token not in proxy.out.getvalue()


def test_credentials_are_recorded_by_kind_only(proxy, workspace) -> None:
    with proxy.client() as api:
        no_header = api.get("/me")
        other = api.get("/me", headers={"authorization": "Bearer not-the-workspace-token"})
        empty = api.get("/me", headers={"authorization": ""})
        own = api.get("/me", headers={"authorization": f"Bearer {workspace.token}"})
    # Without credentials the proxy sends its own token; others are forwarded for upstream to judge.
    assert [r.status_code for r in (no_header, other, empty, own)] == [200, 401, 401, 200]
    assert [e.request.auth for e in proxy.exchanges] == ["token", "other", "empty", "token"]
    text = proxy.out.getvalue()
    assert workspace.token not in text and "not-the-workspace-token" not in text
    # No Authorization header was recorded (the empty one's error code, `missing_authorization`, is).
    assert '"authorization"' not in text.lower()


def test_an_oauth_flow_leaves_no_code_secret_or_token_in_the_cassette(proxy, workspace) -> None:
    with proxy.client() as api:
        authorized = api.get(
            "/oauth",
            params={"client_id": "parity-app", "state": "s1", "redirect_uri": "http://127.0.0.1/callback"},
        )
        code = parse_qs(urlsplit(authorized.headers["location"]).query)["code"][0]
        exchanged = api.post(
            "/auth/eagle/token",
            data={"code": code, "client_id": "parity-app", "client_secret": "parity-app-secret"},
        )
        token = exchanged.json()["access_token"]
        me = api.get("/me", headers={"authorization": f"Bearer {token}"})
    assert me.status_code == 200
    text = proxy.out.getvalue()
    for secret in (code, "parity-app-secret", token):
        assert secret not in text
    authorize, exchange, _ = proxy.exchanges
    assert parse_qs(urlsplit(authorize.response.headers["location"]).query)["code"] == [REDACTED]
    assert dict(exchange.request.content["form"]) == {
        "code": REDACTED,
        "client_id": "parity-app",
        "client_secret": REDACTED,
    }
    assert exchange.response.json["token"] == exchange.response.json["access_token"] == REDACTED


def test_an_unreachable_upstream_is_a_502_in_intercoms_shape_and_not_recorded(sandbox) -> None:
    proxy = Proxy(sandbox, "token", upstream=f"http://127.0.0.1:{free_port()}")
    try:
        with proxy.client() as api:
            response = api.get("/me")
    finally:
        proxy.transport.stop()
    assert response.status_code == 502
    body = response.json()
    assert body["type"] == "error.list" and body["errors"][0]["code"] == "bad_gateway"
    assert proxy.exchanges == []


def test_unknown_redactions_are_refused_before_anything_starts(tmp_path) -> None:
    result = CliRunner().invoke(
        cli, ["record", "--out", str(tmp_path / "c.jsonl"), "--redact", "email,address"]
    )
    assert result.exit_code == 2 and "address" in result.output
    assert not (tmp_path / "c.jsonl").exists()


def test_one_command_records_and_another_verifies(tmp_path) -> None:
    """`fake-intercom record` against a running sandbox as upstream, then `fake-intercom verify`."""
    cassette = tmp_path / "recorded.jsonl"
    port = free_port()
    with Sandbox.serve() as upstream:
        workspace = upstream.create_workspace()
        command = [
            sys.executable,
            "-m",
            "fake_intercom.cli",
            "record",
            "--upstream",
            upstream.base_url,
            "--out",
            str(cassette),
            "--port",
            str(port),
            "--redact",
            "email,name",
        ]
        environment = {**os.environ, "INTERCOM_ACCESS_TOKEN": workspace.token}
        recorder = subprocess.Popen(command, env=environment, stderr=subprocess.PIPE, text=True)
        try:
            with httpx.Client(base_url=f"http://127.0.0.1:{port}") as api:
                deadline = time.monotonic() + 20
                while True:
                    try:
                        contact = api.post("/contacts", json={"email": "cli@example.com", "name": "Cli"})
                        break
                    except httpx.TransportError:
                        assert time.monotonic() < deadline, "the recording proxy did not start"
                        time.sleep(0.1)
                api.get(f"/contacts/{contact.json()['id']}")
        finally:
            recorder.send_signal(signal.SIGINT)
            _, errors = recorder.communicate(timeout=20)
        lines = [json.loads(line) for line in cassette.read_text().splitlines()]
        assert [line["request"]["path"].split("/")[1] for line in lines] == ["contacts", "contacts"]
        assert "cli@example.com" not in cassette.read_text() and workspace.token not in cassette.read_text()
        for where in ([], ["--base-url", upstream.base_url]):
            result = CliRunner().invoke(cli, ["verify", str(cassette), *where])
            assert result.exit_code == 0, result.output
    assert "2 exchanges written" in errors


def test_the_contract_suites_live_target_records_a_cassette_that_verifies(tmp_path) -> None:
    """One run of the contract suite's live target with `--record-cassette` gives a lasting parity test
    (here with a served sandbox standing in for Intercom)."""
    cassette = tmp_path / "live.jsonl"
    with Sandbox.serve() as live:
        workspace = live.create_workspace()
        environment = {
            **os.environ,
            "INTERCOM_ACCESS_TOKEN": workspace.token,
            "INTERCOM_BASE_URL": live.base_url,
        }
        run = subprocess.run(
            [
                sys.executable,
                "-m",
                "pytest",
                "tests/contracts/test_contracts.py",
                "-q",
                "-p",
                "no:xdist",
                "-k",
                "live and tags",
                "--record-cassette",
                str(cassette),
            ],
            env=environment,
            capture_output=True,
            text=True,
            timeout=120,
        )
    assert run.returncode == 0, run.stdout[-2000:] + run.stderr[-2000:]
    exchanges = loads_cassette(cassette.read_text())
    assert len(exchanges) > 10 and {e.request.path.split("/")[1] for e in exchanges} >= {"tags", "contacts"}
    assert workspace.token not in cassette.read_text()
    report = verify(cassette)
    assert report.ok and report.replayed == len(exchanges), report.to_json()
