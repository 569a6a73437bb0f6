"""Generate connector/tools/<resource>.py from the Scalekit and Definable catalogs.

Run once from the project root (the output is committed; the connector never reads ../shared):

    .venv/bin/python scripts/gen_tools.py [--shared ../shared]

Every Scalekit tool keeps its exact name and parameters. A Definable action becomes an alias of the
Scalekit tool calling the same operation when its inputs fit that tool; otherwise it gets a tool of its
own (source="spec") whose parameters come from the official description (2.15, or 2.16 for operations
only 2.16 has), or for the 4 legacy endpoints no description has, from Definable's page. Descriptions
are written in scripts/tool_text/, for a model.

    .venv/bin/python scripts/gen_tools.py --diff

prints, for every Scalekit tool, how its parameters differ from the 2.15 request of its operation: the
mismatches connector/translations.py translates.
"""

import argparse
import json
import re
import subprocess
import sys
from collections import defaultdict
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from contracts.operations import OPERATIONS  # noqa: E402
from scripts.tool_text import content, foundation, inbox  # noqa: E402

TOOLS_DIR = ROOT / "connector" / "tools"

# Tools for operations Scalekit has no tool for (named after Scalekit's `intercom_<verb>_<object>` style).
SPEC_TOOL_NAMES = {
    "BlockContact": "intercom_block_contact",
    "ShowContactByExternalId": "intercom_retrieve_contact_by_external_id",
    "listTagsForAContact": "intercom_list_contact_tags",
    "UpdateCompany": "intercom_update_company",
    "listAllCompanies": "intercom_list_all_companies",
    "scrollOverAllCompanies": "intercom_scroll_companies",
    "listCompanyNotes": "intercom_list_company_notes",
    "dataEventSummaries": "intercom_create_data_event_summaries",
    "deleteTicket": "intercom_delete_ticket",
    "enqueueCreateTicket": "intercom_enqueue_create_ticket",
    "listTicketStates": "intercom_list_ticket_states",
    "jobsStatus": "intercom_retrieve_job_status",
    "listAwayStatusReasons": "intercom_list_away_status_reasons",
    "listMacros": "intercom_list_macros",
    "getMacro": "intercom_retrieve_macro",
    "listContentImportSources": "intercom_list_content_import_sources",
    "createContentImportSource": "intercom_create_content_import_source",
    "getContentImportSource": "intercom_retrieve_content_import_source",
    "updateContentImportSource": "intercom_update_content_import_source",
    "deleteContentImportSource": "intercom_delete_content_import_source",
    "listExternalPages": "intercom_list_external_pages",
    "createExternalPage": "intercom_create_external_page",
    "getExternalPage": "intercom_retrieve_external_page",
    "updateExternalPage": "intercom_update_external_page",
    "deleteExternalPage": "intercom_delete_external_page",
    "listInternalArticles": "intercom_list_internal_articles",
    "createInternalArticle": "intercom_create_internal_article",
    "retrieveInternalArticle": "intercom_retrieve_internal_article",
    "updateInternalArticle": "intercom_update_internal_article",
    "deleteInternalArticle": "intercom_delete_internal_article",
    "searchInternalArticles": "intercom_search_internal_articles",
    "createDataExport": "intercom_create_data_export",
    "getDataExport": "intercom_retrieve_data_export",
    "cancelDataExport": "intercom_cancel_data_export",
    "downloadDataExport": "intercom_download_data_export",
    "listCalls": "intercom_list_calls",
    "showCall": "intercom_retrieve_call",
    "showCallTranscript": "intercom_retrieve_call_transcript",
    "listCallsWithTranscripts": "intercom_list_calls_with_transcripts",
    "registerFinVoiceCall": "intercom_register_fin_voice_call",
    "getCustomObjectInstancesByExternalId": "intercom_retrieve_custom_object_instance_by_external_id",
}

# Definable actions that call an operation a Scalekit tool calls, but with other inputs: a tool each.
# They are one variant of a oneOf body (Definable's `fixed_body`); their parameters are that variant's,
# less the fixed fields. (INTERCOM_CREATE_CONVERSATION takes from_user_id/from_contact_id, but names are
# case-insensitive, so it can only be the Scalekit tool intercom_create_conversation: an alias.)
SLUG_TOOLS = {
    "INTERCOM_ASSIGN_CONVERSATION": "intercom_assign_conversation",
    "INTERCOM_CLOSE_CONVERSATION": "intercom_close_conversation",
    "INTERCOM_REOPEN_CONVERSATION": "intercom_reopen_conversation",
}

