"""The data fields of a ticket type, and the checking of the values tickets give them.

Every type starts with the two default attributes `_default_title_` and `_default_description_`
(which cannot be renamed or archived); custom ones follow in creation order. A ticket's
`ticket_attributes` are keyed by attribute name. List attributes keep their options in
`input_options.list_options`, each with its own id; a ticket may name an option by label or id and
stores the label.
"""

from typing import Any

from fastapi import Depends

from contracts.models.ticket_type_attributes import (
    CreateTicketTypeAttributeRequest,
    TicketTypeAttribute,
    UpdateTicketTypeAttributeRequest,
)
from fake_intercom import responses
from fake_intercom.context import Ctx, context
from fake_intercom.errors import not_found, parameter_invalid, require
from fake_intercom.routing import IntercomRouter
from fake_intercom.store import Store, Workspace, dumps, loads, table

TICKET_TYPE_ATTRIBUTES = table(
    "ticket_type_attributes",
    {
        "id": str,
        "ticket_type_id": str,
        "name": str,
        "data_type": str,
        "sort_order": int,
        "archived": int,
        "data": str,
    },
    indexes=(("workspace_id", "ticket_type_id", "sort_order"),),
)

TITLE, DESCRIPTION = "_default_title_", "_default_description_"
DATA_TYPES = ("string", "list", "integer", "decimal", "boolean", "datetime", "files")
ATTRIBUTE_ID_BASE = 150
MISSING_REQUIRED = "Missing required ticket attributes"
FLAGS = ("required_to_create", "required_to_create_for_contacts", "visible_on_create", "visible_to_contacts")

router = IntercomRouter(tags=["Ticket Type Attributes"])


# -- domain -------------------------------------------------------------------------------------


def create_default_attributes(store: Store, workspace: Workspace, ticket_type_id: str) -> None:
    for name, multiline in ((TITLE, False), (DESCRIPTION, True)):
        _insert(
            store,
            workspace,
            ticket_type_id,
            {
                "name": name,
                "description": "",
                "data_type": "string",
                "input_options": {"multiline": multiline},
                "default": True,
            },
        )


def create_attribute(
    store: Store, workspace: Workspace, ticket_type_id: str, fields: dict[str, Any]
) -> dict[str, Any]:
    """A custom attribute from the API's create fields (name, description, data_type, flags...)."""
    name = (fields.get("name") or "").strip()
    if not name:
        raise parameter_invalid("Name is a required parameter.", field="name")
    data_type = fields.get("data_type")
    if data_type not in DATA_TYPES:
        raise parameter_invalid(f"data_type must be one of: {', '.join(DATA_TYPES)}", field="data_type")
    _check_name_free(store, workspace.id, ticket_type_id, name)
    attribute = {
        "name": name,
        "description": fields.get("description") or "",
        "data_type": data_type,
        "input_options": _input_options(store, workspace.id, data_type, fields, None),
        "default": False,
        **{flag: fields[flag] for flag in FLAGS if fields.get(flag) is not None},
    }
    return _insert(store, workspace, ticket_type_id, attribute)


def _insert(
    store: Store, workspace: Workspace, ticket_type_id: str, fields: dict[str, Any]
) -> dict[str, Any]:
    now = store.now(workspace)
    order = store.scalar(
        "SELECT COALESCE(MAX(sort_order) + 1, 0) FROM ticket_type_attributes "
        "WHERE workspace_id = ? AND ticket_type_id = ?",
        (workspace.id, ticket_type_id),
    )
    attribute = {
        "type": "ticket_type_attribute",
        "id": store.numeric_id(workspace.id, "ticket_type_attribute", base=ATTRIBUTE_ID_BASE),
        "workspace_id": workspace.id,
        "name": fields["name"],
        "description": fields.get("description", ""),
        "data_type": fields["data_type"],
        "input_options": fields.get("input_options"),
        "order": order,
        "required_to_create": bool(fields.get("required_to_create", False)),
        "required_to_create_for_contacts": bool(fields.get("required_to_create_for_contacts", False)),
        "visible_on_create": bool(fields.get("visible_on_create", True)),
        "visible_to_contacts": bool(fields.get("visible_to_contacts", True)),
        "default": bool(fields.get("default", False)),
        "ticket_type_id": int(ticket_type_id),
        "archived": False,
        "created_at": now,
        "updated_at": now,
    }
    store.insert(
        "ticket_type_attributes",
        {
            "workspace_id": workspace.id,
            "id": attribute["id"],
            "ticket_type_id": ticket_type_id,
            "name": attribute["name"],
            "data_type": attribute["data_type"],
            "sort_order": order,
            "archived": 0,
            "data": dumps(attribute),
        },
    )
    return attribute


