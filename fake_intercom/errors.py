"""Intercom's `error.list`: the one error shape the server ever answers with."""

import os
import sqlite3
from collections.abc import Callable
from typing import Any, ParamSpec, TypeVar

import orjson
from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.responses import Response

Found = TypeVar("Found")
Params = ParamSpec("Params")


def new_request_id() -> str:
    """A random (version 4) UUID, as Intercom's request ids are: spelled out from 16 random bytes, which
    costs a third of making a `uuid.UUID` and printing it, once per request."""
    digits = os.urandom(16).hex()
    variant = "89ab"[int(digits[16], 16) & 3]
    return f"{digits[:8]}-{digits[8:12]}-4{digits[13:16]}-{variant}{digits[17:20]}-{digits[20:]}"


class IntercomError(StarletteHTTPException):
    """Raised anywhere in the server; rendered as Intercom's error.list.

    An HTTP exception, so that FastAPI lets one raised while it reads a request's body through as it is.
    """

    def __init__(
        self,
        status: int,
        code: str,
        message: str,
        *,
        field: str | None = None,
        headers: dict[str, str] | None = None,
    ) -> None:
        super().__init__(status, message, headers or {})
        self.status = status
        self.code = code
        self.message = message
        self.field = field
        self.headers = headers or {}


def require(
    found: Found | None, missing: Callable[Params, IntercomError], *args: Params.args, **kwargs: Params.kwargs
) -> Found:
    """`found`, or the error of the catalogue that says it is missing: `require(row, company_not_found)`,
    `require(row, not_found, "Brand not found")`. The error is built only when it is raised."""
    if found is None:
        raise missing(*args, **kwargs)
    return found


# -- the catalogue: each Intercom error with its status, code and message (FIDELITY.md §3) --------------
# A constructor per code. Where Intercom's examples show one message, it is the default; where the code
# carries a message of the case (or appears with two statuses), the caller gives it.

USER_NOT_FOUND = "User Not Found"
OBJECT_NOT_FOUND = "Object not found"


def unauthorized(message: str = "Access Token Invalid") -> IntercomError:
    return IntercomError(401, "unauthorized", message)


def missing_authorization() -> IntercomError:
    """A request with no credentials at all (FIDELITY §1.3); a wrong one is `unauthorized`."""
    return IntercomError(401, "missing_authorization", "No authorization data was found on the request")


def token_revoked() -> IntercomError:
    return IntercomError(401, "token_revoked", "The token or API Key has been revoked")


def forbidden(message: str) -> IntercomError:
    return IntercomError(403, "forbidden", message)


def api_plan_restricted(message: str) -> IntercomError:
    return IntercomError(403, "api_plan_restricted", message)


def not_found(message: str = "Resource Not Found") -> IntercomError:
    return IntercomError(404, "not_found", message)


def user_not_found() -> IntercomError:
    """A contact (an Intercom "user") that does not exist, or is archived or merged away."""
    return not_found(USER_NOT_FOUND)


def admin_not_found(message: str = "Admin not found") -> IntercomError:
    return IntercomError(404, "admin_not_found", message)


def article_not_found() -> IntercomError:
    return IntercomError(404, "article_not_found", "Article not found")


def assignee_not_found() -> IntercomError:
    return IntercomError(404, "assignee_not_found", "Assignee not found")


def company_not_found() -> IntercomError:
    return IntercomError(404, "company_not_found", "Company Not Found")


def content_snippet_not_found() -> IntercomError:
    return IntercomError(404, "content_snippet_not_found", "Content snippet not found")


def conversation_not_found(message: str = "Conversation not found") -> IntercomError:
    return IntercomError(404, "conversation_not_found", message)


def conversation_attribute_not_found(message: str = "Conversation attribute not found") -> IntercomError:
    return IntercomError(404, "conversation_attribute_not_found", message)


def conversation_part_or_message_not_found() -> IntercomError:
    return IntercomError(
        404, "conversation_part_or_message_not_found", "Conversation part or message not found"
    )