# The 4 Definable actions with no operation in any description: legacy endpoints (in the table with
# legacy=True), parameters from Definable's page and Intercom's old reference.
LEGACY_TOOLS: dict[str, tuple[str, str, list[dict[str, Any]]]] = {
    "INTERCOM_GET_ENTITY_COUNTS": (
        "listEntityCounts",
        "intercom_get_entity_counts",
        [
            {
                "name": "type",
                "type": "string",
                "required": False,
                "description": "Omit for the app totals, or 'conversation', 'company' or 'user' for a breakdown.",
                "location": "query",
            },
            {
                "name": "count",
                "type": "string",
                "required": False,
                "description": "With type: 'admin' (conversations per admin), 'segment' or 'tag' "
                "(companies or users per segment/tag), 'user' (companies by user count).",
                "location": "query",
            },
        ],
    ),
    "INTERCOM_LIST_HELP_CENTER_SECTIONS": (
        "listHelpCenterSections",
        "intercom_list_help_center_sections",
        [],
    ),
    "INTERCOM_CREATE_HELP_CENTER_SECTION": (
        "createHelpCenterSection",
        "intercom_create_help_center_section",
        [
            {
                "name": "name",
                "type": "string",
                "required": True,
                "description": "The section's name (in the default language).",
                "location": "body",
            },
            {
                "name": "parent_id",
                "type": "string",
                "required": True,
                "description": "Id of the collection the section belongs to.",
                "location": "body",
            },
            {
                "name": "translated_content",
                "type": "object",
                "required": False,
                "description": 'Names per locale: {"fr": {"type": "group_translated_content", "name": "..."}}.',
                "location": "body",
            },
        ],
    ),
    "INTERCOM_DELETE_A_VISITOR": (
        "deleteVisitor",
        "intercom_delete_visitor",
        [
            {
                "name": "visitor_id",
                "type": "string",
                "required": True,
                "description": "The visitor's Intercom id (not its user_id).",
                "location": "path",
            }
        ],
    ),
}

# Nested shapes the catalog only calls "object"/"array"; shown to the model, types unchanged.
PARAM_SCHEMAS: dict[tuple[str, str], dict[str, Any]] = {
    ("intercom_search_contacts", "pagination"): {
        "properties": {
            "per_page": {"type": "integer", "description": "Results per page (default 50, max 150)."},
            "starting_after": {
                "type": "string",
                "description": "pages.next.starting_after of the last page.",
            },
        }
    },
    ("intercom_convert_visitor", "visitor"): {
        "properties": {"id": {"type": "string"}, "user_id": {"type": "string"}, "email": {"type": "string"}}
    },
    ("intercom_convert_visitor", "user"): {
        "properties": {"id": {"type": "string"}, "user_id": {"type": "string"}, "email": {"type": "string"}}
    },
    ("intercom_create_data_event_summaries", "event_summaries"): {
        "properties": {
            "event_name": {"type": "string"},
            "count": {"type": "integer"},
            "first": {"type": "integer", "description": "Unix seconds of the first occurrence."},
            "last": {"type": "integer", "description": "Unix seconds of the last occurrence."},
        }
    },
    ("intercom_create_data_attribute", "options"): {
        "items": {"type": "object", "properties": {"value": {"type": "string"}}}
    },
    ("intercom_update_data_attribute", "options"): {
        "items": {"type": "object", "properties": {"value": {"type": "string"}}}
    },
}

# Spec parameters whose official description says nothing useful to a model.
SPEC_PARAM_DESCRIPTIONS = {
    **{
        (operation_id, "job_identifier"): "The job_identifier returned by intercom_create_data_export."
        for operation_id in ("cancelDataExport", "downloadDataExport", "getDataExport")
    },
    ("getCustomObjectInstancesByExternalId", "external_id"): "The external_id your system gave the instance.",
    **{
        (operation_id, "locale"): "The page's language; Intercom only accepts 'en'."
        for operation_id in ("createExternalPage", "updateExternalPage")
    },
    (
        "enqueueCreateTicket",
        "assignment",
    ): 'Who gets the ticket: {"admin_assignee_id": "<admin id>"} and/or {"team_assignee_id": "<team id>"}.',
    (
        "manageConversation",
        "type",
    ): "'admin' to assign to an admin, 'team' to assign to a team (assignee_id is then the team's id).",
    ("BlockContact", "contact_id"): "The unique Intercom identifier for the contact to block.",
    (
        "scrollOverAllCompanies",
        "scroll_param",
    ): "The scroll_param of the previous answer; omit it to start a new scroll.",
}

