"""Data connectors: HTTP requests that workflows and Fin make to outside APIs (Intercom-Version 2.16).

A connector is created in `draft`; `state: live` publishes it and keeps a live copy, which
`GET ?state_version=live` (the default) returns, while `draft` returns the latest edits.

Runs. The sandbox never calls outside hosts. A run substitutes the data inputs into the URL, body
and headers, then answers with the connector's `mock_response` when it has one (HTTP 200), and
otherwise fails as a connection error saying so. Each run is recorded as an execution result.
Saving a request configuration (create, or an update touching the request) runs it once with the
inputs' default values, as Intercom's builder tests a request; that run has no `source_type`.
Other parts of the fake (workflows, Fin) run connectors through `execute_data_connector`.
"""

import re
from typing import Any

from fastapi import Depends, Query

from contracts.models.common import DeletedObject
from contracts.models.data_connectors import (
    AUDIENCES,
    HTTP_METHODS,
    CreateDataConnectorRequest,
    DataConnectorDetail,
    DataConnectorList,
    DataInput,
    ExecutionResult,
    ExecutionResultList,
    HeaderInput,
    UpdateDataConnectorRequest,
)
from fake_intercom import responses
from fake_intercom.context import Ctx, context
from fake_intercom.errors import (
    conflict,
    data_connector_not_found,
    execution_result_not_found,
    parameter_invalid,
    parameter_not_found,
    require,
)
from fake_intercom.pagination import Order, check_per_page, cursor_page
from fake_intercom.resources.admins import acting_admin
from fake_intercom.routing import IntercomRouter
from fake_intercom.store import Store, Workspace, dumps, loads, table

CONNECTORS = table("data_connectors", {"id": str, "updated_at": int, "data": str, "live_data": str})
EXECUTIONS = table(
    "data_connector_executions",
    {
        "id": str,
        "connector_id": str,
        "created_at": int,
        "seq": int,
        "success": int,
        "error_type": str,
        "data": str,
    },
    indexes=(("workspace_id", "connector_id", "created_at", "seq"),),
)

ERROR_TYPES = (
    "request_configuration_error",
    "faraday_error",
    "3rd_party_error",
    "response_mapping_error",
    "token_refresh_error",
    "fin_action_response_formatting_error",
    "fin_action_identity_verification_error",
    "email_verification_error",
    "non_fin_standalone_action_identity_verification_error",
    "request_validation_error",
    "client_side_action_error",
)
# What a run sends: a change to any of these re-runs the builder's test request.
REQUEST_KEYS = ("url", "http_method", "body", "headers", "data_inputs", "mock_response")
SUMMARY_KEYS = (
    "type",
    "id",
    "name",
    "description",
    "state",
    "http_method",
    "direct_fin_usage",
    "created_by_admin_id",
    "updated_by_admin_id",
    "created_at",
    "updated_at",
    "execution_results_url",
)
LIST_ONLY_KEYS = ("request_body", "response_body", "raw_response_body")
TEMPLATE = re.compile(r"\{\{\s*([\w.]+)\s*\}\}")
NO_OUTBOUND = "The sandbox makes no outbound requests: set mock_response to simulate the external API"
HOUR = 3600
SEED_ORDER = 70

router = IntercomRouter(tags=["Data Connectors"])


def _field_type(value: Any) -> str:
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int):
        return "integer"
    if isinstance(value, float):
        return "decimal"
    return "string" if isinstance(value, str) else "unknown"


def response_fields(sample: Any, prefix: str = "") -> list[dict[str, Any]]:
    """The leaves of a sample response, as the fields a workflow can map."""
    if isinstance(sample, dict) and sample:
        fields: list[dict[str, Any]] = []
        for key, value in sample.items():
            fields.extend(response_fields(value, f"{prefix}.{key}" if prefix else str(key)))
        return fields
    example = sample if isinstance(sample, str) else dumps(sample)
    return [{"path": prefix or "$", "type": _field_type(sample), "example_value": example, "redacted": False}]


