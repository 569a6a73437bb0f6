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

from connector.tools.definition import search_pagination_schema, search_query_schema  # noqa: E402
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
    ("intercom_convert_visitor", "visitor"): {
        "properties": {"id": {"type": "string"}, "user_id": {"type": "string"}, "email": {"type": "string"}},
        "additionalProperties": False,
    },
    ("intercom_convert_visitor", "user"): {
        "properties": {"id": {"type": "string"}, "user_id": {"type": "string"}, "email": {"type": "string"}},
        "additionalProperties": False,
    },
    ("intercom_create_data_event_summaries", "event_summaries"): {
        "properties": {
            "event_name": {"type": "string"},
            "count": {"type": "integer"},
            "first": {"type": "integer", "description": "Unix seconds of the first occurrence."},
            "last": {"type": "integer", "description": "Unix seconds of the last occurrence."},
        },
        "additionalProperties": False,
    },
    ("intercom_update_ticket", "assignment"): {
        "properties": {
            "admin_id": {"type": "string", "description": "The admin to assign to ('0' unassigns)."},
            "team_id": {"type": "string", "description": "The team to assign to ('0' unassigns)."},
            "assignee_id": {
                "type": "string",
                "description": "The assignee, with admin_id as the acting admin.",
            },
        },
        "additionalProperties": False,
    },
    ("intercom_create_message", "from"): {
        "properties": {
            "type": {"type": "string", "enum": ["admin"]},
            "id": {"type": "string", "description": "The admin's id."},
        },
        "required": ["type", "id"],
        "additionalProperties": False,
    },
    ("intercom_create_message", "to"): {
        "properties": {
            "type": {"type": "string", "enum": ["user", "lead"]},
            "id": {"type": "string", "description": "The contact's Intercom id."},
            "email": {"type": "string", "description": "Or the contact's email, looked up first."},
        },
        "additionalProperties": False,
    },
}

SEARCH_TOOLS = ("intercom_search_contacts", "intercom_search_conversations", "intercom_search_tickets")
# Schemas the generated modules share: written as a call to the function that builds them, not inline.
SHARED_SCHEMAS = {
    "search_query_schema": search_query_schema,
    "search_pagination_schema": search_pagination_schema,
}


# per_page maxima where the description declares none: FIDELITY.md §4 ("150 unless stated").
PER_PAGE_MAX = {
    "intercom_list_articles": 250,
    "intercom_list_calls": 25,
    "intercom_list_all_companies": 60,
    "intercom_list_companies": 60,
}
DEFAULT_PER_PAGE_MAX = 150

# Allowed values the descriptions give only in prose (the official description's text, Scalekit's, or
# FIDELITY.md): everything else comes from the description's `enum`.
PROSE_ENUMS: dict[tuple[str, str], list[str]] = {
    ("intercom_search_articles", "state"): ["published", "draft", "all"],
    ("intercom_list_all_companies", "order"): ["asc", "desc"],
    ("intercom_create_contact", "role"): ["user", "lead"],
    ("intercom_update_contact", "role"): ["user", "lead"],
    ("intercom_get_entity_counts", "type"): ["conversation", "company", "user"],
    ("intercom_get_entity_counts", "count"): ["admin", "segment", "tag", "user"],
    ("intercom_create_message", "template"): ["plain", "personal"],
    ("intercom_attach_subscription_to_contact", "consent_type"): ["opt_in", "opt_out"],
    ("intercom_convert_visitor", "type"): ["lead", "user"],
    ("intercom_create_article", "parent_type"): ["collection", "section"],
    # quick_reply needs reply_options, which these tools do not take.
    ("intercom_reply_to_conversation", "message_type"): ["comment", "note"],
    ("intercom_reply_to_ticket", "message_type"): ["comment", "note"],
}

# Parameters a translation (connector/translations.py) reads in the tool's own shape, not 2.15's:
# the description's nested shape would be wrong for them.
TRANSLATED = {
    ("intercom_update_ticket", "assignment"),
    ("intercom_create_message", "to"),
    ("intercom_create_message", "from"),
}

# What each tool does, by the verb of its name: MCP's hints follow the meaning, not the HTTP method
# (a search is a POST that changes nothing; a close is a POST that ends a conversation).
READ_VERBS = {"list", "retrieve", "search", "get", "identify", "download", "scroll"}
ADDITIVE_VERBS = {"create", "attach", "reply", "register", "enqueue"}
# Calling these again with the same input changes nothing more.
IDEMPOTENT_VERBS = READ_VERBS | {
    "update",
    "set",
    "delete",
    "detach",
    "attach",
    "archive",
    "unarchive",
    "block",
    "redact",
    "merge",
    "cancel",
    "create_or_update",
}


