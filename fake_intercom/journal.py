"""The request journal: every Intercom request a workspace received and what it was answered.

Kept in memory, per workspace, bounded: appending must cost next to nothing on every request, and the
journal describes this server's life, not the workspace's content (reset and restore leave it alone).
Bodies are kept as bytes and decoded only when someone reads them.
"""

import fnmatch
import itertools
from collections import deque
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qs

import orjson

MAX_BODY = 64 * 1024


@dataclass
class Entry:
    id: int
    request_id: str
    at: float
    workspace_time: int
    method: str
    path: str
    query: bytes
    request_body: bytes = b""
    status: int = 0
    response_body: bytearray = field(default_factory=bytearray)
    operation_id: str | None = None
    duration_ms: float = 0.0
    fault: str | None = None
    injected: bool = False

    @property
    def write(self) -> bool:
        return self.method not in ("GET", "HEAD", "OPTIONS")

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
            "request_body": _decode(self.request_body),
            "status": self.status,
            "response_body": _decode(bytes(self.response_body)),
            "operation_id": self.operation_id,
            "duration_ms": round(self.duration_ms, 3),
            "fault": self.fault,
            "injected": self.injected,
        }

    def _query(self) -> dict[str, list[str]]:
        return parse_qs(self.query.decode("latin-1"), keep_blank_values=True) if self.query else {}


def _decode(body: bytes) -> Any:
    if not body:
        return None
    try:
        return orjson.loads(body)
    except orjson.JSONDecodeError:
        return body.decode("utf-8", "replace")


class Journal:
    def __init__(self, size: int = 5_000) -> None:
        self.size = size
        self._entries: dict[str, deque[Entry]] = {}
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
    ) -> Entry:
        entry = Entry(next(self._ids), request_id, at, workspace_time, method, path, query)
        entries = self._entries.get(workspace_id)
        if entries is None:
            entries = self._entries.setdefault(workspace_id, deque(maxlen=self.size))
        entries.append(entry)
        return entry

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
        """Entries oldest first; `path` is a glob (`/contacts/*`), `after` an entry id."""
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
        self._entries.pop(workspace_id, None)
