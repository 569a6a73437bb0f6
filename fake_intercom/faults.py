"""Fault injection: rules that make a workspace's Intercom misbehave on purpose.

A rule matches a method, a path glob and optionally an operationId, and then answers with an error,
a 429 carrying the rate-limit headers, a dropped connection, or only a delay before the real answer.
It may fire a limited number of times, or with a probability drawn from its own seeded generator so a
flaky run can be replayed. Rules live in memory: they configure this server, not the workspace.
"""

import fnmatch
import itertools
import random
import re
from dataclasses import dataclass, field
from typing import Any, Literal

import httpx
from pydantic import BaseModel, Field, model_validator

from contracts.operations import OPERATIONS
from fake_intercom.errors import IntercomError

Action = Literal["error", "rate_limit", "drop", "delay"]

# What Intercom answers for each status when a rule names none (FIDELITY §3).
DEFAULT_ERRORS: dict[int, tuple[str, str]] = {
    400: ("parameter_invalid", "Bad request"),
    401: ("unauthorized", "Access Token Invalid"),
    403: ("forbidden", "You do not have permission to access this resource"),
    404: ("not_found", "Resource Not Found"),
    409: ("conflict", "Conflict"),
    422: ("unprocessable_entity", "Unprocessable entity"),
    429: ("rate_limit_exceeded", "Rate Limit Exceeded"),
    500: ("server_error", "Internal server error"),
    502: ("server_error", "Bad gateway"),
    503: ("service_unavailable", "Service temporarily unavailable"),
    504: ("server_error", "Gateway timeout"),
}


class FaultSpec(BaseModel):
    """A rule as the control plane receives it."""

    action: Action = Field("error", description="error | rate_limit | drop | delay")
    method: str = Field("*", description="HTTP method, or * for any")
    path: str = Field("*", description="glob over the request path, e.g. /contacts/*")
    operation_id: str | None = Field(None, description="only requests to this operation of the table")
    status: int = Field(500, ge=400, le=599, description="status of an `error` answer")
    code: str | None = Field(None, description="error code (default: Intercom's for the status)")
    message: str | None = None
    body: dict[str, Any] | None = Field(None, description="a raw JSON body instead of an error.list")
    latency_ms: int = Field(0, ge=0, le=120_000, description="delay before acting (all actions)")
    retry_after: int = Field(1, ge=0, le=3_600, description="seconds until the 429 window resets")
    times: int | None = Field(None, ge=1, description="fire at most this many times")
    probability: float = Field(1.0, ge=0.0, le=1.0)
    seed: int | None = Field(None, description="seed of the probability draws (replayable flakiness)")

    @model_validator(mode="after")
    def _known_operation(self) -> "FaultSpec":
        if self.operation_id is not None and self.operation_id not in OPERATIONS:
            raise ValueError(f"operation_id {self.operation_id!r} is not in the operation table")
        return self


@dataclass
class Fault:
    id: str
    spec: FaultSpec
    fired: int = 0
    _path_pattern: re.Pattern[str] | None = None
    _rng: random.Random = field(default_factory=random.Random)

    def __post_init__(self) -> None:
        self._rng = random.Random(self.spec.seed)
        if self.spec.operation_id is not None:
            op = OPERATIONS[self.spec.operation_id]
            # The table's path template, each {param} one path segment.
            template = re.escape(op.path)
            self._path_pattern = re.compile("^" + re.sub(r"\\\{[^}]+\\\}", "[^/]+", template) + "$")

    @property
    def exhausted(self) -> bool:
        return self.spec.times is not None and self.fired >= self.spec.times

    def matches(self, method: str, path: str) -> bool:
        spec = self.spec
        if self.exhausted:
            return False
        if spec.method != "*" and spec.method.upper() != method:
            return False
        if spec.path != "*" and not fnmatch.fnmatchcase(path, spec.path):
            return False
        if self._path_pattern is not None:
            op = OPERATIONS[spec.operation_id or ""]
            if op.method != method or not self._path_pattern.match(path):
                return False
        return spec.probability >= 1.0 or self._rng.random() < spec.probability

    def error(self) -> IntercomError:
        """The error this rule answers with."""
        spec = self.spec
        status = 429 if spec.action == "rate_limit" else spec.status
        default_code, default_message = DEFAULT_ERRORS.get(status, ("server_error", "Injected fault"))
        return IntercomError(status, spec.code or default_code, spec.message or default_message)

    def as_dict(self) -> dict[str, Any]:
        return {"type": "sandbox.fault", "id": self.id, **self.spec.model_dump(), "fired": self.fired}


class ConnectionDropped(httpx.RemoteProtocolError):
    """Raised mid-response so the server closes the connection; in-process, the client sees exactly this
    transport error (an `httpx.TransportError`, as over a real socket)."""

    def __init__(self) -> None:
        super().__init__("Server disconnected without sending a complete response (injected fault).")


class Faults:
    def __init__(self) -> None:
        self._rules: dict[str, list[Fault]] = {}
        self._ids = itertools.count(1)

    def add(self, workspace_id: str, spec: FaultSpec) -> Fault:
        fault = Fault(f"fault_{next(self._ids)}", spec)
        self._rules.setdefault(workspace_id, []).append(fault)
        return fault

    def list(self, workspace_id: str) -> list[Fault]:
        return list(self._rules.get(workspace_id, ()))

    def remove(self, workspace_id: str, fault_id: str) -> bool:
        rules = self._rules.get(workspace_id, [])
        kept = [fault for fault in rules if fault.id != fault_id]
        self._rules[workspace_id] = kept
        return len(kept) != len(rules)

    def clear(self, workspace_id: str) -> None:
        self._rules.pop(workspace_id, None)

    def match(self, workspace_id: str, method: str, path: str) -> Fault | None:
        """The first rule that fires for this request, counted as fired."""
        rules = self._rules.get(workspace_id)
        if not rules:
            return None
        for fault in rules:
            if fault.matches(method, path):
                fault.fired += 1
                return fault
        return None
