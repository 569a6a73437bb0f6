"""Data attributes: the built-in attributes of contacts, companies and conversations, and custom ones.

Custom attributes live in the shared `data_attributes` table (contacts and companies validate their
`custom_attributes` against it); built-in ones are constants, listed first and without an id.
"""

import unicodedata
from typing import Any

from fastapi import Depends, Query

from contracts.models.data_attributes import (
    CreateDataAttributeRequest,
    DataAttribute,
    DataAttributeList,
    UpdateDataAttributeRequest,
)
from fake_intercom import responses
from fake_intercom.context import Ctx, context
from fake_intercom.errors import (
    field_not_found,
    intercom_version_invalid,
    parameter_invalid,
    parameter_not_found,
)
from fake_intercom.routing import VERSION_UNAVAILABLE, IntercomRouter
from fake_intercom.store import Store, Workspace, dumps, loads

router = IntercomRouter(tags=["Data Attributes"])

CUSTOM_MODELS = ("contact", "company")
LISTED_MODELS = ("contact", "company", "conversation")
DATA_TYPES = ("string", "integer", "float", "boolean", "date")
# What each create data_type is stored as: an options list is a string attribute with options.
CREATE_DATA_TYPES = {**{t: t for t in DATA_TYPES}, "datetime": "date", "options": "string"}
MODEL_NOUN = {"contact": "people", "company": "company"}
# Dates are Unix timestamps.
VALUE_TYPES: dict[str, type | tuple[type, ...]] = {
    "string": str,
    "integer": int,
    "date": int,
    "boolean": bool,
}

INVALID_MODEL = "The Data Attribute model field must be either contact or company"
INVALID_NAME = (
    "Your name for this attribute must only contain alphanumeric characters, currency symbols, and hyphens"
)
INVALID_TYPE = "Data Type isn't an option"
OPTIONS_NOT_ARRAY = "Options isn't an array"
TOO_FEW_OPTIONS = "Options must contain at least two values"

# (name, full_name, label, description, data_type, api_writable)
Builtin = tuple[str, str, str, str, str, bool]