def verb(name: str) -> str:
    rest = name.removeprefix("intercom_")
    return "create_or_update" if rest.startswith("create_or_update_") else rest.split("_")[0]


def meaning(name: str) -> dict[str, bool]:
    action = verb(name)
    read_only = action in READ_VERBS
    return {
        "read_only": read_only,
        "destructive": not read_only and action not in ADDITIVE_VERBS,
        "idempotent": action in IDEMPOTENT_VERBS,
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

# Scalekit parameter descriptions that contradict the API (values or names it does not accept).
SCALEKIT_PARAM_DESCRIPTIONS = {
    (
        "intercom_create_ticket",
        "ticket_attributes",
    ): "The ticket type's attributes by name. The default title and description are _default_title_ and "
    "_default_description_; every attribute the type marks required_to_create must be given.",
    (
        "intercom_create_ticket",
        "contacts",
    ): 'The contacts the ticket is for, each {"id": ...}, {"external_id": ...} or {"email": ...}.',
    ("intercom_create_data_attribute", "data_type"): "The attribute's type; 'options' needs options.",
    ("intercom_create_data_attribute", "model"): "The model this attribute belongs to.",
    (
        "intercom_create_data_attribute",
        "options",
    ): 'For data_type \'options\': at least two, as [{"value": "..."}].',
    ("intercom_reply_to_ticket", "type"): "Who replies: 'admin' (admin_id) or 'user' (the ticket's contact).",
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
    if (tool, raw["name"]) in SCALEKIT_PARAM_DESCRIPTIONS:
        param["description"] = SCALEKIT_PARAM_DESCRIPTIONS[(tool, raw["name"])]
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
        params = spec_params(spec, operation_id)
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
    for tool in tools:
        spec = specs[tool["intercom_version"] or "2.15"]
        for param in tool["params"]:
            schema = param_schema(spec, tool, param)
            if schema:
                param["schema"] = schema
    return tools


def property_nodes(spec: dict, schema: Any, name: str) -> list[dict]:
    """Every declaration of body property `name`, through allOf/oneOf/anyOf variants."""
    schema = resolve(spec, schema) or {}
    found = []
    if name in (schema.get("properties") or {}):
        found.append(resolve(spec, schema["properties"][name]))
    for key in ("allOf", "oneOf", "anyOf"):
        for part in schema.get(key) or []:
            found += property_nodes(spec, part, name)
    return found


def spec_nodes(spec: dict, tool: dict[str, Any], param: dict[str, Any]) -> list[dict]:
    """The description's declarations of what `param` sends (none for legacy operations)."""
    try:
        operation = spec_operation(spec, tool["operation_id"])
    except KeyError:
        return []
    wire = param.get("api_name") or param["name"]
    if param["location"] == "body":
        return property_nodes(spec, body_schema(spec, operation), wire)
    for raw in operation.get("parameters") or []:
        raw = resolve(spec, raw)
        if (raw["in"], raw["name"]) == (param["location"], wire):
            return [resolve(spec, raw.get("schema")) or {}]
    return []


def enum_values(spec: dict, node: Any) -> list[Any]:
    """The allowed values of a node, across its variants, in the description's order."""
    node = resolve(spec, node) or {}
    values = list(node.get("enum") or [])
    for key in ("oneOf", "anyOf", "allOf"):
        for part in node.get(key) or []:
            values += [value for value in enum_values(spec, part) if value not in values]
    return [value for value in values if value is not None]


NESTED_DEPTH = 4


def plain(spec: dict, node: Any, depth: int = 0, kind: str | None = None) -> dict[str, Any]:
    """An OpenAPI schema as the plain JSON Schema models accept: no `$ref`, `oneOf` as `anyOf`, `allOf`
    merged, objects closed where their properties are declared; formats, lengths and examples dropped."""
    node = resolve(spec, node) or {}
    if node.get("allOf"):
        merged: dict[str, Any] = {"type": "object", "properties": {}, "required": []}
        for part in node["allOf"]:
            part = resolve(spec, part) or {}
            merged["properties"].update(part.get("properties") or {})
            merged["required"] += part.get("required") or []
        node = {**{k: v for k, v in node.items() if k != "allOf"}, **merged}
    kind = node.get("type") or kind
    variants = [resolve(spec, part) for part in node.get("oneOf") or node.get("anyOf") or []]
    # Variants that only say which properties are required add nothing a model can read.
    variants = [part for part in variants if set(part) - {"required", "title", "description"}]
    if variants and depth < NESTED_DEPTH:
        options = [plain(spec, part, depth, kind) for part in variants]
        unique = [option for index, option in enumerate(options) if option not in options[:index]]
        return unique[0] if len(unique) == 1 else {"anyOf": unique}
    if kind == "array":
        items = plain(spec, node.get("items"), depth + 1) if node.get("items") else {"type": "string"}
        return {"type": "array", "items": items}
    if kind == "object" or node.get("properties"):
        properties = node.get("properties") or {}
        if not properties or depth >= NESTED_DEPTH:
            return {"type": "object"}
        required = [name for name in node.get("required") or [] if name in properties]
        out: dict[str, Any] = {
            "type": "object",
            "properties": {name: plain(spec, prop, depth + 1) for name, prop in properties.items()},
        }
        if required:
            out["required"] = required
        out["additionalProperties"] = False
        return out
    out = {"type": kind or "string"}
    values = enum_values(spec, node)
    if values:
        out["enum"] = values
    return out


def param_schema(spec: dict, tool: dict[str, Any], param: dict[str, Any]) -> dict[str, Any]:
    """The keywords, beyond `type` and `description`, that tell a model exactly what `param` takes:
    allowed values, bounds, array items and nested shapes."""
    key = (tool["name"], param["name"])
    if param["name"] == "query" and tool["name"] in SEARCH_TOOLS:
        return search_query_schema()
    if param["name"] == "pagination" and tool["name"] in SEARCH_TOOLS:
        return search_pagination_schema()
    if key in PARAM_SCHEMAS:
        return PARAM_SCHEMAS[key]
    nodes = [] if key in TRANSLATED else spec_nodes(spec, tool, param)
    kind = param["type"]
    if kind in ("string", "integer", "number"):
        values = PROSE_ENUMS.get(key) or [v for node in nodes for v in enum_values(spec, node)]
        values = [value for index, value in enumerate(values) if value not in values[:index]]
        if param["name"] == "per_page":
            declared = next((node["maximum"] for node in nodes if "maximum" in node), None)
            return {"minimum": 1, "maximum": declared or PER_PAGE_MAX.get(tool["name"], DEFAULT_PER_PAGE_MAX)}
        if param["name"] == "page":
            return {"minimum": 1}
        return {"enum": values} if values else {}
    if kind == "array":
        arrays = [plain(spec, node) for node in nodes]
        arrays = [a for a in arrays for a in (a.get("anyOf") or [a]) if a.get("type") == "array"]
        return {"items": arrays[0]["items"] if arrays else {"type": "string"}}
    if kind == "object" and nodes:
        shape = plain(spec, nodes[0], kind="object")
        objects = [
            a for a in shape.get("anyOf") or [shape] if a.get("type") == "object" and "properties" in a
        ]
        if len(objects) > 1:
            return {"anyOf": objects}
        if objects:
            return {k: v for k, v in objects[0].items() if k != "type"}
    return {}


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
        **meaning(name),
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
        args.append(f"schema={shared_schema(param['schema']) or repr(param['schema'])}")
    return f"Param({', '.join(args)}),"


def shared_schema(schema: dict[str, Any]) -> str | None:
    """The call that builds `schema` when it is one of SHARED_SCHEMAS."""
    return next((f"{name}()" for name, build in SHARED_SCHEMAS.items() if build() == schema), None)


def render_tool(tool: dict[str, Any]) -> str:
    params = "\n".join(render_param(param) for param in tool["params"])
    extra = ""
    if tool["source"] != "scalekit":
        extra += f"source={tool['source']!r},"
    if tool["fixed_body"]:
        extra += f"fixed_body={tool['fixed_body']!r},"
    if tool["intercom_version"]:
        extra += f"intercom_version={tool['intercom_version']!r},"
    for hint in ("read_only", "destructive", "idempotent"):
        if tool[hint]:
            extra += f"{hint}=True,"
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
    shared = [
        name
        for name in SHARED_SCHEMAS
        if any(shared_schema(p.get("schema") or {}) == f"{name}()" for tool in tools for p in tool["params"])
    ]
    imported = ", ".join(["META_PARAMS", "Param", "ToolDef", *shared])
    return f'''"""Intercom {resource.replace("_", " ")} tools.

Generated by scripts/gen_tools.py from the Scalekit and Definable catalogs: edit the script, not this file.
"""

from connector.tools.definition import {imported}

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
