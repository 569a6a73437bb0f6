"""Conversation attributes: custom fields of conversations, with list options (Intercom-Version 2.16).

Deleting an attribute or an option archives it (Intercom keeps both, flagged `archived`). The
type-specific keys appear only on their type: `multiline` on strings, `options` on lists,
`reference` on relationships. A list keeps at least two active options.
"""

import uuid
from typing import Any

from fastapi import Depends, Query

from contracts.models.conversation_attributes import (
    DATA_TYPES,
    ConversationAttribute,
    ConversationAttributeList,
    CreateConversationAttributeRequest,
    OptionInput,
    OptionRequest,
    ReferenceInput,
    UpdateConversationAttributeRequest,
)
from fake_intercom import responses
from fake_intercom.context import Ctx, context
from fake_intercom.errors import conversation_attribute_not_found, parameter_invalid, require
from fake_intercom.resources.admins import acting_admin
from fake_intercom.resources.teams import find_team
from fake_intercom.routing import IntercomRouter
from fake_intercom.store import Store, Workspace, dumps, loads, table

ATTRIBUTES = table(
    "conversation_attributes",
    {"id": str, "name": str, "archived": int, "data": str},
    indexes=(("workspace_id", "name"),),
)

MIN_LIST_OPTIONS = 2
NOT_LIST = "Options can only be managed on list attributes"
SEED_ORDER = 70

router = IntercomRouter(tags=["Conversations Attributes"])


def _label(value: Any) -> str:
    if value is None:
        raise parameter_invalid("label is required", status=422)
    if not isinstance(value, str):
        raise parameter_invalid("label must be a string", status=422)
    if not value.strip():
        raise parameter_invalid("label is required", status=422)
    return value


def _option(store: Store, workspace_id: str, label: Any) -> dict[str, Any]:
    number = store.next_number(workspace_id, "conversation_attribute_option")
    option_id = uuid.uuid5(uuid.NAMESPACE_URL, f"{workspace_id}:conversation_attribute_option:{number}")
    return {"id": str(option_id), "label": _label(label), "archived": False}


def _check_name(store: Store, workspace_id: str, name: str, attribute_id: str | None = None) -> str:
    if not name.strip():
        raise parameter_invalid("name is required", field="name", status=422)
    taken = store.scalar(
        "SELECT id FROM conversation_attributes WHERE workspace_id = ? AND lower(name) = lower(?) AND id != ?",
        (workspace_id, name, attribute_id or ""),
    )
    if taken is not None:
        raise parameter_invalid(f"An attribute named '{name}' already exists", field="name", status=422)
    return name


def _team_ids(store: Store, workspace_id: str, team_ids: list[str | int]) -> list[str]:
    for team_id in team_ids:
        if find_team(store, workspace_id, team_id) is None:
            raise parameter_invalid(f"Team {team_id} not found", field="visible_to_team_ids", status=422)
    return [str(team_id) for team_id in team_ids]


def _active_count(attribute: dict[str, Any]) -> int:
    return sum(not option["archived"] for option in attribute.get("options") or [])


def create_attribute(
    store: Store,
    workspace: Workspace,
    admin_id: str | None,
    *,
    name: str,
    data_type: str,
    description: str | None = None,
    required: bool | None = None,
    visible_to_team_ids: list[str | int] | None = None,
    multiline: bool | None = None,
    options: list[OptionInput] | None = None,
    reference: ReferenceInput | None = None,
) -> dict[str, Any]:
    if data_type not in DATA_TYPES:
        raise parameter_invalid(
            f"data_type '{data_type}' is not valid. Allowed types: {', '.join(DATA_TYPES)}", status=422
        )
    now = store.now(workspace)
    attribute: dict[str, Any] = {
        "type": "conversation_attribute",
        "id": 0,
        "name": _check_name(store, workspace.id, name),
        "description": description or "",
        "data_type": data_type,
        "required": bool(required),
        "visible_to_team_ids": _team_ids(store, workspace.id, visible_to_team_ids or []),
        "archived": False,
        "created_at": now,
        "updated_at": now,
        "admin_id": admin_id,
    }
    if data_type == "string":
        attribute["multiline"] = bool(multiline)
    elif data_type == "list":
        attribute["options"] = [_option(store, workspace.id, option.label) for option in options or []]
        if _active_count(attribute) < MIN_LIST_OPTIONS:
            raise parameter_invalid(
                f"A list attribute must have at least {MIN_LIST_OPTIONS} active options", status=422
            )
    elif data_type == "relationship":
        if reference is None:
            raise parameter_invalid(
                "reference is required for relationship attributes", field="reference", status=422
            )
        attribute["reference"] = reference.model_dump()
    attribute["id"] = int(store.numeric_id(workspace.id, "conversation_attribute", base=0))
    store.insert(
        "conversation_attributes",
        {
            "workspace_id": workspace.id,
            "id": str(attribute["id"]),
            "name": attribute["name"],
            "archived": 0,
            "data": dumps(attribute),
        },
    )
    return attribute


def conversation_attributes(
    store: Store, workspace_id: str, *, include_archived: bool = False
) -> list[dict[str, Any]]:
    """The workspace's conversation attributes, by id (what conversations' custom_attributes may set)."""
    sql = "SELECT data FROM conversation_attributes WHERE workspace_id = ?"
    if not include_archived:
        sql += " AND archived = 0"
    rows = store.query(sql + " ORDER BY CAST(id AS INTEGER)", (workspace_id,))
    return [loads(row["data"]) for row in rows]