DESCRIPTIONS = {**foundation.DESCRIPTIONS, **inbox.DESCRIPTIONS, **content.DESCRIPTIONS}


def load(shared: Path) -> tuple[list[dict], list[dict], dict[str, dict]]:
    catalog = shared / "catalog"
    scalekit = json.loads((catalog / "scalekit_tools.json").read_text())
    definable = json.loads((catalog / "definable_actions.json").read_text())
    specs = {
        version: yaml.load(
            (shared / "intercom-openapi" / f"api.intercom.io.{version}.yaml").read_text(),
            Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader),
        )
        for version in ("2.15", "2.16")
    }
    return scalekit, definable, specs


def op_id(entry: dict) -> str | None:
    return (entry.get("operation") or {}).get("operationId")


def scalekit_param(tool: str, raw: dict) -> dict[str, Any] | None:
    if raw["meta"]:
        return None
    param = {
        "name": raw["name"],
        "type": raw["type"],
        "required": raw["required"],
        "description": raw["description"],
        "location": raw["in"],
    }
    if raw.get("api_name") and raw["api_name"] != raw["name"]:
        param["api_name"] = raw["api_name"]
    if (tool, raw["name"]) in PARAM_SCHEMAS:
        param["schema"] = PARAM_SCHEMAS[(tool, raw["name"])]
    return param


def resolve(spec: dict, node: Any) -> Any:
    while isinstance(node, dict) and "$ref" in node:
        target: Any = spec
        for part in node["$ref"].lstrip("#/").split("/"):
            target = target[part]
        node = target
    return node


def spec_operation(spec: dict, operation_id: str) -> dict:
    """The operation, with the parameters its path item declares for every method added to its own."""
    for item in spec["paths"].values():
        for operation in item.values():
            if isinstance(operation, dict) and operation.get("operationId") == operation_id:
                own = [resolve(spec, raw) for raw in operation.get("parameters") or []]
                names = {(raw["name"], raw["in"]) for raw in own}
                shared = [resolve(spec, raw) for raw in item.get("parameters") or []]
                extra = [raw for raw in shared if (raw["name"], raw["in"]) not in names]
                return {**operation, "parameters": extra + own}
    raise KeyError(operation_id)


def clean(text: str | None) -> str:
    """A spec description on one line, without its Markdoc admonitions."""
    text = re.sub(r"\{%.*?%\}", " ", text or "", flags=re.S)
    return " ".join(text.split())


def body_schema(spec: dict, operation: dict) -> dict:
    body = resolve(spec, ((operation.get("requestBody") or {}).get("content") or {}).get("application/json"))
    return resolve(spec, (body or {}).get("schema")) or {}


def flatten(spec: dict, schema: dict) -> tuple[dict[str, dict], set[str]]:
    """Properties and required names of an object schema, through allOf (all apply) and oneOf/anyOf
    (a property is required only when every variant requires it)."""
    schema = resolve(spec, schema) or {}
    properties = {name: resolve(spec, prop) for name, prop in (schema.get("properties") or {}).items()}
    required = set(schema.get("required") or [])
    for part in schema.get("allOf") or []:
        sub_properties, sub_required = flatten(spec, part)
        properties = {**sub_properties, **properties}
        required |= sub_required
    variants = [flatten(spec, part) for part in (schema.get("oneOf") or schema.get("anyOf") or [])]
    if variants:
        for sub_properties, _ in variants:
            properties = {**sub_properties, **properties}
        required |= set.intersection(*(sub_required for _, sub_required in variants))
    return properties, required & set(properties)


def variant(spec: dict, schema: dict, fixed: dict[str, Any]) -> dict:
    """The oneOf variant of `schema` whose enums accept every fixed value."""
    for part in resolve(spec, schema).get("oneOf") or []:
        part = resolve(spec, part)
        props = part.get("properties") or {}
        if all(
            key in props and value in (resolve(spec, props[key]).get("enum") or [value])
            for key, value in fixed.items()
        ):
            return part
    raise KeyError(fixed)


def spec_type(spec: dict, node: dict) -> str:
    node = resolve(spec, node) or {}
    if "type" in node:
        return node["type"]
    for key in ("oneOf", "anyOf", "allOf"):
        types = {spec_type(spec, part) for part in node.get(key) or []}
        if len(types) == 1:
            return types.pop()
        # "One id or a list of ids": the list accepts both meanings.
        for kind in ("array", "string"):
            if kind in types:
                return kind
    return "object"


