"""Every export format through each provider's written-down schema rules, for every tool.

The rules are what the providers document or answer with a 400 (OpenAI's `invalid_function_parameters`,
Anthropic's `input_schema` errors), kept here as validators so a schema change that one of them would
refuse fails a test instead of a customer's whole request.
"""

import json
from typing import Any

import jsonschema
import pytest
from anthropic.types import ToolParam
from openai.types.chat import ChatCompletionFunctionToolParam
from pydantic import TypeAdapter

from connector import CATALOG, Actions, Catalog, ToolInputError, ToolNotFoundError
from connector.schemas import (
    OPENAI_MAX_TOOLS,
    STRICT_EXCEPTIONS,
    get_tools,
    open_objects,
    parameters_schema,
    strict_schema,
)
from connector.selection import DEFAULT_TOOLS
from connector.tools import META_PARAMS, Param, ToolDef

ALL = [tool.name for tool in CATALOG]
NAME = r"^[a-zA-Z0-9_-]{1,64}$"
COMBINATORS = ("oneOf", "anyOf", "allOf", "enum", "const", "not")


def walk(schema: Any, path: tuple = ()):
    """Every subschema with its path."""
    if isinstance(schema, dict):
        yield path, schema
        for key in ("properties",):
            for name, sub in (schema.get(key) or {}).items():
                yield from walk(sub, (*path, name))
        if isinstance(schema.get("items"), dict):
            yield from walk(schema["items"], (*path, "[]"))
        for index, option in enumerate(schema.get("anyOf") or []):
            yield from walk(option, (*path, f"anyOf{index}"))


def openai_function_rules(name: str, description: str, parameters: dict) -> list[str]:
    """OpenAI function calling (chat and Responses): the name pattern, descriptions up to 1,024
    characters, an object root with `properties` and no combinator at the top, arrays with `items`,
    no `allOf` and no `$ref`-free recursion needed (we use none)."""
    problems = []
    import re

    if not re.match(NAME, name):
        problems.append(f"name {name!r}")
    if len(description) > 1024:
        problems.append(f"description of {len(description)} characters")
    if parameters.get("type") != "object" or "properties" not in parameters:
        problems.append("root is not an object with properties")
    problems += [f"top-level {key}" for key in COMBINATORS if key in parameters]
    for path, sub in walk(parameters):
        types = sub.get("type") if isinstance(sub.get("type"), list) else [sub.get("type")]
        if "array" in types and "items" not in sub:
            problems.append(f"{path}: array schema missing items")
        if "allOf" in sub or "$ref" in sub:
            problems.append(f"{path}: allOf/$ref")
    jsonschema.Draft202012Validator.check_schema(parameters)
    return problems


def openai_strict_rules(parameters: dict) -> list[str]:
    """OpenAI strict structured outputs: every object closed with every property required, only the
    supported keywords, the root not a union, at most 10 levels, 5,000 properties, 1,000 enum
    values and 120,000 characters of names and enum values."""
    supported = {
        "type", "properties", "required", "additionalProperties", "items", "enum", "const", "anyOf",
        "description", "pattern", "format", "multipleOf", "minimum", "maximum", "exclusiveMinimum",
        "exclusiveMaximum", "minItems", "maxItems",
    }  # fmt: skip
    problems = []
    if "anyOf" in parameters or parameters.get("type") != "object":
        problems.append("root must be a plain object")
    properties = enums = characters = 0
    for path, sub in walk(parameters):
        problems += [f"{path}: unsupported {key}" for key in set(sub) - supported]
        if "properties" in sub:
            properties += len(sub["properties"])
            characters += sum(len(name) for name in sub["properties"])
            if sub.get("additionalProperties") is not False:
                problems.append(f"{path}: additionalProperties must be false")
            if sorted(sub.get("required", [])) != sorted(sub["properties"]):
                problems.append(f"{path}: every property must be required")
        elif sub.get("type") == "object" or sub.get("type") == ["object", "null"]:
            problems.append(f"{path}: object without properties")
        enums += len(sub.get("enum", []))
        characters += sum(len(str(value)) for value in sub.get("enum", []))
        if len([part for part in path if not str(part).startswith("anyOf")]) > 10:
            problems.append(f"{path}: deeper than 10 levels")
    if properties > 5000 or enums > 1000 or characters > 120_000:
        problems.append("schema too large")
    return problems


def anthropic_rules(tool: dict) -> list[str]:
    """Anthropic tool use: the name pattern, an object `input_schema` (JSON Schema 2020-12) with no
    oneOf/allOf/anyOf at the top; the SDK's own `ToolParam` type accepts it."""
    import re

    problems = []
    if not re.match(NAME, tool["name"]):
        problems.append("name")
    schema = tool["input_schema"]
    if schema.get("type") != "object":
        problems.append("input_schema is not an object")
    problems += [f"top-level {key}" for key in ("oneOf", "allOf", "anyOf") if key in schema]
    jsonschema.Draft202012Validator.check_schema(schema)
    TypeAdapter(ToolParam).validate_python(tool)
    return problems


