"""Audiences: named sets of predicates over contacts (Intercom-Version 2.16).

Membership is evaluated, not stored: `matches(store, workspace_id, audience, contact)` tells whether
a contact (as GET /contacts/{id} renders it) is in an audience now. Banners target audiences with it.
Predicates use Intercom's audience rule shape `{attribute, type, comparison, value}`; an attribute or
comparison the fake cannot evaluate is refused at creation (422), never silently ignored.
"""

from collections.abc import Iterable
from typing import Any

from fastapi import Depends, Query
from starlette.responses import Response

from contracts.models.audiences import Audience, AudienceList, CreateAudienceRequest, PredicateInput
from fake_intercom import responses
from fake_intercom.context import Ctx, context
from fake_intercom.errors import not_found, require, validation_error
from fake_intercom.pagination import check_per_page, numbered_page
from fake_intercom.routing import IntercomRouter
from fake_intercom.store import Store, Workspace, dumps, loads, table

AUDIENCES = table("audiences", {"id": str, "data": str})

COMPARISONS = frozenset(
    ("eq", "ne", "contains", "not_contains", "starts_with", "ends_with", "gt", "lt", "known", "unknown")
)
CONTACT_FIELDS = frozenset(
    (
        "id",
        "role",
        "email",
        "name",
        "phone",
        "external_id",
        "owner_id",
        "created_at",
        "updated_at",
        "signed_up_at",
        "last_seen_at",
        "unsubscribed_from_emails",
        "browser",
        "os",
        "language_override",
    )
)
COMPANY_FIELDS = frozenset(("company.name", "company.id", "company.company_id", "company.plan"))
SEED_ORDER = 70

router = IntercomRouter(tags=["Audiences"])


def _predicates(predicates: Iterable[PredicateInput], *, roles: bool = False) -> list[dict[str, Any]]:
    checked = []
    for predicate in predicates:
        attribute = predicate.attribute
        known = (
            attribute == "role"
            if roles
            else attribute in CONTACT_FIELDS
            or attribute in COMPANY_FIELDS
            or attribute.startswith(("custom_attributes.", "location."))
        )
        if not known:
            raise validation_error(f"Unsupported predicate attribute: {attribute}")
        if predicate.comparison not in COMPARISONS:
            raise validation_error(f"Unsupported predicate comparison: {predicate.comparison}")
        if predicate.comparison not in ("known", "unknown") and predicate.value is None:
            raise validation_error(f"Predicate on {attribute} needs a value")
        # `known`/`unknown` compare nothing: no value key rather than a null (the description: a string).
        checked.append(predicate.model_dump(exclude_none=True))
    return checked


def create_audience(
    store: Store,
    workspace: Workspace,
    name: str | None,
    predicates: Iterable[PredicateInput] = (),
    role_predicates: Iterable[PredicateInput] = (),
) -> dict[str, Any]:
    if not (name or "").strip():
        raise validation_error("Name is required")
    now = store.now(workspace)
    audience = {
        "type": "audience",
        "id": store.numeric_id(workspace.id, "audience", base=120),
        "name": name,
        "predicates": _predicates(predicates),
        "role_predicates": _predicates(role_predicates, roles=True),
        "created_at": now,
        "updated_at": now,
    }
    store.insert("audiences", {"workspace_id": workspace.id, "id": audience["id"], "data": dumps(audience)})
    return audience


def find_audience(store: Store, workspace_id: str, audience_id: str) -> dict[str, Any] | None:
    return store.data("audiences", workspace_id, audience_id)


def _values(store: Store, workspace_id: str, contact: dict[str, Any], attribute: str) -> list[Any]:
    """Every value the contact has for `attribute` (several for company attributes)."""
    if attribute.startswith("company."):
        column = attribute.split(".", 1)[1]
        key = "id" if column == "id" else column
        rows = store.query(
            "SELECT co.id, co.company_id, co.name, co.data FROM company_contacts cc JOIN companies co "
            "ON co.workspace_id = cc.workspace_id AND co.id = cc.company_id "
            "WHERE cc.workspace_id = ? AND cc.contact_id = ?",
            (workspace_id, contact["id"]),
        )
        return [row[key] if key in row else (loads(row["data"]) or {}).get(key) for row in rows]
    value: Any = contact
    for part in attribute.split("."):
        value = value.get(part) if isinstance(value, dict) else None
    return [value]


