"""Macros: saved replies teammates insert into conversations (Intercom-Version 2.16).

The API only reads macros; they are written in Intercom's inbox, here by `create_macro` (the
demo seed, tests). A macro keeps its HTML with Intercom's placeholders
(`{{user.name | fallback: 'there'}}`); the API serves `body` with each placeholder as
`<attribute key="user.name" default="there"/>` (the default HTML-escaped) and `body_text` as plain
text with placeholders in their canonical form `{{user.name|fallback:"there"}}`.
Visibility: a macro for specific teams is seen only by admins of those teams; others get 404.
"""

import html
import re
from typing import Any

from fastapi import Depends, Query

from contracts.models.macros import Macro, MacroList
from fake_intercom import responses
from fake_intercom.context import Ctx, context
from fake_intercom.errors import not_found
from fake_intercom.pagination import Order, check_per_page, cursor_page
from fake_intercom.resources.admins import acting_admin
from fake_intercom.routing import IntercomRouter
from fake_intercom.store import Store, Workspace, dumps, loads, table

MACROS = table(
    "macros",
    {"id": str, "updated_at": int, "visible_to_team_ids": str, "data": str},
    indexes=(("workspace_id", "updated_at", "id"),),
)

PLACEHOLDER = re.compile(
    r"\{\{\s*(?P<key>[\w.\-]+)\s*(?:\|\s*fallback\s*:\s*(?:'(?P<single>[^']*)'|\"(?P<double>[^\"]*)\"))?\s*\}\}"
)
BLOCK_END = re.compile(r"</(?:p|div|li|h[1-6])>|<br\s*/?>", re.IGNORECASE)
TAG = re.compile(r"<[^>]+>")
SEED_ORDER = 70

router = IntercomRouter(tags=["Macros"])


def _fallback(match: re.Match[str]) -> str | None:
    return match.group("single") if match.group("single") is not None else match.group("double")


def body_html(source: str) -> str:
    def attribute(match: re.Match[str]) -> str:
        default = _fallback(match)
        extra = f' default="{html.escape(default, quote=True)}"' if default is not None else ""
        return f'<attribute key="{html.escape(match.group("key"), quote=True)}"{extra}/>'

    return PLACEHOLDER.sub(attribute, source)


def body_text(source: str) -> str:
    def canonical(match: re.Match[str]) -> str:
        default = _fallback(match)
        return "{{" + match.group("key") + (f'|fallback:"{default}"' if default is not None else "") + "}}"

    text = BLOCK_END.sub("\n\n", PLACEHOLDER.sub(canonical, source))
    return html.unescape(TAG.sub("", text)).strip()


def create_macro(
    store: Store,
    workspace: Workspace,
    *,
    name: str,
    body: str,
    visible_to_team_ids: list[str] | None = None,
    available_on: list[str] | None = None,
    created_at: int | None = None,
) -> dict[str, Any]:
    """A macro with `body` in Intercom's own HTML-with-placeholders; visible to everyone unless teams."""
    now = store.now(workspace)
    macro = {
        "id": store.numeric_id(workspace.id, "macro", base=100),
        "name": name,
        "source": body,
        "visible_to_team_ids": [str(team) for team in visible_to_team_ids or []],
        "available_on": available_on or ["inbox", "messenger"],
        "created_at": created_at or now,
        "updated_at": now,
    }
    store.insert(
        "macros",
        {
            "workspace_id": workspace.id,
            "id": macro["id"],
            "updated_at": macro["updated_at"],
            "visible_to_team_ids": dumps(macro["visible_to_team_ids"]),
            "data": dumps(macro),
        },
    )
    return render_macro(macro)


