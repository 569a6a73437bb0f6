"""The tool catalog: agrees with the Scalekit/Definable catalogs and the operation table; validates before sending."""

import ast
import importlib.util
import json
from pathlib import Path
from typing import Any

import httpx
import pytest

from connector import CATALOG, Actions, ToolInputError, ToolNotFoundError
from connector.tools import ALL_TOOLS, MODULES
from connector.tools.definition import search_pagination_schema, search_query_schema
from contracts.operations import OPERATIONS

SHARED_CATALOG = Path(__file__).resolve().parents[3] / "shared" / "catalog"
TOOL_NAMES = [tool.name for tool in ALL_TOOLS]
SCALEKIT_TOOL_NAMES = [tool.name for tool in ALL_TOOLS if tool.source == "scalekit"]


def load_catalog(name: str) -> list[dict[str, Any]]:
    path = SHARED_CATALOG / name
    if not path.exists():
        pytest.skip(f"{path} is not present (the catalogs live in ../shared)")
    return json.loads(path.read_text())


def scalekit_tools() -> dict[str, dict[str, Any]]:
    return {entry["name"]: entry for entry in load_catalog("scalekit_tools.json")}


def test_every_scalekit_tool_is_in_the_catalog():
    expected = scalekit_tools()
    ours = {tool.name for tool in CATALOG if tool.source == "scalekit"}
    assert ours == set(expected)
    assert len(ours) == 98


@pytest.mark.parametrize("name", SCALEKIT_TOOL_NAMES)
def test_tool_matches_the_scalekit_catalog(name):
    tool = CATALOG.get(name)
    entry = scalekit_tools()[name]
    assert tool.operation_id == entry["operation"]["operationId"]
    assert (tool.method, tool.path) == (entry["operation"]["method"], entry["operation"]["path"])
    expected = [
        (
            p["name"],
            p["type"],
            p["required"],
            "meta" if p["meta"] else p["in"],
            p.get("api_name") or p["name"],
        )
        for p in entry["params"]
    ]
    ours = [(p.name, p.type, p.required, p.location, p.wire_name) for p in tool.params]
    assert sorted(ours) == sorted(expected)


# The Definable actions no description has an operation for, and the legacy table entries serving them.
LEGACY = {
    "INTERCOM_GET_ENTITY_COUNTS": "listEntityCounts",
    "INTERCOM_LIST_HELP_CENTER_SECTIONS": "listHelpCenterSections",
    "INTERCOM_CREATE_HELP_CENTER_SECTION": "createHelpCenterSection",
    "INTERCOM_DELETE_A_VISITOR": "deleteVisitor",
}


def test_every_definable_action_resolves_to_a_tool_calling_its_operation():
    actions = load_catalog("definable_actions.json")
    assert len(actions) == len({action["slug"] for action in actions}) == 133
    for action in actions:
        tool = CATALOG.get(action["slug"])
        assert action["slug"] in tool.aliases or action["slug"].lower() == tool.name
        operation_id = (action["operation"] or {}).get("operationId") or LEGACY[action["slug"]]
        assert tool.operation_id == operation_id, action["slug"]
        operation = OPERATIONS[operation_id]
        assert (tool.method, tool.path) == (operation.method, operation.path)
        # Definable's one-variant actions of a oneOf body send that variant's fixed fields.
        assert tool.fixed_body == action.get("fixed_body", {}), action["slug"]
    assert sum(len(tool.aliases) for tool in CATALOG) == 133


def test_the_two_job_status_actions_reach_different_operations():
    assert CATALOG.get("INTERCOM_RETRIEVE_JOB_STATUS").operation_id == "jobsStatus"
    assert CATALOG.get("INTERCOM_RETRIEVE_JOB_STATUS_2").operation_id == "getDataExport"


def test_the_catalog_covers_exactly_the_operations_of_both_catalogs():
    wanted = {entry["operation"]["operationId"] for entry in load_catalog("scalekit_tools.json")}
    wanted |= {
        (action["operation"] or {}).get("operationId") or LEGACY[action["slug"]]
        for action in load_catalog("definable_actions.json")
    }
    assert {tool.operation_id for tool in CATALOG} == wanted
    assert len(CATALOG) == 146


def test_tools_of_operations_newer_than_the_default_version_pin_theirs():
    for tool in CATALOG:
        since = OPERATIONS[tool.operation_id].since
        assert tool.intercom_version == (since if since == "2.16" else None), tool.name
    call = CATALOG.prepare(CATALOG.get("INTERCOM_LIST_ALL_MACROS"), {"per_page": 5})
    assert (call.path, call.params, call.headers) == (
        "/macros",
        {"per_page": 5},
        {"Intercom-Version": "2.16"},
    )


