"""Every failure the connector reports, under one `ConnectorError` root.

Names follow CONNECTOR.md §5: input problems are `ValueError`s found before anything is sent,
API answers are `IntercomAPIError`s carrying Intercom's `error.list`, network trouble is a
`TransportError` (or `ConnectorTimeoutError`, which is also a `TimeoutError`).
"""

import time
from collections.abc import Mapping
from typing import Any, ClassVar

import httpx


class ConnectorError(Exception):
    """Root of every error raised by `connector`."""

    error_type: ClassVar[str] = "connector_error"
    retryable: bool = False
    """Whether sending the same call again is safe and may succeed: the client's own retry rule
    (a 429 always; a 5xx or a lost connection only for a request that can be repeated)."""

    def to_dict(self) -> dict[str, Any]:
        """The `error` member of a failed tool result (CONNECTOR.md §5)."""
        return {
            "type": self.error_type,
            "status": None,
            "code": self.error_type,
            "message": str(self),
            "request_id": None,
            "retryable": self.retryable,
        }


class ToolInputError(ConnectorError, ValueError):
    """A tool input that does not match the tool's schema; nothing was sent."""

    error_type = "invalid_input"

    def __init__(self, message: str, *, field: str = "", tool_name: str | None = None) -> None:
        super().__init__(f"{field}: {message}" if field else message)
        self.field = field
        self.reason = message
        self.tool_name = tool_name

    def to_dict(self) -> dict[str, Any]:
        return {**super().to_dict(), "field": self.field}


class ToolNotFoundError(ConnectorError, LookupError):
    error_type = "tool_not_found"

    def __init__(self, tool_name: str) -> None:
        super().__init__(f"No Intercom tool is named {tool_name!r}")
        self.tool_name = tool_name


class ToolNotAllowedError(ConnectorError, PermissionError):
    """A model called a tool it was not offered: refused, nothing sent."""

    error_type = "tool_not_allowed"

    def __init__(self, tool_name: str, allowed: list[str]) -> None:
        offered = ", ".join(allowed) or "none"
        super().__init__(
            f"{tool_name!r} was not offered in this conversation; the tools offered are: {offered}"
        )
        self.tool_name = tool_name
        self.allowed = allowed


class ConnectedAccountNotFoundError(ConnectorError, LookupError):
    """No connected account has that id, or that (connection_name, identifier)."""

    error_type = "connected_account_not_found"


class ConnectedAccountExistsError(ConnectorError, ValueError):
    """`create_connected_account` for an (connection_name, identifier) that already has an account."""

    error_type = "connected_account_exists"


class AuthorizationRequiredError(ConnectorError):
    """The end user has no ACTIVE account on the connection: send them to `link` (when OAuth is set up)."""

    error_type = "authorization_required"

    def __init__(
        self,
        connection_name: str,
        identifier: str | None,
        status: str | None = None,
        link: str | None = None,
    ) -> None:
        whose = f"{identifier!r} on {connection_name!r}" if identifier else f"account on {connection_name!r}"
        state = f" is {status}" if status else " does not exist"
        advice = f"; authorize at {link}" if link else ""
        super().__init__(f"The connected account {whose}{state}{advice}")
        self.connection_name = connection_name
        self.identifier = identifier
        self.status = status
        self.link = link

    def to_dict(self) -> dict[str, Any]:
        return {**super().to_dict(), "account_status": self.status, "link": self.link}


class OAuthError(ConnectorError):
    """The OAuth flow could not go on: no OAuth app configured, or the token endpoint answered nonsense."""

    error_type = "oauth_error"


class OAuthStateError(OAuthError, ValueError):
    """`complete_authorization` got a state it never issued, one already used, or one that expired."""

    error_type = "invalid_state"


class TransportError(ConnectorError):
    """The request did not get an HTTP answer (connection refused, reset, DNS...)."""

    error_type = "transport_error"
    retryable = True


class ConnectorTimeoutError(TransportError, TimeoutError):
    error_type = "timeout"