# fmt: off
BUILTINS: dict[str, tuple[Builtin, ...]] = {
    "contact": (
        ("id", "id", "ID", "The Intercom defined id representing the contact", "string", False),
        ("external_id", "external_id", "User ID", "The id you gave the contact", "string", True),
        ("role", "role", "Role", "Whether the contact is a user or a lead", "string", True),
        ("name", "name", "Name", "The contact's name", "string", True),
        ("email", "email", "Email", "The contact's email", "string", True),
        ("email_domain", "email_domain", "Email domain", "The domain of the contact's email", "string", False),
        ("phone", "phone", "Phone", "The contact's phone number", "string", True),
        ("avatar", "avatar", "Avatar", "An image URL of the contact's avatar", "string", True),
        ("owner_id", "owner_id", "Owner", "The teammate who owns the contact", "integer", True),
        ("created_at", "created_at", "First seen", "The time the contact was added to Intercom", "date", False),
        ("updated_at", "updated_at", "Updated at", "The last time the contact was updated", "date", False),
        ("signed_up_at", "signed_up_at", "Signed up", "The time the user signed up", "date", True),
        ("last_seen_at", "last_seen_at", "Last seen", "The last time the contact was seen", "date", True),
        ("last_replied_at", "last_replied_at", "Last replied", "The last time the contact replied", "date", False),
        ("last_contacted_at", "last_contacted_at", "Last contacted", "The last time a teammate contacted them", "date", False),
        ("last_email_opened_at", "last_email_opened_at", "Last opened email", "The last time they opened an email", "date", False),
        ("last_email_clicked_at", "last_email_clicked_at", "Last clicked on link in email", "The last time they clicked a link in an email", "date", False),
        ("unsubscribed_from_emails", "unsubscribed_from_emails", "Unsubscribed from emails", "Whether the contact unsubscribed from emails", "boolean", True),
        ("has_hard_bounced", "has_hard_bounced", "Has hard bounced", "Whether an email to the contact hard bounced", "boolean", False),
        ("marked_email_as_spam", "marked_email_as_spam", "Marked email as spam", "Whether the contact marked an email as spam", "boolean", False),
        ("language_override", "language_override", "Language override", "The language the Messenger uses for the contact", "string", True),
        ("browser", "browser", "Browser", "The browser the contact last used", "string", False),
        ("os", "os", "OS", "The operating system the contact last used", "string", False),
        ("country", "location.country", "Country", "The country the contact is in", "string", False),
        ("region", "location.region", "Region", "The region the contact is in", "string", False),
        ("city", "location.city", "City", "The city the contact is in", "string", False),
    ),
    "company": (
        ("name", "name", "Company name", "The name of a company", "string", True),
        ("company_id", "company_id", "Company ID", "A number identifying a company", "string", False),
        ("last_request_at", "last_request_at", "Company last seen", "The last day anyone from a company visited your site or app", "date", False),
        ("remote_created_at", "remote_created_at", "Company created at", "The day a company was added to Intercom", "date", True),
        ("user_count", "user_count", "People", "The number of people in a company", "integer", False),
        ("session_count", "session_count", "Company web sessions", "All visits from anyone in a company to your product's site or app", "integer", False),
        ("name", "plan.name", "Plan", "A specific plan or level within your product that companies have signed up to", "string", False),
        ("monthly_spend", "monthly_spend", "Monthly Spend", "The monthly revenue you receive from a company", "float", True),
        ("size", "size", "Company size", "The number of people employed in this company, expressed as a single number", "integer", True),
        ("industry", "industry", "Company industry", "The category or domain this company belongs to e.g. 'ecommerce' or 'SaaS'", "string", True),
        ("website", "website", "Company website", "The web address for the company's primary marketing site", "string", True),
        ("id", "id", "ID", "The Intercom defined id representing the company", "string", False),
        ("created_at", "created_at", "Created at", "The time the company was added to Intercom", "date", False),
        ("updated_at", "updated_at", "Updated at", "The last time the company was updated", "date", False),
        ("id", "plan.id", "Plan ID", "The Intercom defined id representing the plan", "string", False),
        ("app_id", "app_id", "App ID", "The Intercom defined id representing the app", "string", False),
    ),
    "conversation": (
        ("id", "id", "ID", "The Intercom defined id representing the conversation", "string", False),
        ("title", "title", "Title", "The title of the conversation", "string", True),
        ("state", "state", "State", "Whether the conversation is open, closed or snoozed", "string", False),
        ("open", "open", "Open", "Whether the conversation is open", "boolean", False),
        ("read", "read", "Read", "Whether a teammate read the conversation", "boolean", True),
        ("priority", "priority", "Priority", "Whether the conversation is a priority", "string", False),
        ("admin_assignee_id", "admin_assignee_id", "Teammate assigned", "The teammate assigned", "integer", False),
        ("team_assignee_id", "team_assignee_id", "Team assigned", "The team assigned", "integer", False),
        ("created_at", "created_at", "Started", "The time the conversation started", "date", False),
        ("updated_at", "updated_at", "Last updated", "The last time the conversation was updated", "date", False),
        ("waiting_since", "waiting_since", "Waiting since", "Since when the customer waits for a reply", "date", False),
        ("snoozed_until", "snoozed_until", "Snoozed until", "When the conversation reopens", "date", False),
    ),
}
# fmt: on


def builtin_json(model: str, builtin: Builtin) -> dict[str, Any]:
    name, full_name, label, description, data_type, api_writable = builtin
    return {
        "type": "data_attribute",
        "name": name,
        "full_name": full_name,
        "label": label,
        "description": description,
        "data_type": data_type,
        "api_writable": api_writable,
        "ui_writable": False,
        "messenger_writable": True,
        "custom": False,
        "archived": False,
        "model": model,
    }


