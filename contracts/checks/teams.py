import httpx

from contracts.checks import check, expect_error, parse
from contracts.models.teams import Team, TeamList


@check()
def teams_are_listed_and_found(api: httpx.Client) -> None:
    teams = parse(TeamList, api.get("/teams"))
    for team in teams.teams[:3]:
        assert parse(Team, api.get(f"/teams/{team.id}")).name == team.name


@check()
def unknown_team_is_team_not_found(api: httpx.Client) -> None:
    expect_error(api.get("/teams/1"), 404, "team_not_found")
