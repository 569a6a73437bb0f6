"""Reliability scenarios, sized by their callers: the tests in this folder run them small in `make test`,
`make stress` (tests/reliability/stress.py) runs them at full size. Every request goes to 127.0.0.1."""

import asyncio
import os
import signal
import socket
import sqlite3
import subprocess
import sys
import tempfile
import time
import uuid
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx

from fake_intercom.store import Store
from fake_intercom.testing import free_port
from tests.reliability.hostile_inputs import RAW_REQUESTS, Hostile, hostile_inputs

# -- the malformed-input battery --------------------------------------------------------------------


@dataclass
class Outcome:
    name: str
    status: int
    error_list: bool
    unchanged: bool

    @property
    def ok(self) -> bool:
        return 400 <= self.status < 500 and self.error_list and self.unchanged


def fingerprint(store: Store) -> tuple[Any, ...]:
    """Everything a refused request must leave as it was: every table's row count."""
    tables = [name for name in store.db.table_names() if not name.startswith("sqlite_")]
    return tuple(store.scalar(f"SELECT COUNT(*) FROM [{name}]") for name in sorted(tables))


def run_battery(client: httpx.Client, store: Store, workspace_id: str, token: str) -> list[Outcome]:
    """Send every hostile input of the table; `client` reaches the app (in-process or over HTTP)."""
    outcomes = []
    for case in hostile_inputs():
        outcomes.append(_send(client, store, case, workspace_id, token))
    return outcomes


def _send(client: httpx.Client, store: Store, case: Hostile, workspace_id: str, token: str) -> Outcome:
    before = fingerprint(store)
    path = case.path.replace("{workspace}", workspace_id)
    body = case.body.replace(b"{workspace}", workspace_id.encode()) if case.body is not None else None
    headers = dict(case.headers)
    if case.control:
        path = "/_sandbox" + path
    elif "Authorization" not in headers:
        headers["Authorization"] = f"Bearer {token}"
    elif not headers["Authorization"]:
        del headers["Authorization"]
    response = client.request(case.method, path, content=body, headers=headers)
    try:
        error_list = response.json().get("type") == "error.list"
    except ValueError:
        error_list = False
    return Outcome(case.name, response.status_code, error_list, fingerprint(store) == before)


def run_raw_battery(url: str) -> list[Outcome]:
    """Broken HTTP framing, byte for byte over a socket: each answered with a 4xx error.list."""
    host, port = url.removeprefix("http://").split(":")
    outcomes = []
    for name, request in RAW_REQUESTS.items():
        with socket.create_connection((host, int(port)), timeout=10) as sock:
            sock.sendall(request)
            sock.shutdown(socket.SHUT_WR)
            answer = b""
            while chunk := sock.recv(65536):
                answer += chunk
        head, _, body = answer.partition(b"\r\n\r\n")
        status = int(head.split(b" ", 2)[1]) if head.startswith(b"HTTP/1.1 ") else 0
        outcomes.append(Outcome(name, status, b'"error.list"' in body, True))
    return outcomes


# -- concurrent writers -----------------------------------------------------------------------------


@dataclass
class Writes:
    """What a burst of writers was told: each acknowledged contact by workspace token."""

    acknowledged: dict[str, list[str]] = field(default_factory=dict)
    statuses: Counter[int] = field(default_factory=Counter)
    failures: Counter[str] = field(default_factory=Counter)
    """Requests with no answer, by the client's error (a broken connection, a read timeout): expected
    only when the server is killed."""

    @property
    def server_errors(self) -> int:
        return sum(count for status, count in self.statuses.items() if status >= 500)


async def write_burst(
    url: str,
    tokens: list[str],
    connections: int,
    writes_per_connection: int,
    stop: asyncio.Event | None = None,
) -> Writes:
    """`connections` concurrent clients, each creating contacts in the workspaces in turn."""
    writes = Writes({token: [] for token in tokens})
    limits = httpx.Limits(max_connections=connections, max_keepalive_connections=connections)
    async with httpx.AsyncClient(base_url=url, limits=limits, timeout=30) as client:

        async def writer(number: int) -> None:
            for index in range(writes_per_connection):
                if stop is not None and stop.is_set():
                    return
                token = tokens[(number + index) % len(tokens)]
                marker = token.rsplit("-", 1)[-1]
                body = {"role": "user", "email": f"{uuid.uuid4().hex[:12]}@{marker}.example"}
                try:
                    response = await client.post(
                        "/contacts", json=body, headers={"Authorization": f"Bearer {token}"}
                    )
                except httpx.HTTPError as error:
                    writes.failures[type(error).__name__] += 1
                    if stop is not None:
                        return
                    continue
                writes.statuses[response.status_code] += 1
                if response.status_code == 200:
                    writes.acknowledged[token].append(response.json()["id"])

        await asyncio.gather(*(writer(number) for number in range(connections)))
    return writes


