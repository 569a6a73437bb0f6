"""Concurrent writers lose nothing and never cross workspaces; kill -9 in the middle of a burst loses no
acknowledged write and leaves an intact database."""

import asyncio
import socket
from pathlib import Path

import httpx

from fake_intercom import Settings, create_app
from fake_intercom.testing import serve_in_thread
from tests.reliability.scenarios import (
    ServerProcess,
    burst_until_killed,
    check_writes,
    integrity,
    new_workspaces,
    write_burst,
)


def test_concurrent_writers_lose_nothing_and_stay_in_their_workspaces(tmp_path: Path) -> None:
    app = create_app(Settings(db=str(tmp_path / "concurrent.db")))
    try:
        with serve_in_thread(app) as url:
            tokens = new_workspaces(url, 8)
            writes = asyncio.run(write_burst(url, tokens, connections=16, writes_per_connection=12))
            lost, leaked = check_writes(url, writes)
    finally:
        app.state.store.close()
    assert sum(len(ids) for ids in writes.acknowledged.values()) == 16 * 12
    assert (writes.server_errors, dict(writes.failures), lost, leaked) == (0, {}, 0, 0)


def test_kill_9_mid_burst_keeps_every_acknowledged_write(tmp_path: Path) -> None:
    db = tmp_path / "crash.db"
    server = ServerProcess(db).start()
    try:
        tokens = new_workspaces(server.url, 4)
        writes = asyncio.run(burst_until_killed(server, tokens, connections=8, after_seconds=1.0))
    finally:
        server.stop()
    acknowledged = sum(len(ids) for ids in writes.acknowledged.values())
    assert acknowledged > 0 and writes.server_errors == 0
    assert integrity(db) == "ok"
    restarted = ServerProcess(db).start()
    try:
        lost, leaked = check_writes(restarted.url, writes)
    finally:
        restarted.stop()
    assert (lost, leaked) == (0, 0)
    assert integrity(db) == "ok"


def test_a_server_that_logs_a_lot_keeps_answering(tmp_path: Path) -> None:
    """Each request of broken framing is a warning on the server's stderr: well over a pipe's 64 KiB of
    them, and the server still answers."""
    server = ServerProcess(tmp_path / "chatty.db").start()
    try:
        host, port = server.url.removeprefix("http://").split(":")
        for _ in range(2_000):
            with socket.create_connection((host, int(port)), timeout=10) as sock:
                sock.sendall(b"NOT HTTP\r\n\r\n")
                sock.recv(65536)
        answer = httpx.get(f"{server.url}/me", headers={"Authorization": "Bearer sandbox-token"}, timeout=10)
    finally:
        server.stop()
    assert answer.status_code == 200
    assert len(server.output()) > 64 * 1024