def _valid_name(name: str) -> bool:
    return bool(name.strip()) and all(
        char.isalnum() or char in " _-" or unicodedata.category(char) == "Sc" for char in name
    )


def _collision(store: Store, workspace_id: str, model: str, name: str) -> str | None:
    """The model whose data already has this name: its own built-ins, or any custom attribute."""
    if any(builtin[0].lower() == name.lower() for builtin in BUILTINS[model]):
        return model
    row = store.one(
        "SELECT model FROM data_attributes WHERE workspace_id = ? AND lower(name) = lower(?)",
        (workspace_id, name),
    )
    return row["model"] if row else None


def _options(options: Any) -> list[str]:
    if not isinstance(options, list):
        raise parameter_invalid(OPTIONS_NOT_ARRAY, field="options")
    values = [option.get("value") if isinstance(option, dict) else None for option in options]
    if any(not isinstance(value, str) or not value for value in values):
        raise parameter_invalid("Each option must be an object with a string value", field="options")
    if len(set(values)) < 2:
        raise parameter_invalid(TOO_FEW_OPTIONS, field="options")
    return [str(value) for value in values]


def create_data_attribute(
    store: Store,
    workspace: Workspace,
    model: str,
    name: str,
    data_type: str,
    *,
    description: str | None = None,
    options: list[str] | None = None,
    messenger_writable: bool = False,
) -> dict[str, Any]:
    """A custom attribute, checked as POST /data_attributes checks it."""
    if model not in CUSTOM_MODELS:
        raise parameter_invalid(INVALID_MODEL, field="model")
    if not _valid_name(name):
        raise parameter_invalid(INVALID_NAME, field="name")
    if data_type not in CREATE_DATA_TYPES:
        raise parameter_invalid(INVALID_TYPE, field="data_type")
    if data_type == "options" and (options is None or len(set(options)) < 2):
        raise parameter_invalid(TOO_FEW_OPTIONS, field="options")
    existing = _collision(store, workspace.id, model, name)
    if existing is not None:
        raise parameter_invalid(
            f"You already have '{name}' in your {MODEL_NOUN.get(existing, existing)} data. "
            f"To save this as new {MODEL_NOUN[model]} data, use a different name.",
            field="name",
        )
    now = store.now(workspace)
    attribute: dict[str, Any] = {
        "id": int(store.numeric_id(workspace.id, "data_attribute")),
        "type": "data_attribute",
        "name": name,
        "full_name": f"custom_attributes.{name}",
        "label": name,
        "description": description,
        "data_type": CREATE_DATA_TYPES[data_type],
        "options": options if data_type == "options" else None,
        "api_writable": True,
        "ui_writable": False,
        "messenger_writable": messenger_writable,
        "custom": True,
        "archived": False,
        "admin_id": workspace.owner_admin_id,
        "created_at": now,
        "updated_at": now,
        "model": model,
    }
    _save(store, workspace.id, attribute, insert=True)
    return _public(attribute)


def _save(store: Store, workspace_id: str, attribute: dict[str, Any], *, insert: bool = False) -> None:
    row = {
        "model": attribute["model"],
        "name": attribute["name"],
        "data_type": attribute["data_type"],
        "archived": int(attribute["archived"]),
        "data": dumps(attribute),
    }
    if insert:
        store.insert("data_attributes", {"workspace_id": workspace_id, "id": str(attribute["id"]), **row})
    else:
        store.update("data_attributes", workspace_id, str(attribute["id"]), row)


def _public(attribute: dict[str, Any]) -> dict[str, Any]:
    """Intercom leaves out the keys it has no value for (description, options)."""
    return {key: value for key, value in attribute.items() if value is not None}


def custom_attributes(
    store: Store, workspace_id: str, model: str, *, include_archived: bool = False
) -> list[dict[str, Any]]:
    sql = "SELECT data FROM data_attributes WHERE workspace_id = ? AND model = ?"
    if not include_archived:
        sql += " AND archived = 0"
    rows = store.query(sql + " ORDER BY CAST(id AS INTEGER)", (workspace_id, model))
    return [loads(row["data"]) for row in rows]