def test_one_variant_tools_send_their_fixed_fields_and_cannot_override_them():
    call = CATALOG.prepare(
        CATALOG.get("INTERCOM_CLOSE_CONVERSATION"), {"conversation_id": "7", "admin_id": "1", "body": "Bye"}
    )
    assert (call.method, call.path) == ("POST", "/conversations/7/parts")
    assert call.json == {"admin_id": "1", "body": "Bye", "message_type": "close", "type": "admin"}
    with pytest.raises(ToolInputError) as caught:
        CATALOG.prepare(
            CATALOG.get("intercom_close_conversation"),
            {"conversation_id": "7", "admin_id": "1", "message_type": "open"},
        )
    assert caught.value.field == "message_type"
    reopen = CATALOG.prepare(
        CATALOG.get("INTERCOM_REOPEN_CONVERSATION"), {"conversation_id": "7", "admin_id": "1"}
    )
    assert reopen.json == {"admin_id": "1", "message_type": "open"}


def test_spec_tools_take_their_parameters_from_the_description():
    assign = CATALOG.get("INTERCOM_ASSIGN_CONVERSATION")
    assert [(p.name, p.required) for p in assign.params if p.sent] == [
        ("conversation_id", True),
        ("type", True),
        ("admin_id", True),
        ("assignee_id", True),
        ("body", False),
    ]
    enqueue = CATALOG.get("INTERCOM_ENQUEUE_CREATE_TICKET")
    # allOf: the create-ticket body plus skip_notifications.
    assert {"ticket_type_id", "contacts", "ticket_attributes", "skip_notifications"} <= {
        p.name for p in enqueue.params
    }
    source = CATALOG.get("INTERCOM_GET_CONTENT_IMPORT_SOURCE")
    # Path parameters declared on the path item, not the operation, are still parameters.
    assert [(p.name, p.location) for p in source.params if p.sent] == [("source_id", "path")]


@pytest.mark.parametrize("name", TOOL_NAMES)
def test_tool_agrees_with_the_operation_table(name):
    tool = CATALOG.get(name)
    operation = OPERATIONS[tool.operation_id]
    assert (tool.method, tool.path, tool.resource) == (operation.method, operation.path, operation.resource)
    module = next(module for module in MODULES if tool in module.TOOLS)
    assert module.__name__ == f"connector.tools.{tool.resource}"
    path_params = {p.wire_name for p in tool.params if p.location == "path"}
    assert {f"{{{name}}}" for name in path_params} == {
        part for part in tool.path.split("/") if part.startswith("{")
    }


def contains_ref(node: Any) -> bool:
    if isinstance(node, dict):
        return "$ref" in node or "$defs" in node or any(contains_ref(value) for value in node.values())
    if isinstance(node, list):
        return any(contains_ref(value) for value in node)
    return False


@pytest.mark.parametrize("name", TOOL_NAMES)
def test_exported_schemas_are_plain_and_closed(name):
    tool = CATALOG.get(name)
    schema = Actions(token="t").get_tool(name).definition["input_schema"]
    assert schema["type"] == "object"
    assert schema["additionalProperties"] is False
    assert not contains_ref(schema)
    assert set(schema["required"]) <= set(schema["properties"])
    assert {"schema_version", "tool_version"} <= set(schema["properties"])
    model_schema = tool.model_schema()
    assert set(schema["properties"]) - set(model_schema["properties"]) == {"schema_version", "tool_version"}
    assert schema["required"] == model_schema["required"]
    json.dumps(schema)


READS_SENT_AS_POST = {
    "intercom_search_contacts",
    "intercom_search_conversations",
    "intercom_search_tickets",
    "intercom_list_all_companies",
    "intercom_list_calls_with_transcripts",
}
DESTRUCTIVE_POSTS = (
    "intercom_redact_conversation",
    "intercom_merge_contacts",
    "intercom_block_contact",
    "intercom_archive_contact",
    "intercom_close_conversation",
    "intercom_cancel_data_export",
    "intercom_manage_conversation",
)