def render_macro(macro: dict[str, Any]) -> dict[str, Any]:
    return {
        "type": "macro",
        "id": macro["id"],
        "name": macro["name"],
        "body": body_html(macro["source"]),
        "body_text": body_text(macro["source"]),
        "created_at": responses.iso(macro["created_at"], millis=True),
        "updated_at": responses.iso(macro["updated_at"], millis=True),
        "visible_to": "specific_teams" if macro["visible_to_team_ids"] else "everyone",
        "visible_to_team_ids": macro["visible_to_team_ids"],
        "available_on": macro["available_on"],
    }


def _visibility(ctx: Ctx) -> tuple[str, list[Any]]:
    """SQL keeping the macros the token's admin may see: for everyone, or for one of its teams."""
    team_ids = [str(team) for team in acting_admin(ctx)["team_ids"]]
    marks = ", ".join("?" for _ in team_ids)
    shared = (
        f" OR EXISTS (SELECT 1 FROM json_each(visible_to_team_ids) WHERE value IN ({marks}))"
        if team_ids
        else ""
    )
    return f"(visible_to_team_ids = '[]'{shared})", team_ids


@router.operation("listMacros", response_model=MacroList)
async def list_macros(
    per_page: int | None = Query(default=None, description="Results per page (default 50, max 150)."),
    starting_after: str | None = Query(default=None, description="The cursor of the previous page."),
    updated_since: int | None = Query(default=None, description="Only macros updated after this time."),
    ctx: Ctx = Depends(context),
) -> Any:
    visible, params = _visibility(ctx)
    where = f"macros WHERE workspace_id = ? AND {visible}"
    values: list[Any] = [ctx.ws, *params]
    if updated_since is not None:
        where += " AND updated_at > ?"
        values.append(updated_since)
    size = check_per_page(per_page, 50, 150)
    page = cursor_page(
        ctx.store,
        select="data",
        from_where=where,
        params=values,
        order=[Order("updated_at"), Order("CAST(id AS INTEGER)")],
        per_page=size,
        starting_after=starting_after,
    )
    next_page = {"starting_after": page.next_cursor} if page.next_cursor else None
    return responses.json(
        {
            "type": "list",
            "data": [render_macro(loads(row["data"])) for row in page.rows],
            "pages": {"type": "pages", "per_page": size, "next": next_page},
        }
    )


@router.operation("getMacro", response_model=Macro)
async def get_macro(id: str, ctx: Ctx = Depends(context)) -> Any:
    visible, params = _visibility(ctx)
    text = ctx.store.scalar(
        f"SELECT data FROM macros WHERE workspace_id = ? AND id = ? AND {visible}", (ctx.ws, id, *params)
    )
    if text is None:
        raise not_found("Macro not found")
    return responses.json(render_macro(loads(text)))


DEMO_MACROS = (
    (
        "Thank You Response",
        "<p>Thank you for reaching out! We will get back to you as soon as possible.</p>",
        None,
    ),
    (
        "Refund Process Explanation",
        "<p>Hi {{user.first_name | fallback: 'there'}},</p><p>The refund for order "
        "#{{conversation.custom_attributes.order_number}} will be processed within 3-5 business days to your "
        "{{user.custom_attributes.payment_method | fallback: 'original payment method'}}.</p>",
        None,
    ),
    (
        "Welcome Message",
        "<p>Welcome to our support! I'm {{teammate.name}}. How can I help you today?</p>",
        None,
    ),
    (
        "Billing escalation",
        "<p>Hi {{user.name | fallback: 'there'}}, I have passed your question to our billing team.</p>",
        "billing",
    ),
)


def seed_demo(seeder: Any) -> None:
    store, workspace = seeder.store, seeder.workspace
    billing_team = store.scalar(
        "SELECT id FROM teams WHERE workspace_id = ? ORDER BY id LIMIT 1", (workspace.id,)
    )
    for name, body, team in DEMO_MACROS:
        teams = [billing_team] if team and billing_team else None
        create_macro(
            store, workspace, name=name, body=body, visible_to_team_ids=teams, created_at=seeder.ago(90)
        )
