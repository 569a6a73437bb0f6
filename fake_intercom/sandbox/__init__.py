"""The control plane under /_sandbox/: never mistaken for an Intercom path.

One module per concern, as the `Sandbox` client groups them: workspaces and tokens, records to seed
them with, reset and snapshots, the workspace clock, fault rules, the request journal and webhook
subscriptions. Open on a loopback bind; on any other bind (or whenever a control secret is
configured) each call must carry the secret in `X-Sandbox-Secret`.
"""

from fastapi import APIRouter

from fake_intercom.sandbox import clock, faults, journal, records, snapshots, webhooks, workspaces
from fake_intercom.sandbox.access import SEED_SNAPSHOT
from fake_intercom.sandbox.snapshots import reset
from fake_intercom.sandbox.workspaces import AnyTokenWorkspaces, forget_workspace, provision_workspace

router = APIRouter()
for module in (workspaces, records, snapshots, clock, faults, journal, webhooks):
    router.include_router(module.router)

__all__ = [
    "SEED_SNAPSHOT",
    "AnyTokenWorkspaces",
    "forget_workspace",
    "provision_workspace",
    "reset",
    "router",
]
