"""Teams of admins."""

from typing import Any

from fastapi import Depends, Query

from contracts.models.teams import Team as TeamModel
from contracts.models.teams import TeamList, TeamMetricList
from fake_intercom import responses
from fake_intercom.context import Ctx, context
from fake_intercom.errors import team_not_found
from fake_intercom.routing import IntercomRouter
from fake_intercom.store import Store, Workspace, dumps, table

TEAMS = table("teams", {"id": str, "name": str, "data": str})
TEAM_MEMBERS = table(
    "team_members",
    {"team_id": str, "admin_id": str},
    pk=("workspace_id", "team_id", "admin_id"),
    indexes=(("workspace_id", "admin_id"),),
)

router = IntercomRouter(tags=["Teams"])


def create_team(store: Store, workspace: Workspace, *, name: str, admin_ids: list[str]) -> dict[str, Any]:
    team = {
        "type": "team",
        "id": store.numeric_id(workspace.id, "team"),
        "name": name,
        "admin_priority_level": {"primary_admin_ids": None, "secondary_admin_ids": None},
        "assignment_limit": None,
        "distribution_method": "round_robin",
    }
    store.insert("teams", {"workspace_id": workspace.id, "id": team["id"], "name": name, "data": dumps(team)})
    for admin_id in admin_ids:
        store.insert(
            "team_members", {"workspace_id": workspace.id, "team_id": team["id"], "admin_id": admin_id}
        )
    return team


def find_team(store: Store, workspace_id: str, team_id: str | int) -> dict[str, Any] | None:
    team = store.data("teams", workspace_id, str(team_id))
    if team is not None:
        team["admin_ids"] = [
            int(row["admin_id"])
            for row in store.query(
                "SELECT admin_id FROM team_members WHERE workspace_id = ? AND team_id = ? "
                "ORDER BY CAST(admin_id AS INTEGER)",
                (workspace_id, team["id"]),
            )
        ]
    return team


@router.operation("listTeams", response_model=TeamList)
async def list_teams(ctx: Ctx = Depends(context)) -> Any:
    ids = [
        row["id"]
        for row in ctx.store.query(
            "SELECT id FROM teams WHERE workspace_id = ? ORDER BY CAST(id AS INTEGER)", (ctx.ws,)
        )
    ]
    return responses.json(
        {"type": "team.list", "teams": [find_team(ctx.store, ctx.ws, team_id) for team_id in ids]}
    )


@router.operation("retrieveTeam", response_model=TeamModel)
async def retrieve_team(team_id: str, ctx: Ctx = Depends(context)) -> Any:
    team = find_team(ctx.store, ctx.ws, team_id)
    if team is None:
        raise team_not_found()
    return responses.json(team)


@router.operation("getTeamMetrics", response_model=TeamMetricList)
async def get_team_metrics(
    team_id: str,
    idle_threshold: int = Query(
        default=1800, description="Seconds after which an open conversation is idle."
    ),
    ctx: Ctx = Depends(context),
) -> Any:
    team = find_team(ctx.store, ctx.ws, team_id)
    if team is None:
        raise team_not_found()
    # Intercom clamps the threshold rather than refusing it.
    idle_before = ctx.now() - min(max(idle_threshold, 1), 86_400)
    counts = {
        str(row["admin"]): row
        for row in ctx.store.query(
            "SELECT admin_assignee_id AS admin, "
            "SUM(state = 'open') AS open, "
            "SUM(state = 'open' AND waiting_since IS NOT NULL AND waiting_since <= ?) AS idle, "
            "SUM(state = 'snoozed') AS snoozed "
            "FROM conversations WHERE workspace_id = ? AND admin_assignee_id IS NOT NULL "
            "GROUP BY admin_assignee_id",
            (idle_before, ctx.ws),
        )
    }
    metrics = []
    for admin_id in team["admin_ids"]:
        row = counts.get(str(admin_id), {})
        metrics.append(
            {
                "type": "team_metric",
                "admin_id": str(admin_id),
                **{key: int(row.get(key) or 0) for key in ("open", "idle", "snoozed")},
            }
        )
    return responses.json({"type": "team_metric.list", "data": metrics})
