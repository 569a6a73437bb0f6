"""JSON responses encoded once, with orjson, from objects or from JSON text already stored."""

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