@pytest.mark.parametrize("name", TOOL_NAMES)
def test_annotations_follow_what_the_tool_does(name):
    tool = CATALOG.get(name)
    annotations = Actions(token="t").get_tool(name).definition["annotations"]
    assert annotations["read_only_hint"] is (tool.method == "GET" or name in READS_SENT_AS_POST)
    if tool.method == "DELETE" or name in DESTRUCTIVE_POSTS:
        assert annotations["destructive_hint"] is True
    if tool.read_only or (
        name.startswith(("intercom_create_", "intercom_reply_")) and "_or_update_" not in name
    ):
        assert annotations["destructive_hint"] is False
    if tool.read_only or tool.method in ("PUT", "DELETE"):
        assert annotations["idempotent_hint"] is True
    if name.startswith(("intercom_create_", "intercom_reply_")) and "_or_update_" not in name:
        assert annotations["idempotent_hint"] is False
    assert annotations["title"] == OPERATIONS[tool.operation_id].summary


@pytest.mark.parametrize("name", TOOL_NAMES)
def test_descriptions_are_written_for_a_model(name):
    tool = CATALOG.get(name)
    assert 40 <= len(tool.description) <= 1024
    assert all(len(alias) <= 64 and alias.isupper() for alias in tool.aliases)


def sample(schema: dict[str, Any]) -> Any:
    """The smallest value `schema` accepts."""
    if "enum" in schema:
        return schema["enum"][0]
    if "anyOf" in schema:
        return sample(schema["anyOf"][0])
    if schema["type"] == "object":
        properties = schema.get("properties", {})
        return {name: sample(properties[name]) for name in schema.get("required", [])}
    return {"string": "1", "integer": 1, "number": 1.5, "boolean": True, "array": []}[schema["type"]]


def minimal_input(name: str) -> dict[str, Any]:
    return {p.name: sample(p.json_schema()) for p in CATALOG.get(name).params if p.required}


def wrong_value(param_type: str) -> Any:
    return {"string": ["x"], "integer": "one", "boolean": "yes", "object": "x", "array": "x"}[param_type]


class NeverSend(httpx.BaseTransport):
    def __init__(self) -> None:
        self.requests: list[httpx.Request] = []

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        return httpx.Response(500)


def bad_inputs(name: str) -> list[tuple[dict[str, Any], str]]:
    tool = CATALOG.get(name)
    good = minimal_input(name)
    cases = [({**good, "not_a_parameter": 1}, "not_a_parameter")]
    for param in tool.params:
        cases.append(({**good, param.name: wrong_value(param.type)}, param.name))
        if param.required:
            cases.append(({k: v for k, v in good.items() if k != param.name}, param.name))
    return cases


@pytest.mark.parametrize("name", TOOL_NAMES)
def test_invalid_input_raises_tool_input_error_and_sends_nothing(name):
    transport = NeverSend()
    actions = Actions(base_url="http://intercom.test", token="t", transport=transport)
    for tool_input, field in bad_inputs(name):
        with pytest.raises(ToolInputError) as caught:
            actions.execute_tool(tool_input=tool_input, tool_name=name)
        assert caught.value.field == field, tool_input
        failure = actions.execute_tool(tool_input=tool_input, tool_name=name, raise_on_error=False)
        assert not failure.successful and failure.error["type"] == "invalid_input"
        assert failure.error["field"] == field
    assert transport.requests == []


def test_input_that_is_not_an_object_is_refused():
    with pytest.raises(ToolInputError, match="must be an object"):
        CATALOG.prepare(CATALOG.get("intercom_list_admins"), ["display_avatar"])


def test_empty_path_parameter_is_refused():
    with pytest.raises(ToolInputError) as caught:
        CATALOG.prepare(CATALOG.get("intercom_retrieve_contact"), {"contact_id": ""})
    assert caught.value.field == "contact_id"


def test_prepare_places_each_value_and_drops_meta_params():
    call = CATALOG.prepare(
        CATALOG.get("intercom_set_away_admin"),
        {
            "admin_id": 42,
            "away_mode_enabled": True,
            "away_mode_reassign": False,
            "schema_version": "v1",
            "tool_version": "2",
        },
    )
    assert (call.method, call.path, call.params) == ("PUT", "/admins/42/away", None)
    assert call.json == {"away_mode_enabled": True, "away_mode_reassign": False}


def test_prepare_sends_query_parameters_and_skips_nulls():
    call = CATALOG.prepare(
        CATALOG.get("intercom_list_companies"), {"name": "Acme", "page": 2, "per_page": None, "tag_id": None}
    )
    assert (call.method, call.path, call.params, call.json) == (
        "GET",
        "/companies",
        {"name": "Acme", "page": 2},
        None,
    )


