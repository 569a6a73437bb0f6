"""The sandbox inspector: a browser UI at /_sandbox/ui over the control plane and a workspace's API.

Server-rendered pages (Jinja2 templates), one small script and a stylesheet of its own, all shipped in
this package: no build step, nothing fetched from elsewhere. One module per view, as the control plane
and the resources are grouped.
"""

from fastapi import APIRouter

from fake_intercom.inspector import (
    articles,
    companies,
    contacts,
    conversations,
    faults,
    journal,
    session,
    tickets,
    webhooks,
    workspaces,
)

# The views' routes side by side, as the control plane's are (see fake_intercom/sandbox/__init__.py).
router = APIRouter(
    routes=[
        route
        for module in (
            session,
            workspaces,
            contacts,
            companies,
            conversations,
            tickets,
            articles,
            journal,
            webhooks,
            faults,
        )
        for route in module.router.routes
    ]
)

__all__ = ["router"]
