"""Intercom's official Node SDK (`intercom-client`, pinned in node/package-lock.json), unmodified,
drives a full flow over HTTP against a loopback fake-intercom: see node/flow.mjs for its steps."""

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest

from tests.conftest import new_workspace

NODE_DIR = Path(__file__).with_name("node")
STEPS = [
    "admins",
    "contacts",
    "companies",
    "tags",
    "notes",
    "conversations",
    "tickets",
    "articles and collections",
    "events",
    "data attributes",
    "errors",
]


def test_the_official_node_sdk_runs_a_full_flow(app, server_url) -> None:
    node = shutil.which("node")
    if node is None:
        pytest.skip("node is not installed")
    if not (NODE_DIR / "node_modules" / "intercom-client").is_dir():
        pytest.skip("intercom-client is not installed (`make clients` runs npm ci in tests/clients/node)")
    _, token = new_workspace(app)
    _, revoked = new_workspace(app)
    app.state.store.revoke_token(revoked)
    result = subprocess.run(
        [node, "flow.mjs"],
        cwd=NODE_DIR,
        env={
            **os.environ,
            "FAKE_INTERCOM_URL": server_url,
            "FAKE_INTERCOM_TOKEN": token,
            "FAKE_INTERCOM_REVOKED_TOKEN": revoked,
        },
        capture_output=True,
        text=True,
        timeout=180,
        check=False,
    )
    steps = [json.loads(line) for line in result.stdout.splitlines() if line.startswith("{")]
    failed = [step for step in steps if not step["ok"]]
    assert not failed, failed[0]["error"]
    assert result.returncode == 0, result.stderr[-3000:]
    assert [step["step"] for step in steps] == STEPS