def spec_params(spec: dict, operation_id: str, fixed: dict[str, Any] | None = None) -> list[dict[str, Any]]:
    """Path and query parameters, then top-level body properties, of one spec operation."""
    operation = spec_operation(spec, operation_id)
    params = []
    for raw in operation.get("parameters") or []:
        raw = resolve(spec, raw)
        if raw["in"] not in ("path", "query"):
            continue
        # Path ids are strings on the wire and in every answer, whatever the description types them as.
        kind = "string" if raw["in"] == "path" else spec_type(spec, raw.get("schema") or {})
        params.append(
            {
                "name": raw["name"],
                "type": kind,
                "required": bool(raw.get("required")) or raw["in"] == "path",
                "description": SPEC_PARAM_DESCRIPTIONS.get(
                    (operation_id, raw["name"]), clean(raw.get("description"))
                ),
                "location": raw["in"],
            }
        )
    schema = body_schema(spec, operation)
    if fixed:
        schema = variant(spec, schema, fixed)
    properties, required = flatten(spec, schema)
    for name, prop in properties.items():
        if fixed and name in fixed:
            continue
        params.append(
            {
                "name": name,
                "type": spec_type(spec, prop),
                "required": name in required,
                "description": SPEC_PARAM_DESCRIPTIONS.get(
                    (operation_id, name), clean(prop.get("description"))
                ),
                "location": "body",
            }
        )
    return sorted(params, key=lambda param: (not param["required"], param["location"] != "path"))


def spec_for(specs: dict[str, dict], operation_id: str) -> tuple[dict, str | None]:
    """The description that has the operation, and the version to pin when 2.15 lacks it."""
    since = OPERATIONS[operation_id].since
    if since == "2.16":
        return specs["2.16"], "2.16"
    return specs["2.15"], None


def build_tools(scalekit: list[dict], definable: list[dict], specs: dict[str, dict]) -> list[dict[str, Any]]:
    scalekit_ops = {op_id(entry) for entry in scalekit}
    aliases: dict[str, list[str]] = defaultdict(list)
    own: list[dict] = []
    for action in sorted(definable, key=lambda action: action["listed_index"]):
        if action["slug"] in SLUG_TOOLS or action["slug"] in LEGACY_TOOLS:
            own.append(action)
        else:
            aliases[op_id(action)].append(action["slug"])
    tools = []
    for entry in scalekit:
        params = [p for raw in entry["params"] if (p := scalekit_param(entry["name"], raw))]
        tools.append(tool_dict(entry["name"], op_id(entry), params, aliases[op_id(entry)], "scalekit"))
    for operation_id in sorted(set(aliases) - scalekit_ops):
        name = SPEC_TOOL_NAMES[operation_id]
        spec, version = spec_for(specs, operation_id)
        params = with_schemas(name, spec_params(spec, operation_id))
        tools.append(tool_dict(name, operation_id, params, aliases[operation_id], "spec", version=version))
    for action in own:
        slug = action["slug"]
        if slug in LEGACY_TOOLS:
            operation_id, name, params = LEGACY_TOOLS[slug]
            tools.append(tool_dict(name, operation_id, params, [slug], "spec"))
            continue
        operation_id, fixed = op_id(action), action.get("fixed_body") or {}
        spec, version = spec_for(specs, operation_id)
        params = spec_params(spec, operation_id, fixed)
        tools.append(tool_dict(SLUG_TOOLS[slug], operation_id, params, [slug], "spec", fixed, version))
    return tools


def with_schemas(name: str, params: list[dict[str, Any]]) -> list[dict[str, Any]]:
    for param in params:
        if (name, param["name"]) in PARAM_SCHEMAS:
            param["schema"] = PARAM_SCHEMAS[(name, param["name"])]
    return params


def tool_dict(
    name: str,
    operation_id: str,
    params: list[dict],
    aliases: list[str],
    source: str,
    fixed_body: dict[str, Any] | None = None,
    version: str | None = None,
) -> dict[str, Any]:
    operation = OPERATIONS[operation_id]
    return {
        "name": name,
        "aliases": tuple(aliases),
        "description": DESCRIPTIONS[name],
        "operation_id": operation_id,
        "method": operation.method,
        "path": operation.path,
        "resource": operation.resource,
        "title": operation.summary,
        "params": params,
        "source": source,
        "fixed_body": dict(fixed_body or {}),
        "intercom_version": version,
    }