def update_attribute(
    store: Store, workspace: Workspace, attribute: dict[str, Any], fields: dict[str, Any]
) -> dict[str, Any]:
    if attribute["default"] and (
        ("name" in fields and fields["name"] != attribute["name"]) or fields.get("archived")
    ):
        raise parameter_invalid("The default title and description attributes cannot be renamed or archived")
    updated = dict(attribute)
    if fields.get("name") is not None:
        name = fields["name"].strip()
        if not name:
            raise parameter_invalid("Name is a required parameter.", field="name")
        if name != attribute["name"]:
            _check_name_free(store, workspace.id, str(attribute["ticket_type_id"]), name)
        updated["name"] = name
    if fields.get("description") is not None:
        updated["description"] = fields["description"]
    for flag in (*FLAGS, "archived"):
        if fields.get(flag) is not None:
            updated[flag] = bool(fields[flag])
    updated["input_options"] = _input_options(
        store, workspace.id, attribute["data_type"], fields, attribute["input_options"]
    )
    updated["updated_at"] = store.now(workspace)
    store.update(
        "ticket_type_attributes",
        workspace.id,
        attribute["id"],
        {"name": updated["name"], "archived": int(updated["archived"]), "data": dumps(updated)},
    )
    return updated


def _check_name_free(store: Store, workspace_id: str, ticket_type_id: str, name: str) -> None:
    taken = store.scalar(
        "SELECT 1 FROM ticket_type_attributes WHERE workspace_id = ? AND ticket_type_id = ? "
        "AND name = ? COLLATE NOCASE",
        (workspace_id, ticket_type_id, name),
    )
    if taken:
        raise parameter_invalid(f"An attribute named '{name}' already exists on this ticket type")


def _input_options(
    store: Store,
    workspace_id: str,
    data_type: str,
    fields: dict[str, Any],
    current: dict[str, Any] | None,
) -> dict[str, Any] | None:
    """The options of the attribute's kind: multiline text, list options, multiple files."""
    options = dict(current or {})
    if data_type == "string" and fields.get("multiline") is not None:
        options["multiline"] = bool(fields["multiline"])
    elif data_type == "string" and current is None:
        options["multiline"] = False
    if data_type == "files" and fields.get("allow_multiple_values") is not None:
        options["allow_multiple_values"] = bool(fields["allow_multiple_values"])
    if data_type == "list" and fields.get("list_items") is not None:
        options["list_options"] = _list_options(
            store, workspace_id, fields["list_items"], options.get("list_options", [])
        )
    if data_type == "list" and not options.get("list_options"):
        raise parameter_invalid(
            "list_items must name at least one option for a list attribute", field="list_items"
        )
    return options or None


def _list_options(
    store: Store, workspace_id: str, list_items: str, current: list[dict[str, Any]]
) -> list[dict[str, Any]]:
    """Options keep their ids across updates; options no longer listed are archived, not lost."""
    labels = [label.strip() for label in list_items.split(",") if label.strip()]
    by_label = {option["label"]: option for option in current}
    options = []
    for label in dict.fromkeys(labels):
        option = by_label.pop(label, None) or {
            "type": "list_option",
            "id": store.numeric_id(workspace_id, "ticket_list_option", base=0),
        }
        options.append({**option, "label": label, "archived": False})
    options += [{**option, "archived": True} for option in by_label.values()]
    return options


def attributes_of_type(
    store: Store, workspace_id: str, ticket_type_id: str, *, archived_too: bool = True
) -> list[dict[str, Any]]:
    rows = store.query(
        "SELECT data FROM ticket_type_attributes WHERE workspace_id = ? AND ticket_type_id = ? "
        f"{'' if archived_too else 'AND archived = 0 '}ORDER BY sort_order, CAST(id AS INTEGER)",
        (workspace_id, ticket_type_id),
    )
    return [loads(row["data"]) for row in rows]


def find_attribute(store: Store, workspace_id: str, attribute_id: str) -> dict[str, Any] | None:
    return store.data("ticket_type_attributes", workspace_id, str(attribute_id))


