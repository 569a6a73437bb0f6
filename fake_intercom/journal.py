"""The request journal: every Intercom request a workspace received and what it was answered.

Kept in memory, per workspace, bounded by a count and by bytes, per workspace and for the whole server:
appending must cost next to nothing on every request, and the journal describes this server's life,
not the workspace's content (reset and restore leave it alone). Bodies are kept as bytes, cut at
`MAX_BODY` with a marker saying how large they were, and decoded only when someone reads them. When a
budget is exceeded the oldest entries go: the workspace's own first, then the oldest of any workspace.
"""

import fnmatch
import itertools
from collections import deque
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qs

import orjson

from fake_intercom.settings import MIB

MAX_BODY = 64 * 1024
# The request headers that change what Intercom answers, kept with their values as sent (the token is
# kept apart); the rest (User-Agent, Host...) does not change the answer.
RECORDED_HEADERS = (
    (b"accept", "Accept"),
    (b"content-type", "Content-Type"),
    (b"intercom-version", "Intercom-Version"),
)
# What an entry costs besides its bodies (the object, its strings, the deque slot), roughly.
ENTRY_OVERHEAD = 600


@dataclass
class Entry:
    id: int
    workspace_id: str
    request_id: str
    at: float
    workspace_time: int
    method: str
    path: str
    query: bytes
    request_body: bytes = b""
    request_size: int = 0
    status: int = 0
    response_body: bytearray = field(default_factory=bytearray)
    response_size: int = 0
    operation_id: str | None = None
    duration_ms: float = 0.0
    fault: str | None = None
    injected: bool = False
    token: str = ""
    request_headers: dict[str, str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        # What it costs besides its bodies, which grow as they are recorded; counted when it is added
        # and again when it is dropped.
        self._fixed_cost = (
            ENTRY_OVERHEAD
            + len(self.path)
            + len(self.query)
            + len(self.token)
            + sum(len(name) + len(value) for name, value in self.request_headers.items())
        )

    @property
    def write(self) -> bool:
        return self.method not in ("GET", "HEAD", "OPTIONS")

    @property
    def cost(self) -> int:
        return self._fixed_cost + len(self.request_body) + len(self.response_body)

    def as_dict(self) -> dict[str, Any]:
        return {
            "type": "sandbox.request",
            "id": self.id,
            "request_id": self.request_id,
            "at": round(self.at, 6),
            "workspace_time": self.workspace_time,
            "method": self.method,
            "path": self.path,
            "query": {key: values if len(values) > 1 else values[0] for key, values in self._query().items()},
            "token": self.token,
            "request_headers": self.request_headers,
            "request_body": _decode(self.request_body, self.request_size),
            "request_size": self.request_size,
            "request_truncated": self.request_size > len(self.request_body),
            "status": self.status,
            "response_body": _decode(bytes(self.response_body), self.response_size),
            "response_size": self.response_size,
            "response_truncated": self.response_size > len(self.response_body),
            "operation_id": self.operation_id,
            "duration_ms": round(self.duration_ms, 3),
            "fault": self.fault,
            "injected": self.injected,
        }

    def _query(self) -> dict[str, list[str]]:
        return parse_qs(self.query.decode("latin-1"), keep_blank_values=True) if self.query else {}


def recorded_headers(headers: dict[bytes, bytes]) -> dict[str, str]:
    """The headers of RECORDED_HEADERS that a request carried, by their usual names."""
    return {
        name: value.decode("latin-1")
        for key, name in RECORDED_HEADERS
        if (value := headers.get(key)) is not None
    }


def _decode(body: bytes, size: int) -> Any:
    """A body as JSON when it is whole JSON, else as text; a cut body ends with a marker."""
    if not body:
        return None
    if size > len(body):
        return body.decode("utf-8", "replace") + f"…[truncated: the first {len(body)} of {size} bytes]"
    try:
        return orjson.loads(body)
    except orjson.JSONDecodeError:
        return body.decode("utf-8", "replace")


class Journal:
    def __init__(
        self, size: int = 5_000, workspace_budget: int = 16 * MIB, total_budget: int = 128 * MIB
    ) -> None:
        self.size = size
        self.workspace_budget = workspace_budget
        self.total_budget = total_budget
        self._entries: dict[str, deque[Entry]] = {}
        self._bytes: dict[str, int] = {}
        self.total_bytes = 0
        self._ids = itertools.count(1)

    def start(
        self,
        workspace_id: str,
        request_id: str,
        at: float,
        workspace_time: int,
        method: str,
        path: str,
        query: bytes,
        *,
        token: str = "",
        headers: dict[str, str] | None = None,
    ) -> Entry:
        entry = Entry(
            next(self._ids),
            workspace_id,
            request_id,
            at,
            workspace_time,
            method,
            path,
            query,
            token=token,
            request_headers=headers or {},
        )
        entries = self._entries.get(workspace_id)
        if entries is None:
            entries = self._entries.setdefault(workspace_id, deque())
        entries.append(entry)
        self._grew(entry, entry.cost)
        return entry

    def record_request(self, entry: Entry, chunk: bytes) -> None:
        entry.request_size += len(chunk)
        entry.request_body += self._kept(entry, entry.request_body, chunk)

    def record_response(self, entry: Entry, chunk: bytes) -> None:
        entry.response_size += len(chunk)
        entry.response_body += self._kept(entry, entry.response_body, chunk)

    def _kept(self, entry: Entry, body: bytes | bytearray, chunk: bytes) -> bytes:
        """What of `chunk` a body cut at MAX_BODY keeps, counted in the journal's budgets."""
        kept = chunk[: max(MAX_BODY - len(body), 0)]
        if kept:
            self._grew(entry, len(kept))
        return kept

    def _grew(self, entry: Entry, size: int) -> None:
        workspace_id = entry.workspace_id
        if entry.id < 0:  # already evicted while its answer was still being written
            return
        self._bytes[workspace_id] = self._bytes.get(workspace_id, 0) + size
        self.total_bytes += size
        entries = self._entries[workspace_id]
        while len(entries) > 1 and (
            len(entries) > self.size or self._bytes[workspace_id] > self.workspace_budget
        ):
            self._drop(entries.popleft())
        while self.total_bytes > self.total_budget:
            oldest = min(
                (queue for queue in self._entries.values() if queue and queue[0] is not entry),
                key=lambda queue: queue[0].id,
                default=None,
            )
            if oldest is None:
                break
            self._drop(oldest.popleft())

    def _drop(self, entry: Entry) -> None:
        cost = entry.cost
        self._bytes[entry.workspace_id] -= cost
        self.total_bytes -= cost
        entry.id = -entry.id  # marks it evicted: an answer still being recorded is no longer counted

    def entries(
        self,
        workspace_id: str,
        *,
        method: str | None = None,
        path: str | None = None,
        operation_id: str | None = None,
        status: int | None = None,
        writes: bool | None = None,
        injected: bool | None = None,
        after: int | None = None,
        limit: int | None = None,
    ) -> list[Entry]:
        """Entries oldest first; `path` is a glob (`/contacts/*`), `after` an entry id, `limit` keeps the
        last ones."""
        selected: Iterable[Entry] = list(self._entries.get(workspace_id, ()))
        if method:
            selected = (e for e in selected if e.method == method.upper())
        if path:
            selected = (e for e in selected if fnmatch.fnmatchcase(e.path, path))
        if operation_id:
            selected = (e for e in selected if e.operation_id == operation_id)
        if status is not None:
            selected = (e for e in selected if e.status == status)
        if writes is not None:
            selected = (e for e in selected if e.write == writes)
        if injected is not None:
            selected = (e for e in selected if e.injected == injected)
        if after is not None:
            selected = (e for e in selected if e.id > after)
        result = list(selected)
        return result[-limit:] if limit else result

    def clear(self, workspace_id: str) -> None:
        entries = self._entries.pop(workspace_id, None)
        for entry in entries or ():
            entry.id = -abs(entry.id)
        self.total_bytes -= self._bytes.pop(workspace_id, 0)


def page(entries: list[Entry], per_page: int, max_bytes: int) -> list[Entry]:
    """The first entries of `entries` that fit `per_page` and about `max_bytes` of bodies (at least one)."""
    taken: list[Entry] = []
    size = 0
    for entry in entries[:per_page]:
        size += entry.cost
        if taken and size > max_bytes:
            break
        taken.append(entry)
    return taken
