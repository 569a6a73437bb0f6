"""The workspace's IP allowlist: which addresses may call the API when it is enabled.

Entries are single addresses or CIDR ranges (IPv4 or IPv6); a malformed entry is refused with
422, as is any update that would lock out the caller (its own address not allowed once enabled),
with Intercom's lock-out message. Entries are kept as sent. A PUT changes only the keys it sends.
"""

from typing import Any

from fastapi import Depends, Request

from contracts.models.ip_allowlist import IpAllowlist, UpdateIpAllowlistRequest
from fake_intercom import responses
from fake_intercom.addresses import Network, allows, network
from fake_intercom.context import Ctx, context
from fake_intercom.errors import parameter_invalid
from fake_intercom.routing import IntercomRouter
from fake_intercom.store import Store, dumps, loads, table

IP_ALLOWLISTS = table("ip_allowlists", {"data": str}, pk=("workspace_id",))

router = IntercomRouter(tags=["IP Allowlist"])


def ip_allowlist(store: Store, workspace_id: str) -> dict[str, Any]:
    stored = loads(store.scalar("SELECT data FROM ip_allowlists WHERE workspace_id = ?", (workspace_id,)))
    return stored or {"type": "ip_allowlist", "enabled": False, "ip_allowlist": []}


def parse_entries(entries: list[str]) -> list[Network]:
    networks = []
    for entry in entries:
        try:
            networks.append(network(entry))
        except ValueError:
            raise parameter_invalid(
                f"'{entry}' is not a valid IP address or CIDR range", field="ip_allowlist", status=422
            ) from None
    return networks


def allowed_networks(store: Store, workspace_id: str) -> list[Network] | None:
    """The networks the workspace accepts requests from, or None while its allowlist is disabled."""
    settings = ip_allowlist(store, workspace_id)
    return parse_entries(settings["ip_allowlist"]) if settings["enabled"] else None


@router.operation("getIpAllowlist", response_model=IpAllowlist)
async def get_ip_allowlist(ctx: Ctx = Depends(context)) -> Any:
    return responses.json(ip_allowlist(ctx.store, ctx.ws))


@router.operation("updateIpAllowlist", response_model=IpAllowlist)
async def update_ip_allowlist(
    body: UpdateIpAllowlistRequest, request: Request, ctx: Ctx = Depends(context)
) -> Any:
    settings = ip_allowlist(ctx.store, ctx.ws)
    if body.ip_allowlist is not None:
        settings["ip_allowlist"] = [entry.strip() for entry in body.ip_allowlist]
    if body.enabled is not None:
        settings["enabled"] = body.enabled
    networks = parse_entries(settings["ip_allowlist"])
    caller = request.client.host if request.client else ""
    if settings["enabled"] and not allows(networks, caller):
        raise parameter_invalid(
            f"Your IP ({caller}) is not on the allowlist. Saving would lock you out of this workspace.",
            status=422,
        )
    ctx.store.insert(
        "ip_allowlists", {"workspace_id": ctx.ws, "data": dumps(settings)}, replace_existing=True
    )
    return responses.json(settings)
