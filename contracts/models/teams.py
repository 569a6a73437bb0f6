from typing import Any, Literal

from contracts.models.common import IntercomObject


class Team(IntercomObject):
    type: Literal["team"]
    id: str
    name: str
    admin_ids: list[int]
    admin_priority_level: dict[str, Any] | None = None
    assignment_limit: int | None = None
    distribution_method: str | None = None


class TeamList(IntercomObject):
    type: Literal["team.list"]
    teams: list[Team]


class TeamMetric(IntercomObject):
    type: Literal["team_metric"]
    admin_id: str
    open: int
    idle: int
    snoozed: int


class TeamMetricList(IntercomObject):
    type: Literal["team_metric.list"]
    data: list[TeamMetric]
