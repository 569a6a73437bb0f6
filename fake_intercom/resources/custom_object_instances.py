"""Custom object instances: records of the workspace's own object types (Orders, Subscriptions...).

Types are defined in Intercom's UI, so the seed and tests define them (`create_custom_object_type`)
with their attributes; an unknown type answers 404 "Custom object type `X` not found" on every
route, as the spec's example does. Instances are upserted by `external_id` and found by id or
external id. Attributes must be the type's, with values of their type; an attribute of type
`contact` or `conversation` references those objects (an id, or a list of ids), which is what
2.16's `references_contact_id` / `references_conversation_id` filters follow.

GET /custom_object_instances/{type} is two operations: 2.15's get-by-external-id (the query
parameter is required) and 2.16's list, which answers a single instance when `external_id` is
given and a page of instances otherwise.
"""

from typing import Any

from fastapi import Depends, Query

from contracts.models.custom_object_instances import (
    CreateCustomObjectInstanceRequest,
    CustomObjectInstance,
    CustomObjectInstanceDeleted,
    CustomObjectInstanceList,
)
from fake_intercom import responses
from fake_intercom.context import Ctx, context
from fake_intercom.errors import not_found, parameter_invalid, parameter_not_found, require
from fake_intercom.pagination import check_per_page, numbered_page
from fake_intercom.routing import IntercomRouter
from fake_intercom.store import Store, Workspace, dumps, loads, table

CUSTOM_OBJECT_TYPES = table("custom_object_types", {"id": str, "data": str})
CUSTOM_OBJECT_INSTANCES = table(
    "custom_object_instances",
    {"id": str, "object_type": str, "external_id": str, "created_at": int, "data": str},
    indexes=(("workspace_id", "object_type", "created_at"),),
    unique_indexes=(("workspace_id", "object_type", "external_id"),),
)
# What an instance's reference attributes point at, for the 2.16 list filters.
CUSTOM_OBJECT_REFERENCES = table(
    "custom_object_references",
    {"instance_id": str, "kind": str, "target_id": str},
    pk=("workspace_id", "instance_id", "kind", "target_id"),
    indexes=(("workspace_id", "kind", "target_id"),),
)

router = IntercomRouter(tags=["Custom Object Instances"])

SEED_ORDER = 62
DEFAULT_PER_PAGE = 20
MAX_PER_PAGE = 150
INSTANCE_NOT_FOUND = "Custom object instance not found"
REFERENCE_TYPES = ("contact", "conversation")
VALUE_TYPES: dict[str, tuple[type, ...]] = {
    "string": (str,),
    "integer": (int,),
    "float": (int, float),
    "boolean": (bool,),
    "date": (int,),
}


def create_custom_object_type(
    store: Store, workspace: Workspace, identifier: str, attributes: dict[str, str]
) -> dict[str, Any]:
    """A type and its attributes, `{name: data_type}` with data types string, integer, float,
    boolean, date, or contact/conversation for references."""
    for name, data_type in attributes.items():
        if data_type not in VALUE_TYPES and data_type not in REFERENCE_TYPES:
            raise ValueError(f"{name}: unknown data type {data_type}")
    object_type = {"identifier": identifier, "attributes": attributes}
    store.insert(
        "custom_object_types", {"workspace_id": workspace.id, "id": identifier, "data": dumps(object_type)}
    )
    return object_type


def _references(attributes: dict[str, str], values: dict[str, Any]) -> set[tuple[str, str]]:
    found = set()
    for name, value in values.items():
        kind = attributes.get(name)
        if kind in REFERENCE_TYPES and value is not None:
            for target in value if isinstance(value, list) else [value]:
                found.add((str(kind), str(target)))
    return found


def _check_attributes(object_type: dict[str, Any], values: dict[str, Any]) -> None:
    attributes: dict[str, str] = object_type["attributes"]
    for name, value in values.items():
        data_type = attributes.get(name)
        if data_type is None:
            raise parameter_invalid(
                f"Custom attribute '{name}' does not exist on {object_type['identifier']}",
                field=f"custom_attributes.{name}",
            )
        if value is None:
            continue
        if data_type in REFERENCE_TYPES:
            targets = value if isinstance(value, list) else [value]
            ok = all(isinstance(target, str | int) and not isinstance(target, bool) for target in targets)
        else:
            allowed = VALUE_TYPES[data_type]
            ok = isinstance(value, allowed) and (data_type == "boolean" or not isinstance(value, bool))
        if not ok:
            raise parameter_invalid(
                f"Custom attribute '{name}' must be a {data_type} value", field=f"custom_attributes.{name}"
            )