def render_param(param: dict[str, Any]) -> str:
    args = [repr(param["name"]), repr(param["type"])]
    if param["required"]:
        args.append("required=True")
    args.append(f"description={param['description']!r}")
    args.append(f"location={param['location']!r}")
    if "api_name" in param:
        args.append(f"api_name={param['api_name']!r}")
    if "schema" in param:
        args.append(f"schema={param['schema']!r}")
    return f"Param({', '.join(args)}),"


def render_tool(tool: dict[str, Any]) -> str:
    params = "\n".join(render_param(param) for param in tool["params"])
    extra = ""
    if tool["source"] != "scalekit":
        extra += f"source={tool['source']!r},"
    if tool["fixed_body"]:
        extra += f"fixed_body={tool['fixed_body']!r},"
    if tool["intercom_version"]:
        extra += f"intercom_version={tool['intercom_version']!r},"
    return f"""    ToolDef(
        name={tool["name"]!r},
        aliases={tool["aliases"]!r},
        description={tool["description"]!r},
        operation_id={tool["operation_id"]!r},
        method={tool["method"]!r},
        path={tool["path"]!r},
        resource={tool["resource"]!r},
        title={tool["title"]!r},
        params=(
            {params}
            *META_PARAMS,
        ),
        {extra}
    ),"""


def render_module(resource: str, tools: list[dict[str, Any]]) -> str:
    body = "\n".join(render_tool(tool) for tool in sorted(tools, key=lambda tool: tool["name"]))
    return f'''"""Intercom {resource.replace("_", " ")} tools.

Generated by scripts/gen_tools.py from the Scalekit and Definable catalogs: edit the script, not this file.
"""

from connector.tools.definition import META_PARAMS, Param, ToolDef

TOOLS = (
{body}
)
'''


def request_fields(spec: dict, operation_id: str) -> dict[str, set[str]]:
    """Every name the 2.15 request of an operation accepts, by location, and the body variants' required."""
    operation = spec_operation(spec, operation_id)
    fields: dict[str, set[str]] = defaultdict(set)
    for raw in operation.get("parameters") or []:
        raw = resolve(spec, raw)
        fields[raw["in"]].add(raw["name"])
        # A form-exploded object query parameter is sent as its properties (GET /events' `filter`).
        if (
            raw["in"] == "query"
            and raw.get("explode")
            and spec_type(spec, raw.get("schema") or {}) == "object"
        ):
            fields["query"] |= set(flatten(spec, raw["schema"])[0])
    properties, required = flatten(spec, body_schema(spec, operation))
    fields["body"] |= set(properties)
    fields["required"] = required
    return fields


def diff(scalekit: list[dict], specs: dict[str, dict]) -> None:
    """Print each Scalekit tool's parameters that the 2.15 request does not take where the tool sends them."""
    for entry in scalekit:
        try:
            fields = request_fields(specs["2.15"], op_id(entry))
        except KeyError:
            print(f"{entry['name']}: {op_id(entry)} is not in 2.15 (legacy route)")
            continue
        sent = {raw.get("api_name") or raw["name"] for raw in entry["params"] if not raw["meta"]}
        for raw in entry["params"]:
            wire = raw.get("api_name") or raw["name"]
            if not raw["meta"] and wire not in fields[raw["in"]]:
                print(f"{entry['name']}: {raw['in']} {wire} is not a 2.15 {raw['in']} field")
        for name in sorted(fields["required"] - sent):
            print(f"{entry['name']}: 2.15 requires body {name}, which the tool does not take")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shared", type=Path, default=ROOT.parent / "shared")
    parser.add_argument(
        "--diff", action="store_true", help="print tool/2.15 request mismatches, write nothing"
    )
    args = parser.parse_args()
    scalekit, definable, specs = load(args.shared)
    if args.diff:
        diff(scalekit, specs)
        return
    by_resource: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for tool in build_tools(scalekit, definable, specs):
        by_resource[tool["resource"]].append(tool)
    written = []
    for resource, tools in sorted(by_resource.items()):
        path = TOOLS_DIR / f"{resource}.py"
        path.write_text(render_module(resource, tools))
        written.append(str(path))
    ruff = ROOT / ".venv" / "bin" / "ruff"
    subprocess.run([str(ruff), "format", "--quiet", *written], check=True)
    subprocess.run([str(ruff), "check", "--fix", "--quiet", *written], check=True)
    print(f"wrote {sum(map(len, by_resource.values()))} tools in {len(written)} modules")


if __name__ == "__main__":
    main()