class IntercomAPIError(ConnectorError):
    """Intercom answered with an error status; `code`/`message` come from the first `error.list` entry."""

    error_type = "api_error"

    def __init__(
        self,
        status_code: int,
        code: str | None,
        message: str,
        *,
        request_id: str | None = None,
        errors: list[dict[str, Any]] | None = None,
        headers: Mapping[str, str] | None = None,
        body: Any = None,
    ) -> None:
        super().__init__(f"{status_code} {code or 'error'}: {message}")
        self.status_code = status_code
        self.code = code
        self.message = message
        self.request_id = request_id
        self.errors = errors or []
        self.headers = dict(headers or {})
        self.body = body
        self.execution_id: str | None = None
        self.tool_name: str | None = None

    # Scalekit's exception attribute names, so `except` blocks written for it keep working.
    @property
    def http_status(self) -> int:
        return self.status_code

    @property
    def error_code(self) -> str | None:
        return self.code

    @property
    def tool_error_code(self) -> str | None:
        return self.code

    @property
    def tool_error_message(self) -> str:
        return self.message

    def to_dict(self) -> dict[str, Any]:
        return {
            "type": self.error_type,
            "status": self.status_code,
            "code": self.code,
            "message": self.message,
            "request_id": self.request_id,
            "retryable": self.retryable,
        }


class BadRequestError(IntercomAPIError):
    error_type = "bad_request"


class UnauthorizedError(IntercomAPIError):
    error_type = "unauthorized"


class ForbiddenError(IntercomAPIError):
    error_type = "forbidden"


class NotFoundError(IntercomAPIError):
    error_type = "not_found"


class ConflictError(IntercomAPIError):
    error_type = "conflict"


class UnprocessableEntityError(IntercomAPIError):
    error_type = "unprocessable_entity"


class RateLimitError(IntercomAPIError):
    error_type = "rate_limited"
    retryable = True

    @property
    def retry_after(self) -> float | None:
        """Seconds Intercom asked us to wait (Retry-After, else X-RateLimit-Reset), if it said."""
        return retry_after_seconds(self.headers)


class ServerError(IntercomAPIError):
    error_type = "server_error"
    retryable = True


_BY_STATUS: dict[int, type[IntercomAPIError]] = {
    400: BadRequestError,
    401: UnauthorizedError,
    403: ForbiddenError,
    404: NotFoundError,
    409: ConflictError,
    422: UnprocessableEntityError,
    429: RateLimitError,
}


def retry_after_seconds(headers: Mapping[str, str], now: float | None = None) -> float | None:
    """The wait a 429 asks for: `Retry-After` seconds, else `X-RateLimit-Reset` (epoch seconds) minus now."""
    lowered = {key.lower(): value for key, value in headers.items()}
    try:
        if "retry-after" in lowered:
            return max(float(lowered["retry-after"]), 0.0)
        if "x-ratelimit-reset" in lowered:
            current = time.time() if now is None else now
            return max(float(lowered["x-ratelimit-reset"]) - current, 0.0)
    except ValueError:
        return None
    return None


def error_from_response(response: httpx.Response) -> IntercomAPIError:
    """Build the typed error for a non-2xx response from Intercom's `error.list` (or whatever came back)."""
    body = _json_or_text(response)
    errors = _error_entries(body)
    first = errors[0] if errors else {}
    code = first.get("code") or (body.get("error_key") if isinstance(body, dict) else None)
    message = first.get("message") or _fallback_message(body, response)
    request_id = (body.get("request_id") if isinstance(body, dict) else None) or response.headers.get(
        "x-request-id"
    )
    status = response.status_code
    cls = ServerError if status >= 500 else _BY_STATUS.get(status, IntercomAPIError)
    return cls(
        status,
        code,
        str(message),
        request_id=request_id,
        errors=errors,
        headers=response.headers,
        body=body,
    )


def _json_or_text(response: httpx.Response) -> Any:
    try:
        return response.json()
    except ValueError:
        return response.text


def _error_entries(body: Any) -> list[dict[str, Any]]:
    if not isinstance(body, dict):
        return []
    errors = body.get("errors")
    if isinstance(errors, list):
        return [entry for entry in errors if isinstance(entry, dict)]
    # Some endpoints (e.g. /fin/csat) answer `{"errors": {"field": "message"}}`.
    if isinstance(errors, dict):
        return [
            {"code": "validation_error", "field": key, "message": str(value)} for key, value in errors.items()
        ]
    return []


def _fallback_message(body: Any, response: httpx.Response) -> str:
    if isinstance(body, dict) and body.get("message"):
        return str(body["message"])
    if isinstance(body, str) and body.strip():
        return body.strip()[:500]
    return response.reason_phrase or f"HTTP {response.status_code}"
