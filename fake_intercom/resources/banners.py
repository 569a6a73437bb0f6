"""Banners shown to a contact outside the Messenger, and their dismissal (Intercom-Version 2.16).

Banners are authored in Intercom's UI, so the API only reads them; the fake's come from
`create_banner` (the demo seed, tests). A live banner targets everyone or one audience, whose
predicates are evaluated against the contact when it is listed. Listing records an impression: the
contact's view of that banner (one `view_id` per banner and contact, counting its impressions).
Dismissing a view hides that banner from the contact for good, on every surface.
"""

from typing import Any

from fastapi import Depends

from contracts.models.banners import BannerDismiss, BannerList
from fake_intercom import responses
from fake_intercom.context import Ctx, context
from fake_intercom.errors import not_found
from fake_intercom.resources._contact_store import require_contact
from fake_intercom.resources.audiences import find_audience, matches
from fake_intercom.routing import IntercomRouter
from fake_intercom.store import Store, Workspace, dumps, loads, table

BANNERS = table("banners", {"id": str, "state": str, "audience_id": str, "data": str})
BANNER_VIEWS = table(
    "banner_views",
    {"id": str, "banner_id": str, "contact_id": str, "impressions": int, "dismissed": int, "created_at": int},
    unique_indexes=(("workspace_id", "banner_id", "contact_id"),),
    indexes=(("workspace_id", "contact_id"),),
)
SEED_ORDER = 75  # after audiences

router = IntercomRouter(tags=["Banners"])


def create_banner(
    store: Store,
    workspace: Workspace,
    *,
    title: str,
    body: str,
    audience_id: str | None = None,
    style: str = "inline",
    position: str = "top",
    show_dismiss_button: bool = True,
    action: dict[str, Any] | None = None,
    state: str = "live",
) -> dict[str, Any]:
    banner = {
        "type": "banner",
        "id": store.numeric_id(workspace.id, "banner", base=486_500),
        "title": title,
        "body": body,
        "style": style,
        "position": position,
        "show_dismiss_button": show_dismiss_button,
        "action": action,
        "client_targeting": None,
        "created_at": store.now(workspace),
    }
    store.insert(
        "banners",
        {
            "workspace_id": workspace.id,
            "id": banner["id"],
            "state": state,
            "audience_id": audience_id,
            "data": dumps(banner),
        },
    )
    return banner


def _targets(store: Store, workspace_id: str, audience_id: str | None, contact: dict[str, Any]) -> bool:
    if audience_id is None:
        return True
    audience = find_audience(store, workspace_id, audience_id)
    # A banner whose audience was deleted reaches nobody.
    return audience is not None and matches(store, workspace_id, audience, contact)


def _view(ctx: Ctx, banner_id: str, contact_id: str) -> dict[str, Any]:
    """The contact's view of a banner, created on its first impression."""
    view = ctx.store.one(
        "SELECT * FROM banner_views WHERE workspace_id = ? AND banner_id = ? AND contact_id = ?",
        (ctx.ws, banner_id, contact_id),
    )
    if view is None:
        view = {
            "workspace_id": ctx.ws,
            "id": ctx.store.numeric_id(ctx.ws, "banner_view", base=645_719_300),
            "banner_id": banner_id,
            "contact_id": contact_id,
            "impressions": 0,
            "dismissed": 0,
            "created_at": ctx.now(),
        }
        ctx.store.insert("banner_views", view)
    return view


@router.operation("listContactBanners", response_model=BannerList)
async def list_contact_banners(id: str, ctx: Ctx = Depends(context)) -> Any:
    contact = require_contact(ctx, id)
    banners = ctx.store.query(
        "SELECT * FROM banners WHERE workspace_id = ? AND state = 'live' ORDER BY CAST(id AS INTEGER)",
        (ctx.ws,),
    )
    shown = []
    # A GET that writes: each banner returned counts as shown (see the module's note).
    with ctx.store.atomic():
        for banner in banners:
            if not _targets(ctx.store, ctx.ws, banner["audience_id"], contact):
                continue
            view = _view(ctx, banner["id"], contact["id"])
            if view["dismissed"]:
                continue
            ctx.store.update("banner_views", ctx.ws, view["id"], {"impressions": view["impressions"] + 1})
            item = loads(banner["data"])
            shown.append({"type": "banner", "id": item["id"], "view_id": view["id"], **item})
    return responses.json({"type": "list", "data": shown})


@router.operation("dismissContactBanner", response_model=BannerDismiss)
async def dismiss_contact_banner(id: str, view_id: str, ctx: Ctx = Depends(context)) -> Any:
    contact = require_contact(ctx, id)
    view = ctx.store.row("banner_views", ctx.ws, view_id)
    if view is None or view["contact_id"] != contact["id"]:
        raise not_found()
    ctx.store.update("banner_views", ctx.ws, view_id, {"dismissed": 1})
    return responses.json({"type": "banner_dismiss", "view_id": view_id, "dismissed": True})


def banner_views(store: Store, workspace_id: str, contact_id: str) -> list[dict[str, Any]]:
    """The contact's banner views (impressions and dismissals), for tests and the sandbox."""
    return store.query(
        "SELECT id, banner_id, impressions, dismissed FROM banner_views WHERE workspace_id = ? AND contact_id = ? "
        "ORDER BY CAST(id AS INTEGER)",
        (workspace_id, contact_id),
    )


def seed_demo(seeder: Any) -> None:
    store, workspace = seeder.store, seeder.workspace
    create_banner(
        store,
        workspace,
        title="Scheduled maintenance",
        body='<p class="no-margin">We will be down for maintenance on Sunday from 02:00 to 03:00 UTC.</p>',
    )
    audience_id = store.scalar(
        "SELECT id FROM audiences WHERE workspace_id = ? ORDER BY CAST(id AS INTEGER) LIMIT 1",
        (workspace.id,),
    )
    if audience_id is not None:
        create_banner(
            store,
            workspace,
            title="Your new dashboard",
            body='<p class="no-margin">Acme teams can now try the new analytics dashboard.</p>',
            audience_id=audience_id,
            style="floating",
            position="bottom",
            action={"type": "url", "url": "https://example.com/dashboard"},
        )