def check_ticket_attributes(
    store: Store,
    workspace_id: str,
    ticket_type_id: str,
    values: dict[str, Any],
    *,
    current: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """The ticket's attribute values after applying `values` to `current` (None: a new ticket).

    Names must be live attributes of the type and values of their data type (null clears); a new
    ticket must fill every attribute `required_to_create`.
    """
    attributes = {
        a["name"]: a for a in attributes_of_type(store, workspace_id, ticket_type_id, archived_too=False)
    }
    unknown = [name for name in values if name not in attributes]
    if unknown:
        raise parameter_invalid(
            f"Extra attributes provided that are not found on ticket type: {', '.join(unknown)}"
        )
    result = dict(current or {})
    for name, value in values.items():
        result[name] = _value(attributes[name], value)
    if current is None:
        missing = [
            name
            for name, attribute in attributes.items()
            if attribute["required_to_create"] and result.get(name) in (None, "", [])
        ]
        if missing:
            raise parameter_invalid(MISSING_REQUIRED)
    return result


def _value(attribute: dict[str, Any], value: Any) -> Any:
    if value is None:
        return None
    kind = attribute["data_type"]
    ok = {
        "string": isinstance(value, str),
        "list": isinstance(value, (str, int)) and not isinstance(value, bool),
        "integer": _integer(value),
        "decimal": _integer(value) or isinstance(value, float),
        "boolean": isinstance(value, bool),
        "datetime": _integer(value) and value >= 0,
        "files": isinstance(value, list),
    }[kind]
    if ok and kind == "list":
        option = list_option(attribute, value)
        if option is not None:
            return option["label"]
    if not ok or kind == "list":
        raise parameter_invalid(
            f"{value!r} is not a valid value for the {kind} attribute '{attribute['name']}'",
            field=attribute["name"],
        )
    return value


def _integer(value: Any) -> bool:
    """An integer SQLite and JSON can hold."""
    return isinstance(value, int) and not isinstance(value, bool) and -(2**63) <= value < 2**63


def list_option(attribute: dict[str, Any], value: Any) -> dict[str, Any] | None:
    """The live option of a list attribute named by label or id."""
    for option in (attribute.get("input_options") or {}).get("list_options", []):
        if not option["archived"] and str(value) in (option["label"], option["id"]):
            return option
    return None


def attribute_change(attribute: dict[str, Any], value: Any) -> dict[str, Any]:
    """`updated_attribute_data` of the part recording that `attribute` was set to `value`."""
    if attribute["data_type"] == "list" and value is not None:
        option = list_option(attribute, value)
        shown: dict[str, Any] = {"id": option["id"] if option else None, "label": value}
    elif attribute["data_type"] == "files":
        files = value or []
        shown = {
            "id": [item.get("id") for item in files if isinstance(item, dict)],
            "label": [item.get("name") if isinstance(item, dict) else str(item) for item in files],
        }
    else:
        text = None if value is None else str(value).lower() if isinstance(value, bool) else str(value)
        shown = {"id": text, "label": text}
    return {
        "attribute": {"type": "attribute", "id": attribute["id"], "label": attribute["name"]},
        "value": {"type": "value", **shown},
    }


# -- routes -------------------------------------------------------------------------------------


@router.operation("createTicketTypeAttribute", response_model=TicketTypeAttribute)
async def create_ticket_type_attribute(
    ticket_type_id: str, body: CreateTicketTypeAttributeRequest, ctx: Ctx = Depends(context)
) -> Any:
    type_id = require(ctx.store.row("ticket_types", ctx.ws, str(ticket_type_id)), not_found)["id"]
    attribute = create_attribute(ctx.store, ctx.workspace, type_id, body.model_dump(exclude_unset=True))
    return responses.json(attribute)


@router.operation("updateTicketTypeAttribute", response_model=TicketTypeAttribute)
async def update_ticket_type_attribute(
    ticket_type_id: str,
    attribute_id: str,
    body: UpdateTicketTypeAttributeRequest,
    ctx: Ctx = Depends(context),
) -> Any:
    type_id = require(ctx.store.row("ticket_types", ctx.ws, str(ticket_type_id)), not_found)["id"]
    attribute = find_attribute(ctx.store, ctx.ws, attribute_id)
    if attribute is None or str(attribute["ticket_type_id"]) != type_id:
        raise not_found()
    fields = body.model_dump(exclude_unset=True)
    return responses.json(update_attribute(ctx.store, ctx.workspace, attribute, fields))
