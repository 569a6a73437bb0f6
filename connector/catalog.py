"""The tool registry and the one executor that turns any tool and its input into an HTTP request.

No tool has HTTP code of its own: `plan` validates the input against the tool's declaration, places
each value where the declaration says (path, query or body) and applies the tool's translation
(connector/translations.py), which may need lookups; `execute` / `aexecute` run those lookups and the
call through the caller's client.
"""

import json
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

from jsonschema import Draft202012Validator

from connector.client import AsyncIntercomClient, IntercomClient
from connector.errors import ToolInputError, ToolNotFoundError
from connector.tools import ALL_TOOLS, ToolDef
from connector.translations import Steps, path_segment, start
from connector.validation import check, normalise


def _require_json(tool: ToolDef, values: dict[str, Any]) -> None:
    """Objects and arrays are passed through as given; they must still be JSON (no NaN, no sets...)."""
    for name, value in values.items():
        try:
            json.dumps(value, allow_nan=False)
        except (TypeError, ValueError) as error:
            raise ToolInputError(
                f"value is not valid JSON ({error})", field=name, tool_name=tool.name
            ) from None


@dataclass(frozen=True)
class PreparedCall:
    """Everything the HTTP client needs for one tool call."""

    method: str
    path: str
    params: dict[str, Any] | None
    json: dict[str, Any] | None
    headers: dict[str, str] = field(default_factory=dict)
    idempotent: bool | None = None
    """True when the call only reads although its method is POST (a search): safe to retry."""

    def kwargs(self) -> dict[str, Any]:
        """`client.call` arguments; `headers` (a pinned Intercom-Version) are merged by `Catalog.execute`."""
        return {
            "method": self.method,
            "path": self.path,
            "params": self.params,
            "json": self.json,
            "idempotent": self.idempotent,
        }