def data_connector_not_found() -> IntercomError:
    return IntercomError(404, "data_connector_not_found", "Data connector not found")


def execution_result_not_found() -> IntercomError:
    return IntercomError(404, "execution_result_not_found", "Execution result not found")


def export_job_not_found(identifier: str) -> IntercomError:
    return not_found(f"Export job not found for identifier: {identifier}")


def field_not_found() -> IntercomError:
    return IntercomError(404, "field_not_found", "We couldn't find that data attribute to update")


def internal_article_not_found() -> IntercomError:
    return IntercomError(404, "internal_article_not_found", "Internal article not found")


def job_not_found() -> IntercomError:
    return IntercomError(404, "job_not_found", "Job Not Found")


def tag_not_found() -> IntercomError:
    return IntercomError(404, "tag_not_found", "Tag not found")


def team_not_found() -> IntercomError:
    return IntercomError(404, "team_not_found", "Team not found")


def ticket_not_found() -> IntercomError:
    return IntercomError(404, "ticket_not_found", "Ticket not found")


def whatsapp_message_not_found() -> IntercomError:
    return IntercomError(404, "whatsapp_message_not_found", "Whatsapp message not found")


def parameter_invalid(message: str, *, field: str | None = None, status: int = 400) -> IntercomError:
    """A request parameter with a wrong value: 400, or 422 for a well-formed request Intercom refuses."""
    return IntercomError(status, "parameter_invalid", message, field=field)


def parameter_not_found(message: str, *, field: str | None = None, status: int = 400) -> IntercomError:
    """A required parameter missing: 400, or 422 where Intercom says so (an email without a subject)."""
    return IntercomError(status, "parameter_not_found", message, field=field)


def parameter_mismatch(message: str) -> IntercomError:
    return IntercomError(400, "parameter_mismatch", message)


def data_invalid(message: str, *, field: str | None = None) -> IntercomError:
    return IntercomError(422, "data_invalid", message, field=field)


def validation_error(message: str) -> IntercomError:
    return IntercomError(422, "validation_error", message)


def bad_request(message: str) -> IntercomError:
    return IntercomError(400, "bad_request", message)


def client_error(message: str) -> IntercomError:
    return IntercomError(400, "client_error", message)


def intercom_version_invalid(message: str) -> IntercomError:
    return IntercomError(400, "intercom_version_invalid", message)


def invalid_sort_order(message: str) -> IntercomError:
    return IntercomError(400, "invalid_sort_order", message)


def invalid_merge(message: str) -> IntercomError:
    return IntercomError(400, "invalid_merge", message)


def invalid_ticket_type(message: str) -> IntercomError:
    return IntercomError(400, "invalid_ticket_type", message)


def ticket_state_id_invalid() -> IntercomError:
    return IntercomError(
        400,
        "ticket_state_id_invalid",
        "Ticket state id is not valid or is not associated with the ticket type",
    )


def tag_has_dependent_objects(segment_names: list[str]) -> IntercomError:
    return IntercomError(
        400,
        "tag_has_dependent_objects",
        f"Unable to delete Tag with dependent objects. Segments: {', '.join(segment_names)}.",
    )


def contact_company_limit_exceeded(limit: int) -> IntercomError:
    return IntercomError(
        400,
        "contact_company_limit_exceeded",
        f"Contact has reached the maximum of {limit} company associations",
    )


def conversation_id_limit_exceeded() -> IntercomError:
    return IntercomError(
        400, "conversation_id_limit_exceeded", "A list of up to 20 conversation IDs is required"
    )


def conversation_part_not_redactable(message: str) -> IntercomError:
    return IntercomError(400, "conversation_part_not_redactable", message)


def already_linked_to_tracker() -> IntercomError:
    return IntercomError(400, "already_linked_to_tracker", "A conversation can only have one tracker ticket")


def linked_conversation_limit_exceeded() -> IntercomError:
    return IntercomError(
        400,
        "linked_conversation_limit_exceeded",
        "Ticket has reached the maximum number of conversations that can be linked",
    )


def scroll_exists() -> IntercomError:
    return IntercomError(400, "scroll_exists", "scroll already exists for this app")


