"""Brands: the workspace's default brand and any others, as its messenger and emails present them.

Every workspace has a default brand whose id is the workspace id (the spec: "The default brand id
always matches the workspace"); it is served from the workspace itself until the seed stores one.
Brands cannot be written through the API, so the seed and tests use `create_brand`. A brand's
`default_address_settings_id` is its first sender address (see emails.py), read live.
"""

from typing import Any

from fastapi import Depends

from contracts.models.brands import Brand, BrandList
from fake_intercom import responses
from fake_intercom.context import Ctx, context
from fake_intercom.errors import not_found
from fake_intercom.resources.help_center import first_help_center
from fake_intercom.routing import IntercomRouter
from fake_intercom.store import Store, Workspace, dumps, loads, table

BRANDS = table("brands", {"id": str, "is_default": int, "created_at": int, "data": str})

router = IntercomRouter(tags=["Brands"])

SEED_ORDER = 60


def create_brand(
    store: Store,
    workspace: Workspace,
    name: str,
    *,
    is_default: bool = False,
    help_center_id: str | None = None,
    created_at: int | None = None,
) -> dict[str, Any]:
    now = store.now(workspace)
    brand_id = workspace.id if is_default else store.numeric_id(workspace.id, "brand", base=0)
    brand = {
        "type": "brand",
        "id": brand_id,
        "name": name,
        "is_default": is_default,
        "created_at": created_at if created_at is not None else now,
        "updated_at": now,
        "help_center_id": help_center_id,
    }
    store.insert(
        "brands",
        {
            "workspace_id": workspace.id,
            "id": brand_id,
            "is_default": int(is_default),
            "created_at": brand["created_at"],
            "data": dumps(brand),
        },
        replace_existing=is_default,
    )
    return render_brand(store, workspace.id, brand)


def _default_brand(workspace: Workspace) -> dict[str, Any]:
    return {
        "type": "brand",
        "id": workspace.id,
        "name": workspace.name,
        "is_default": True,
        "created_at": workspace.created_at,
        "updated_at": workspace.created_at,
        "help_center_id": None,
    }


def render_brand(store: Store, workspace_id: str, brand: dict[str, Any]) -> dict[str, Any]:
    if brand["help_center_id"] is None:
        # A brand given no help center of its own presents the workspace's (the description: a string).
        help_center = first_help_center(store, workspace_id)
        brand["help_center_id"] = help_center["id"] if help_center else None
    brand["default_address_settings_id"] = store.scalar(
        "SELECT id FROM email_settings WHERE workspace_id = ? AND brand_id = ? "
        "ORDER BY created_at, CAST(id AS INTEGER) LIMIT 1",
        (workspace_id, brand["id"]),
    )
    return brand


def all_brands(store: Store, workspace: Workspace) -> list[dict[str, Any]]:
    """The default brand first, then the others by creation."""
    rows = store.query(
        "SELECT data FROM brands WHERE workspace_id = ? ORDER BY is_default DESC, created_at, id",
        (workspace.id,),
    )
    brands = [loads(row["data"]) for row in rows]
    if not brands or not brands[0]["is_default"]:
        brands.insert(0, _default_brand(workspace))
    return [render_brand(store, workspace.id, brand) for brand in brands]


def find_brand(store: Store, workspace: Workspace, brand_id: str) -> dict[str, Any] | None:
    brand = store.data("brands", workspace.id, brand_id)
    if brand is None and brand_id == workspace.id:
        brand = _default_brand(workspace)
    return render_brand(store, workspace.id, brand) if brand is not None else None


@router.operation("listBrands", response_model=BrandList)
async def list_brands(ctx: Ctx = Depends(context)) -> Any:
    return responses.json({"type": "list", "data": all_brands(ctx.store, ctx.workspace)})


@router.operation("retrieveBrand", response_model=Brand)
async def retrieve_brand(id: str, ctx: Ctx = Depends(context)) -> Any:
    brand = find_brand(ctx.store, ctx.workspace, id)
    if brand is None:
        raise not_found("Brand not found")
    return responses.json(brand)


def seed_demo(seeder: Any) -> None:
    """The default brand and a second brand; their sender addresses come from emails.py."""
    store, ws = seeder.store, seeder.workspace
    create_brand(store, ws, ws.name, is_default=True, created_at=seeder.ago(900))
    create_brand(store, ws, "Premium Support", created_at=seeder.ago(400))