def _compare(actual: Any, comparison: str, expected: Any) -> bool:
    if comparison == "known":
        return actual not in (None, "")
    if comparison == "unknown":
        return actual in (None, "")
    if actual is None:
        return comparison in ("ne", "not_contains")
    if comparison in ("gt", "lt"):
        try:
            left, right = float(actual), float(expected)
        except (TypeError, ValueError):
            return False
        return left > right if comparison == "gt" else left < right
    text, wanted = str(actual).lower(), str(expected).lower()
    if isinstance(actual, bool):
        text = "true" if actual else "false"
    return {
        "eq": text == wanted,
        "ne": text != wanted,
        "contains": wanted in text,
        "not_contains": wanted not in text,
        "starts_with": text.startswith(wanted),
        "ends_with": text.endswith(wanted),
    }[comparison]


def matches(store: Store, workspace_id: str, audience: dict[str, Any], contact: dict[str, Any]) -> bool:
    """Whether `contact` meets every predicate and role predicate of `audience`."""
    for predicate in [*audience["predicates"], *audience["role_predicates"]]:
        values = _values(store, workspace_id, contact, predicate["attribute"]) or [None]
        negative = predicate["comparison"] in ("ne", "not_contains", "unknown")
        outcomes = [_compare(value, predicate["comparison"], predicate.get("value")) for value in values]
        if not (all(outcomes) if negative else any(outcomes)):
            return False
    return True


@router.operation("listAudiences", response_model=AudienceList)
async def list_audiences(
    page: int | None = Query(default=None, description="The page of results (from 1)."),
    per_page: int | None = Query(default=None, description="Results per page (default 50, max 50)."),
    ctx: Ctx = Depends(context),
) -> Any:
    result = numbered_page(
        ctx.store,
        select="data",
        from_where="audiences WHERE workspace_id = ?",
        params=[ctx.ws],
        order_by="CAST(id AS INTEGER)",
        page=page,
        per_page=check_per_page(per_page, 50, 50),
        url=f"{ctx.base_url}/audiences",
    )
    return responses.json(
        {
            "type": "list",
            "data": [loads(row["data"]) for row in result.rows],
            "total_count": result.total_count,
            "page": result.page,
            "per_page": result.per_page,
            "total_pages": result.total_pages,
        }
    )


@router.operation("createAudience", response_model=Audience, status_code=201)
async def create_audience_route(body: CreateAudienceRequest, ctx: Ctx = Depends(context)) -> Any:
    audience = create_audience(
        ctx.store, ctx.workspace, body.name, body.predicates or (), body.role_predicates or ()
    )
    return responses.json(audience, status=201)


@router.operation("retrieveAudience", response_model=Audience)
async def retrieve_audience(id: str, ctx: Ctx = Depends(context)) -> Any:
    return responses.json(require(find_audience(ctx.store, ctx.ws, id), not_found))


@router.operation("updateAudience", response_model=Audience)
async def update_audience(id: str, body: CreateAudienceRequest, ctx: Ctx = Depends(context)) -> Any:
    audience = require(find_audience(ctx.store, ctx.ws, id), not_found)
    if body.name is not None:
        if not body.name.strip():
            raise validation_error("Name must not be blank")
        audience["name"] = body.name
    if body.predicates is not None:
        audience["predicates"] = _predicates(body.predicates)
    if body.role_predicates is not None:
        audience["role_predicates"] = _predicates(body.role_predicates, roles=True)
    audience["updated_at"] = ctx.now()
    ctx.store.update("audiences", ctx.ws, id, {"data": dumps(audience)})
    return responses.json(audience)


@router.operation("deleteAudience", status_code=204, response_class=Response, response_model=None)
async def delete_audience(id: str, ctx: Ctx = Depends(context)) -> Any:
    require(find_audience(ctx.store, ctx.ws, id), not_found)
    ctx.store.delete("audiences", ctx.ws, id)
    return responses.empty(204)


def seed_demo(seeder: Any) -> None:
    role_user = [PredicateInput(attribute="role", type="role", comparison="eq", value="user")]
    create_audience(
        seeder.store,
        seeder.workspace,
        "Acme Analytics users",
        [PredicateInput(attribute="company.name", comparison="contains", value="Acme")],
        role_user,
    )
    create_audience(
        seeder.store,
        seeder.workspace,
        "Leads with an email",
        [PredicateInput(attribute="email", comparison="known")],
        [PredicateInput(attribute="role", type="role", comparison="eq", value="lead")],
    )