def conflict(message: str) -> IntercomError:
    return IntercomError(409, "conflict", message)


def resource_conflict(message: str) -> IntercomError:
    return IntercomError(409, "resource_conflict", message)


def contact_merged(canonical_id: str) -> IntercomError:
    return IntercomError(
        410,
        "contact_merged",
        "This contact has been merged. See the 'Link' header for the canonical contact.",
        headers={"Link": f'</contacts/{canonical_id}>; rel="canonical"'},
    )


def rate_limit_exceeded(message: str = "Rate Limit Exceeded") -> IntercomError:
    return IntercomError(429, "rate_limit_exceeded", message)


def server_error() -> IntercomError:
    return IntercomError(500, "server_error", "Internal server error")


# -- the sandbox's own limits and conditions, in the same shape -----------------------------------------


def request_too_large(limit: int) -> IntercomError:
    return IntercomError(413, "request_too_large", f"The request body is larger than {limit} bytes")


def number_out_of_range() -> IntercomError:
    return parameter_invalid("A number in the request is out of range")


def field_too_long(field: str, limit: int) -> IntercomError:
    return parameter_invalid(f"{field} is too long (maximum is {limit} characters)", field=field)


def not_unicode() -> IntercomError:
    return parameter_invalid("The request contains text that is not valid Unicode (a lone surrogate)")


def service_unavailable(reason: str) -> IntercomError:
    return IntercomError(503, "service_unavailable", reason)


def unsupported_media_type() -> IntercomError:
    return IntercomError(
        415,
        "unsupported_media_type",
        "The control plane takes JSON bodies only: send Content-Type: application/json (curl --json)",
    )


def cross_origin_refused() -> IntercomError:
    return forbidden("The control plane refuses requests from web pages of another origin")


def host_refused(host: str) -> IntercomError:
    return forbidden(
        f"Host {host!r} is not this sandbox's: a loopback sandbox answers localhost and loopback addresses "
        "(add others with --allowed-host)"
    )


def error_body(code: str, message: str, request_id: str | None, field: str | None = None) -> bytes:
    error: dict[str, Any] = {"code": code, "message": message}
    if field:
        error["field"] = field
    try:
        return orjson.dumps({"type": "error.list", "request_id": request_id, "errors": [error]})
    except orjson.JSONEncodeError:  # a message quoting the client's broken text (a lone surrogate)
        cleaned = {key: value.encode("utf-8", "backslashreplace").decode() for key, value in error.items()}
        return orjson.dumps({"type": "error.list", "request_id": request_id, "errors": [cleaned]})


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


def _validation_error(error: dict[str, Any]) -> IntercomError:
    """Intercom's error for the first thing pydantic found wrong in a request."""
    location = [str(part) for part in error.get("loc", ()) if part not in ("body", "query", "path", "header")]
    field = ".".join(location) or None
    kind = error.get("type", "")
    context = error.get("ctx") or {}
    what = field or "body"
    if kind == "json_invalid":
        return parameter_invalid("There was a problem in the JSON you submitted")
    if kind == "missing":
        return parameter_not_found(f"{what} is a required parameter", field=field)
    if kind in ("literal_error", "enum"):
        return parameter_invalid(
            f"{what} must be one of {context.get('expected', 'its allowed values')}", field=field
        )
    if kind in _BOUNDS:
        try:
            bound = _BOUNDS[kind].format(**context)
        except (KeyError, IndexError):
            bound = "within its limits"
        return parameter_invalid(f"{what} must be {bound}", field=field)
    if kind == "value_error" and isinstance(context.get("error"), ValueError):
        # The project's own validators word their errors for clients.
        return parameter_invalid(f"{what} {context['error']}", field=field)
    base = kind.split("_", 1)[0] if kind not in _EXPECTED else kind
    for prefix in (kind.rsplit("_", 1)[0], base):
        if prefix in _EXPECTED:
            return parameter_invalid(f"{what} must be {_EXPECTED[prefix]}", field=field)
    return parameter_invalid(f"{what} is invalid", field=field)


