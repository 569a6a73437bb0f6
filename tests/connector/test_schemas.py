"""Tool schemas for models: plain JSON Schema in each provider's shape, agreeing with the executor."""

import json
import re

import jsonschema
import pytest

from connector import CATALOG, Actions, Catalog, ToolInputError, ToolNotFoundError
from connector.schemas import FORMATS, get_tools, parameters_schema, to_anthropic_tools, to_mcp_tools
from connector.tools import META_PARAMS, Param, ToolDef

NAME = re.compile(r"^[a-zA-Z0-9_-]{1,64}$")


def schema_of(format: str, entry: dict) -> dict:
    return {
        "openai": lambda e: e["function"]["parameters"],
        "openai_responses": lambda e: e["parameters"],
        "anthropic": lambda e: e["input_schema"],
        "mcp": lambda e: e["inputSchema"],
    }[format](entry)


def name_of(format: str, entry: dict) -> str:
    return entry["function"]["name"] if format == "openai" else entry["name"]


@pytest.mark.parametrize("format", FORMATS)
def test_every_tool_is_plain_valid_json_schema(format):
    entries = get_tools(format)
    assert len(entries) == len(CATALOG)
    assert [name_of(format, entry) for entry in entries] == [tool.name for tool in CATALOG]
    for entry in entries:
        name = name_of(format, entry)
        assert NAME.match(name), name
        assert "$ref" not in json.dumps(entry) and "$defs" not in json.dumps(entry)
        schema = schema_of(format, entry)
        jsonschema.Draft202012Validator.check_schema(schema)
        assert schema["type"] == "object" and schema["additionalProperties"] is False
        assert set(schema["required"]) <= set(schema["properties"]), name
        assert not {"schema_version", "tool_version"} & set(schema["properties"]), name


def test_provider_shapes():
    tool = CATALOG.get("intercom_delete_contact")
    (openai,) = get_tools("openai", ["intercom_delete_contact"])
    assert set(openai) == {"type", "function"} and openai["type"] == "function"
    assert set(openai["function"]) == {"name", "description", "parameters", "strict"}
    assert openai["function"]["description"] == tool.description
    (responses,) = get_tools("openai_responses", "intercom_delete_contact")
    assert responses == {"type": "function", **openai["function"]}
    assert responses["strict"] is False  # the Responses API would otherwise assume strict mode
    (anthropic,) = to_anthropic_tools("intercom_delete_contact")
    assert anthropic == {
        "name": "intercom_delete_contact",
        "description": tool.description,
        "input_schema": openai["function"]["parameters"],
    }
    (mcp,) = to_mcp_tools("intercom_delete_contact")
    assert mcp["inputSchema"] == anthropic["input_schema"]
    assert mcp["annotations"] == {
        "title": tool.title,
        "readOnlyHint": False,
        "destructiveHint": True,
        "idempotentHint": True,
        "openWorldHint": True,
    }
    assert mcp["inputSchema"]["required"] == ["contact_id"]
    assert mcp["inputSchema"]["properties"]["contact_id"]["minLength"] == 1


def test_names_and_aliases_select_canonical_tools_once():
    entries = get_tools(
        "anthropic", ["INTERCOM_GET_A_CONTACT", "intercom_retrieve_contact", "intercom_list_admins"]
    )
    assert [entry["name"] for entry in entries] == ["intercom_retrieve_contact", "intercom_list_admins"]
    with pytest.raises(ToolNotFoundError):
        get_tools("openai", ["intercom_nope"])
    with pytest.raises(ValueError, match="format"):
        get_tools("gemini")  # type: ignore[arg-type]


def test_actions_exposes_the_same_schemas():
    actions = Actions(token="t")
    assert actions.get_tools("openai") == get_tools("openai")
    assert actions.to_openai_tools(["intercom_list_tags"]) == get_tools("openai", ["intercom_list_tags"])
    assert actions.to_openai_responses_tools() == get_tools("openai_responses")
    assert actions.to_anthropic_tools() == get_tools("anthropic")
    assert actions.to_mcp_tools() == get_tools("mcp")


def sample(schema: dict):
    """A value of a parameter schema's type (what a model would produce)."""
    return {
        "string": "x",
        "integer": 1,
        "number": 1.5,
        "boolean": True,
        "object": {},
        "array": [],
    }[schema["type"]]


@pytest.mark.parametrize("tool", list(CATALOG), ids=lambda tool: tool.name)
def test_schema_and_executor_agree(tool):
    """What the schema accepts the executor accepts, and an unknown key is refused by both."""
    schema = parameters_schema(tool)
    validator = jsonschema.Draft202012Validator(schema)
    minimal = {name: sample(schema["properties"][name]) for name in schema["required"]}
    if validator.is_valid(minimal):
        CATALOG.validate(tool, minimal)
        if any(param.name == "schema_version" for param in tool.params):
            # Scalekit's bookkeeping inputs are hidden from models but still accepted.
            CATALOG.validate(tool, {**minimal, "schema_version": "1"})
    extra = {**minimal, "not_a_parameter": 1}
    assert not validator.is_valid(extra)
    with pytest.raises(ToolInputError):
        CATALOG.validate(tool, extra)


def tool_with(param: Param, name: str = "intercom_custom") -> ToolDef:
    return ToolDef(
        name=name,
        description="d",
        operation_id="op",
        method="GET",
        path="/x",
        resource="x",
        title="X",
        params=(param, *META_PARAMS),
    )


def test_references_are_refused():
    tool = tool_with(Param("query", "object", schema={"properties": {"a": {"$ref": "#/$defs/a"}}}))
    with pytest.raises(ValueError, match=r"\$ref"):
        get_tools("openai", catalog=Catalog([tool]))


def test_names_models_cannot_call_are_refused():
    tool = tool_with(Param("q", "string"), name="intercom list")
    with pytest.raises(ValueError, match="function name"):
        get_tools("anthropic", catalog=Catalog([tool]))