def upsert_instance(
    store: Store, workspace: Workspace, identifier: str, external_id: str, fields: dict[str, Any]
) -> dict[str, Any]:
    """Create the instance with this external id, or update it: attributes sent replace those
    stored (null removes one); external timestamps change only when sent."""
    object_type = require(
        store.data("custom_object_types", workspace.id, identifier),
        not_found,
        f"Custom object type `{identifier}` not found",
    )
    values = fields.get("custom_attributes") or {}
    _check_attributes(object_type, values)
    now = store.now(workspace)
    row = store.one(
        "SELECT data FROM custom_object_instances WHERE workspace_id = ? AND object_type = ? AND external_id = ?",
        (workspace.id, identifier, external_id),
    )
    if row is None:
        instance = {
            "id": store.numeric_id(workspace.id, "custom_object_instance", base=0),
            "type": identifier,
            "custom_attributes": {},
            "external_id": external_id,
            "external_created_at": None,
            "external_updated_at": None,
            "created_at": now,
            "updated_at": now,
        }
    else:
        instance = loads(row["data"])
        instance["updated_at"] = now
    merged = {**instance["custom_attributes"], **values}
    instance["custom_attributes"] = {name: value for name, value in merged.items() if value is not None}
    for key in ("external_created_at", "external_updated_at"):
        if fields.get(key) is not None:
            instance[key] = fields[key]
    store.insert(
        "custom_object_instances",
        {
            "workspace_id": workspace.id,
            "id": instance["id"],
            "object_type": identifier,
            "external_id": external_id,
            "created_at": instance["created_at"],
            "data": dumps(instance),
        },
        replace_existing=True,
    )
    store.execute(
        "DELETE FROM custom_object_references WHERE workspace_id = ? AND instance_id = ?",
        (workspace.id, instance["id"]),
    )
    for kind, target in _references(object_type["attributes"], instance["custom_attributes"]):
        store.insert(
            "custom_object_references",
            {"workspace_id": workspace.id, "instance_id": instance["id"], "kind": kind, "target_id": target},
        )
    return instance


def _find(store: Store, workspace_id: str, identifier: str, column: str, value: str) -> dict[str, Any] | None:
    if column not in ("id", "external_id"):
        raise ValueError(column)
    text = store.scalar(
        f"SELECT data FROM custom_object_instances WHERE workspace_id = ? AND object_type = ? AND {column} = ?",
        (workspace_id, identifier, value),
    )
    return loads(text)


def _given_external_id(external_id: str | None) -> str:
    if not external_id:
        raise parameter_not_found("external_id is a required parameter", field="external_id")
    return external_id


def _by_external_id(ctx: Ctx, identifier: str, external_id: str) -> dict[str, Any]:
    instance = _find(ctx.store, ctx.ws, identifier, "external_id", external_id)
    if instance is None:
        raise not_found(INSTANCE_NOT_FOUND)
    return instance


def _delete(ctx: Ctx, instance: dict[str, Any]) -> Any:
    ctx.store.delete("custom_object_instances", ctx.ws, instance["id"])
    ctx.store.execute(
        "DELETE FROM custom_object_references WHERE workspace_id = ? AND instance_id = ?",
        (ctx.ws, instance["id"]),
    )
    return responses.deleted(instance["id"], instance["type"])


@router.operation("createCustomObjectInstances", response_model=CustomObjectInstance)
async def create_custom_object_instance(
    custom_object_type_identifier: str, body: CreateCustomObjectInstanceRequest, ctx: Ctx = Depends(context)
) -> Any:
    require(
        ctx.store.data("custom_object_types", ctx.ws, custom_object_type_identifier),
        not_found,
        f"Custom object type `{custom_object_type_identifier}` not found",
    )
    external_id = _given_external_id(str(body.external_id) if body.external_id is not None else None)
    instance = upsert_instance(
        ctx.store,
        ctx.workspace,
        custom_object_type_identifier,
        external_id,
        body.model_dump(exclude_unset=True),
    )
    return responses.json(instance)


@router.operation(
    "listCustomObjectInstances",
    "getCustomObjectInstancesByExternalId",
    response_model=CustomObjectInstanceList | CustomObjectInstance,
)
async def list_custom_object_instances(
    custom_object_type_identifier: str,
    external_id: str | None = Query(
        default=None, description="The instance with this external id (2.15: required); answers one instance."
    ),
    references_contact_id: str | None = Query(
        default=None, description="2.16: instances referencing this contact."
    ),
    references_conversation_id: str | None = Query(
        default=None, description="2.16: instances referencing this conversation."
    ),
    page: int | None = Query(default=None, description="2.16: the page to fetch (from 1)."),
    per_page: int | None = Query(
        default=None, description="2.16: instances per page, 20 unless set, at most 150."
    ),
    ctx: Ctx = Depends(context),
) -> Any:
    identifier = custom_object_type_identifier
    require(
        ctx.store.data("custom_object_types", ctx.ws, identifier),
        not_found,
        f"Custom object type `{identifier}` not found",
    )
    if not ctx.since("2.16"):
        return responses.json(_by_external_id(ctx, identifier, _given_external_id(external_id)))
    if external_id is not None:
        return responses.json(_by_external_id(ctx, identifier, external_id))
    where = "custom_object_instances i WHERE i.workspace_id = ? AND i.object_type = ?"
    params: list[Any] = [ctx.ws, identifier]
    for kind, target in (("contact", references_contact_id), ("conversation", references_conversation_id)):
        if target is not None:
            where += (
                " AND EXISTS (SELECT 1 FROM custom_object_references r WHERE r.workspace_id = i.workspace_id"
                " AND r.instance_id = i.id AND r.kind = ? AND r.target_id = ?)"
            )
            params += [kind, target]
    query = {
        "references_contact_id": references_contact_id,
        "references_conversation_id": references_conversation_id,
    }
    result = numbered_page(
        ctx.store,
        select="i.data AS data",
        from_where=where,
        params=params,
        order_by="i.created_at DESC, CAST(i.id AS INTEGER) DESC",
        page=page,
        per_page=check_per_page(per_page, DEFAULT_PER_PAGE, MAX_PER_PAGE),
        url=f"{ctx.base_url}/custom_object_instances/{identifier}",
        query=query,
    )
    return responses.json(
        {
            "type": "list",
            "pages": result.pages(),
            "total_count": result.total_count,
            "data": [loads(row["data"]) for row in result.rows],
        }
    )