def _apply(connector: dict[str, Any], fields: dict[str, Any]) -> None:
    """Validate the request's fields (422 as Intercom) and write them onto `connector`."""
    if "name" in fields and not (fields["name"] or "").strip():
        raise parameter_not_found("Name is required", status=422)
    if fields.get("http_method") is not None and fields["http_method"] not in HTTP_METHODS:
        raise parameter_invalid("Http Method isn't an option", field="http_method", status=422)
    if fields.get("audiences") is not None and not set(fields["audiences"]) <= set(AUDIENCES):
        raise parameter_invalid(
            f"Invalid audiences. Must be a subset of: {', '.join(AUDIENCES)}", field="audiences", status=422
        )
    if fields.get("state") is not None and fields["state"] not in ("draft", "live"):
        raise parameter_invalid("Invalid state. Must be one of: draft, live", field="state", status=422)
    for key, value in fields.items():
        if value is None and key not in ("description", "url", "body"):
            continue
        if key == "token_ids":
            connector[key] = [str(token) for token in value]
        elif key == "mock_response":
            connector[key] = value
            connector["response_fields"] = response_fields(value)
            connector["configuration_response_type"] = "mock_response_type"
        elif key in connector:
            connector[key] = value


def _render(connector: dict[str, Any]) -> dict[str, Any]:
    # A connector without a body template has no `body` (the description types it a string, never null).
    return {
        key: value
        for key, value in connector.items()
        if key != "mock_response" and not (key == "body" and value is None)
    }


def _summary(connector: dict[str, Any]) -> dict[str, Any]:
    return {key: connector.get(key) for key in SUMMARY_KEYS}


def create_data_connector(
    store: Store, workspace: Workspace, admin_id: str | None, fields: dict[str, Any]
) -> dict[str, Any]:
    if not fields.get("name"):
        raise parameter_not_found("Name is required", status=422)
    now = store.now(workspace)
    connector_id = store.numeric_id(workspace.id, "data_connector", base=120)
    connector: dict[str, Any] = {
        "type": "data_connector",
        "id": connector_id,
        "name": "",
        "description": None,
        "state": "draft",
        "url": None,
        "body": None,
        "headers": [],
        "http_method": "get",
        "direct_fin_usage": False,
        "audiences": [],
        "execution_type": "server_side",
        "configuration_response_type": "test_response_type",
        "data_transformation_type": "full_access",
        "client_function_name": None,
        "client_function_timeout_ms": 30000,
        "data_inputs": [],
        "response_fields": [],
        "object_mappings": [],
        "token_ids": [],
        "customer_authentication": False,
        "bypass_authentication": False,
        "validate_missing_attributes": False,
        "mock_response": None,
        "created_by_admin_id": admin_id,
        "updated_by_admin_id": admin_id,
        "created_at": responses.iso(now),
        "updated_at": responses.iso(now),
        "execution_results_url": f"/data_connectors/{connector_id}/execution_results",
    }
    _apply(connector, fields)
    store.insert(
        "data_connectors",
        {"workspace_id": workspace.id, "id": connector_id, "updated_at": now, "data": dumps(connector)},
    )
    if connector["url"]:
        execute_data_connector(store, workspace, connector, source_type=None)
    return connector