def _save(ctx: Ctx, attribute: dict[str, Any]) -> Any:
    attribute["updated_at"] = ctx.now()
    ctx.store.update(
        "conversation_attributes",
        ctx.ws,
        str(attribute["id"]),
        {"name": attribute["name"], "archived": int(attribute["archived"]), "data": dumps(attribute)},
    )
    return responses.json(attribute)


def _list_attribute(ctx: Ctx, attribute_id: int) -> dict[str, Any]:
    attribute = require(
        ctx.store.data("conversation_attributes", ctx.ws, str(attribute_id)), conversation_attribute_not_found
    )
    if attribute["data_type"] != "list":
        raise parameter_invalid(NOT_LIST, status=422)
    return attribute


def _find_option(attribute: dict[str, Any], option_id: str) -> dict[str, Any] | None:
    return next((option for option in attribute["options"] if option["id"] == option_id), None)


@router.operation("listConversationAttributes", response_model=ConversationAttributeList)
async def list_attributes(
    include_archived: bool = Query(default=False, description="Include archived attributes."),
    ctx: Ctx = Depends(context),
) -> Any:
    data = conversation_attributes(ctx.store, ctx.ws, include_archived=include_archived)
    return responses.json({"type": "list", "data": data})


@router.operation("createConversationAttribute", response_model=ConversationAttribute)
async def create_attribute_route(
    body: CreateConversationAttributeRequest, ctx: Ctx = Depends(context)
) -> Any:
    fields = body.model_dump(exclude_none=True, exclude={"options", "reference"})
    attribute = create_attribute(
        ctx.store,
        ctx.workspace,
        acting_admin(ctx)["id"],
        options=body.options,
        reference=body.reference,
        **fields,
    )
    return responses.json(attribute)


@router.operation("getConversationAttribute", response_model=ConversationAttribute)
async def get_attribute(id: int, ctx: Ctx = Depends(context)) -> Any:
    return responses.json(
        require(ctx.store.data("conversation_attributes", ctx.ws, str(id)), conversation_attribute_not_found)
    )


@router.operation("updateConversationAttribute", response_model=ConversationAttribute)
async def update_attribute(
    id: int, body: UpdateConversationAttributeRequest, ctx: Ctx = Depends(context)
) -> Any:
    attribute = require(
        ctx.store.data("conversation_attributes", ctx.ws, str(id)), conversation_attribute_not_found
    )
    if body.name is not None:
        attribute["name"] = _check_name(ctx.store, ctx.ws, body.name, str(id))
    if body.description is not None:
        attribute["description"] = body.description
    if body.required is not None:
        attribute["required"] = body.required
    if body.visible_to_team_ids is not None:
        attribute["visible_to_team_ids"] = _team_ids(ctx.store, ctx.ws, body.visible_to_team_ids)
    if body.multiline is not None:
        if attribute["data_type"] != "string":
            raise parameter_invalid(
                "multiline can only be set on string attributes", field="multiline", status=422
            )
        attribute["multiline"] = body.multiline
    if body.reference is not None:
        if attribute["data_type"] != "relationship":
            raise parameter_invalid(
                "reference can only be set on relationship attributes", field="reference", status=422
            )
        attribute["reference"] = body.reference.model_dump()
    return _save(ctx, attribute)


@router.operation("deleteConversationAttribute", response_model=ConversationAttribute)
async def archive_attribute(id: int, ctx: Ctx = Depends(context)) -> Any:
    attribute = require(
        ctx.store.data("conversation_attributes", ctx.ws, str(id)), conversation_attribute_not_found
    )
    attribute["archived"] = True
    return _save(ctx, attribute)


@router.operation("createConversationAttributeOption", response_model=ConversationAttribute)
async def create_option(id: int, body: OptionRequest, ctx: Ctx = Depends(context)) -> Any:
    attribute = _list_attribute(ctx, id)
    attribute["options"].append(_option(ctx.store, ctx.ws, body.label))
    return _save(ctx, attribute)


@router.operation("updateConversationAttributeOption", response_model=ConversationAttribute)
async def update_option(id: int, option_id: str, body: OptionRequest, ctx: Ctx = Depends(context)) -> Any:
    attribute = _list_attribute(ctx, id)
    require(_find_option(attribute, option_id), conversation_attribute_not_found, "List option not found")[
        "label"
    ] = _label(body.label)
    return _save(ctx, attribute)


@router.operation("deleteConversationAttributeOption", response_model=ConversationAttribute)
async def archive_option(id: int, option_id: str, ctx: Ctx = Depends(context)) -> Any:
    attribute = _list_attribute(ctx, id)
    option = require(
        _find_option(attribute, option_id), conversation_attribute_not_found, "List option not found"
    )
    if not option["archived"] and _active_count(attribute) <= MIN_LIST_OPTIONS:
        raise parameter_invalid(
            f"A list attribute must have at least {MIN_LIST_OPTIONS} active options", status=422
        )
    option["archived"] = True
    return _save(ctx, attribute)


def seed_demo(seeder: Any) -> None:
    store, workspace = seeder.store, seeder.workspace
    owner = seeder.admin_ids[0] if seeder.admin_ids else None
    create_attribute(
        store,
        workspace,
        owner,
        name="Issue type",
        data_type="list",
        description="What the customer needs help with",
        options=[
            OptionInput(label=label) for label in ("Billing", "Bug report", "Feature request", "How-to")
        ],
    )
    create_attribute(
        store, workspace, owner, name="Order number", data_type="string", description="The order it is about"
    )
    create_attribute(store, workspace, owner, name="Escalated", data_type="boolean")
    create_attribute(store, workspace, owner, name="Refund amount", data_type="decimal")