@router.operation("getCustomObjectInstancesById", response_model=CustomObjectInstance)
async def get_custom_object_instance(
    custom_object_type_identifier: str, custom_object_instance_id: str, ctx: Ctx = Depends(context)
) -> Any:
    identifier = custom_object_type_identifier
    require(
        ctx.store.data("custom_object_types", ctx.ws, identifier),
        not_found,
        f"Custom object type `{identifier}` not found",
    )
    instance = _find(ctx.store, ctx.ws, identifier, "id", custom_object_instance_id) or _find(
        ctx.store, ctx.ws, identifier, "external_id", custom_object_instance_id
    )
    if instance is None:
        raise not_found(INSTANCE_NOT_FOUND)
    return responses.json(instance)


@router.operation("deleteCustomObjectInstancesByExternalId", response_model=CustomObjectInstanceDeleted)
async def delete_custom_object_instance_by_id(
    custom_object_type_identifier: str, custom_object_instance_id: str, ctx: Ctx = Depends(context)
) -> Any:
    # The spec names this operation "by external id" but describes and routes it by Intercom id.
    require(
        ctx.store.data("custom_object_types", ctx.ws, custom_object_type_identifier),
        not_found,
        f"Custom object type `{custom_object_type_identifier}` not found",
    )
    instance = _find(ctx.store, ctx.ws, custom_object_type_identifier, "id", custom_object_instance_id)
    if instance is None:
        raise not_found(INSTANCE_NOT_FOUND)
    return _delete(ctx, instance)


@router.operation("deleteCustomObjectInstancesById", response_model=CustomObjectInstanceDeleted)
async def delete_custom_object_instance_by_external_id(
    custom_object_type_identifier: str,
    external_id: str | None = Query(default=None, description="The external id of the instance to delete."),
    ctx: Ctx = Depends(context),
) -> Any:
    require(
        ctx.store.data("custom_object_types", ctx.ws, custom_object_type_identifier),
        not_found,
        f"Custom object type `{custom_object_type_identifier}` not found",
    )
    instance = _by_external_id(ctx, custom_object_type_identifier, _given_external_id(external_id))
    return _delete(ctx, instance)


def seed_demo(seeder: Any) -> None:
    store, ws, rng = seeder.store, seeder.workspace, seeder.rng
    create_custom_object_type(
        store,
        ws,
        "Order",
        {
            "order_number": "string",
            "total_amount": "float",
            "status": "string",
            "placed_at": "date",
            "customer": "contact",
        },
    )
    create_custom_object_type(
        store,
        ws,
        "Subscription",
        {
            "plan": "string",
            "seats": "integer",
            "active": "boolean",
            "renews_at": "date",
            "customer": "contact",
        },
    )
    for index, contact in enumerate(rng.sample(seeder.users, 12)):
        placed_at = seeder.ago(120)
        upsert_instance(
            store,
            ws,
            "Order",
            f"order_{index + 1:03d}",
            {
                "external_created_at": placed_at,
                "external_updated_at": placed_at,
                "custom_attributes": {
                    "order_number": f"ORDER-{10000 + index}",
                    "total_amount": round(rng.uniform(10, 900), 2),
                    "status": rng.choice(["paid", "shipped", "delivered", "refunded"]),
                    "placed_at": placed_at,
                    "customer": contact["id"],
                },
            },
        )
    for index, contact in enumerate(rng.sample(seeder.users, 6)):
        upsert_instance(
            store,
            ws,
            "Subscription",
            f"sub_{index + 1:03d}",
            {
                "custom_attributes": {
                    "plan": rng.choice(["starter", "pro", "enterprise"]),
                    "seats": rng.randint(1, 50),
                    "active": rng.random() < 0.8,
                    "renews_at": seeder.now + rng.randint(1, 365) * 86_400,
                    "customer": contact["id"],
                }
            },
        )