async def _on_validation_error(request: Request, exc: RequestValidationError) -> Response:
    return _render(request, _validation_error(exc.errors()[0]))


def _render(request: Request, error: IntercomError) -> Response:
    return error_response(
        error.status,
        error.code,
        error.message,
        _request_id(request),
        field=error.field,
        headers=dict(error.headers or {}),
    )


async def _on_intercom_error(request: Request, exc: IntercomError) -> Response:
    return _render(request, exc)


async def _on_http_error(request: Request, exc: StarletteHTTPException) -> Response:
    # Intercom answers an unknown route, and an unsupported method on a known one, with 404.
    if exc.status_code in (404, 405):
        return _render(request, not_found())
    return error_response(exc.status_code, "client_error", str(exc.detail), _request_id(request))


async def _on_number_overflow(request: Request, exc: OverflowError) -> Response:
    # A number beyond SQLite's 64 bits reaches the store only from the request: the client's fault.
    return _render(request, number_out_of_range())


async def _on_encode_error(request: Request, exc: orjson.JSONEncodeError) -> Response:
    # JSON that cannot hold a request's number is the same client error as the store's overflow, and
    # text that is not Unicode can only come from the request too; any other failure is the fake's bug.
    if "64-bit" in str(exc):
        return await _on_number_overflow(request, OverflowError(str(exc)))
    if "surrogates not allowed" in str(exc):
        return _render(request, not_unicode())
    return await _on_unexpected_error(request, exc)


async def _on_unicode_error(request: Request, exc: UnicodeEncodeError) -> Response:
    # SQLite refuses to store a lone surrogate; the write's transaction has been rolled back.
    return _render(request, not_unicode())


# What SQLite says when the database cannot take a write or be read; anything else is the fake's bug.
DATABASE_TROUBLE = {
    "SQLITE_FULL": "The sandbox's disk is full: the request was not applied",
    "SQLITE_READONLY": "The sandbox's database is read-only: the request was not applied",
    "SQLITE_IOERR": "The sandbox's database could not be read or written: the request was not applied",
    "SQLITE_BUSY": "The sandbox's database is busy: the request was not applied",
    "SQLITE_LOCKED": "The sandbox's database is busy: the request was not applied",
    "SQLITE_CANTOPEN": "The sandbox's database file cannot be opened: the request was not applied",
}


def database_trouble(exc: BaseException) -> str | None:
    """Why the database failed, as a client should hear it, when the failure is the machine's."""
    if not isinstance(exc, sqlite3.Error):
        return None
    name = getattr(exc, "sqlite_errorname", "") or ""
    return next((reason for prefix, reason in DATABASE_TROUBLE.items() if name.startswith(prefix)), None)


async def _on_database_error(request: Request, exc: sqlite3.Error) -> Response:
    reason = database_trouble(exc)
    if reason is None:
        return await _on_unexpected_error(request, exc)
    return _render(request, service_unavailable(reason))


async def _on_unexpected_error(request: Request, exc: Exception) -> Response:
    if database_trouble(exc) is not None:  # raised outside a route (the gateway provisioning a token)
        return await _on_database_error(request, exc)  # type: ignore[arg-type]
    return _render(request, server_error())


def install_error_handlers(app: FastAPI) -> None:
    app.add_exception_handler(RequestValidationError, _on_validation_error)  # type: ignore[arg-type]
    app.add_exception_handler(IntercomError, _on_intercom_error)  # type: ignore[arg-type]
    app.add_exception_handler(StarletteHTTPException, _on_http_error)  # type: ignore[arg-type]
    app.add_exception_handler(OverflowError, _on_number_overflow)  # type: ignore[arg-type]
    app.add_exception_handler(orjson.JSONEncodeError, _on_encode_error)  # type: ignore[arg-type]
    app.add_exception_handler(UnicodeEncodeError, _on_unicode_error)  # type: ignore[arg-type]
    app.add_exception_handler(sqlite3.Error, _on_database_error)  # type: ignore[arg-type]
    app.add_exception_handler(Exception, _on_unexpected_error)
