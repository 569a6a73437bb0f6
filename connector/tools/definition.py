"""What a tool declaration is: a name, the Intercom operation it calls, and where each input goes.

Declarations are plain data (the resource modules next to this file are generated from the Scalekit
and Definable catalogs by scripts/gen_tools.py). The JSON schema shown to a model and the pydantic
model that validates its input are both derived from them, so the two cannot disagree.
"""

from dataclasses import dataclass, field
from typing import Any, Literal

JsonType = Literal["string", "integer", "boolean", "number", "object", "array"]
Location = Literal["path", "query", "body", "meta"]


@dataclass(frozen=True)
class Param:
    name: str
    type: JsonType
    required: bool = False
    description: str = ""
    location: Location = "body"
    api_name: str | None = None
    """The name on the wire when it differs from the tool's parameter name."""
    schema: dict[str, Any] = field(default_factory=dict)
    """Extra JSON-schema keywords (nested `properties`, array `items`) shown to the model."""

    @property
    def wire_name(self) -> str:
        return self.api_name or self.name

    @property
    def sent(self) -> bool:
        return self.location != "meta"

    def json_schema(self) -> dict[str, Any]:
        schema: dict[str, Any] = {"type": self.type, **self.schema}
        if self.description:
            schema["description"] = self.description
        if self.location == "path":
            # An empty path segment would address a different Intercom endpoint.
            schema["minLength"] = 1
        return schema


# Intercom's search query (FIDELITY.md §5): a filter, or an AND/OR group of at most 15 members nested
# at most two groups deep. Unrolled to that depth, so it needs no `$ref` and enforces the limit.
SEARCH_OPERATORS = ("=", "!=", "IN", "NIN", "<", ">", "<=", ">=", "~", "!~", "^", "$")
MAX_GROUP_MEMBERS = 15
SEARCH_PER_PAGE_MAX = 150


def _search_filter() -> dict[str, Any]:
    return {
        "type": "object",
        "description": "One filter: field, operator and value.",
        "properties": {
            "field": {
                "type": "string",
                "description": "The field to filter on, e.g. email or custom_attributes.plan.",
            },
            "operator": {"type": "string", "enum": list(SEARCH_OPERATORS)},
            "value": {
                "anyOf": [
                    {"type": "string"},
                    {"type": "integer"},
                    {"type": "number"},
                    {"type": "boolean"},
                    {"type": "array", "items": {"anyOf": [{"type": "string"}, {"type": "integer"}]}},
                ],
                "description": "The value; a list for IN and NIN. Dates are Unix seconds.",
            },
        },
        "required": ["field", "operator", "value"],
        "additionalProperties": False,
    }


def _search_group(members: dict[str, Any], description: str) -> dict[str, Any]:
    return {
        "type": "object",
        "description": description,
        "properties": {
            "operator": {"type": "string", "enum": ["AND", "OR"]},
            "value": {"type": "array", "items": members, "minItems": 1, "maxItems": MAX_GROUP_MEMBERS},
        },
        "required": ["operator", "value"],
        "additionalProperties": False,
    }


def search_query_schema() -> dict[str, Any]:
    """The `query` of the contact, conversation and ticket searches (a new dict each call: a Param's
    schema is its own)."""
    inner_group = _search_group(_search_filter(), "A group of filters (the deepest level a group may nest).")
    return {
        "anyOf": [
            _search_filter(),
            _search_group(
                {"anyOf": [_search_filter(), inner_group]},
                "An AND/OR group of filters or of groups of filters.",
            ),
        ]
    }


def search_pagination_schema() -> dict[str, Any]:
    """The `pagination` of the same searches: a page size and the cursor of the page before."""
    return {
        "properties": {
            "per_page": {
                "type": "integer",
                "minimum": 1,
                "maximum": SEARCH_PER_PAGE_MAX,
                "description": "Results per page.",
            },
            "starting_after": {
                "type": "string",
                "description": "pages.next.starting_after of the previous page.",
            },
        },
        "additionalProperties": False,
    }


# Scalekit's tool-versioning parameters: every tool accepts them, none is ever sent to Intercom.
META_PARAMS = (
    Param("schema_version", "string", description="Schema version", location="meta"),
    Param("tool_version", "string", description="Tool version", location="meta"),
)


@dataclass(frozen=True)
class ToolDef:
    name: str
    description: str
    operation_id: str
    method: str
    path: str
    resource: str
    title: str
    params: tuple[Param, ...] = ()
    aliases: tuple[str, ...] = ()
    source: Literal["scalekit", "spec"] = "scalekit"
    """`scalekit` for Scalekit's catalog; `spec` for tools added from the official spec (or, for the
    legacy endpoints, from Definable's page) so that every Definable action has a tool to resolve to."""
    fixed_body: dict[str, Any] = field(default_factory=dict)
    """Body fields this tool always sends (Definable's "Close conversation" is manageConversation with
    message_type=close): not inputs, never overridable."""
    intercom_version: str | None = None
    """The Intercom-Version this tool's requests carry whatever the client's, for operations that only
    exist from that version on (2.16's macros)."""
    read_only: bool = False
    """Changes nothing (a search is a POST that only reads)."""
    destructive: bool = False
    """May remove, overwrite or end something (MCP: not only additive)."""
    idempotent: bool = False
    """Calling it again with the same input has no further effect."""

    def param(self, name: str) -> Param:
        return next(param for param in self.params if param.name == name)

    def model_schema(self) -> dict[str, Any]:
        """What a model may pass: plain JSON Schema, no `$ref`, no unknown properties; Scalekit's
        bookkeeping inputs left out (a model has nothing to put there)."""
        return _object_schema([param for param in self.params if param.sent])

    def input_schema(self) -> dict[str, Any]:
        """What `execute_tool` accepts: the model's schema plus Scalekit's bookkeeping inputs."""
        return _object_schema(self.params)


def _object_schema(params: "list[Param] | tuple[Param, ...]") -> dict[str, Any]:
    return {
        "type": "object",
        "properties": {param.name: param.json_schema() for param in params},
        "required": [param.name for param in params if param.required],
        "additionalProperties": False,
    }