def test_prepare_keeps_objects_whole_and_renames_nothing():
    query = {"operator": "AND", "value": [{"field": "email", "operator": "=", "value": "a@b.c"}]}
    call = CATALOG.prepare(
        CATALOG.get("intercom_search_contacts"), {"query": query, "pagination": {"per_page": 5}}
    )
    assert call.json == {"query": query, "pagination": {"per_page": 5}}
    merge = CATALOG.prepare(CATALOG.get("INTERCOM_MERGE_A_LEAD_AND_A_USER"), {"from": "l1", "into": "u1"})
    assert merge.json == {"from": "l1", "into": "u1"}


@pytest.mark.parametrize(
    ("value", "segment"),
    [("a/b", "a%2Fb"), ("a b?c#d", "a%20b%3Fc%23d"), ("..", "%2E%2E"), (".", "%2E"), ("x.y", "x.y")],
)
def test_path_parameters_are_escaped(value, segment):
    call = CATALOG.prepare(CATALOG.get("intercom_retrieve_contact"), {"contact_id": value})
    assert call.path == f"/contacts/{segment}"


def test_posts_without_body_parameters_send_no_body():
    call = CATALOG.prepare(CATALOG.get("intercom_archive_contact"), {"contact_id": "c1"})
    assert call.json is None
    assert CATALOG.prepare(CATALOG.get("intercom_create_contact"), {}).json == {}


def test_lookup_is_case_insensitive_and_covers_aliases():
    assert CATALOG.get("INTERCOM_IDENTIFY_ADMIN").name == "intercom_identify_admin"
    assert CATALOG.get("intercom_get_a_contact").name == "intercom_retrieve_contact"
    assert CATALOG.get("INTERCOM_SET_ADMIN_TO_AWAY") is CATALOG.get("INTERCOM_SET_AN_ADMIN_TO_AWAY")
    with pytest.raises(ToolNotFoundError):
        CATALOG.get("intercom_launch_rocket")


def test_search_matches_all_words():
    names = {tool.name for tool in CATALOG.search("tag contact")}
    assert {"intercom_attach_tag_to_contact", "intercom_detach_tag_from_contact"} <= names
    assert "intercom_list_teams" not in names


def test_generated_modules_match_the_generator():
    load_catalog("scalekit_tools.json")
    spec_file = SHARED_CATALOG.parent / "intercom-openapi" / "api.intercom.io.2.15.yaml"
    if not spec_file.exists():
        pytest.skip(f"{spec_file} is not present")
    script = Path(__file__).resolve().parents[2] / "scripts" / "gen_tools.py"
    module_spec = importlib.util.spec_from_file_location("gen_tools", script)
    generator = importlib.util.module_from_spec(module_spec)
    module_spec.loader.exec_module(generator)
    expected = {tool["name"]: tool for tool in generator.build_tools(*generator.load(SHARED_CATALOG.parent))}
    assert set(expected) == set(TOOL_NAMES)
    for tool in CATALOG:
        want = expected[tool.name]
        assert (
            tool.description,
            tool.aliases,
            tool.operation_id,
            tool.source,
            tool.fixed_body,
            tool.intercom_version,
        ) == (
            want["description"],
            want["aliases"],
            want["operation_id"],
            want["source"],
            want["fixed_body"],
            want["intercom_version"],
        )
        sent = [p for p in tool.params if p.sent]
        assert [(p.name, p.type, p.required, p.description, p.location, p.schema) for p in sent] == [
            (p["name"], p["type"], p["required"], p["description"], p["location"], p.get("schema", {}))
            for p in want["params"]
        ]


def test_connector_never_imports_the_fake():
    root = Path(__file__).resolve().parents[2] / "connector"
    for source in root.rglob("*.py"):
        for node in ast.walk(ast.parse(source.read_text())):
            names = [alias.name for alias in node.names] if isinstance(node, ast.Import) else []
            if isinstance(node, ast.ImportFrom):
                names = [node.module or ""]
            assert not any(name.split(".")[0] == "fake_intercom" for name in names), source


def test_the_search_schemas_are_written_once():
    """The three search tools refer to one definition of the query and of the pagination instead of each
    generated module spelling them out."""
    tools_dir = Path(__file__).resolve().parents[2] / "connector" / "tools"
    # The descriptions inside each schema, quoted as the source spells them.
    filter_text = '"One filter: field, operator and value."'
    cursor_text = '"pages.next.starting_after of the previous page."'
    for text in (filter_text, cursor_text):
        assert [path.name for path in sorted(tools_dir.glob("*.py")) if text in path.read_text()] == [
            "definition.py"
        ]
    for name in ("intercom_search_contacts", "intercom_search_conversations", "intercom_search_tickets"):
        tool = CATALOG.get(name)
        assert tool.param("query").schema == search_query_schema()
        assert tool.param("pagination").schema == search_pagination_schema()
