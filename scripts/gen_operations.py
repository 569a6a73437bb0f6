"""Generate contracts/operations.py from the official 2.15 and 2.16 descriptions.

Run once from the project root (the output is committed; nothing reads ../shared at runtime):

    .venv/bin/python scripts/gen_operations.py [--shared ../shared]

Entries already in the table keep their resource, summary and pagination style; new ones are
named after their first spec tag. Operations with no operationId in the spec (Reporting Data
Export) and the legacy endpoints some catalog tools still call are named here.
"""

import argparse
import subprocess
import sys
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from contracts.operations import OPERATIONS, Operation  # noqa: E402

TARGET = ROOT / "contracts" / "operations.py"

RESOURCE_OF_TAG = {
    "AI Content": "ai_content",
    "Admins": "admins",
    "Articles": "articles",
    "Audiences": "audiences",
    "Away Status Reasons": "away_status_reasons",
    "Banners": "banners",
    "Brands": "brands",
    "Calls": "calls",
    "Companies": "companies",
    "Contacts": "contacts",
    "Content": "content",
    "Content Snippets": "content_snippets",
    "Conversations": "conversations",
    "Conversations Attributes": "conversation_attributes",
    "Custom Object Instances": "custom_object_instances",
    "Data Attributes": "data_attributes",
    "Data Connectors": "data_connectors",
    "Data Events": "data_events",
    "Data Export": "data_export",
    "Emails": "emails",
    "Fin Agent": "fin_agent",
    "Help Center": "help_center",
    "IP Allowlist": "ip_allowlist",
    "Internal Articles": "internal_articles",
    "Jobs": "jobs",
    "Macros": "macros",
    "Messages": "messages",
    "News": "news",
    "Notes": "notes",
    "Office Hours": "office_hours",
    "Reporting Data Export": "reporting_data_export",
    "Segments": "segments",
    "Subscription Types": "subscription_types",
    "Switch": "switch",
    "Tags": "tags",
    "Teams": "teams",
    "Ticket States": "ticket_states",
    "Ticket Type Attributes": "ticket_type_attributes",
    "Ticket Types": "ticket_types",
    "Tickets": "tickets",
    "Visitors": "visitors",
    "Workflows": "workflows",
}

# Tag operations on conversations and tickets live with the object they tag.
RESOURCE_OVERRIDES = {
    "attachTagToConversation": "conversations",
    "detachTagFromConversation": "conversations",
    "attachTagToTicket": "tickets",
    "detachTagFromTicket": "tickets",
    "updateConversation": "conversations",
    "listContactBanners": "banners",
    "dismissContactBanner": "banners",
    "getWhatsAppMessageStatus": "messages",
    "RetrieveWhatsAppMessageStatus": "messages",
}

# The spec gives these no operationId.
UNNAMED = {
    ("POST", "/export/reporting_data/enqueue"): "enqueueReportingDataExport",
    ("GET", "/export/reporting_data/{job_identifier}"): "getReportingDataExportStatus",
    ("GET", "/export/reporting_data/get_datasets"): "listReportingDatasets",
    ("GET", "/download/reporting_data/{job_identifier}"): "downloadReportingDataExport",
}

# Endpoints no current description has, still called by catalog tools.
LEGACY = (
    Operation(
        "autoAssignConversation",
        "POST",
        "/conversations/{conversation_id}/run_assignment_rules",
        "conversations",
        "Run assignment rules on a conversation",
        legacy=True,
    ),
    Operation("listEntityCounts", "GET", "/counts", "counts", "Get entity counts", legacy=True),
    Operation(
        "listHelpCenterSections",
        "GET",
        "/help_center/sections",
        "help_center",
        "List all sections",
        legacy=True,
    ),
    Operation(
        "createHelpCenterSection",
        "POST",
        "/help_center/sections",
        "help_center",
        "Create a section",
        legacy=True,
    ),
    Operation(
        "deleteVisitor", "DELETE", "/visitors/{visitor_id}", "visitors", "Delete a visitor", legacy=True
    ),
)

