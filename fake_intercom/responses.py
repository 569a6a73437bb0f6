"""JSON responses encoded once, with orjson, from objects or from JSON text already stored; and the small
shapes many resources answer with."""

from datetime import UTC, datetime
from typing import Any

import orjson
from starlette.responses import Response


def json(obj: Any, status: int = 200, headers: dict[str, str] | None = None) -> Response:
    return Response(orjson.dumps(obj), status_code=status, media_type="application/json", headers=headers)


def raw(text: str | bytes, status: int = 200) -> Response:
    """Send JSON that is already encoded, without parsing it again."""
    return Response(text, status_code=status, media_type="application/json")


def empty(status: int = 200) -> Response:
    return Response(b"", status_code=status)


def deleted(object_id: str | int, kind: str) -> Response:
    """What a DELETE answers: `{id, object, deleted: true}`."""
    return json({"id": str(object_id), "object": kind, "deleted": True})


def iso(timestamp: int, *, millis: bool = False) -> str:
    """A time as the newer resources give it: ISO 8601 in UTC (with milliseconds where Intercom shows them)."""
    moment = datetime.fromtimestamp(timestamp, UTC)
    return moment.strftime("%Y-%m-%dT%H:%M:%S.000Z" if millis else "%Y-%m-%dT%H:%M:%SZ")
