"""Tool schemas for models: OpenAI chat function calling, the OpenAI Responses API, Anthropic tool use, MCP.

Every schema is the tool's `model_schema()`: plain JSON Schema (an object with `properties`, `required`,
`additionalProperties: false` at every declared level, arrays with `items`, no `$ref`), the shapes those
APIs document (CONNECTOR.md §2, §5). With `strict=True`, OpenAI formats get the strict structured-output
form of the same schema: every property required, optional ones nullable, only the keywords strict mode
supports. A few tools take free-form maps (custom attributes) that strict mode cannot express; they are
listed in `STRICT_EXCEPTIONS` with the reason and exported with `strict: false`.
"""

import re
from collections.abc import Iterable
from typing import Any, Literal

from connector.catalog import CATALOG, Catalog
from connector.selection import select
from connector.tools import ToolDef

SchemaFormat = Literal["openai", "openai_responses", "anthropic", "mcp"]
FORMATS: tuple[SchemaFormat, ...] = ("openai", "openai_responses", "anthropic", "mcp")
NAME_PATTERN = re.compile(r"^[a-zA-Z0-9_-]{1,64}$")
OPENAI_MAX_TOOLS = 128
_FORBIDDEN_KEYWORDS = frozenset({"$ref", "$defs", "definitions"})

# The keywords OpenAI's strict mode accepts (its "supported schemas"); any other is left out of the
# strict form (minLength, for one) and still checked by the connector before anything is sent.
STRICT_KEYWORDS = frozenset(
    {
        "type",
        "properties",
        "required",
        "additionalProperties",
        "items",
        "enum",
        "const",
        "anyOf",
        "description",
        "pattern",
        "format",
        "multipleOf",
        "minimum",
        "maximum",
        "exclusiveMinimum",
        "exclusiveMaximum",
        "minItems",
        "maxItems",
    }
)

_FREE_FORM = (
    "a free-form map whose keys are the workspace's own attribute names; strict mode needs every key declared"
)

# Tools whose schema strict mode cannot express, and why: exported with `strict: false`.
STRICT_EXCEPTIONS: dict[str, str] = {
    "intercom_create_data_event": f"metadata is {_FREE_FORM}",
    "intercom_create_help_center_section": "translated_content is a map keyed by locale; strict mode needs every key declared",
    "intercom_create_ticket": f"ticket_attributes is {_FREE_FORM}",
    "intercom_enqueue_create_ticket": f"ticket_attributes is {_FREE_FORM}",
    "intercom_register_fin_voice_call": "data is free-form call metadata; strict mode needs every key declared",
    "intercom_update_company": f"custom_attributes is {_FREE_FORM}",
    "intercom_update_conversation": f"custom_attributes is {_FREE_FORM}",
    "intercom_update_ticket": f"ticket_attributes is {_FREE_FORM}",
    "intercom_update_visitor": f"custom_attributes is {_FREE_FORM}",
}


def _check_plain(schema: Any, where: str) -> None:
    """Refuse references: several providers reject them, and a model reads inlined schemas better."""
    if isinstance(schema, dict):
        for key, value in schema.items():
            if key in _FORBIDDEN_KEYWORDS:
                raise ValueError(f"{where}: schemas given to models must not use {key}")
            _check_plain(value, f"{where}.{key}")
    elif isinstance(schema, list):
        for index, item in enumerate(schema):
            _check_plain(item, f"{where}[{index}]")


def parameters_schema(tool: ToolDef) -> dict[str, Any]:
    """The JSON Schema of what a model may pass to `tool`."""
    schema = tool.model_schema()
    _check_plain(schema, tool.name)
    return schema


def open_objects(schema: Any, path: str = "") -> list[str]:
    """Paths of the objects in `schema` that accept keys they do not declare."""
    if not isinstance(schema, dict):
        return []
    found = []
    if schema.get("type") == "object" and "anyOf" not in schema and "properties" not in schema:
        found.append(path or "(root)")
    for name, sub in (schema.get("properties") or {}).items():
        found += open_objects(sub, f"{path}.{name}" if path else name)
    if isinstance(schema.get("items"), dict):
        found += open_objects(schema["items"], f"{path}[]")
    for option in schema.get("anyOf") or []:
        found += open_objects(option, path)
    return found


def strict_schema(schema: dict[str, Any], nullable: bool = False) -> dict[str, Any]:
    """OpenAI's strict form of `schema`: every property required, optional ones nullable (a null means
    "not given", and the connector drops it), `additionalProperties: false`, supported keywords only."""
    out = {key: value for key, value in schema.items() if key in STRICT_KEYWORDS}
    if "anyOf" in out:
        out.pop("type", None)
        out["anyOf"] = [strict_schema(option) for option in out["anyOf"]]
    if isinstance(out.get("items"), dict):
        out["items"] = strict_schema(out["items"])
    if "properties" in out:
        required = set(schema.get("required") or ())
        out["properties"] = {
            name: strict_schema(sub, nullable=name not in required) for name, sub in out["properties"].items()
        }
        out["required"] = list(out["properties"])
        out["additionalProperties"] = False
    if nullable:
        if "anyOf" in out:
            out["anyOf"] = [*out["anyOf"], {"type": "null"}]
        elif isinstance(out.get("type"), str):
            out["type"] = [out["type"], "null"]
            if "enum" in out:
                out["enum"] = [*out["enum"], None]
    return out