class Catalog:
    """Tools by canonical name and by alias, both case-insensitive."""

    def __init__(self, tools: Iterable[ToolDef] = ALL_TOOLS) -> None:
        self._tools: dict[str, ToolDef] = {}
        self._index: dict[str, ToolDef] = {}
        self._schemas: dict[str, tuple[dict[str, Any], Draft202012Validator]] = {}
        for tool in tools:
            self._tools[tool.name] = tool
            for name in (tool.name, *tool.aliases):
                if self._index.setdefault(name.lower(), tool) is not tool:
                    raise ValueError(f"Tool name {name!r} is used twice")

    def __iter__(self) -> Iterator[ToolDef]:
        return iter(self._tools.values())

    def __len__(self) -> int:
        return len(self._tools)

    def __contains__(self, name: object) -> bool:
        return isinstance(name, str) and name.lower() in self._index

    def get(self, name: str) -> ToolDef:
        try:
            return self._index[name.lower()]
        except (KeyError, AttributeError):
            raise ToolNotFoundError(str(name)) from None

    def _schema(self, tool: ToolDef) -> tuple[dict[str, Any], Draft202012Validator]:
        """The schema `execute_tool` checks (the model's, plus Scalekit's bookkeeping inputs), built once."""
        if tool.name not in self._schemas:
            schema = tool.input_schema()
            self._schemas[tool.name] = (schema, Draft202012Validator(schema))
        return self._schemas[tool.name]

    def search(self, query: str) -> list[ToolDef]:
        """Tools whose name, alias, title or description contains every word of `query`."""
        words = query.lower().replace("_", " ").split()

        def text(tool: ToolDef) -> str:
            return (
                " ".join((tool.name, *tool.aliases, tool.title, tool.description)).lower().replace("_", " ")
            )

        return [tool for tool in self if all(word in text(tool) for word in words)]

    def validate(self, tool: ToolDef, tool_input: Any) -> dict[str, Any]:
        """The input's values by parameter name (unset and null ones left out), or a `ToolInputError`.

        Checked against the very schema a model is shown (plus Scalekit's bookkeeping inputs), nested
        fields included, after dropping nulls for optional fields and making integer ids strings.
        """
        if tool_input is None:
            tool_input = {}
        if not isinstance(tool_input, Mapping):
            raise ToolInputError(
                f"tool input must be an object, not {type(tool_input).__name__}", tool_name=tool.name
            )
        _require_json(tool, dict(tool_input))
        schema, validator = self._schema(tool)
        values = normalise(schema, dict(tool_input))
        check(validator, values, tool.name, (param.name for param in tool.params if param.sent))
        return {name: value for name, value in values.items() if value is not None}

    def place(self, tool: ToolDef, values: dict[str, Any]) -> PreparedCall:
        """The request for validated `values`, before any translation."""
        path = tool.path
        query: dict[str, Any] = {}
        body: dict[str, Any] = {}
        for param in tool.params:
            if param.name not in values:
                continue
            value = values[param.name]
            if param.location == "path":
                path = path.replace("{" + param.wire_name + "}", path_segment(value))
            elif param.location == "query":
                query[param.wire_name] = value
            elif param.location == "body":
                body[param.wire_name] = value
        has_body = bool(tool.fixed_body) or any(param.location == "body" for param in tool.params)
        headers = {"Intercom-Version": tool.intercom_version} if tool.intercom_version else {}
        return PreparedCall(
            tool.method,
            path,
            query or None,
            {**body, **tool.fixed_body} if has_body else None,
            headers,
            idempotent=True if tool.read_only else None,
        )

    def plan(self, tool: ToolDef, tool_input: Any) -> PreparedCall | Steps:
        """The call to send, or a generator of lookups (see connector/translations.py) ending with it."""
        values = self.validate(tool, tool_input)
        return start(tool.name, self.place(tool, values), values)

    def prepare(self, tool: ToolDef, tool_input: Any) -> PreparedCall:
        """The call to send, for tools whose translation needs no lookup (use `execute` for any tool)."""
        planned = self.plan(tool, tool_input)
        if isinstance(planned, PreparedCall):
            return planned
        try:
            lookup = next(planned)
        except StopIteration as done:
            return done.value
        planned.close()
        raise ToolInputError(
            f"this input needs a lookup ({lookup.method} {lookup.path}) before the request: "
            "run it with Catalog.execute or aexecute",
            tool_name=tool.name,
        )

    def _tool(self, tool: ToolDef | str) -> ToolDef:
        return tool if isinstance(tool, ToolDef) else self.get(tool)

    def execute(
        self,
        client: IntercomClient,
        tool: ToolDef | str,
        tool_input: Any,
        headers: Mapping[str, str] | None = None,
    ) -> Any:
        """Validate, translate (running its lookups through `client` with the same `headers`), send.

        Returns the answer's JSON; raises `ToolInputError` before any request for invalid input.
        """
        planned = self.plan(self._tool(tool), tool_input)
        if not isinstance(planned, PreparedCall):
            try:
                lookup = next(planned)
                while True:
                    lookup = planned.send(client.call(**lookup.kwargs(), headers=dict(headers or {})))
            except StopIteration as done:
                planned = done.value
        return client.call(**planned.kwargs(), headers={**(headers or {}), **planned.headers})

    async def aexecute(
        self,
        client: AsyncIntercomClient,
        tool: ToolDef | str,
        tool_input: Any,
        headers: Mapping[str, str] | None = None,
    ) -> Any:
        planned = self.plan(self._tool(tool), tool_input)
        if not isinstance(planned, PreparedCall):
            try:
                lookup = next(planned)
                while True:
                    lookup = planned.send(await client.call(**lookup.kwargs(), headers=dict(headers or {})))
            except StopIteration as done:
                planned = done.value
        return await client.call(**planned.kwargs(), headers={**(headers or {}), **planned.headers})


CATALOG = Catalog()


def all_tools() -> list[ToolDef]:
    """Every tool declaration of the default catalog."""
    return list(CATALOG)
