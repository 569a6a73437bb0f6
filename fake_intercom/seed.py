"""Workspace contents: `none` (only the owner admin) or `demo` (a realistic, deterministic workspace)."""

import random

from fake_intercom.resources.admins import create_admin
from fake_intercom.resources.teams import create_team
from fake_intercom.store import Store, Workspace

OWNER = {"name": "Ada Owner", "email": "owner@sandbox.test", "job_title": "Head of Support"}
DEMO_ADMINS = [
    ("Grace Hopper", "grace@sandbox.test", "Support Engineer"),
    ("Alan Turing", "alan@sandbox.test", "Support Engineer"),
    ("Katherine Johnson", "katherine@sandbox.test", "Success Manager"),
    ("Edsger Dijkstra", "edsger@sandbox.test", "Billing Specialist"),
]


def seed_workspace(store: Store, workspace: Workspace, seed: str) -> Workspace:
    with store.atomic():
        owner = create_admin(store, workspace, **OWNER)
        workspace = store.update_workspace(workspace, owner_admin_id=owner["id"], seed=seed)
        if seed == "demo":
            seed_demo(store, workspace, random.Random(f"demo:{workspace.id}"))
    return workspace


def seed_demo(store: Store, workspace: Workspace, rng: random.Random) -> None:
    admins = [
        create_admin(store, workspace, name=name, email=email, job_title=title)
        for name, email, title in DEMO_ADMINS
    ]
    create_team(
        store,
        workspace,
        name="Support",
        admin_ids=[workspace.owner_admin_id or "", admins[0]["id"], admins[1]["id"]],
    )
    create_team(store, workspace, name="Success", admin_ids=[admins[2]["id"]])
    create_team(store, workspace, name="Billing", admin_ids=[admins[3]["id"]])