def strict_exception(tool: ToolDef) -> str | None:
    """Why `tool` cannot be strict, or None."""
    return STRICT_EXCEPTIONS.get(tool.name)


def _parameters(tool: ToolDef, strict: bool) -> tuple[dict[str, Any], bool]:
    schema = parameters_schema(tool)
    if strict and strict_exception(tool) is None:
        return strict_schema(schema), True
    return schema, False


def _name(tool: ToolDef) -> str:
    if not NAME_PATTERN.match(tool.name):
        raise ValueError(f"tool name {tool.name!r} is not a valid function name for model APIs")
    return tool.name


def openai_tool(tool: ToolDef, strict: bool = False) -> dict[str, Any]:
    """Chat Completions: `{"type": "function", "function": {name, description, parameters, strict}}`."""
    parameters, is_strict = _parameters(tool, strict)
    return {
        "type": "function",
        "function": {
            "name": _name(tool),
            "description": tool.description,
            "parameters": parameters,
            "strict": is_strict,
        },
    }


def openai_responses_tool(tool: ToolDef, strict: bool = False) -> dict[str, Any]:
    """Responses API: the same, flat. `strict` is spelled out because the Responses API defaults it to true."""
    parameters, is_strict = _parameters(tool, strict)
    return {
        "type": "function",
        "name": _name(tool),
        "description": tool.description,
        "parameters": parameters,
        "strict": is_strict,
    }


def anthropic_tool(tool: ToolDef, strict: bool = False) -> dict[str, Any]:
    """Messages API tool use: `{name, description, input_schema}`."""
    return {"name": _name(tool), "description": tool.description, "input_schema": parameters_schema(tool)}


# What every MCP tool call returns as structured content (CONNECTOR.md §5's result envelope).
ERROR_SCHEMA: dict[str, Any] = {
    "type": "object",
    "properties": {
        "type": {"type": "string", "description": "not_found, invalid_input, rate_limited..."},
        "status": {"type": ["integer", "null"], "description": "Intercom's HTTP status, if it answered."},
        "code": {"type": ["string", "null"]},
        "message": {"type": "string"},
        "request_id": {"type": ["string", "null"]},
        "retryable": {"type": "boolean", "description": "Whether the same call may simply be sent again."},
    },
    "required": ["type", "message", "retryable"],
}
ENVELOPE_SCHEMA: dict[str, Any] = {
    "type": "object",
    "properties": {
        "successful": {"type": "boolean"},
        "data": {"description": "Intercom's answer (JSON), null on failure."},
        "error": {"anyOf": [ERROR_SCHEMA, {"type": "null"}]},
        "execution_id": {"type": ["string", "null"]},
        "tool_name": {"type": "string"},
        "truncated": {
            "type": ["object", "null"],
            "description": "Present when the answer was cut to fit: what was left out and how to get it.",
        },
    },
    "required": ["successful", "data", "error", "tool_name"],
}


def mcp_tool(tool: ToolDef, strict: bool = False) -> dict[str, Any]:
    """An MCP `Tool`: `inputSchema`, `outputSchema` (the result envelope) and camelCase `annotations`
    hints that follow what the tool does."""
    return {
        "name": _name(tool),
        "title": tool.title,
        "description": tool.description,
        "inputSchema": parameters_schema(tool),
        "outputSchema": ENVELOPE_SCHEMA,
        "annotations": {
            "title": tool.title,
            "readOnlyHint": tool.read_only,
            "destructiveHint": tool.destructive,
            "idempotentHint": tool.idempotent,
            "openWorldHint": True,
        },
    }


_BUILDERS = {
    "openai": openai_tool,
    "openai_responses": openai_responses_tool,
    "anthropic": anthropic_tool,
    "mcp": mcp_tool,
}


def get_tools(
    format: SchemaFormat = "openai",
    tools: Iterable[str] | str | None = None,
    *,
    groups: Iterable[str] | str | None = None,
    read_only: bool = False,
    query: str | None = None,
    limit: int | None = None,
    strict: bool = False,
    catalog: Catalog = CATALOG,
) -> list[dict[str, Any]]:
    """Schemas of the selected tools in one provider's format (see `connector.selection.select`:
    without a selector, the small `DEFAULT_TOOLS` set; `groups="all"` for the whole catalog).

    `strict=True` gives OpenAI's strict structured-output form (ignored by the other formats).
    OpenAI accepts at most 128 tools per request, so a larger OpenAI selection is refused.
    """
    if format not in _BUILDERS:
        raise ValueError(f"format must be one of {', '.join(FORMATS)}, not {format!r}")
    selected = select(catalog, tools, groups, read_only, query, limit)
    if format.startswith("openai") and len(selected) > OPENAI_MAX_TOOLS:
        raise ValueError(
            f"{len(selected)} tools selected but OpenAI accepts at most {OPENAI_MAX_TOOLS} per request: "
            "narrow with groups=, read_only=, query= or limit="
        )
    return [_BUILDERS[format](tool, strict) for tool in selected]


def tool_name_of(entry: dict[str, Any]) -> str:
    """The tool name of one exported schema, whatever its format."""
    return str(entry["function"]["name"] if "function" in entry else entry["name"])