def execute_data_connector(
    store: Store,
    workspace: Workspace,
    connector: dict[str, Any],
    *,
    source_type: str | None,
    source_id: str | None = None,
    conversation_id: str | None = None,
    inputs: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """Run `connector` once (see the module's note) and record its execution result."""
    values = {item["name"]: str(item.get("default_value") or "") for item in connector["data_inputs"]}
    values.update({key: str(value) for key, value in (inputs or {}).items()})
    error_type = error_message = None
    unknown = sorted(
        {name for text in _templates(connector) for name in TEMPLATE.findall(text or "")} - set(values)
    )
    missing = [
        item["name"]
        for item in connector["data_inputs"]
        if item.get("required") and not values.get(item["name"])
    ]
    if not connector["url"]:
        error_type, error_message = "request_configuration_error", "URL can't be blank"
    elif unknown:
        error_type, error_message = (
            "request_configuration_error",
            f"Unknown data inputs: {', '.join(unknown)}",
        )
    elif missing and connector["validate_missing_attributes"]:
        error_type, error_message = (
            "request_validation_error",
            f"Missing required data inputs: {', '.join(missing)}",
        )
    elif connector["mock_response"] is None:
        error_type, error_message = "faraday_error", NO_OUTBOUND

    def fill(text: str | None) -> str | None:
        return TEMPLATE.sub(lambda match: values.get(match.group(1), match.group(0)), text) if text else text

    request_url, request_body = fill(connector["url"]), fill(connector["body"])
    response_body = None if error_type else dumps(connector["mock_response"])
    now = store.now(workspace)
    seq = store.next_number(workspace.id, "data_connector_execution")
    result = {
        "type": "data_connector.execution",
        "id": str(99_000 + seq),
        "data_connector_id": connector["id"],
        "success": error_type is None,
        "http_status": None if error_type else 200,
        "http_method": connector["http_method"],
        "error_type": error_type,
        "error_message": error_message,
        # Nothing travels, so the time is what building the request took: next to nothing.
        "execution_time_ms": 0 if error_type else 1,
        "source_type": source_type,
        "source_id": source_id,
        "conversation_id": conversation_id,
        "created_at": responses.iso(now),
        "request_url": request_url,
        "request_body": request_body,
        "response_body": response_body,
        "raw_response_body": response_body,
    }
    store.insert(
        "data_connector_executions",
        {
            "workspace_id": workspace.id,
            "id": result["id"],
            "connector_id": connector["id"],
            "created_at": now,
            "seq": seq,
            "success": int(result["success"]),
            "error_type": error_type,
            "data": dumps(result),
        },
    )
    return result


def _templates(connector: dict[str, Any]) -> list[str | None]:
    return [connector["url"], connector["body"], *(header.get("value") for header in connector["headers"])]


def _request_fields(body: CreateDataConnectorRequest | UpdateDataConnectorRequest) -> dict[str, Any]:
    fields = body.model_dump(exclude_unset=True)
    for key, model in (("headers", HeaderInput), ("data_inputs", DataInput)):
        if fields.get(key) is not None:
            fields[key] = [model.model_validate(item).model_dump() for item in fields[key]]
    return fields


@router.operation("listDataConnectors", response_model=DataConnectorList)
async def list_connectors(
    per_page: int | None = Query(default=None, description="Results per page (default 20, max 50)."),
    starting_after: str | None = Query(default=None, description="The cursor of the previous page."),
    ctx: Ctx = Depends(context),
) -> Any:
    page = cursor_page(
        ctx.store,
        select="data",
        from_where="data_connectors WHERE workspace_id = ?",
        params=[ctx.ws],
        order=[Order("updated_at"), Order("id")],
        per_page=check_per_page(per_page, 20, 50),
        starting_after=starting_after,
    )
    pages = page.pages()
    pages.pop("total_pages", None)
    pages.pop("page", None)
    return responses.json(
        {"type": "list", "data": [_summary(loads(row["data"])) for row in page.rows], "pages": pages}
    )


@router.operation("createDataConnector", response_model=DataConnectorDetail, status_code=201)
async def create_connector(body: CreateDataConnectorRequest, ctx: Ctx = Depends(context)) -> Any:
    connector = create_data_connector(
        ctx.store, ctx.workspace, acting_admin(ctx)["id"], _request_fields(body)
    )
    return responses.json(_render(connector), status=201)


@router.operation("RetrieveDataConnector", response_model=DataConnectorDetail)
async def retrieve_connector(
    id: str,
    state_version: str = Query(default="live", description="Which version: live (default) or draft."),
    ctx: Ctx = Depends(context),
) -> Any:
    if state_version not in ("live", "draft"):
        raise parameter_invalid("Invalid state_version. Must be one of: live, draft", field="state_version")
    row = ctx.store.row("data_connectors", ctx.ws, id)
    if row is None:
        raise data_connector_not_found()
    # A connector never published has only its draft.
    text = row["live_data"] if state_version == "live" and row["live_data"] else row["data"]
    return responses.json(_render(loads(text)))


@router.operation("updateDataConnector", response_model=DataConnectorDetail)
async def update_connector(id: str, body: UpdateDataConnectorRequest, ctx: Ctx = Depends(context)) -> Any:
    connector = require(ctx.store.data("data_connectors", ctx.ws, id), data_connector_not_found)
    fields = _request_fields(body)
    before = {key: connector.get(key) for key in REQUEST_KEYS}
    _apply(connector, fields)
    now = ctx.now()
    connector["updated_at"] = responses.iso(now)
    connector["updated_by_admin_id"] = acting_admin(ctx)["id"]
    values: dict[str, Any] = {"updated_at": now, "data": dumps(connector)}
    if connector["state"] == "live":
        values["live_data"] = values["data"]
    ctx.store.update("data_connectors", ctx.ws, id, values)
    if connector["url"] and before != {key: connector.get(key) for key in REQUEST_KEYS}:
        execute_data_connector(ctx.store, ctx.workspace, connector, source_type=None)
    return responses.json(_render(connector))


@router.operation("deleteDataConnector", response_model=DeletedObject)
async def delete_connector(id: str, ctx: Ctx = Depends(context)) -> Any:
    connector = require(ctx.store.data("data_connectors", ctx.ws, id), data_connector_not_found)
    if connector["state"] != "draft":
        raise conflict("Data connector must be in draft state to be deleted")
    ctx.store.execute(
        "DELETE FROM data_connector_executions WHERE workspace_id = ? AND connector_id = ?", (ctx.ws, id)
    )
    ctx.store.delete("data_connectors", ctx.ws, id)
    return responses.deleted(id, "data_connector")


def _flag(value: str | None, name: str) -> bool | None:
    if value is None:
        return None
    if value not in ("true", "false"):
        raise parameter_invalid(f"{name} must be true or false", field=name)
    return value == "true"


@router.operation("listDataConnectorExecutionResults", response_model=ExecutionResultList)
async def list_executions(
    data_connector_id: str,
    per_page: int | None = Query(default=None, description="Results per page (1-30, default 10)."),
    starting_after: str | None = Query(default=None, description="The cursor of the previous page."),
    success: str | None = Query(default=None, description="true or false: only successes or failures."),
    error_type: str | None = Query(default=None, description="Only results with this error type."),
    start_ts: str | None = Query(default=None, description="Start of the time range (default 1 hour ago)."),
    end_ts: str | None = Query(default=None, description="End of the time range (default now)."),
    include_bodies: str | None = Query(default=None, description="true to include request/response bodies."),
    ctx: Ctx = Depends(context),
) -> Any:
    require(ctx.store.data("data_connectors", ctx.ws, data_connector_id), data_connector_not_found)
    if error_type is not None and error_type not in ERROR_TYPES:
        raise parameter_invalid(
            f"Invalid error_type. Must be one of: {', '.join(ERROR_TYPES)}", field="error_type"
        )
    now = ctx.now()
    start = _unix(start_ts, "start_ts", now - HOUR)
    end = _unix(end_ts, "end_ts", now)
    where = (
        "data_connector_executions WHERE workspace_id = ? AND connector_id = ? AND created_at BETWEEN ? AND ?"
    )
    params: list[Any] = [ctx.ws, data_connector_id, start, end]
    wanted = _flag(success, "success")
    if wanted is not None:
        where += " AND success = ?"
        params.append(int(wanted))
    if error_type is not None:
        where += " AND error_type = ?"
        params.append(error_type)
    page = cursor_page(
        ctx.store,
        select="data",
        from_where=where,
        params=params,
        order=[Order("created_at"), Order("seq")],
        per_page=check_per_page(per_page, 10, 30),
        starting_after=starting_after,
    )
    bodies = _flag(include_bodies, "include_bodies")
    results = []
    for row in page.rows:
        result = {key: value for key, value in loads(row["data"]).items() if value is not None}
        if not bodies:
            for key in LIST_ONLY_KEYS:
                result.pop(key, None)
        results.append(result)
    pages = page.pages()
    pages.pop("total_pages", None)
    pages.pop("page", None)
    return responses.json({"type": "list", "data": results, "pages": pages})


def _unix(value: str | None, name: str, default: int) -> int:
    if value is None:
        return default
    try:
        return int(value)
    except ValueError:
        raise parameter_invalid(f"{name} must be a Unix timestamp (integer)", field=name) from None


@router.operation("showDataConnectorExecutionResult", response_model=ExecutionResult)
async def show_execution(data_connector_id: str, id: str, ctx: Ctx = Depends(context)) -> Any:
    require(ctx.store.data("data_connectors", ctx.ws, data_connector_id), data_connector_not_found)
    row = ctx.store.row("data_connector_executions", ctx.ws, id)
    if row is None or row["connector_id"] != data_connector_id:
        raise execution_result_not_found()
    result = loads(row["data"])
    bodies = {key: result.get(key) for key in ("request_url", *LIST_ONLY_KEYS)}
    return responses.json({**{k: v for k, v in result.items() if v is not None}, **bodies})


def seed_demo(seeder: Any) -> None:
    owner = seeder.admin_ids[0] if seeder.admin_ids else None
    connector = create_data_connector(
        seeder.store,
        seeder.workspace,
        owner,
        {
            "name": "Get Order Status",
            "description": "Looks up an order's status in the fulfilment service",
            "http_method": "get",
            "url": "https://orders.example.com/api/orders/{{order_id}}/status",
            "direct_fin_usage": True,
            "audiences": ["users", "leads"],
            "headers": [{"name": "Accept", "value": "application/json"}],
            "data_inputs": [
                DataInput(name="order_id", description="The order to look up", required=True).model_dump()
            ],
            "mock_response": {"order": {"id": "A-1001", "status": "shipped", "eta_days": 2}},
            "state": "live",
        },
    )
    seeder.store.update(
        "data_connectors", seeder.workspace.id, connector["id"], {"live_data": dumps(connector)}
    )
    for order in ("A-1001", "A-1002"):
        execute_data_connector(
            seeder.store, seeder.workspace, connector, source_type="fin", inputs={"order_id": order}
        )
