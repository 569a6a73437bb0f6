"""Email settings: the sender addresses of the workspace, each belonging to a brand.

Read-only in the API; the seed and tests add addresses with `create_email_setting`. Forwarding
records when mail last arrived through the address's forwarding (`forwarded_email_last_received_at`).
"""

from typing import Any

from fastapi import Depends

from contracts.models.emails import EmailSetting, EmailSettingList
from fake_intercom import responses
from fake_intercom.context import Ctx, context
from fake_intercom.errors import not_found, parameter_invalid
from fake_intercom.resources.brands import all_brands
from fake_intercom.routing import IntercomRouter
from fake_intercom.store import Store, Workspace, dumps, loads, table

EMAIL_SETTINGS = table(
    "email_settings",
    {"id": str, "email": str, "brand_id": str, "created_at": int, "data": str},
    unique_indexes=(("workspace_id", "email"),),
)

router = IntercomRouter(tags=["Emails"])

SEED_ORDER = 61


def create_email_setting(
    store: Store,
    workspace: Workspace,
    email: str,
    brand_id: str,
    *,
    verified: bool = True,
    forwarding_enabled: bool = False,
    forwarded_email_last_received_at: int | None = None,
    created_at: int | None = None,
) -> dict[str, Any]:
    local, _, domain = email.partition("@")
    if not local or not domain:
        raise parameter_invalid(f"{email} is not a valid email address", field="email")
    now = store.now(workspace)
    setting = {
        "type": "email_setting",
        "id": store.numeric_id(workspace.id, "email_setting", base=0),
        "email": email,
        "verified": verified,
        "domain": domain.lower(),
        "brand_id": brand_id,
        "forwarding_enabled": forwarding_enabled,
        "forwarded_email_last_received_at": forwarded_email_last_received_at,
        "created_at": created_at if created_at is not None else now,
        "updated_at": now,
    }
    store.insert(
        "email_settings",
        {
            "workspace_id": workspace.id,
            "id": setting["id"],
            "email": email.lower(),
            "brand_id": brand_id,
            "created_at": setting["created_at"],
            "data": dumps(setting),
        },
    )
    return setting


@router.operation("listEmails", response_model=EmailSettingList)
async def list_emails(ctx: Ctx = Depends(context)) -> Any:
    rows = ctx.store.query(
        "SELECT data FROM email_settings WHERE workspace_id = ? ORDER BY CAST(id AS INTEGER)", (ctx.ws,)
    )
    return responses.json({"type": "list", "data": [loads(row["data"]) for row in rows]})


@router.operation("retrieveEmail", response_model=EmailSetting)
async def retrieve_email(id: str, ctx: Ctx = Depends(context)) -> Any:
    setting = ctx.store.data("email_settings", ctx.ws, id)
    if setting is None:
        raise not_found("Email setting not found")
    return responses.json(setting)


def seed_demo(seeder: Any) -> None:
    store, ws = seeder.store, seeder.workspace
    default, premium = all_brands(store, ws)[:2]
    create_email_setting(
        store,
        ws,
        "support@sandbox.test",
        default["id"],
        forwarding_enabled=True,
        forwarded_email_last_received_at=seeder.ago(3),
        created_at=seeder.ago(800),
    )
    create_email_setting(store, ws, "hello@sandbox.test", default["id"], created_at=seeder.ago(700))
    create_email_setting(
        store, ws, "premium@vip.sandbox.test", premium["id"], verified=False, created_at=seeder.ago(300)
    )
