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

# The modules' routes side by side rather than their routers included: the app includes them one by
# one (`include_each_route`), and FastAPI builds an included router's routes again for every app.
router = APIRouter(
    routes=[
        route
        for module in (workspaces, records, snapshots, clock, faults, journal, webhooks)
        for route in module.router.routes
    ]
)

__all__ = [
    "SEED_SNAPSHOT",
    "AnyTokenWorkspaces",
    "forget_workspace",
    "provision_workspace",
    "reset",
    "router",
]
