"""Tool schemas for models: OpenAI chat function calling, the OpenAI Responses API, Anthropic tool use, MCP.

Every schema is plain JSON Schema (an object with `properties`, `required`, `additionalProperties:
false`, no `$ref`), the shapes those APIs document (CONNECTOR.md §2, §5). Scalekit's bookkeeping
inputs (`schema_version`, `tool_version`) are left out: a model has nothing to put there, and the
executor still accepts them.
"""

import re
from collections.abc import Iterable
from typing import Any, Literal

from connector.catalog import CATALOG, Catalog
from connector.tools import ToolDef

SchemaFormat = Literal["openai", "openai_responses", "anthropic", "mcp"]
FORMATS: tuple[SchemaFormat, ...] = ("openai", "openai_responses", "anthropic", "mcp")
NAME_PATTERN = re.compile(r"^[a-zA-Z0-9_-]{1,64}$")
_FORBIDDEN_KEYWORDS = frozenset({"$ref", "$defs", "definitions"})


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
    params = [param for param in tool.params if param.sent]
    schema = {
        "type": "object",
        "properties": {param.name: param.json_schema() for param in params},
        "required": [param.name for param in params if param.required],
        "additionalProperties": False,
    }
    _check_plain(schema, tool.name)
    return schema


def _name(tool: ToolDef) -> str:
    if not NAME_PATTERN.match(tool.name):
        raise ValueError(f"tool name {tool.name!r} is not a valid function name for model APIs")
    return tool.name


def openai_tool(tool: ToolDef) -> dict[str, Any]:
    """Chat Completions: `{"type": "function", "function": {name, description, parameters}}`."""
    return {
        "type": "function",
        "function": {
            "name": _name(tool),
            "description": tool.description,
            "parameters": parameters_schema(tool),
            # Strict mode needs every property required; optional Intercom fields are optional here.
            "strict": False,
        },
    }


def openai_responses_tool(tool: ToolDef) -> dict[str, Any]:
    """Responses API: the same, flat. `strict` is spelled out because the Responses API defaults it to true."""
    return {
        "type": "function",
        "name": _name(tool),
        "description": tool.description,
        "parameters": parameters_schema(tool),
        "strict": False,
    }


def anthropic_tool(tool: ToolDef) -> dict[str, Any]:
    """Messages API tool use: `{name, description, input_schema}`."""
    return {"name": _name(tool), "description": tool.description, "input_schema": parameters_schema(tool)}


def mcp_tool(tool: ToolDef) -> dict[str, Any]:
    """An MCP `Tool`: `inputSchema` and camelCase `annotations` hints."""
    return {
        "name": _name(tool),
        "title": tool.title,
        "description": tool.description,
        "inputSchema": parameters_schema(tool),
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


def select_tools(tool_names: Iterable[str] | str | None = None, catalog: Catalog = CATALOG) -> list[ToolDef]:
    """The tools named (canonical names or aliases, any case; `ToolNotFoundError` otherwise), or all."""
    if tool_names is None:
        return list(catalog)
    names = [tool_names] if isinstance(tool_names, str) else list(tool_names)
    selected: dict[str, ToolDef] = {}
    for name in names:
        tool = catalog.get(name)
        selected.setdefault(tool.name, tool)
    return list(selected.values())


def get_tools(
    format: SchemaFormat = "openai",
    tool_names: Iterable[str] | str | None = None,
    catalog: Catalog = CATALOG,
) -> list[dict[str, Any]]:
    """Schemas of the named tools (all by default) in one provider's format."""
    if format not in _BUILDERS:
        raise ValueError(f"format must be one of {', '.join(FORMATS)}, not {format!r}")
    return [_BUILDERS[format](tool) for tool in select_tools(tool_names, catalog)]


def to_openai_tools(
    tool_names: Iterable[str] | str | None = None, catalog: Catalog = CATALOG
) -> list[dict[str, Any]]:
    return get_tools("openai", tool_names, catalog)


def to_openai_responses_tools(
    tool_names: Iterable[str] | str | None = None, catalog: Catalog = CATALOG
) -> list[dict[str, Any]]:
    return get_tools("openai_responses", tool_names, catalog)


def to_anthropic_tools(
    tool_names: Iterable[str] | str | None = None, catalog: Catalog = CATALOG
) -> list[dict[str, Any]]:
    return get_tools("anthropic", tool_names, catalog)


def to_mcp_tools(
    tool_names: Iterable[str] | str | None = None, catalog: Catalog = CATALOG
) -> list[dict[str, Any]]:
    return get_tools("mcp", tool_names, catalog)