def fits_in_64_bits(value: int) -> bool:
    """JSON allows any integer; SQLite and orjson stop at 64 bits."""
    return -(2**63) <= value < 2**63


def _matches(value: Any, data_type: str) -> bool:
    if isinstance(value, bool):
        return data_type == "boolean"
    if isinstance(value, int) and not fits_in_64_bits(value):
        return False
    if data_type == "float":
        return isinstance(value, int | float)
    return isinstance(value, VALUE_TYPES[data_type])


def check_custom_attributes(store: Store, workspace_id: str, model: str, values: dict[str, Any]) -> None:
    """Refuse values for attributes the workspace does not define (or archived), or of the wrong type."""
    defined = {attribute["name"]: attribute for attribute in custom_attributes(store, workspace_id, model)}
    for name, value in values.items():
        attribute = defined.get(name)
        if attribute is None:
            raise parameter_invalid(
                f"Custom attribute '{name}' does not exist", field=f"custom_attributes.{name}"
            )
        if value is not None and not _matches(value, attribute["data_type"]):
            raise parameter_invalid(
                f"Custom attribute '{name}' must be a {attribute['data_type']} value",
                field=f"custom_attributes.{name}",
            )


def _check_list_model(ctx: Ctx, model: str | None) -> tuple[str, ...]:
    if model is None:
        return CUSTOM_MODELS
    if model not in LISTED_MODELS:
        raise parameter_invalid(
            "The Data Attribute model field must be either contact, company or conversation"
        )
    if model == "company" and not ctx.since("2.0"):
        raise intercom_version_invalid(VERSION_UNAVAILABLE)
    if model == "conversation" and ctx.since("2.16"):
        raise parameter_invalid(
            "model=conversation is no longer supported. Use GET /conversations/attributes instead", status=422
        )
    return (model,)


@router.operation("lisDataAttributes", response_model=DataAttributeList)
async def list_data_attributes(
    model: str | None = Query(default=None, description="contact, company or conversation"),
    include_archived: bool = Query(default=False, description="Include archived attributes."),
    ctx: Ctx = Depends(context),
) -> Any:
    data: list[dict[str, Any]] = []
    for listed in _check_list_model(ctx, model):
        data.extend(builtin_json(listed, builtin) for builtin in BUILTINS[listed])
        data.extend(
            _public(attribute)
            for attribute in custom_attributes(ctx.store, ctx.ws, listed, include_archived=include_archived)
        )
    return responses.json({"type": "list", "data": data})


@router.operation("createDataAttribute", response_model=DataAttribute)
async def create_data_attribute_route(body: CreateDataAttributeRequest, ctx: Ctx = Depends(context)) -> Any:
    if body.model not in CUSTOM_MODELS:
        raise parameter_invalid(INVALID_MODEL, field="model")
    if body.name is None:
        raise parameter_not_found("Name is a required parameter.", field="name")
    options = _options(body.options) if body.data_type == "options" else None
    attribute = create_data_attribute(
        ctx.store,
        ctx.workspace,
        body.model,
        body.name,
        body.data_type or "",
        description=body.description,
        options=options,
        messenger_writable=bool(body.messenger_writable),
    )
    return responses.json(attribute)


@router.operation("updateDataAttribute", response_model=DataAttribute)
async def update_data_attribute(
    data_attribute_id: str, body: UpdateDataAttributeRequest, ctx: Ctx = Depends(context)
) -> Any:
    attribute = ctx.store.data("data_attributes", ctx.ws, data_attribute_id.strip())
    if attribute is None:
        raise field_not_found()
    changes = body.model_dump(exclude_unset=True, exclude={"options"})
    if "options" in body.model_fields_set:
        changes["options"] = _options(body.options)
    attribute.update({key: value for key, value in changes.items() if value is not None})
    attribute["updated_at"] = ctx.now()
    _save(ctx.store, ctx.ws, attribute)
    return responses.json(_public(attribute))
