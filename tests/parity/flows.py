"""The contract suite's flows recorded through the recording proxy, with the sandbox as upstream.

`python -m tests.parity.flows` (re)writes `tests/parity/cassettes/`, one cassette per check, each
recorded against a fresh workspace with emails, names and phones redacted, as a user would record
against Intercom.
"""

import io
import sys
from collections.abc import Callable
from pathlib import Path

import httpx

from contracts.checks import Check, all_checks
from fake_intercom import Sandbox
from fake_intercom.parity.record import Recorder, recording_proxy
from fake_intercom.parity.redact import CATEGORIES, Redactor
from fake_intercom.testing import SyncASGITransport

CASSETTES = Path(__file__).with_name("cassettes")


def cassette_path(check: Check) -> Path:
    return CASSETTES / f"{check}.jsonl"


def record_check(check: Check, sandbox: Sandbox) -> str:
    return record_flow(check.run, sandbox)


def record_flow(flow: Callable[[httpx.Client], object], sandbox: Sandbox) -> str:
    """Run `flow` through the proxy against a fresh workspace of the in-process `sandbox`; the
    cassette's text."""
    workspace = sandbox.create_workspace()
    out = io.StringIO()
    recorder = Recorder(out, Redactor(CATEGORIES), workspace.token)
    proxy = recording_proxy(sandbox.base_url, recorder, transport=httpx.ASGITransport(app=sandbox.app))
    transport = SyncASGITransport(proxy)
    headers = {"Authorization": f"Bearer {workspace.token}", "Accept": "application/json"}
    try:
        with httpx.Client(base_url="http://recorder.test", transport=transport, headers=headers) as client:
            flow(client)
    finally:
        transport.stop()
        workspace.delete()
    return out.getvalue()


def main() -> None:
    CASSETTES.mkdir(exist_ok=True)
    with Sandbox.in_process() as sandbox:
        for check in all_checks():
            cassette_path(check).write_text(record_check(check, sandbox), encoding="utf-8")
    print(f"recorded {len(all_checks())} cassettes into {CASSETTES}", file=sys.stderr)


if __name__ == "__main__":
    main()