async def large_bodies(
    url: str, tokens: list[str], connections: int, per_workspace: int, size: int
) -> Counter[int]:
    """Requests with bodies of `size` bytes to every workspace (refused for an undefined attribute, but
    journaled all the same): what fills the request journal. The statuses answered (0: no answer)."""
    statuses: Counter[int] = Counter()
    body = {"role": "user", "email": "big@example.com", "custom_attributes": {"notes": "n" * size}}
    queue = [token for token in tokens for _ in range(per_workspace)]
    limits = httpx.Limits(max_connections=connections, max_keepalive_connections=connections)
    async with httpx.AsyncClient(base_url=url, limits=limits, timeout=60) as client:

        async def sender() -> None:
            while queue:
                token = queue.pop()
                try:
                    response = await client.post(
                        "/contacts", json=body, headers={"Authorization": f"Bearer {token}"}
                    )
                except httpx.HTTPError:
                    statuses[0] += 1  # no answer: the connection broke
                    continue
                statuses[response.status_code] += 1

        await asyncio.gather(*(sender() for _ in range(connections)))
    return statuses


def check_writes(url: str, writes: Writes) -> tuple[int, int]:
    """(lost, leaked): acknowledged contacts missing from their workspace, and contacts of another
    workspace seen in one."""
    lost = leaked = 0
    with httpx.Client(base_url=url, timeout=60) as client:
        for token, ids in writes.acknowledged.items():
            marker = token.rsplit("-", 1)[-1]
            headers = {"Authorization": f"Bearer {token}"}
            seen: dict[str, str] = {}
            params: dict[str, Any] = {"per_page": 150}
            while True:
                page = client.get("/contacts", params=params, headers=headers).json()
                seen.update({contact["id"]: contact["email"] for contact in page["data"]})
                following = (page.get("pages") or {}).get("next")
                if not following:
                    break
                params["starting_after"] = following["starting_after"]
            lost += sum(1 for contact_id in ids if contact_id not in seen)
            leaked += sum(1 for email in seen.values() if not email.endswith(f"@{marker}.example"))
    return lost, leaked


def new_workspaces(url: str, count: int) -> list[str]:
    """`count` workspaces made through the control plane; their tokens, each ending in a marker."""
    tokens = []
    with httpx.Client(base_url=url, timeout=60) as client:
        for _ in range(count):
            token = f"stress-{uuid.uuid4().hex[:10]}"
            response = client.post("/_sandbox/workspaces", json={"token": token})
            response.raise_for_status()
            tokens.append(token)
    return tokens


# -- a real server process --------------------------------------------------------------------------


class ServerProcess:
    """`fake-intercom serve` in a subprocess on a free loopback port."""

    def __init__(self, db: Path, *options: str) -> None:
        self.db = db
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.options = options
        self.process: subprocess.Popen[bytes] | None = None

    def start(self, timeout: float = 60) -> "ServerProcess":
        command = [
            sys.executable, "-m", "fake_intercom.cli", "serve",
            "--db", str(self.db), "--port", str(self.port), "--seed", "none", *self.options,
        ]  # fmt: skip
        # A file, not a pipe: a pipe nobody reads while the server runs stops the server once it fills.
        self.log = tempfile.TemporaryFile()  # noqa: SIM115 (open as long as the server runs)
        self.process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=self.log)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"the server exited: {self.output()[-2000:]}")
            try:
                if (
                    httpx.get(f"{self.url}/me", headers={"Authorization": "Bearer sandbox-token"}).status_code
                    == 200
                ):
                    return self
            except httpx.HTTPError:
                time.sleep(0.1)
        raise RuntimeError("the server did not start in time")

    def output(self) -> str:
        """What the server wrote to stderr so far."""
        self.log.seek(0)
        return self.log.read().decode(errors="replace")

    def rss_mb(self) -> float:
        """Resident memory of the server process (Linux)."""
        assert self.process is not None
        for line in Path(f"/proc/{self.process.pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
        return 0.0

    def kill(self) -> None:
        assert self.process is not None
        os.kill(self.process.pid, signal.SIGKILL)
        self.process.wait(timeout=30)

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.kill()


def integrity(db: Path) -> str:
    with sqlite3.connect(db) as conn:
        return str(conn.execute("PRAGMA integrity_check").fetchone()[0])


async def burst_until_killed(
    server: ServerProcess, tokens: list[str], connections: int, after_seconds: float
) -> Writes:
    """Write in a burst and kill -9 the server `after_seconds` into it."""
    stop = asyncio.Event()

    async def killer() -> None:
        await asyncio.sleep(after_seconds)
        await asyncio.to_thread(server.kill)
        stop.set()

    writes, _ = await asyncio.gather(write_burst(server.url, tokens, connections, 10**9, stop), killer())
    return writes