def mcp_rules(tool: dict) -> list[str]:
    """MCP `Tool`: a name, `inputSchema` and `outputSchema` objects of `type: "object"` (JSON Schema
    2020-12), boolean annotation hints; the official SDK's `Tool` model accepts it."""
    import mcp_types

    problems = []
    for key in ("inputSchema", "outputSchema"):
        if tool[key].get("type") != "object":
            problems.append(f"{key} is not an object")
        jsonschema.Draft202012Validator.check_schema(tool[key])
    if not all(isinstance(value, bool) for key, value in tool["annotations"].items() if key != "title"):
        problems.append("annotation hints must be booleans")
    mcp_types.Tool.model_validate(tool)
    return problems


def exported(format: str, strict: bool = False) -> list[dict]:
    """All 146 tools in `format`; OpenAI takes at most 128 per request, so in two requests there."""
    if format.startswith("openai"):
        return [
            entry
            for chunk in (ALL[:OPENAI_MAX_TOOLS], ALL[OPENAI_MAX_TOOLS:])
            for entry in get_tools(format, chunk, strict=strict)
        ]
    return get_tools(format, groups="all")


@pytest.mark.parametrize("strict", [False, True], ids=["plain", "strict"])
def test_openai_chat_accepts_every_tool(strict):
    entries = exported("openai", strict)
    assert len(entries) == len(ALL) == 146
    for entry in entries:
        function = entry["function"]
        TypeAdapter(ChatCompletionFunctionToolParam).validate_python(entry)
        assert openai_function_rules(function["name"], function["description"], function["parameters"]) == []
        if function["strict"]:
            assert openai_strict_rules(function["parameters"]) == [], function["name"]
    strict_names = {entry["function"]["name"] for entry in entries if entry["function"]["strict"]}
    if strict:
        assert strict_names == set(ALL) - set(STRICT_EXCEPTIONS)
    else:
        assert strict_names == set()


@pytest.mark.parametrize("strict", [False, True], ids=["plain", "strict"])
def test_openai_responses_accepts_every_tool(strict):
    entries = exported("openai_responses", strict)
    assert len(entries) == 146
    for entry in entries:
        assert entry["type"] == "function" and isinstance(entry["strict"], bool)
        assert openai_function_rules(entry["name"], entry["description"], entry["parameters"]) == []
        if entry["strict"]:
            assert openai_strict_rules(entry["parameters"]) == [], entry["name"]
    assert sum(entry["strict"] for entry in entries) == (146 - len(STRICT_EXCEPTIONS) if strict else 0)


def test_anthropic_accepts_every_tool():
    entries = exported("anthropic")
    assert len(entries) == 146
    for entry in entries:
        assert anthropic_rules(entry) == [], entry["name"]


def test_mcp_accepts_every_tool():
    entries = exported("mcp")
    assert len(entries) == 146
    for entry in entries:
        assert mcp_rules(entry) == [], entry["name"]


def test_strict_exceptions_are_exactly_the_tools_with_free_form_maps():
    free_form = {tool.name for tool in CATALOG if open_objects(parameters_schema(tool))}
    assert set(STRICT_EXCEPTIONS) == free_form
    for name, reason in STRICT_EXCEPTIONS.items():
        (path,) = open_objects(parameters_schema(CATALOG.get(name)))
        assert reason.startswith(path), (name, reason)


def test_the_rules_catch_what_providers_refuse():
    """The validators fail on the defects providers answer 400 for."""
    assert openai_function_rules("t", "d", {"type": "object", "properties": {"a": {"type": "array"}}})
    assert openai_function_rules("t", "x" * 1025, {"type": "object", "properties": {}})
    assert openai_function_rules("t", "d", {"type": "object"})
    assert openai_function_rules(
        "t", "d", {"type": "object", "properties": {}, "anyOf": [{"type": "object"}]}
    )
    assert openai_strict_rules({"type": "object", "properties": {"a": {"type": "string"}}})
    assert openai_strict_rules(
        {"type": "object", "properties": {"a": {"type": "string", "minLength": 1}}, "required": ["a"],
         "additionalProperties": False}
    )  # fmt: skip
    assert anthropic_rules({"name": "t", "input_schema": {"type": "object", "anyOf": [{}]}})


def test_every_array_has_items_and_prose_values_are_enums():
    """Defects the model-facing schemas used to have: arrays without items, values only in prose."""
    for name in (
        "intercom_create_ticket",
        "intercom_create_news_item",
        "intercom_list_calls_with_transcripts",
    ):
        schema = parameters_schema(CATALOG.get(name))
        assert all("items" in sub for _, sub in walk(schema) if sub.get("type") == "array"), name
    enums = [
        (tool.name, param.name)
        for tool in CATALOG
        for param in tool.params
        if param.sent and "enum" in param.json_schema()
    ]
    assert len(enums) >= 26
    assert ("intercom_create_contact", "role") in enums
    assert CATALOG.get("intercom_manage_conversation").param("message_type").json_schema()["enum"] == [
        "close",
        "snoozed",
        "open",
        "assignment",
    ]
    per_page = CATALOG.get("intercom_list_calls").param("per_page").json_schema()
    assert (per_page["minimum"], per_page["maximum"]) == (1, 25)