FIELD_DEFAULTS = {"pagination": None, "since": "1.0", "until": None, "legacy": False, "optional_body": False}


def spec_operations(shared: Path, version: str) -> dict[str, dict[str, Any]]:
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    spec = yaml.load(
        (shared / "intercom-openapi" / f"api.intercom.io.{version}.yaml").read_text(), Loader=loader
    )
    found = {}
    for path, item in spec["paths"].items():
        for method, op in item.items():
            if method not in ("get", "post", "put", "patch", "delete"):
                continue
            op_id = op.get("operationId") or UNNAMED[(method.upper(), path)]
            parameters = [p for p in [*item.get("parameters", []), *op.get("parameters", [])] if "name" in p]
            found[op_id] = {
                "method": method.upper(),
                "path": path,
                "tags": op.get("tags") or ["Reporting Data Export"],
                "summary": op.get("summary", op_id),
                "query": {p["name"] for p in parameters if p.get("in") == "query"},
                "optional_body": _optional_body(spec, op),
            }
    return found


def _optional_body(spec: dict[str, Any], op: dict[str, Any]) -> bool:
    """Whether the operation takes a request body that the description does not mark required."""
    body = op.get("requestBody")
    if body and "$ref" in body:
        body = spec["components"]["requestBodies"][body["$ref"].rsplit("/", 1)[-1]]
    return bool(body) and not body.get("required", False)


def pagination_of(op_id: str, found: dict[str, Any]) -> str | None:
    if found["method"] == "POST" and found["path"].endswith("/search"):
        return "search"
    if "starting_after" in found["query"]:
        return "cursor"
    if "page" in found["query"]:
        return "page"
    return None


def build(shared: Path) -> list[Operation]:
    older, newer = spec_operations(shared, "2.15"), spec_operations(shared, "2.16")
    table: list[Operation] = []
    for op_id in sorted({*older, *newer}):
        found = older.get(op_id) or newer[op_id]
        known = OPERATIONS.get(op_id)
        since = "2.16" if op_id not in older else (known.since if known else "1.0")
        until = "2.15" if op_id not in newer else None
        table.append(
            Operation(
                op_id,
                found["method"],
                known.path if known else found["path"],
                known.resource if known else RESOURCE_OVERRIDES.get(op_id, RESOURCE_OF_TAG[found["tags"][0]]),
                known.summary if known else found["summary"],
                pagination=known.pagination if known else pagination_of(op_id, found),
                since=since,
                until=until,
                optional_body=any(
                    versions[op_id]["optional_body"] for versions in (older, newer) if op_id in versions
                ),
            )
        )
    table.extend(LEGACY)
    return sorted(table, key=lambda op: (op.resource, op.path, op.method))


def render(table: list[Operation]) -> str:
    source = TARGET.read_text()
    head, _, _ = source.partition("_OPERATIONS = (")
    _, _, tail = source.partition("\nOPERATIONS: dict")
    entries = []
    for op in table:
        args = [repr(op.operation_id), repr(op.method), repr(op.path), repr(op.resource), repr(op.summary)]
        args += [
            f"{name}={getattr(op, name)!r}"
            for name, default in FIELD_DEFAULTS.items()
            if getattr(op, name) != default
        ]
        entries.append(f"    Operation({', '.join(args)}),")
    return head + "_OPERATIONS = (\n" + "\n".join(entries) + "\n)\n\nOPERATIONS: dict" + tail


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shared", type=Path, default=ROOT.parent / "shared")
    args = parser.parse_args()
    TARGET.write_text(render(build(args.shared)))
    subprocess.run([sys.executable, "-m", "ruff", "format", str(TARGET)], check=True)
    print(f"{TARGET.relative_to(ROOT)}: {len(build(args.shared))} operations")


if __name__ == "__main__":
    main()
