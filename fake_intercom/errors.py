"""Intercom's `error.list`: the one error shape the server ever answers with."""

import uuid
from typing import Any

import orjson
from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.responses import Response


def new_request_id() -> str:
    return str(uuid.uuid4())


class IntercomError(Exception):
    """Raised anywhere in the server; rendered as Intercom's error.list."""

    def __init__(
        self,
        status: int,
        code: str,
        message: str,
        *,
        field: str | None = None,
        headers: dict[str, str] | None = None,
    ) -> None:
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message
        self.field = field
        self.headers = headers or {}


def not_found(message: str = "Resource Not Found", code: str = "not_found") -> IntercomError:
    return IntercomError(404, code, message)


def bad_request(message: str, code: str = "parameter_invalid", field: str | None = None) -> IntercomError:
    return IntercomError(400, code, message, field=field)


def error_body(code: str, message: str, request_id: str | None, field: str | None = None) -> bytes:
    error: dict[str, Any] = {"code": code, "message": message}
    if field:
        error["field"] = field
    return orjson.dumps({"type": "error.list", "request_id": request_id, "errors": [error]})


def error_response(
    status: int,
    code: str,
    message: str,
    request_id: str | None,
    *,
    field: str | None = None,
    headers: dict[str, str] | None = None,
) -> Response:
    return Response(
        error_body(code, message, request_id, field),
        status_code=status,
        media_type="application/json",
        headers=headers,
    )


def _request_id(request: Request) -> str:
    return getattr(request.state, "request_id", None) or new_request_id()


# What a value should have been, by the kind of pydantic error: Intercom's messages name the field
# and what it takes, never the validation library's own words.
_EXPECTED = {
    "int": "an integer",
    "float": "a number",
    "decimal": "a number",
    "bool": "true or false",
    "string": "a string",
    "bytes": "a string",
    "list": "an array",
    "tuple": "an array",
    "set": "an array",
    "dict": "an object",
    "model": "an object",
    "model_attributes": "an object",
    "url": "a URL",
    "date": "a date",
    "datetime": "a date",
    "uuid": "a UUID",
}
_BOUNDS = {
    "greater_than": "greater than {gt}",
    "greater_than_equal": "at least {ge}",
    "less_than": "less than {lt}",
    "less_than_equal": "at most {le}",
    "too_short": "at least {min_length} long",
    "string_too_short": "at least {min_length} characters long",
    "too_long": "at most {max_length} long",
    "string_too_long": "at most {max_length} characters long",
}


def _describe_validation_error(error: dict[str, Any]) -> tuple[str, str, str | None]:
    """Turn one pydantic error into Intercom's (code, message, field)."""
    location = [str(part) for part in error.get("loc", ()) if part not in ("body", "query", "path", "header")]
    field = ".".join(location) or None
    kind = error.get("type", "")
    context = error.get("ctx") or {}
    what = field or "body"
    if kind == "json_invalid":
        return "parameter_invalid", "There was a problem in the JSON you submitted", None
    if kind == "missing":
        return "parameter_not_found", f"{what} is a required parameter", field
    if kind in ("literal_error", "enum"):
        return (
            "parameter_invalid",
            f"{what} must be one of {context.get('expected', 'its allowed values')}",
            field,
        )
    if kind in _BOUNDS:
        try:
            bound = _BOUNDS[kind].format(**context)
        except (KeyError, IndexError):
            bound = "within its limits"
        return "parameter_invalid", f"{what} must be {bound}", field
    if kind == "value_error" and isinstance(context.get("error"), ValueError):
        # The project's own validators word their errors for clients.
        return "parameter_invalid", f"{what} {context['error']}", field
    base = kind.split("_", 1)[0] if kind not in _EXPECTED else kind
    for prefix in (kind.rsplit("_", 1)[0], base):
        if prefix in _EXPECTED:
            return "parameter_invalid", f"{what} must be {_EXPECTED[prefix]}", field
    return "parameter_invalid", f"{what} is invalid", field


async def _on_validation_error(request: Request, exc: RequestValidationError) -> Response:
    code, message, field = _describe_validation_error(exc.errors()[0])
    return error_response(400, code, message, _request_id(request), field=field)


async def _on_intercom_error(request: Request, exc: IntercomError) -> Response:
    return error_response(
        exc.status, exc.code, exc.message, _request_id(request), field=exc.field, headers=exc.headers
    )


async def _on_http_error(request: Request, exc: StarletteHTTPException) -> Response:
    # Intercom answers an unknown route, and an unsupported method on a known one, with 404.
    if exc.status_code in (404, 405):
        return error_response(404, "not_found", "Resource Not Found", _request_id(request))
    return error_response(exc.status_code, "client_error", str(exc.detail), _request_id(request))


async def _on_number_overflow(request: Request, exc: OverflowError) -> Response:
    # A number beyond SQLite's 64 bits reaches the store only from the request: the client's fault.
    return error_response(
        400, "parameter_invalid", "A number in the request is out of range", _request_id(request)
    )


async def _on_encode_error(request: Request, exc: orjson.JSONEncodeError) -> Response:
    # JSON that cannot hold a request's number is the same client error as the store's overflow;
    # any other encoding failure is the fake's own bug.
    if "64-bit" in str(exc):
        return await _on_number_overflow(request, OverflowError(str(exc)))
    return await _on_unexpected_error(request, exc)


async def _on_unexpected_error(request: Request, exc: Exception) -> Response:
    return error_response(500, "server_error", "Internal server error", _request_id(request))


def install_error_handlers(app: FastAPI) -> None:
    app.add_exception_handler(RequestValidationError, _on_validation_error)  # type: ignore[arg-type]
    app.add_exception_handler(IntercomError, _on_intercom_error)  # type: ignore[arg-type]
    app.add_exception_handler(StarletteHTTPException, _on_http_error)  # type: ignore[arg-type]
    app.add_exception_handler(OverflowError, _on_number_overflow)  # type: ignore[arg-type]
    app.add_exception_handler(orjson.JSONEncodeError, _on_encode_error)  # type: ignore[arg-type]
    app.add_exception_handler(Exception, _on_unexpected_error)