def test_search_query_is_nested_to_intercoms_limits():
    tool = CATALOG.get("intercom_search_contacts")
    validator = jsonschema.Draft202012Validator(parameters_schema(tool))
    one = {"field": "email", "operator": "=", "value": "a@b.c"}
    group = {"operator": "AND", "value": [one, {"operator": "OR", "value": [one, one]}]}
    assert validator.is_valid({"query": one})
    assert validator.is_valid({"query": group, "pagination": {"per_page": 150}})
    assert not validator.is_valid({"query": {"operator": "AND", "value": [group]}})  # three levels
    assert not validator.is_valid({"query": {"operator": "AND", "value": [one] * 16}})
    assert not validator.is_valid({"query": {**one, "operator": "LIKE"}})
    assert not validator.is_valid({"query": one, "pagination": {"per_page": 151}})
    with pytest.raises(ToolInputError) as caught:
        CATALOG.validate(tool, {"query": {"operator": "AND", "value": [{"field": "x", "operator": "=="}]}})
    assert caught.value.field.startswith("query")


def test_strict_input_nulls_are_normalised_before_validation():
    tool = CATALOG.get("intercom_search_contacts")
    schema = strict_schema(parameters_schema(tool))
    strict_input = {
        "query": {"field": "email", "operator": "=", "value": "a@b.c"},
        "pagination": {"per_page": None, "starting_after": None},
    }
    assert jsonschema.Draft202012Validator(schema).is_valid(strict_input)
    assert CATALOG.validate(tool, strict_input) == {
        "query": strict_input["query"],
        "pagination": {},
    }
    create = CATALOG.get("intercom_create_contact")
    nulls = {name: None for name in parameters_schema(create)["properties"]}
    assert CATALOG.validate(create, {**nulls, "email": "a@b.c", "owner_id": 5}) == {
        "email": "a@b.c",
        "owner_id": 5,
    }


def test_unknown_parameter_errors_list_the_real_parameters():
    with pytest.raises(ToolInputError) as caught:
        CATALOG.validate(CATALOG.get("intercom_list_tags"), {"nope": 1})
    assert caught.value.reason == "unknown parameter; intercom_list_tags accepts no parameters"
    with pytest.raises(ToolInputError) as caught:
        CATALOG.validate(CATALOG.get("intercom_retrieve_contact"), {"contact_id": "1", "x": 1})
    assert caught.value.reason == "unknown parameter; intercom_retrieve_contact accepts contact_id"


def test_create_ticket_names_the_real_attribute_keys():
    schema = parameters_schema(CATALOG.get("intercom_create_ticket"))
    assert "_default_title_" in schema["properties"]["ticket_attributes"]["description"]
    assert "'title'" not in json.dumps(schema)


def test_selection_defaults_to_a_small_set_and_ranks_by_relevance():
    assert sorted(entry["name"] for entry in get_tools("anthropic")) == sorted(DEFAULT_TOOLS)
    ranked = [entry["name"] for entry in get_tools("anthropic", query="contact", limit=8)]
    assert all(CATALOG.get(name).resource == "contacts" for name in ranked), ranked
    inbox = get_tools("mcp", groups=["inbox"], read_only=True)
    assert inbox and all(entry["annotations"]["readOnlyHint"] for entry in inbox)
    assert {CATALOG.get(entry["name"]).resource for entry in inbox} <= {
        "conversations", "tickets", "ticket_types", "ticket_states", "ticket_type_attributes",
        "messages", "macros", "calls",
    }  # fmt: skip
    named = get_tools(
        "anthropic", ["INTERCOM_GET_A_CONTACT", "intercom_retrieve_contact", "intercom_list_admins"]
    )
    assert [entry["name"] for entry in named] == ["intercom_retrieve_contact", "intercom_list_admins"]
    with pytest.raises(ValueError, match="at most 128"):
        get_tools("openai", groups="all")
    with pytest.raises(ValueError, match="unknown tool group"):
        get_tools("openai", groups="nope")
    with pytest.raises(ToolNotFoundError):
        get_tools("openai", ["intercom_nope"])
    with pytest.raises(ValueError, match="format"):
        get_tools("gemini")  # type: ignore[arg-type]


def test_actions_exposes_the_same_schemas_and_remembers_the_offer():
    actions = Actions(token="t")
    assert actions.get_tools("openai", strict=True) == get_tools("openai", strict=True)
    assert actions.to_anthropic_tools(groups="tags") == get_tools("anthropic", groups="tags")
    assert actions._offered == [entry["name"] for entry in get_tools("anthropic", groups="tags")]


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


def test_references_and_bad_names_are_refused():
    tool = tool_with(Param("query", "object", schema={"properties": {"a": {"$ref": "#/$defs/a"}}}))
    with pytest.raises(ValueError, match=r"\$ref"):
        get_tools("openai", groups="all", catalog=Catalog([tool]))
    tool = tool_with(Param("q", "string"), name="intercom list")
    with pytest.raises(ValueError, match="function name"):
        get_tools("anthropic", groups="all", catalog=Catalog([tool]))
